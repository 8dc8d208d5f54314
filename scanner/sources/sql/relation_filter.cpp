#include "scanner/sources/sql/relation_filter.h"

#include <fnmatch.h>

namespace crmaudit {
namespace {

bool Glob(const std::string& pattern, const std::string& text) {
  return fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

bool Matches(const std::string& pattern, const std::string& schema, const std::string& table) {
  if (pattern.find('.') == std::string::npos) return Glob(pattern, schema);
  return Glob(pattern, schema + "." + table);
}

}  // namespace

bool RelationFilter::Accepts(const std::string& schema, const std::string& table) const {
  for (const auto& pattern : exclude) {
    if (Matches(pattern, schema, table)) return false;
  }
  if (include.empty()) return true;
  for (const auto& pattern : include) {
    if (Matches(pattern, schema, table)) return true;
  }
  return false;
}

}  // namespace crmaudit
