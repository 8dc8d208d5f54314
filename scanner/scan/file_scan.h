// Scanning one file-system target: walk, read every export file, profile its columns, turn
// the profiles into inventory and findings.
//
// Files are read in parallel (`plan.jobs` workers, each with its own ColumnProfiler) and the
// results are put back in walk order, so the output does not depend on scheduling. Every file
// the walk found appears in coverage; so does every problem the walk met. Diagnostics for the
// user go to `warnings` (one line each, naming the file, never quoting data).
//
// The walk streams into batches of a few files per job, and coverage beyond the first 1000
// entries of files that were not read is counted per reason rather than listed, so memory and
// the report stay bounded whatever the number of files (an accidental scan of / included).
// Files are judged by name first (content_sniffer.h, ClassifyFileName): files that are not
// exports are skipped on purpose without being opened; formats not supported yet are a gap.
// A workbook yields one dataset per sheet (`book.xlsx#Contacts`) and an archive one per member
// (`export.zip!/Contact.csv`), each with its own coverage entry, plus one entry for the file
// itself when it could not be opened or read to its end; ENC-07/RET-03 judge the file on disk
// once, with the personal-data columns of all its datasets.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/scan/progress.h"
#include "scanner/scan/scan_plan.h"
#include "scanner/scan/target_scan_output.h"

namespace crmaudit {

// How many files a coverage entry stands for: 1, or N for the entry that counts the "N more
// files not listed one by one" of a huge tree (see file_scan.cpp, TargetCoverage).
uint64_t DatasetsIn(const CoverageEntry& entry);

TargetScanOutput ScanFileTarget(const PlannedTarget& target, const ScanPlan& plan,
                                std::shared_ptr<const CompiledPolicy> policy, Progress& progress,
                                std::vector<std::string>& warnings);

}  // namespace crmaudit
