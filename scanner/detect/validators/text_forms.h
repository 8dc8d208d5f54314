// Text forms: the normalisation every validator applies before checking a rule.
//
// Candidates arrive exactly as a pattern matched them, so they may carry full-width forms
// (U+FF01–U+FF5E, common in Chinese exports), the ideographic space, and print separators.
// These helpers turn a candidate into the compact ASCII form a checksum is defined on.
// Validators refuse inputs longer than kMaxCandidateBytes before any copy: no identifier they
// know is that long, and the bound keeps hostile input cheap.
//
// Nothing here allocates: validators run once per pattern match, millions of times in a scan,
// and a heap string per call was a measurable share of its CPU (issue 15). Folded and compact
// forms go into a CandidateText on the caller's stack, which the bound above makes big enough.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

namespace crmaudit::validators {

inline constexpr size_t kMaxCandidateBytes = 512;

// Text of at most kMaxCandidateBytes bytes, held in place: the folded or compact form of one
// candidate. Folding and compacting never lengthen text, so the form of a candidate within the
// bound always fits.
class CandidateText {
 public:
  // Appends `c`; false (and nothing appended) when the text is already kMaxCandidateBytes long.
  bool push_back(char c) {
    if (size_ == bytes_.size()) return false;
    bytes_[size_++] = c;
    return true;
  }
  // Appends `text`; false (and nothing appended) when it would not fit.
  bool append(std::string_view text) {
    if (text.size() > bytes_.size() - size_) return false;
    std::copy(text.begin(), text.end(), bytes_.begin() + static_cast<std::ptrdiff_t>(size_));
    size_ += text.size();
    return true;
  }
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  char operator[](size_t i) const { return bytes_[i]; }
  std::string_view view() const { return {bytes_.data(), size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: reads as the text it holds
  const char* begin() const { return bytes_.data(); }
  const char* end() const { return bytes_.data() + size_; }

 private:
  std::array<char, kMaxCandidateBytes> bytes_;  // only the first size_ bytes are meaningful
  size_t size_ = 0;
};

// Rewrites full-width ASCII forms to ASCII and U+3000 to a space; other bytes pass through.
// Returns `text` itself when it has nothing to fold (no byte of a full-width form or of U+3000:
// the common case), else the folded form written to `*storage`. Text longer than
// kMaxCandidateBytes is returned unfolded: every caller refuses such text first.
std::string_view FoldWidth(std::string_view text, CandidateText* storage);

// Folds width, then keeps ASCII letters (upper-cased) and digits, skipping any character found
// in `separators`. Returns false when any other character appears or the input is too long.
bool CompactIdentifier(std::string_view text, std::string_view separators, CandidateText* out);

// Trims ASCII whitespace at both ends.
std::string_view TrimSpaces(std::string_view text);

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
// A non-empty text of ASCII digits only. Inline: the matcher asks it of every value it scans in
// full.
inline bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Shannon entropy of the byte distribution, in bits per character: how random a token looks
// (keys and ciphertext score high, words and placeholders low).
double BitsPerCharacter(std::string_view text);

// The value of a run of ASCII digits (at most 18 of them).
long long DigitsValue(std::string_view digits);

}  // namespace crmaudit::validators
