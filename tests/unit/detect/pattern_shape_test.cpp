// Reading a detector pattern's shape: the value group split and the whole-text anchors. A wrong
// answer here would make the matcher's shortcuts change results, so every unclear shape must
// disable them.
#include "scanner/detect/pattern_shape.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "scanner/model/utf8.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

TEST(PatternShapeTest, SplitsATopLevelValueGroup) {
  const auto split = SplitValueGroup(R"((?:^|[^0-9])(?P<value>[0-9]{12,19})(?:$|[^0-9]))");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->prefix, "(?:^|[^0-9])");
  EXPECT_EQ(split->core, "[0-9]{12,19}");
  EXPECT_EQ(split->suffix, "(?:$|[^0-9])");
}

TEST(PatternShapeTest, ParenthesesInClassesAndEscapesDoNotCount) {
  const auto split = SplitValueGroup(R"([(\]](?P<value>\(?[0-9]{3}\)[)[:digit:]]+)\))");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->prefix, R"([(\]])");
  EXPECT_EQ(split->core, R"(\(?[0-9]{3}\)[)[:digit:]]+)");
  EXPECT_EQ(split->suffix, R"(\))");
  // A leading ']' in a class is a literal, not its end.
  const auto literal = SplitValueGroup(R"([])](?P<value>x))");
  ASSERT_TRUE(literal.has_value());
  EXPECT_EQ(literal->core, "x");
}

TEST(PatternShapeTest, GivesUpOnShapesItCannotSplitSoundly) {
  EXPECT_FALSE(SplitValueGroup("a|(?P<value>b)"));                 // top-level alternation
  EXPECT_FALSE(SplitValueGroup("(?i)(?P<value>ab)"));              // flags reach the core
  EXPECT_FALSE(SplitValueGroup("(?:x(?P<value>b))"));              // nested value group
  EXPECT_FALSE(SplitValueGroup(R"(\Q(?P<value>\E(?P<value>b))"));  // \Q literals
  EXPECT_FALSE(SplitValueGroup("(?P<value>a"));                    // unbalanced
  EXPECT_FALSE(SplitValueGroup("[a(?P<value>b)"));                 // unterminated class
  EXPECT_FALSE(SplitValueGroup("[0-9]+"));                         // no value group
  EXPECT_TRUE(SplitValueGroup("(?i:ab)(?P<value>[0-9]+)"));        // scoped flags are fine
}

TEST(PatternShapeTest, WholeValueRegexNeedsBoundariesThatCanMatchNothing) {
  RE2::Options options;
  options.set_log_errors(false);
  const auto bounded = WholeValueRegex(R"((?:^|[^0-9])(?P<value>[0-9]{4})(?:$|[^0-9]))", options);
  ASSERT_NE(bounded, nullptr);
  EXPECT_TRUE(RE2::FullMatch("1234", *bounded));
  EXPECT_FALSE(RE2::FullMatch("x1234", *bounded));
  // The prefix must match text: the whole value can never be the candidate.
  EXPECT_EQ(WholeValueRegex(R"(card:(?P<value>[0-9]{4}))", options), nullptr);
  // The suffix needs a character after the value.
  EXPECT_EQ(WholeValueRegex(R"((?P<value>[0-9]{4})[^0-9])", options), nullptr);
  // A word boundary's truth at the edge depends on the value: not trusted.
  EXPECT_EQ(WholeValueRegex(R"(\b(?P<value>[0-9]{4})\b)", options), nullptr);
}

