// MySQL/MariaDB catalog discovery: which databases ("schemas"), tables, views and columns the
// connected account can see, from information_schema (which lists only what the account holds
// some privilege on).
//
// The system schemas (information_schema, mysql, performance_schema, sys) are never listed.
// Sequences and temporary tables are not data tables and are left out. JSON columns are
// recognised on both servers: MySQL's `json` type, and MariaDB's alias (longtext with a
// `json_valid()` check constraint).
#pragma once

#include <string>
#include <vector>

#include "scanner/sources/mysql/mysql_session.h"
#include "scanner/sources/sql/cell_feeder.h"
#include "scanner/sources/sql/relation_filter.h"

namespace crmaudit {

struct MysqlColumn {
  std::string name;
  std::string type;  // COLUMN_TYPE, e.g. "varchar(100)", "json"
  CellKind kind = CellKind::kText;
};

struct MysqlTable {
  std::string schema, name;
  bool view = false;
  double estimated_rows = -1;  // TABLE_ROWS (an estimate for InnoDB); -1 for views
  std::vector<MysqlColumn> columns;
  // The primary key's column when the key is one integer column (COLUMN_KEY = 'PRI'), else
  // empty: a big table is then sampled by key ranges (key_range_sample.h).
  std::string integer_key;

  std::string KindName() const { return view ? "view" : "table"; }
  std::string QualifiedName() const;  // `schema`.`name`
};

// The schemas never scanned.
bool IsMysqlSystemSchema(const std::string& schema);

// Lists tables and views (with their columns) of every visible non-system schema, or only of
// `only_schema` when it is not empty, kept by `filter`. False on failure (*failure filled).
bool DiscoverMysqlTables(MysqlSession& session, const RelationFilter& filter,
                         const std::string& only_schema, std::vector<MysqlTable>* out,
                         MysqlFailure* failure);

// A string literal for SQL text that no sql_mode can misread (hex, converted to utf8mb4).
std::string MysqlStringLiteral(const std::string& text);

}  // namespace crmaudit
