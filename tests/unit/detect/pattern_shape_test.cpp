// Reading a detector pattern's shape: the value group split and the whole-text anchors. A wrong
// answer here would make the matcher's shortcuts change results, so every unclear shape must
// disable them.
#include "scanner/detect/pattern_shape.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace crmaudit
