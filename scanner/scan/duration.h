// Durations as a user types them on the command line: `30s`, `10m`, `2h`, `1500ms`, or a
// bare number of seconds. Used by `scan --timeout`.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace crmaudit {

// nullopt for anything else (empty, negative, zero, an unknown unit, overflow).
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace crmaudit
