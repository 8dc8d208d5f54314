// Severity: how bad a finding is, ordered info < low < medium < high < critical.
//
// The order is part of the exit-code contract: `--fail-on high` fails a scan when any open
// finding has severity >= high. Names are the lower-case words used in report.json.
#pragma once

#include <optional>
#include <string_view>

namespace crmaudit {

enum class Severity { kInfo = 0, kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };

std::string_view SeverityName(Severity severity);

// Parses "info", "low", "medium", "high" or "critical" (case-insensitive).
std::optional<Severity> ParseSeverity(std::string_view text);

}  // namespace crmaudit