TEST(PatternShapeTest, PatternsAnchoredToTheWholeTextAreRecognised) {
  EXPECT_TRUE(NeedsWholeText(R"(\A[0-9]+)"));
  EXPECT_TRUE(NeedsWholeText(R"([0-9]+\z)"));
  EXPECT_TRUE(NeedsWholeText("(?-m)^x$"));
  EXPECT_TRUE(NeedsWholeText("(?i-m:^x$)"));
  EXPECT_TRUE(NeedsWholeText(R"(key=\C+)"));  // any byte: the separator of joined values too
  EXPECT_FALSE(NeedsWholeText("(?:^|[^0-9])(?P<value>[0-9]+)(?:$|[^0-9])"));
  EXPECT_FALSE(NeedsWholeText(R"(\\A)"));  // an escaped backslash, then a literal A
  EXPECT_FALSE(NeedsWholeText("(?i)e-mail"));
  // A named group whose class holds '-' and 'm' is no flag group.
  EXPECT_FALSE(NeedsWholeText("(?P<value>[A-Za-z]{6}[0-9LMNlmn]{2})"));
  EXPECT_FALSE(NeedsWholeText("(?:^|[^0-9])(?P<value>[a-m-]+)"));
}

TEST(PatternShapeTest, PatternsThatMatchOnlyAWholeValueAreRecognised) {
  // person-name's and postal-address's shapes.
  EXPECT_TRUE(
      MatchesOnlyWholeText(R"(^\p{L}[\p{L}\p{M}'’.-]*(?:,? \p{L}[\p{L}\p{M}'’.-]*){0,5}$)"));
  EXPECT_TRUE(MatchesOnlyWholeText(R"(^\p{Han}[\p{Han}·•]{1,11}$)"));
  EXPECT_TRUE(MatchesOnlyWholeText(R"((?s)^(?:[0-9]{1,5} |.*\n[0-9]{1,5} )\p{L}{2}.*$)"));
  EXPECT_TRUE(MatchesOnlyWholeText(R"((?is)^(?:a|b)[$]?x$)"));
  // An alternation at the top level, a missing anchor, an escaped or quantified one: no.
  EXPECT_FALSE(MatchesOnlyWholeText("^AB[0-9]+|[0-9]+CD$"));
  EXPECT_FALSE(MatchesOnlyWholeText("^[0-9]+"));
  EXPECT_FALSE(MatchesOnlyWholeText("[0-9]+$"));
  EXPECT_FALSE(MatchesOnlyWholeText(R"(^[0-9]+\$)"));
  EXPECT_FALSE(MatchesOnlyWholeText("^[0-9]+[$]"));
  EXPECT_FALSE(MatchesOnlyWholeText("^[0-9]+$?"));
  EXPECT_FALSE(MatchesOnlyWholeText(R"(\^[0-9]+$)"));
  EXPECT_FALSE(MatchesOnlyWholeText("(?:^|x)[0-9]+$"));
  // Multi-line mode anywhere makes ^ and $ hold at line breaks inside a value.
  EXPECT_FALSE(MatchesOnlyWholeText("(?m)^[0-9]+$"));
  EXPECT_FALSE(MatchesOnlyWholeText("^[0-9]+(?m:$)"));
  EXPECT_FALSE(MatchesOnlyWholeText("^[0-9]+(?im)$"));
  EXPECT_FALSE(MatchesOnlyWholeText(R"(^[0-9]+\Q$\E)"));
}

