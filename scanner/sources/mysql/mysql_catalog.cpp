#include "scanner/sources/mysql/mysql_catalog.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace crmaudit {
namespace {

constexpr const char* kSystemSchemas =
    "('information_schema', 'mysql', 'performance_schema', 'sys')";

CellKind KindOf(const std::string& data_type) {
  static const std::set<std::string> kBinary = {
      "binary",   "varbinary",  "tinyblob",        "blob",         "mediumblob",
      "longblob", "bit",        "geometry",        "point",        "linestring",
      "polygon",  "multipoint", "multilinestring", "multipolygon", "geometrycollection"};
  if (data_type == "json") return CellKind::kJson;
  if (kBinary.count(data_type) != 0) return CellKind::kBinary;
  return CellKind::kText;
}

// DATA_TYPE of the integer types (lower case): a key of one of them can be cut into ranges.
bool IsIntegerType(const std::string& data_type) {
  return data_type == "tinyint" || data_type == "smallint" || data_type == "mediumint" ||
         data_type == "int" || data_type == "integer" || data_type == "bigint";
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// `json_valid(`col`)` → col; empty when the clause is anything else.
std::string JsonCheckedColumn(const std::string& clause) {
  const std::string prefix = "json_valid(`";
  if (Lower(clause.substr(0, prefix.size())) != prefix) return {};
  std::string name;
  for (size_t i = prefix.size(); i < clause.size(); ++i) {
    if (clause[i] == '`') {
      if (i + 1 < clause.size() && clause[i + 1] == '`') {
        name.push_back('`');
        ++i;
        continue;
      }
      return clause.substr(i) == "`)" ? name : std::string();
    }
    name.push_back(clause[i]);
  }
  return {};
}

}  // namespace

std::string MysqlTable::QualifiedName() const {
  return QuoteMysqlIdent(schema) + "." + QuoteMysqlIdent(name);
}

bool IsMysqlSystemSchema(const std::string& schema) {
  const std::string s = Lower(schema);
  return s == "information_schema" || s == "mysql" || s == "performance_schema" || s == "sys";
}

std::string MysqlStringLiteral(const std::string& text) {
  if (text.empty()) return "''";
  std::string out = "CONVERT(X'";
  char hex[3];
  for (unsigned char c : text) {
    std::snprintf(hex, sizeof hex, "%02X", c);
    out += hex;
  }
  return out + "' USING utf8mb4)";
}

bool DiscoverMysqlTables(MysqlSession& session, const RelationFilter& filter,
                         const std::string& only_schema, std::vector<MysqlTable>* out,
                         MysqlFailure* failure) {
  out->clear();
  std::string where = std::string("TABLE_SCHEMA NOT IN ") + kSystemSchemas;
  if (!only_schema.empty()) where += " AND TABLE_SCHEMA = " + MysqlStringLiteral(only_schema);
  auto fail = [&](const SqlRows& rows) {
    failure->code = rows.error_code;
    failure->kind =
        rows.error_code == 1142 || rows.error_code == 1044
            ? MysqlFailureKind::kPermission
            : (session.is_open() ? MysqlFailureKind::kOther : MysqlFailureKind::kConnectionLost);
    return false;
  };
  SqlRows tables = session.Run(
      "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES "
      "WHERE " +
      where + " AND TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED') " +
      "ORDER BY TABLE_SCHEMA, TABLE_NAME");
  if (!tables.ok) return fail(tables);
  std::map<std::pair<std::string, std::string>, size_t> index;
  for (const auto& row : tables.rows) {
    if (!row[0] || !row[1] || !row[2]) continue;
    if (!filter.Accepts(*row[0], *row[1])) continue;
    MysqlTable table;
    table.schema = *row[0];
    table.name = *row[1];
    table.view = *row[2] == "VIEW";
    if (!table.view && row[3]) table.estimated_rows = std::strtod(row[3]->c_str(), nullptr);
    index[{table.schema, table.name}] = out->size();
    out->push_back(std::move(table));
  }
  SqlRows columns = session.Run(
      "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COLUMN_KEY "
      "FROM information_schema.COLUMNS WHERE " +
      where + " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION");
  if (!columns.ok) return fail(columns);
  // Per table: its key columns, and whether they are one integer column.
  std::map<size_t, std::vector<std::pair<std::string, bool>>> keys;
  for (const auto& row : columns.rows) {
    if (!row[0] || !row[1] || !row[2] || !row[3]) continue;
    auto it = index.find({*row[0], *row[1]});
    if (it == index.end()) continue;
    MysqlColumn column;
    column.name = *row[2];
    column.type = row[4] ? *row[4] : *row[3];
    column.kind = KindOf(Lower(*row[3]));
    if (row.size() > 5 && row[5] && *row[5] == "PRI") {
      keys[it->second].emplace_back(column.name, IsIntegerType(Lower(*row[3])));
    }
    (*out)[it->second].columns.push_back(std::move(column));
  }
  for (const auto& [table, key] : keys) {
    if (key.size() == 1 && key[0].second) (*out)[table].integer_key = key[0].first;
  }
  if (session.is_mariadb()) {
    // MariaDB's JSON is longtext with a json_valid() check named after the column.
    SqlRows checks = session.Run(
        "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CHECK_CLAUSE FROM "
        "information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA NOT IN " +
        std::string(kSystemSchemas) + " AND CHECK_CLAUSE LIKE 'json_valid(%'");
    // Older servers without the view: JSON columns are then read as text (still matched).
    if (checks.ok) {
      for (const auto& row : checks.rows) {
        if (!row[0] || !row[1] || !row[2]) continue;
        auto it = index.find({*row[0], *row[1]});
        if (it == index.end()) continue;
        const std::string name = JsonCheckedColumn(*row[2]);
        for (auto& column : (*out)[it->second].columns) {
          if (column.name == name && column.kind == CellKind::kText) {
            column.kind = CellKind::kJson;
            column.type = "json";
          }
        }
      }
    }
  }
  return true;
}

}  // namespace crmaudit
