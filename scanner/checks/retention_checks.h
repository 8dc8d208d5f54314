// Retention checks (pure): RET-01 rows kept longer than their table's retention period, RET-02
// soft-deleted (or flagged) rows kept past the grace period. Judged from the age probes
// (DatabaseFacts::ages) the scan ran: one outcome per probe, about "table schema.table": a pass
// when no row is past the period, a fail counting the rows that are, not_assessed when the
// probe could not run (its reason: the missing SELECT, the --timeout).
//
// The judgement is the same for every engine; only the catalog entries (their remediation SQL)
// and the quoting of names differ: PostgreSQL's RET-01/RET-02 and MySQL's MY-RET-01/MY-RET-02
// (checks/mysql_checks.h) both run CheckAges with their RetentionDialect.
#pragma once

#include <string>
#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/database_controls.h"
#include "scanner/facts/database_facts.h"
#include "scanner/model/control_outcome.h"

namespace crmaudit {

// How one engine names the retention checks and writes SQL in their remediation values.
struct RetentionDialect {
  const char* keep_rule;         // rows kept past their period: "RET-01"
  const char* soft_delete_rule;  // soft-deleted rows kept past the grace period: "RET-02"
  std::string (*quote)(const std::string& identifier);
  // The period as the engine's interval expression: "interval '3 years'", "INTERVAL 3 YEAR".
  std::string (*interval)(const std::string& period);
};

extern const RetentionDialect kPostgresRetention;  // RET-01, RET-02
extern const RetentionDialect kMysqlRetention;     // MY-RET-01, MY-RET-02

// One outcome per probe result, about "table schema.table", located under `base`. Values:
// table, period, interval, column and flag_column (quoted for the dialect). Evidence: count
// (rows past) of scanned (rows counted), and facts period, oldest, column_source, count
// ("exact", or "estimated" with sample_rows: a sampled PostgreSQL scan of a large table;
// MySQL/MariaDB always count exactly).
void CheckAges(const std::vector<AgeProbeResult>& ages, const RetentionDialect& dialect,
               const Location& base, std::vector<ControlOutcome>* outcomes);

void CheckRetention(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                    std::vector<ControlOutcome>*);  // RET-01 and RET-02 (from the age probes)

}  // namespace crmaudit