// DigitBounded lets the matcher skip the candidate search in a value of ASCII digits only; a
// boundary that a digit could satisfy (or any shape it does not know) must say false.
TEST(PatternShapeTest, DigitBoundedNeedsNonDigitBoundariesOfTheKnownShape) {
  EXPECT_TRUE(DigitBounded(R"((?:^|[^0-9])(?P<value>[0-9]{12,19})(?:$|[^0-9]))"));
  EXPECT_TRUE(
      DigitBounded(R"((?:^|[^0-9A-Za-z])(?P<value>[0-9]{4}[ -][0-9]{4})(?:$|[^0-9A-Za-z]))"));
  EXPECT_TRUE(
      DigitBounded("(?:^|[^0-9A-Za-z+＋０-９])(?P<value>[0-9０-９]{7,15})(?:$|[^0-9A-Za-z０-９])"));
  EXPECT_TRUE(DigitBounded(R"((?:^|[^A-Z0-9])(?P<value>[0-9]{9})(?:$|[^0-9-]))"));
  // A digit may stand before or after the candidate:
  EXPECT_FALSE(DigitBounded(R"((?:^|[^A-Za-z])(?P<value>[0-9]{16})(?:$|[^A-Za-z]))"));
  EXPECT_FALSE(DigitBounded(R"((?:^|[^1-9])(?P<value>[0-9]{9})(?:$|[^0-9]))"));
  EXPECT_FALSE(DigitBounded(R"((?:^|[^0-9])(?P<value>[0-9]{9})(?:$|[^1-9]))"));
  EXPECT_FALSE(DigitBounded(R"((?:^|[^x-0-9])(?P<value>[0-9]{9})(?:$|[^0-9]))"));
  EXPECT_FALSE(DigitBounded(R"((?:^|[0-9])(?P<value>[0-9]{9})(?:$|[^0-9]))"));
  EXPECT_FALSE(DigitBounded(R"((?P<value>4[0-9]{15}))"));
  EXPECT_FALSE(DigitBounded(R"((?:^|[^0-9])(?P<value>[0-9]{9}))"));
  // Shapes it does not read: escapes, another alternative, a flag, no value group.
  EXPECT_FALSE(DigitBounded(R"((?:^|[^\d])(?P<value>[0-9]{9})(?:$|[^0-9]))"));
  EXPECT_FALSE(DigitBounded(R"((?:^|[^0-9\s])(?P<value>[0-9]{9})(?:$|[^0-9]))"));
  EXPECT_FALSE(DigitBounded(R"((?:^|[^0-9])(?P<value>[0-9]{9})(?:$|[^0-9]|\.[0-9]))"));
  EXPECT_FALSE(DigitBounded(R"((?i)(?:^|[^0-9])(?P<value>[0-9]{9})(?:$|[^0-9]))"));
  EXPECT_FALSE(DigitBounded(R"((?:^|[^0-9])[0-9]{9}(?:$|[^0-9]))"));
}

ByteSet Bytes(std::string_view members) {
  ByteSet bytes;
  for (char c : members) bytes.set(static_cast<unsigned char>(c));
  return bytes;
}

// A '|' splits a pattern only outside groups, classes (POSIX classes and a leading ']'
// included) and escapes; parentheses that do not balance are not split at all.
TEST(PatternShapeTest, TopLevelAlternativesSplitOnlyOutsideGroupsClassesAndEscapes) {
  using Parts = std::vector<std::string_view>;
  EXPECT_EQ(TopLevelAlternatives("^|[^0-9]"), (Parts{"^", "[^0-9]"}));
  EXPECT_EQ(TopLevelAlternatives("a(b|c)|d\\|e"), (Parts{"a(b|c)", "d\\|e"}));
  EXPECT_EQ(TopLevelAlternatives("[|]|[]|]|[[:alpha:]|]"), (Parts{"[|]", "[]|]", "[[:alpha:]|]"}));
  EXPECT_EQ(TopLevelAlternatives(""), (Parts{""}));
  EXPECT_EQ(TopLevelAlternatives("a||b"), (Parts{"a", "", "b"}));
  for (const char* unsettled : {"a)(b", "(a|b", "[a|b", "a|b\\", "\\(|a)"}) {
    EXPECT_FALSE(TopLevelAlternatives(unsettled).has_value()) << unsettled;
  }
}

