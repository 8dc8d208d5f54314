// DigitTextHits: which patterns of a detector set hit a text of ASCII digits only, told without
// RE2.
//
// Identifiers, timestamps, order numbers and card numbers are columns of digits only, and many
// of their values are scanned in full: the set's "which patterns?" pass costs about a thousand
// instructions whatever the thirteen digits it reads. In such a text most patterns cannot hit
// at all (they need a letter, an '@', a character outside ASCII: their projection onto ASCII
// digits matches nothing, digit_automaton.h), and the others are bounded by what a digit cannot
// be — `(?:^|[^0-9])(?P<value>core)(?:$|[^0-9])` — so that they hit exactly when their core
// matches the whole text. One DFA over those cores answers for all of them at once.
//
// Contract:
//  - For builds that succeed (For), Find(text) gives, for every text of ASCII digits only,
//    exactly the indices of the patterns RE2 finds hitting it unanchored, in ascending order
//    (tests/unit/detect/digit_text_hits_test.cpp compares it with RE2::Set on the shipped packs'
//    patterns).
//  - For returns nullopt when one pattern's behaviour on such texts cannot be told from its
//    syntax: its prefix or suffix may consume digits, its core uses syntax the projection refuses,
//    or it could hit without being bounded so. The caller then asks RE2.
//  - Immutable after For: Find may be called from any number of threads.
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/detect/digit_automaton.h"

namespace crmaudit {

class DigitTextHits {
 public:
  static std::optional<DigitTextHits> For(std::span<const std::string> patterns);

  // Appends to *hits the indices of the patterns that hit `digits`, a text of ASCII digits only.
  void Find(std::string_view digits, std::vector<int>* hits) const {
    uint64_t bits = cores_.Matches(digits);
    while (bits != 0) {
      const int bit = std::countr_zero(bits);
      hits->push_back(pattern_of_[static_cast<size_t>(bit)]);
      bits &= bits - 1;
    }
  }

 private:
  explicit DigitTextHits(DigitAutomaton cores, std::vector<int> pattern_of)
      : cores_(std::move(cores)), pattern_of_(std::move(pattern_of)) {}

  DigitAutomaton cores_;         // the cores of the bounded patterns, in pattern order
  std::vector<int> pattern_of_;  // automaton bit -> pattern index
};

}  // namespace crmaudit
