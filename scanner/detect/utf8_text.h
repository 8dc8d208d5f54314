// UTF-8 text helpers shared by the matcher, the profiler and masking (internal to detect/).
//
// Scanned values are valid UTF-8 by the RecordSink contract, but helpers that cut text (masks,
// context windows) must still never split a character or emit an invalid byte: a masked
// sample goes into signed JSON reports, which must stay valid UTF-8 whatever arrived.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "scanner/model/byte_words.h"
#include "scanner/model/utf8.h"

namespace crmaudit::utf8 {

inline bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Length in bytes of the well-formed character at text[pos], or 0 (see model/utf8.h).
inline size_t CharLength(std::string_view text, size_t pos) {
  return Utf8SequenceLength(text, pos);
}

// The characters of `text`, with every byte that is not part of a well-formed character
// replaced by `replacement` (which must itself be valid UTF-8).
inline std::string Repaired(std::string_view text, std::string_view replacement = "*") {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const size_t length = CharLength(text, pos);
    if (length == 0) {
      out += replacement;
      ++pos;
    } else {
      out.append(text.substr(pos, length));
      pos += length;
    }
  }
  return out;
}

inline bool IsValid(std::string_view text) { return IsValidUtf8(text); }

// The byte offset `count` characters before `pos` (or 0), never inside a character.
inline size_t StepBack(std::string_view text, size_t pos, size_t count) {
  while (pos > 0 && count > 0) {
    --pos;
    while (pos > 0 && IsContinuation(static_cast<unsigned char>(text[pos]))) --pos;
    --count;
  }
  return pos;
}

// The smallest character boundary at or after `pos`.
inline size_t NextBoundary(std::string_view text, size_t pos) {
  while (pos < text.size() && IsContinuation(static_cast<unsigned char>(text[pos]))) ++pos;
  return pos;
}

inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// True for an ASCII letter or a byte of a multi-byte character (0x80-0xFE; 0xFF is never UTF-8,
// and the matcher joins values with it): a text without such a byte is plain ASCII without
// letters (an amount, an id, a date), where no word of any script can stand.
inline bool MayBeLetter(char c) {
  const auto byte = static_cast<unsigned char>(c);
  const auto lower = static_cast<unsigned char>(byte | 0x20);
  return (lower >= 'a' && lower <= 'z') || (byte >= 0x80 && byte != 0xFF);
}

// Some byte of `text` is MayBeLetter; eight bytes at a time (byte_words::LetterBytes).
inline bool HoldsLetterByte(std::string_view text) {
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    if (byte_words::LetterBytes(word) != 0) return true;
  }
  for (; i < text.size(); ++i) {
    if (MayBeLetter(text[i])) return true;
  }
  return false;
}

}  // namespace crmaudit::utf8
