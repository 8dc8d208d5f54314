// RetentionPlan: which retention counts (AgeProbes, facts/database_facts.h) a table holding
// personal data gets, from its columns and the packs' retention parameters. One plan for every
// engine: PostgreSQL (scan/postgres_scan.cpp) and MySQL/MariaDB
// (sources/mysql/mysql_facts_reader.h) map their column types to ColumnKind and count the
// probes their own way; RET-01/RET-02 and MY-RET-01/MY-RET-02 judge the results alike.
//
// Per table: RET-01 the first matching retention.tables rule's column when the table has it,
// else the first retention.candidate_columns that is a timestamp; RET-02 every
// retention.soft_delete_columns timestamp (grace period retention.soft_delete_grace), and every
// retention.soft_delete_flag_columns boolean, dated by the first
// retention.modification_columns timestamp (none: the deletion date is unknown).
#pragma once

#include <string>
#include <vector>

#include "scanner/checks/database_controls.h"
#include "scanner/facts/database_facts.h"

namespace crmaudit {

enum class ColumnKind { kTimestamp, kBoolean, kOther };

struct PlannedColumn {
  std::string name;
  ColumnKind kind = ColumnKind::kOther;
};

std::vector<AgeProbe> PlanTableAgeProbes(const std::string& schema, const std::string& table,
                                         const std::vector<PlannedColumn>& columns,
                                         const DatabaseControls& controls);

}  // namespace crmaudit
