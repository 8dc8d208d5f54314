// Running a whole scan: every target of the plan, in order, into one ScanResult.
//
// LoadPolicies resolves and compiles the packs (throwing PolicyError: exit 2 before anything
// is scanned). RunScan never throws for a bad target: a target that cannot be scanned
// completely is recorded in coverage, marks the scan incomplete, adds a warning line, and the
// remaining targets are still scanned.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/model/scan_result.h"
#include "scanner/scan/scan_plan.h"

namespace crmaudit {

// `audit_controls`, when given and not empty, is an audit file's "controls" object (already
// read and checked): it is added as a last, detector-less pack named "audit-file" whose
// parameters override the packs' (the merge rule of policy/control_policy.h).
std::shared_ptr<const CompiledPolicy> LoadPolicies(const std::vector<std::string>& names_or_paths,
                                                   const ControlLayer* audit_controls = nullptr,
                                                   const std::string& default_region = "US");

struct ScanRun {
  ScanResult result;
  std::vector<std::string> warnings;  // one line each, safe to print (no data, no passwords)
};

ScanRun RunScan(const ScanPlan& plan, std::shared_ptr<const CompiledPolicy> policy);

// Random RFC 4122 version-4 UUID, and the current time as RFC 3339 UTC (second precision).
std::string NewScanId();
std::string NowRfc3339();

// The current UTC time formatted with strftime `format` (e.g. "%Y-%m-%dT%H%M%SZ").
std::string NowUtc(const char* format);

}  // namespace crmaudit
