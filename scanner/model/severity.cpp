#include "scanner/model/severity.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace crmaudit {

namespace {
constexpr std::array<std::string_view, 5> kNames = {"info", "low", "medium", "high", "critical"};
}

std::string_view SeverityName(Severity severity) { return kNames[static_cast<int>(severity)]; }

std::optional<Severity> ParseSeverity(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (lower == kNames[i]) return static_cast<Severity>(i);
  }
  return std::nullopt;
}

}  // namespace crmaudit
