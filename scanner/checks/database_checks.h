// Database control checks (pure): ENC-01..ENC-06, AC-01..AC-05, AUD-01, AUD-02, BAK-01,
// RET-01 and RET-02 over DatabaseFacts, the PII columns found by profiling, and the packs'
// DatabaseControls. No I/O, no clock: everything time-dependent is already a fact.
//
// Every finding carries severity, GDPR/PIPL references (from the packs), evidence made of
// counts, settings and role or table names (never a value), and a remediation naming the SQL
// or setting to change. A check whose facts could not be collected yields one `not_assessed`
// finding whose status_reason names the missing privilege — never silence.
#pragma once

#include <string>
#include <vector>

#include "scanner/checks/database_controls.h"
#include "scanner/facts/database_facts.h"
#include "scanner/model/control_outcome.h"
#include "scanner/model/finding.h"
#include "scanner/policy/postgres_releases.h"

namespace crmaudit {

// A column that profiling found to hold personal data.
struct PiiColumnRef {
  std::string schema, table, column;
  std::vector<std::string> entities;  // entity types, e.g. "EMAIL_ADDRESS"
  // Where it was read: r table, p partitioned table, m materialized view store the values; a
  // v view only shows those of the relations it reads (ENC-05 judges storage, not views).
  char relkind = 'r';
};

struct DatabaseCheckContext {
  std::string target;    // report.targets[].id
  std::string database;  // database name
  // The supported releases CFG-02 judges the server's version by; null: not assessed.
  const PostgresReleases* postgres_releases = nullptr;
};

// Runs every database check above and appends their outcomes. `legacy_findings` receives
// the findings of the checks that still write findings themselves (being moved to outcomes;
// the parameter goes when none is left).
void RunDatabaseChecks(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                       const DatabaseControls& controls, const DatabaseCheckContext& context,
                       std::vector<ControlOutcome>* outcomes,
                       std::vector<Finding>* legacy_findings);

// The individual checks, for tests and for callers that run a subset.
void CheckServerTls(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                    std::vector<ControlOutcome>*);  // ENC-01
void CheckSessionTls(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                     std::vector<Finding>*);  // ENC-02
void CheckHbaRules(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                   std::vector<Finding>*);  // ENC-03
void CheckPasswordVerifiers(const DatabaseFacts&, const DatabaseControls&,
                            const DatabaseCheckContext&, std::vector<Finding>*);  // ENC-04
void CheckClearSensitiveColumns(const DatabaseFacts&, const std::vector<PiiColumnRef>&,
                                const DatabaseControls&, const DatabaseCheckContext&,
                                std::vector<Finding>*);  // ENC-05
void CheckPasswordStorage(const DatabaseFacts&, const std::vector<PiiColumnRef>&,
                          const DatabaseControls&, const DatabaseCheckContext&,
                          std::vector<Finding>*);  // ENC-06
void CheckPowerfulRoles(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                        std::vector<Finding>*);  // AC-01
void CheckLoginHygiene(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                       std::vector<Finding>*);  // AC-02
void CheckPublicRead(const DatabaseFacts&, const std::vector<PiiColumnRef>&,
                     const DatabaseControls&, const DatabaseCheckContext&,
                     std::vector<Finding>*);  // AC-03
void CheckRowSecurity(const DatabaseFacts&, const std::vector<PiiColumnRef>&,
                      const DatabaseControls&, const DatabaseCheckContext&,
                      std::vector<Finding>*);  // AC-04
void CheckPublicCreate(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                       std::vector<Finding>*);  // AC-05
void CheckLogging(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                  std::vector<Finding>*);  // AUD-01
void CheckLoggedPersonalData(const DatabaseFacts&, const std::vector<PiiColumnRef>&,
                             const DatabaseControls&, const DatabaseCheckContext&,
                             std::vector<Finding>*);  // AUD-02
void CheckWalArchiving(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                       std::vector<Finding>*);  // BAK-01
void CheckRetention(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                    std::vector<Finding>*);  // RET-01 and RET-02 (from the age probes)

}  // namespace crmaudit