TEST(PatternShapeTest, RequiredBytesComeFromAnElementTheCoreCannotMatchWithout) {
  const ByteSet digits = Bytes("0123456789");
  EXPECT_EQ(RequiredBytes(R"((?:^|[^0-9])(?P<value>[0-9]{9})(?:$|[^0-9]))"), digits);
  // A full-width digit is a character whose UTF-8 opens with 0xEF: that byte stands for it.
  ByteSet nonzero_or_wide = Bytes("123456789");
  nonzero_or_wide.set(0xEF);
  EXPECT_EQ(RequiredBytes("(?:^|[^0-9A-Za-z+＋０-９])(?P<value>(?:\\+|＋|00)[1-9１-９](?:[ .()/-]"
                          "{0,2}[0-9０-９]){6,16})(?:$|[^0-9０-９])"),
            nonzero_or_wide);
  // Of two needed elements the narrower is taken; an escaped punctuation mark is a literal.
  EXPECT_EQ(RequiredBytes("(?P<value>[a-z]+@[a-z]+)"), Bytes("@"));
  EXPECT_EQ(RequiredBytes(R"((?P<value>[0-9]{3}\.[0-9]{3}))"), Bytes("."));
  EXPECT_EQ(RequiredBytes("(?P<value>[a-z]+年[0-9]+)"), ByteSet().set(0xE5));  // 年: E5 B9 B4
  // Alternatives: each needs one of its own, so the union is needed.
  EXPECT_EQ(RequiredBytes("(?P<value>[0-9]{9}|ab|x{2,})"), digits | Bytes("ax"));
  // Elements that may be absent do not count.
  EXPECT_EQ(RequiredBytes("(?P<value>x?y*z{0,3}w{0}[0-9]{1,2}?)"), digits);
  EXPECT_FALSE(RequiredBytes("(?P<value>x?[0-9]*)"));
  EXPECT_FALSE(RequiredBytes("(?P<value>[0-9]+|x?)"));  // one alternative needs nothing
}

TEST(PatternShapeTest, RequiredBytesAreNotReadFromShapesItDoesNotUnderstand) {
  EXPECT_FALSE(RequiredBytes("[0-9]{9}"));  // no value group
  EXPECT_FALSE(RequiredBytes(R"((?P<value>\d{9}))"));
  EXPECT_FALSE(RequiredBytes(R"((?P<value>\p{L}+))"));
  EXPECT_FALSE(RequiredBytes(R"((?P<value>\x{41}+))"));
  EXPECT_FALSE(RequiredBytes(R"((?P<value>\123))"));  // octal: the character "S", not "2"
  EXPECT_FALSE(RequiredBytes("(?P<value>[^a]+)"));
  EXPECT_FALSE(RequiredBytes("(?P<value>[[:digit:]]+)"));
  EXPECT_FALSE(RequiredBytes(R"((?P<value>[\d.]+))"));
  EXPECT_FALSE(RequiredBytes("(?P<value>(?:ab)+)"));  // groups are passed over
  EXPECT_FALSE(RequiredBytes("(?P<value>.+)"));
  EXPECT_FALSE(RequiredBytes("(?P<value>a{x})"));
  EXPECT_FALSE(RequiredBytes("(?i)(?P<value>a)"));  // the flag reaches the core
  EXPECT_FALSE(RequiredBytes("(?P<value>[9-0])"));
  // A group passed over leaves the element after it.
  EXPECT_EQ(RequiredBytes(R"((?P<value>(?:\+|00)?[0-9]{6}))"), Bytes("0123456789"));
}

