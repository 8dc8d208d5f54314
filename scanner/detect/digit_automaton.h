// DigitAutomaton: a few regular expressions over ASCII digits compiled into one DFA that says,
// by one table step per byte, which of them match the whole of a text.
//
// libphonenumber's national-number patterns are regular expressions over digits alone: digit
// literals, \d, classes of digits and digit ranges, groups, alternation and repeats. The phone
// validator asks "does the whole number match the general pattern, and which number types?"
// for every phone candidate; RE2 answers with a call of about a thousand instructions whatever
// the ten digits it reads, this with about four per digit. The matcher asks the same of detector
// patterns for values of digits only (digit_text_hits.h), reading them as a projection (below).
//
// Contract:
//  - Compile understands exactly that syntax (digits, \d, [..] of digits, \d and digit ranges,
//    (..), (?:..), |, ?, *, +, {n}, {n,}, {n,m}, a lazy '?' after a repeat). For anything else
//    (another escape, '.', anchors, flags, a negated class, named groups), a DFA of more than
//    kMaxStates states or one that takes too long to build it returns nullopt, and the caller
//    keeps RE2;
//  - for a compiled automaton, bit i of Matches(text) is set exactly when RE2::FullMatch(text,
//    patterns[i]) is true (tests/unit/detect/digit_automaton_test.cpp checks it on every
//    pattern of libphonenumber's metadata); a text holding any byte that is not '0'-'9'
//    matches none (no such pattern can match it);
//  - immutable after Compile: Matches may be called from any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crmaudit {

class DigitAutomaton {
 public:
  static constexpr size_t kMaxPatterns = 64;
  static constexpr size_t kMaxStates = 20000;

  // kDigits: the syntax above, nothing else. kAsciiDigitProjection: any RE2 pattern, of which
  // each element keeps what it matches of one ASCII digit (a letter, a punctuation mark, a
  // character outside ASCII or a class of them: nothing; `.`, \w: any digit); then bit i of
  // Matches(text) says exactly whether patterns[i] matches the whole of a text of ASCII digits.
  // Anchors (^ $ \b \B \A \z) are refused there, unless `anchors_match_empty`: then they
  // match the empty text anywhere, so the automaton matches every text of digits the pattern
  // matches and maybe more (enough to prove a pattern never matches one: MatchesNothing).
  // Escapes and properties it cannot place (\P, \Q, octal codes, \p{N}) are refused.
  enum class Syntax { kDigits, kAsciiDigitProjection };

  static std::optional<DigitAutomaton> Compile(std::span<const std::string> patterns,
                                               Syntax syntax = Syntax::kDigits,
                                               bool anchors_match_empty = false);

  // Bit i: patterns[i] matches the whole of `text`.
  uint64_t Matches(std::string_view text) const {
    uint32_t state = start_;
    for (const char c : text) {
      const unsigned digit = static_cast<unsigned char>(c) - static_cast<unsigned>('0');
      if (digit > 9) return 0;
      state = next_[state * 10 + digit];
      if (state == kDead) return 0;
    }
    return accepts_[state];
  }

  size_t states() const { return accepts_.size(); }

  // No text of digits, the empty one included, matches any of the patterns.
  bool MatchesNothing() const {
    for (const uint64_t accepts : accepts_) {
      if (accepts != 0) return false;
    }
    return true;
  }

 private:
  static constexpr uint32_t kDead = 0;

  uint32_t start_ = kDead;
  std::vector<uint32_t> next_;     // state * 10 + digit -> state; kDead has no way out
  std::vector<uint64_t> accepts_;  // per state: the patterns a text ending there matches
};

}  // namespace crmaudit
