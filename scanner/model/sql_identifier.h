// SQL identifiers as statement text: the one home of how a MySQL/MariaDB table, column or
// account name is quoted (`name`, backticks inside doubled).
//
// Used by the readers that build queries (sources/mysql) and by the checks that write
// remediation SQL (checks/), so the statement a report tells a DBA to run names an object exactly
// as the scan's own queries did. Any name is safe to quote this way, whatever it holds.
#pragma once

#include <string>
#include <string_view>

namespace crmaudit {

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