// Every shipped pattern whose required bytes are known: each example it matches holds one of
// them, and the example with every character that opens with one of them replaced matches no
// more. A wrong set would make the matcher stop searching a value that holds a candidate.
TEST(PatternShapeTest, ShippedPatternsMatchNothingWithoutTheirRequiredBytes) {
  namespace fs = std::filesystem;
  int checked = 0, with_bytes = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(CRMAUDIT_SOURCE_DIR) / "policies")) {
    if (entry.path().extension() != ".json") continue;
    const PolicyPack pack = LoadPolicyPack(entry.path());
    for (const DetectorSpec& spec : pack.detectors) {
      for (const std::string& source : spec.patterns) {
        const std::optional<ByteSet> required = RequiredBytes(source);
        if (!required) continue;
        ++with_bytes;
        const RE2 regex(source);
        ASSERT_TRUE(regex.ok()) << source;
        std::vector<std::string> texts = spec.examples_match;
        texts.insert(texts.end(), spec.examples_no_match.begin(), spec.examples_no_match.end());
        for (const std::string& text : texts) {
          if (!RE2::PartialMatch(text, regex)) continue;
          ++checked;
          EXPECT_TRUE(
              std::any_of(text.begin(), text.end(),
                          [&](char c) { return (*required)[static_cast<unsigned char>(c)]; }))
              << spec.id << ": " << text;
          for (const char* filler : {"x", " ", "-", "a"}) {
            if ((*required)[static_cast<unsigned char>(*filler)]) continue;
            std::string without;
            for (size_t i = 0; i < text.size();) {
              const auto lead = static_cast<unsigned char>(text[i]);
              const size_t length = std::max<size_t>(Utf8SequenceLength(text, i), 1);
              if ((*required)[lead]) {
                without += filler;
              } else {
                without.append(text, i, length);
              }
              i += length;
            }
            EXPECT_FALSE(RE2::PartialMatch(without, regex)) << spec.id << ": " << without;
          }
        }
      }
    }
  }
  // 52 of the 79 shipped patterns (the digit runs among them) have required bytes, and 236 of
  // their examples match: a change that stops reading them shows here.
  EXPECT_GE(with_bytes, 45);
  EXPECT_GE(checked, 200);
}

// Patterns a pack author might write, built at random from literals (ASCII and CJK), classes
// with ASCII and full-width ranges, escapes that stand for classes, groups, alternatives and
// quantifiers: for each whose required bytes are known, texts made of the same characters never
// match once they hold none of those bytes, and some texts that hold them do match (so the check
// is not vacuous).
TEST(PatternShapeTest, RandomPatternsMatchNothingWithoutTheirRequiredBytes) {
  std::mt19937 random(20261201);
  const std::vector<std::string> atoms = {
      "a",        "b",          "7",          "-",     "\\.",  "年",     "[0-9]",
      "[a-c]",    "[0-9０-９]", "[1-9１-９]", "[ .-]", "\\d",  "\\p{L}", ".",
      "(?:ab|7)", "(?:\\+|00)", "[x年]",      "\\101", "\\x41"};
  const std::vector<std::string> quantifiers = {"", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,3}"};
  const std::vector<std::string> characters = {"a", "b",  "c", "7",  "0", "9",  "-", ".", " ",
                                               "+", "年", "x", "５", "Z", "１", "A", "1"};
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(random)];
  };
  int known = 0, matched_with = 0;
  for (int round = 0; round < 400; ++round) {
    std::string core;
    const int alternatives = std::uniform_int_distribution<int>(1, 2)(random);
    for (int a = 0; a < alternatives; ++a) {
      if (a > 0) core += "|";
      const int elements = std::uniform_int_distribution<int>(1, 4)(random);
      for (int e = 0; e < elements; ++e) core += pick(atoms) + pick(quantifiers);
    }
    const std::string pattern = "(?:^|[^0-9])(?P<value>" + core + ")(?:$|[^0-9])";
    const RE2 regex(pattern);
    if (!regex.ok()) continue;
    const std::optional<ByteSet> required = RequiredBytes(pattern);
    if (!required) continue;
    ++known;
    for (int t = 0; t < 200; ++t) {
      std::string text;
      const int length = std::uniform_int_distribution<int>(0, 8)(random);
      for (int k = 0; k < length; ++k) text += pick(characters);
      const bool holds = std::any_of(text.begin(), text.end(), [&](char c) {
        return (*required)[static_cast<unsigned char>(c)];
      });
      const bool matches = RE2::PartialMatch(text, regex);
      if (!holds) {
        EXPECT_FALSE(matches) << pattern << " on " << text;
      }
      if (holds && matches) ++matched_with;
    }
  }
  // 254 of the 400 patterns have required bytes here, and 7,394 of their texts match.
  EXPECT_GE(known, 200);
  EXPECT_GE(matched_with, 5000);
}

}  // namespace
}  // namespace crmaudit
