#include "scanner/checks/database_controls.h"

#include <fnmatch.h>

namespace crmaudit {

RetentionRule RetentionFor(const DatabaseControls& controls, const std::string& schema,
                           const std::string& table) {
  const std::string name = schema + "." + table;
  for (const auto& rule : controls.retention_rules) {
    if (fnmatch(rule.table_pattern.c_str(), name.c_str(), 0) == 0) return rule;
  }
  RetentionRule rule;
  rule.table_pattern = name;
  rule.period = controls.default_retention;
  return rule;
}

}  // namespace crmaudit
