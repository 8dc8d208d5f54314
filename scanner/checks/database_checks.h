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

// Runs every database check of the families below and appends their outcomes; findings are
// made from them in one place (checks/outcome_findings.h).
void RunDatabaseChecks(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                       const DatabaseControls& controls, const DatabaseCheckContext& context,
                       std::vector<ControlOutcome>* outcomes);

}  // namespace crmaudit

// The check families, declared in their own headers. Included after the types above, which
// each family header uses (they include this header first; #pragma once keeps it single).
#include "scanner/checks/access_checks.h"      // AC-01..AC-05
#include "scanner/checks/audit_checks.h"       // AUD-01, AUD-02
#include "scanner/checks/backup_checks.h"      // BAK-01, BAK-02, BAK-03
#include "scanner/checks/encryption_checks.h"  // ENC-01..ENC-06
#include "scanner/checks/retention_checks.h"   // RET-01, RET-02
