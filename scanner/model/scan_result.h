// ScanResult: the single model every report writer reads. Writers render it and never
// re-derive anything; everything a report shows must already be here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/model/control_outcome.h"
#include "scanner/model/coverage.h"
#include "scanner/model/finding.h"
#include "scanner/model/inventory.h"
#include "scanner/model/severity.h"

namespace crmaudit {

struct TargetInfo {
  std::string id;       // "t1", "t2"... in command-line order
  std::string kind;     // "file", "directory", "postgres" or "sqlite"
  std::string display;  // what the user typed, with any password removed
};

struct PolicyPackRef {
  std::string name;
  std::string version;
  std::string sha256;  // of the pack file's bytes
};

struct ScanMeta {
  std::string id;          // random UUID v4
  std::string started_at;  // RFC 3339 UTC, second precision
  std::string finished_at;
  bool complete = true;  // false when any target could not be scanned completely
  std::vector<PolicyPackRef> policy_packs;
  std::optional<std::string> previous_sha256;  // archive chain
  std::map<std::string, std::string> options;  // non-secret scan options ("sample_rows": "1000")
};

// The verdict a pipeline and an auditor act on. Rules (README "Exit codes", auditor-role.md):
//  - "incomplete" whenever the scan is incomplete (some dataset not read completely): what
//    was not read cannot pass, whatever was found in the rest (exit 3);
//  - otherwise "fail" when an open finding is at or above fail_on (exit 1), else "pass" (0);
//  - controls that could not be assessed (missing privilege) do not change the verdict or the
//    exit code, but their number always travels with it (`not_assessed`), so a pass with gaps
//    in the evidence never reads as a clean pass.
struct Summary {
  std::map<std::string, uint64_t> by_severity;  // open findings only
  std::map<std::string, uint64_t> by_category;  // open findings only
  std::string fail_on;                          // severity name or "never"
  std::string verdict;                          // "pass", "fail" or "incomplete"
  bool complete = true;                         // copy of scan.complete, signed with the summary
  uint64_t not_assessed = 0;                    // findings with status not_assessed
};

struct ScanResult {
  std::string tool_name = "crmaudit";
  std::string tool_version;
  ScanMeta scan;
  std::vector<TargetInfo> targets;
  // Target id → the file target's root folder relative to the SARIF source root (%SRCROOT%,
  // a repository's top level), '/'-separated, "" when it is that root; targets not below one
  // are absent. Only SARIF uses it; report.json keeps paths relative to the target.
  std::map<std::string, std::string> source_root_paths;
  std::vector<CoverageEntry> coverage;
  std::vector<InventoryEntry> inventory;
  std::vector<Finding> findings;
  // Every control check evaluated, per target, passes included; and the catalog entries of
  // those checks (checks/outcome_findings.h fills both).
  std::vector<ControlResult> controls;
  std::vector<RuleDescription> rules;
  Summary summary;
};

// Fills `summary` from findings (open ones only), scan.complete and the fail-on threshold
// (nullopt = never). Call again after scan.complete or a finding's status changes.
void Summarize(ScanResult& result, std::optional<Severity> fail_on);

// Orders findings, inventory and coverage deterministically so the same inputs give the same
// report bytes: by target, then dataset/location, then rule.
void SortForOutput(ScanResult& result);

}  // namespace crmaudit
