// Runs control checks the way a scan does: outcomes judged into findings by the shipped check
// catalog (policies/checks), so tests see the titles, severities and references users see.
#pragma once

#include <filesystem>
#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/outcome_findings.h"
#include "scanner/policy/check_catalog.h"
#include "scanner/policy/control_policy.h"
#include "scanner/policy/postgres_releases.h"

namespace crmaudit {

// The shipped PostgreSQL release list (CFG-02), as a scan loads it.
inline const PostgresReleases& ShippedReleases() {
  static const PostgresReleases releases = LoadPostgresReleases(
      std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "data" / "postgres-releases.json");
  return releases;
}

inline const CheckCatalog& ShippedCatalog() {
  static const CheckCatalog catalog =
      LoadCheckCatalog(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "checks");
  return catalog;
}

// The control parameters with nothing set by a pack: the shipped defaults of
// policies/checks/parameters.json, merged as a scan merges them. DatabaseControls{} and
// ExportControls{} are neutral (empty, zero), not the defaults.
inline const ControlPolicy& ShippedControlPolicy() {
  static const ControlPolicy policy =
      MergeControlPolicy(ShippedCatalog().parameters().defaults, {}, nullptr);
  return policy;
}
inline DatabaseControls ShippedDatabaseControls() { return ShippedControlPolicy().database; }
inline ExportControls ShippedExportControls() { return ShippedControlPolicy().exports; }

// Findings of `outcomes` (and the ControlResults, when `controls` is given).
inline std::vector<Finding> Judged(const std::vector<ControlOutcome>& outcomes,
                                   const std::map<std::string, CheckMeta>& settings = {},
                                   std::vector<ControlResult>* controls = nullptr) {
  std::vector<Finding> findings;
  std::vector<ControlResult> results;
  JudgeOutcomes(outcomes, ShippedCatalog(), settings, &findings,
                controls != nullptr ? controls : &results);
  return findings;
}

// Every database check over `facts`, judged: the findings a scan reports.
inline std::vector<Finding> DatabaseFindings(const DatabaseFacts& facts,
                                             const std::vector<PiiColumnRef>& pii,
                                             const DatabaseControls& controls,
                                             const DatabaseCheckContext& context,
                                             std::vector<ControlResult>* results = nullptr) {
  std::vector<ControlOutcome> outcomes;
  RunDatabaseChecks(facts, pii, controls, context, &outcomes);
  return Judged(outcomes, controls.checks, results);
}

}  // namespace crmaudit
