// Scanning one file-system target: walk, read every export file, profile its columns, turn
// the profiles into inventory and findings.
//
// Files are read in parallel (`plan.jobs` workers, each with its own ColumnProfiler) and the
// results are put back in walk order, so the output does not depend on scheduling. Every file
// the walk found appears in coverage; so does every problem the walk met. Diagnostics for the
// user go to `warnings` (one line each, naming the file, never quoting data).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/scan/postgres_scan.h"
#include "scanner/scan/progress.h"
#include "scanner/scan/scan_plan.h"

namespace crmaudit {

TargetScanOutput ScanFileTarget(const PlannedTarget& target, const ScanPlan& plan,
                                std::shared_ptr<const CompiledPolicy> policy, Progress& progress,
                                std::vector<std::string>& warnings);

}  // namespace crmaudit
