// DigitAutomaton: a few regular expressions over ASCII digits compiled into one DFA that says,
// by one table step per byte, which of them match the whole of a text.
//
// libphonenumber's national-number patterns are regular expressions over digits alone: digit
// literals, \d, classes of digits and digit ranges, groups, alternation and repeats. The phone
// validator asks "does the whole number match the general pattern, and which number types?"
// for every phone candidate; RE2 answers with a call of about a thousand instructions whatever
// the ten digits it reads, this with about four per digit.
//
// Contract:
//  - Compile understands exactly that syntax (digits, \d, [..] of digits, \d and digit ranges,
//    (..), (?:..), |, ?, *, +, {n}, {n,}, {n,m}, a lazy '?' after a repeat). For anything else
//    (another escape, '.', anchors, flags, a negated class, named groups) or a DFA of more than
//    kMaxStates states it returns nullopt, and the caller keeps RE2;
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

namespace crmaudit::validators {

class DigitAutomaton {
 public:
  static constexpr size_t kMaxPatterns = 64;
  static constexpr size_t kMaxStates = 20000;

  static std::optional<DigitAutomaton> Compile(std::span<const std::string> patterns);

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

 private:
  static constexpr uint32_t kDead = 0;

  uint32_t start_ = kDead;
  std::vector<uint32_t> next_;     // state * 10 + digit -> state; kDead has no way out
  std::vector<uint64_t> accepts_;  // per state: the patterns a text ending there matches
};

}  // namespace crmaudit::validators
