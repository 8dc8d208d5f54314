#include "scanner/model/finding.h"

#include <array>

namespace crmaudit {

namespace {
constexpr std::array<std::string_view, 8> kCategories = {
    "pii", "secret", "encryption", "access", "audit", "backup", "retention", "configuration"};
constexpr std::array<std::string_view, 4> kStatuses = {"open", "suppressed", "baselined",
                                                       "not_assessed"};
}  // namespace

std::string_view CategoryName(FindingCategory category) {
  return kCategories[static_cast<int>(category)];
}

std::optional<FindingCategory> ParseCategory(std::string_view text) {
  for (size_t i = 0; i < kCategories.size(); ++i) {
    if (text == kCategories[i]) return static_cast<FindingCategory>(i);
  }
  return std::nullopt;
}

std::string_view StatusName(FindingStatus status) { return kStatuses[static_cast<int>(status)]; }

}  // namespace crmaudit
