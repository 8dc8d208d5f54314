// ScanResult: the single model every report writer reads. Writers render it and never
// re-derive anything; everything a report shows must already be here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/model/coverage.h"
#include "scanner/model/finding.h"
#include "scanner/model/inventory.h"
#include "scanner/model/severity.h"

namespace crmaudit {

struct TargetInfo {
  std::string id;       // "t1", "t2"... in command-line order
  std::string kind;     // "file", "directory" or "postgres"
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

struct Summary {
  std::map<std::string, uint64_t> by_severity;  // open findings only
  std::map<std::string, uint64_t> by_category;  // open findings only
  std::string fail_on;                          // severity name or "never"
  std::string verdict;                          // "pass" or "fail"
};

struct ScanResult {
  std::string tool_name = "crmaudit";
  std::string tool_version;
  ScanMeta scan;
  std::vector<TargetInfo> targets;
  std::vector<CoverageEntry> coverage;
  std::vector<InventoryEntry> inventory;
  std::vector<Finding> findings;
  Summary summary;
};

// Fills `summary` from findings (open ones only) and the fail-on threshold; nullopt = never.
void Summarize(ScanResult& result, std::optional<Severity> fail_on);

// Orders findings, inventory and coverage deterministically so the same inputs give the same
// report bytes: by target, then dataset/location, then rule.
void SortForOutput(ScanResult& result);

}  // namespace crmaudit
