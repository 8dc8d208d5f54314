// RelationFilter: which tables of a database a scan reads (--tables / --exclude-tables).
//
// Patterns are shell globs over "schema.table" (for MySQL/MariaDB the schema is the database);
// a pattern without a dot matches the schema name. Excludes win; no include means everything.
#pragma once

#include <string>
#include <vector>

namespace crmaudit {

struct RelationFilter {
  std::vector<std::string> include, exclude;
  bool Accepts(const std::string& schema, const std::string& table) const;
};

}  // namespace crmaudit
