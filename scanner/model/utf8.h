// UTF-8 repair: every string that enters a report must be valid UTF-8 (the JSON writer
// refuses anything else). File names and database identifiers can hold arbitrary bytes, so
// writers pass every model string through RepairUtf8 first.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace crmaudit {

// Length in bytes of the well-formed character starting at text[pos], or 0 when the bytes
// there are not one (overlong forms, surrogates, code points above U+10FFFF, truncation).
size_t Utf8SequenceLength(std::string_view text, size_t pos);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Copies `text`, replacing each maximal invalid subsequence with U+FFFD. `*replaced`, when
// given, is incremented by the number of bytes replaced.
std::string RepairUtf8(std::string_view text, uint64_t* replaced = nullptr);

}  // namespace crmaudit
