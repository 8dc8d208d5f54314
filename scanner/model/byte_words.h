// Byte words: looking at text eight bytes at a time in a 64-bit word (SWAR), for the loops that
// read every byte of a file or a cell (the CSV parser's runs, the quote count of a cut, the
// profiler's prose test, the matcher's "any letter?" test).
//
// What must stay true: each helper is exact for every byte of the word, whatever the bytes
// around it (no carry crosses from one byte into the next), so a caller can count or locate
// with it, not only filter. Callers load words with std::memcpy (any alignment) and handle the
// last size % 8 bytes one at a time; on a big-endian machine "the lowest set bit is the first
// byte" does not hold, so callers that locate check std::endian first.
#pragma once

#include <cstddef>
#include <cstdint>

namespace crmaudit::byte_words {

inline constexpr uint64_t kOnes = 0x0101010101010101ull;
inline constexpr uint64_t kHighBits = 0x8080808080808080ull;

// `c` in every byte of the word.
constexpr uint64_t Repeated(unsigned char c) { return kOnes * c; }

// The high bit of each byte of `x` that is zero, and no other bit: ((b & 0x7f) + 0x7f) | b has
// its high bit clear only for b = 0, and no carry crosses into the next byte.
constexpr uint64_t ZeroBytes(uint64_t x) {
  constexpr uint64_t kLow7 = ~kHighBits;
  return ~(((x & kLow7) + kLow7) | x | kLow7);
}

// The high bit of each byte of `word` that equals `c`.
constexpr uint64_t BytesEqual(uint64_t word, unsigned char c) {
  return ZeroBytes(word ^ Repeated(c));
}

// The high bit of each byte of `word` that is 0xE0 or more (its top three bits set): UTF-8 lead
// bytes of three- and four-byte characters.
constexpr uint64_t BytesFromE0(uint64_t word) {
  return word & (word << 1) & (word << 2) & kHighBits;
}

// The high bit of each byte of `word` that is an ASCII letter or 0x80-0xFE (any byte of a
// multi-byte UTF-8 character; 0xFF never is one). On the low seven bits, x = b | 0x20 is a
// lower-case letter exactly when 0x61 <= x <= 0x7A: x + 0x1F and x + 0x05 reach the high bit
// at those bounds, and neither sum leaves the byte (x <= 0x7F). A byte with its high bit set
// is marked whatever those sums say, unless it is 0xFF.
constexpr uint64_t LetterBytes(uint64_t word) {
  constexpr uint64_t kLow7 = ~kHighBits;
  const uint64_t lower = (word | Repeated(0x20)) & kLow7;
  const uint64_t from_a = (lower + Repeated(0x80 - 0x61)) & kHighBits;
  const uint64_t past_z = (lower + Repeated(0x80 - 0x7B)) & kHighBits;
  return ((from_a & ~past_z) | (word & kHighBits)) & ~BytesEqual(word, 0xFF);
}

// How many bytes a mask of high bits marks (each byte's flag moved to its low bit, then all
// eight summed into the top byte by one multiplication: the baseline x86-64 target has no
// popcount instruction, and std::popcount there is a library call).
constexpr size_t Count(uint64_t high_bits) {
  return static_cast<size_t>(((high_bits >> 7) * kOnes) >> 56);
}

}  // namespace crmaudit::byte_words
