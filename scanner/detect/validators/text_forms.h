// Text forms: the normalisation every validator applies before checking a rule.
//
// Candidates arrive exactly as a pattern matched them, so they may carry full-width forms
// (U+FF01–U+FF5E, common in Chinese exports), the ideographic space, and print separators.
// These helpers turn a candidate into the compact ASCII form a checksum is defined on.
// Validators refuse inputs longer than kMaxCandidateBytes before any copy: no identifier they
// know is that long, and the bound keeps hostile input cheap.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace crmaudit::validators {

inline constexpr size_t kMaxCandidateBytes = 512;

// Rewrites full-width ASCII forms to ASCII and U+3000 to a space; other bytes pass through.
std::string FoldWidth(std::string_view text);

// FoldWidth without a copy for text that has nothing to fold (no byte of a full-width form or
// of U+3000: the common case). The result views `text` or `*storage`.
std::string_view FoldWidthView(std::string_view text, std::string* storage);

// Folds width, then keeps ASCII letters (upper-cased) and digits, skipping any character found
// in `separators`. Returns false when any other character appears or the input is too long.
bool CompactIdentifier(std::string_view text, std::string_view separators, std::string* out);

// Trims ASCII whitespace at both ends.
std::string_view TrimSpaces(std::string_view text);

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool AllDigits(std::string_view text);

// Shannon entropy of the byte distribution, in bits per character: how random a token looks
// (keys and ciphertext score high, words and placeholders low).
double BitsPerCharacter(std::string_view text);

// The value of a run of ASCII digits (at most 18 of them).
long long DigitsValue(std::string_view digits);

}  // namespace crmaudit::validators
