// Counts and sizes as a person reads them on a terminal: "1 file", "3 files", "12.4 MiB".
//
// Used for what crmaudit prints (progress, summary, reasons); reports keep exact numbers.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace crmaudit {

// "1 row", "2 rows"; `plural` for irregular nouns ("1 entry", "2 entries").
inline std::string Plural(uint64_t n, std::string_view noun, std::string_view plural = {}) {
  std::string out = std::to_string(n) + " ";
  if (n == 1) return out.append(noun);
  if (!plural.empty()) return out.append(plural);
  return out.append(noun).append("s");
}

// Binary units, one decimal from KiB on: "512 B", "1.5 KiB", "12.4 MiB", "3.0 GiB".
inline std::string HumanBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < sizeof kUnits / sizeof kUnits[0]) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

}  // namespace crmaudit
