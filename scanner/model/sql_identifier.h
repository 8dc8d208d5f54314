// SQL identifiers as statement text: the one home of how a table, column, schema or account
// name is quoted: the SQL standard's "name" (double quotes inside doubled) for PostgreSQL and
// SQLite, MySQL/MariaDB's `name` (backticks inside doubled).
//
// Used by the readers that build queries (sources/) and by the checks that write remediation
// SQL (checks/), so the statement a report tells a DBA to run names an object exactly as the
// scan's own queries did. Any name is safe to quote this way, whatever it holds.
#pragma once

#include <string>
#include <string_view>

namespace crmaudit {

inline std::string QuoteSqlIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

inline std::string QuoteMysqlIdent(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  out.push_back('`');
  return out;
}

}  // namespace crmaudit
