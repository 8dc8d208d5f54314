#include "scanner/scan/duration.h"

#include <charconv>
#include <cstdint>
#include <limits>

namespace crmaudit {

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [rest, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || rest == text.data() || value == 0) return std::nullopt;
  const std::string_view unit(rest, static_cast<size_t>(end - rest));
  uint64_t factor = 0;
  if (unit.empty() || unit == "s") {
    factor = 1000;
  } else if (unit == "ms") {
    factor = 1;
  } else if (unit == "m" || unit == "min") {
    factor = 60 * 1000;
  } else if (unit == "h") {
    factor = 3600 * 1000;
  } else {
    return std::nullopt;
  }
  // A week is far more than any scan; beyond it the value is a typo, not a timeout.
  if (value > std::numeric_limits<int64_t>::max() / factor || value * factor > 7ull * 86400000) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<int64_t>(value * factor));
}

}  // namespace crmaudit
