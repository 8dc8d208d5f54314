// DigitAutomaton against RE2: for every text, bit i is set exactly when RE2::FullMatch says
// patterns[i] matches the whole text. Checked exhaustively on short texts for patterns written
// to hit each construct (and the ways repeats nest), and on every pattern of libphonenumber's
// metadata with its example numbers, their near misses and random digits of its lengths.
#include "scanner/detect/digit_automaton.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "phonenumbers/phonemetadata.pb.h"
#include "scanner/detect/validators/phone_metadata.h"

namespace crmaudit::validators {
namespace {

// The automaton's answer and RE2's, pattern by pattern; returns how many matches RE2 found.
int ExpectSameAsRe2(const DigitAutomaton& automaton,
                    const std::vector<std::unique_ptr<RE2>>& regexes, const std::string& text,
                    const std::string& where) {
  const uint64_t bits = automaton.Matches(text);
  int matched = 0;
  for (size_t i = 0; i < regexes.size(); ++i) {
    const bool re2 = RE2::FullMatch(text, *regexes[i]);
    matched += re2 ? 1 : 0;
    EXPECT_EQ(((bits >> i) & 1) != 0, re2)
        << where << ": pattern " << regexes[i]->pattern() << ", text \"" << text << "\"";
  }
  return matched;
}

std::vector<std::unique_ptr<RE2>> CompileAll(const std::vector<std::string>& patterns) {
  std::vector<std::unique_ptr<RE2>> regexes;
  for (const std::string& pattern : patterns) {
    regexes.push_back(std::make_unique<RE2>(pattern));
    EXPECT_TRUE(regexes.back()->ok()) << pattern;
  }
  return regexes;
}

TEST(DigitAutomaton, AgreesWithRe2OnEveryTextOfUpToFiveDigits) {
  const std::vector<std::string> patterns = {
      "1",
      "\\d{2,4}",
      "(?:1|23)*4",
      "[2-9]\\d?",
      "(?:(?:0|1)?2){2}",
      "1{0}5",
      "(?:)",
      "[\\d]0",
      "[13-5]+",
      "\\d*?",
      "(1|)(2|)",
      "9{2,}",
      "(?:0[1-9]|[2-8]\\d)\\d{1,2}",
      "(?:1(?:2(?:3|4{1,2})?)?)+",
      "[0-25-7]{3}",
      "(?:12|1)(?:23|3)",
      "(?:\\d{2})?\\d??",
  };
  const auto automaton = DigitAutomaton::Compile(patterns);
  ASSERT_TRUE(automaton.has_value());
  const auto regexes = CompileAll(patterns);
  int matches = 0;
  std::string text;
  // Every text of 0 to 5 digits: 111,111 of them.
  for (size_t length = 0; length <= 5; ++length) {
    text.assign(length, '0');
    while (true) {
      matches += ExpectSameAsRe2(*automaton, regexes, text, "short texts");
      size_t i = length;
      while (i > 0 && text[i - 1] == '9') text[--i] = '0';
      if (i == 0) break;
      ++text[i - 1];
    }
  }
  EXPECT_GT(matches, 50000);  // the patterns do match: this compares more than "no"
}

TEST(DigitAutomaton, TextsWithAnythingButDigitsMatchNothing) {
  const std::vector<std::string> patterns = {"\\d*", "12"};
  const auto automaton = DigitAutomaton::Compile(patterns);
  ASSERT_TRUE(automaton.has_value());
  EXPECT_EQ(automaton->Matches("12"), 3u);
  EXPECT_EQ(automaton->Matches(""), 1u);
  for (const char* text : {"1 2", "12\n", "+12", "1a", "\xEF\xBC\x91", "x"}) {
    EXPECT_EQ(automaton->Matches(text), 0u) << text;
  }
}

TEST(DigitAutomaton, AnyOtherSyntaxIsLeftToRe2) {
  for (const char* pattern :
       {"a",     "1.",       "^1",  "1$",      "[^1]",    "\\1",   "\\D",   "\\s",
        "(?i)1", "(?P<x>1)", "1**", "1{2}{3}", "1{2",     "1{,2}", "[a-z]", "[]",
        "[1-]",  "[9-1]",    "(1",  "1)",      "1{1001}", "\\x31"}) {
    EXPECT_FALSE(DigitAutomaton::Compile(std::vector<std::string>{pattern}).has_value()) << pattern;
  }
  // One pattern it does not know leaves the whole set to RE2.
  EXPECT_FALSE(DigitAutomaton::Compile(std::vector<std::string>{"12", "1."}).has_value());
  EXPECT_FALSE(DigitAutomaton::Compile(std::vector<std::string>(65, "1")).has_value());
  // A DFA past kMaxStates: the n-th digit from the end must be a 1 ((?:0|1)*1(?:0|1){n-1}
  // needs 2^n states).
  EXPECT_FALSE(DigitAutomaton::Compile(std::vector<std::string>{"[01]*1[01]{15}"}).has_value());
  EXPECT_TRUE(DigitAutomaton::Compile(std::vector<std::string>{"[01]*1[01]{5}"}).has_value());
  // A pack's pattern is arbitrary text: one whose DFA takes too long to build is left to RE2
  // (a thousand optional digits: every state's closure holds thousands of NFA states).
  EXPECT_FALSE(
      DigitAutomaton::Compile(std::vector<std::string>{"(?:[0-9]?){1000}[0-9]{1000}"}).has_value());
}

// Every text of 0 to 4 digits against RE2 for `patterns` read as kAsciiDigitProjection.
void ExpectProjectionAgreesWithRe2(const std::vector<std::string>& patterns) {
  const auto automaton =
      DigitAutomaton::Compile(patterns, DigitAutomaton::Syntax::kAsciiDigitProjection);
  ASSERT_TRUE(automaton.has_value());
  const auto regexes = CompileAll(patterns);
  std::string text;
  for (size_t length = 0; length <= 4; ++length) {
    text.assign(length, '0');
    while (true) {
      ExpectSameAsRe2(*automaton, regexes, text, "projection");
      size_t i = length;
      while (i > 0 && text[i - 1] == '9') text[--i] = '0';
      if (i == 0) break;
      ++text[i - 1];
    }
  }
}

// Read as a projection, any RE2 pattern keeps what it matches of ASCII digits: letters,
// punctuation, characters outside ASCII and classes of them match none; negated classes,
// class escapes, POSIX classes, properties, \x codes, flags and named groups are read as RE2
// reads them.
TEST(DigitAutomaton, AProjectionMatchesTheDigitTextsRe2Matches) {
  ExpectProjectionAgreesWithRe2({
      "(?:\\+|＋|00)[1-9１-９](?:[ .()/-]{0,2}[0-9０-９]){1,2}",
      "[0-9A-Za-z]{3}",
      "[^0-9A-Za-z]",
      "[^5]{2}",
      "\\p{L}\\d|\\pL",
      "[\\p{Han}\\d]{2}",
      ".\\w\\S",
      "(?i:ab|1)2",
      "(?i)1|2",
      "(?P<value>12|3)4?",
      "[\\x{30}-\\x{32}]+",
      "\\x35\\x{36}",
      "[:\\]]|[]1]",
      "[[:digit:]]{2}|[[:alpha:]7]",
      "e|é|3|\\.|\\-4",
      "[!-~]",
      "\\s|\\D|\\W|\\n",
      "[\\s\\D\\w]",
  });
  for (const char* refused : {"^1", "1$", "\\b1", "\\P{L}", "\\p{N}", "\\Q1\\E", "\\1", "[\\P{L}]",
                              "[[:foo:]]", "(?<x>1)", "(?=1)", "\\pN"}) {
    EXPECT_FALSE(DigitAutomaton::Compile(std::vector<std::string>{refused},
                                         DigitAutomaton::Syntax::kAsciiDigitProjection)
                     .has_value())
        << refused;
  }
}

// With anchors read as matching the empty text, a pattern that needs a letter, a mark or a
// character outside ASCII matches no text of digits; one that can match digits does.
TEST(DigitAutomaton, AProjectionTellsPatternsThatNeverMatchDigits) {
  auto never = [](const std::string& pattern) {
    const auto automaton = DigitAutomaton::Compile(
        std::vector<std::string>{pattern}, DigitAutomaton::Syntax::kAsciiDigitProjection, true);
    EXPECT_TRUE(automaton.has_value()) << pattern;
    return automaton && automaton->MatchesNothing();
  };
  EXPECT_TRUE(never("\\p{L}+"));
  EXPECT_TRUE(never("[A-Z]{2}[0-9]{2}"));
  EXPECT_TRUE(never("(?i)\\b(?:diabetes|hiv(?:[ -]positive)?)\\b"));
  EXPECT_TRUE(never("^\\p{L}[\\p{L}\\p{M}'’.-]*(?:,? \\p{L}[\\p{L}\\p{M}'’.-]*)*$"));
  EXPECT_TRUE(never("[0-9]+@[0-9]+"));
  EXPECT_TRUE(never("(?:^|[^0-9])(?P<value>[12][0-9]{3}年[0-9]{1,2}月)"));
  EXPECT_FALSE(never("\\b[0-9]{3}\\b"));
  EXPECT_FALSE(never("^.*$"));
  EXPECT_FALSE(never("(?:^|[^0-9])(?P<value>[0-9]{9})(?:$|[^0-9])"));
  EXPECT_FALSE(never("x?"));  // the empty text
}

// Every region of libphonenumber's metadata: its general pattern and every number type's in one
// automaton, as the phone validator compiles them, compared with RE2 on the example numbers,
// each with every digit changed, cut short and made longer, and on random digits of every
// length the region's numbers have.
TEST(DigitAutomaton, AgreesWithRe2OnEveryRegionsPhoneNumberPatterns) {
  i18n::phonenumbers::PhoneMetadataCollection collection;
  ASSERT_TRUE(collection.ParseFromArray(i18n::phonenumbers::metadata_get(),
                                        i18n::phonenumbers::metadata_size()));
  std::mt19937 random(7);
  int regions = 0, compiled = 0, texts = 0, matches = 0;
  size_t most_states = 0;
  for (const auto& metadata : collection.metadata()) {
    ++regions;
    std::vector<const i18n::phonenumbers::PhoneNumberDesc*> descs = {
        &metadata.general_desc(),    &metadata.fixed_line(),
        &metadata.mobile(),          &metadata.toll_free(),
        &metadata.premium_rate(),    &metadata.shared_cost(),
        &metadata.personal_number(), &metadata.voip(),
        &metadata.pager(),           &metadata.uan(),
        &metadata.voicemail()};
    std::vector<std::string> patterns;
    std::vector<std::string> examples;
    std::vector<int> lengths;
    for (const auto* desc : descs) {
      if (!desc->has_national_number_pattern()) continue;
      patterns.push_back(desc->national_number_pattern());
      if (desc->has_example_number()) examples.push_back(desc->example_number());
      for (int length : desc->possible_length()) {
        if (length > 0) lengths.push_back(length);
      }
    }
    if (patterns.empty()) continue;
    const auto automaton = DigitAutomaton::Compile(patterns);
    if (!automaton) continue;
    ++compiled;
    most_states = std::max(most_states, automaton->states());
    const auto regexes = CompileAll(patterns);
    auto check = [&](const std::string& text) {
      ++texts;
      matches += ExpectSameAsRe2(*automaton, regexes, text, metadata.id());
    };
    for (const std::string& example : examples) {
      check(example);
      check(example.substr(0, example.size() - 1));
      check(example + "0");
      check(example + "9");
      for (size_t i = 0; i < example.size(); ++i) {
        std::string changed = example;
        changed[i] = static_cast<char>('0' + (changed[i] - '0' + 1 + random() % 9) % 10);
        check(changed);
      }
    }
    for (int length : lengths) {
      for (int k = 0; k < 20; ++k) {
        std::string digits;
        // Half of them open like an example, where the patterns branch most.
        if (k % 2 == 0 && !examples.empty()) {
          digits = examples[random() % examples.size()].substr(0, 1 + random() % 3);
        }
        while (digits.size() < static_cast<size_t>(length)) {
          digits.push_back(static_cast<char>('0' + random() % 10));
        }
        check(digits.substr(0, static_cast<size_t>(length)));
      }
    }
  }
  // Nearly every region gets the automaton (the phone validator keeps RE2 for the rest).
  EXPECT_GT(regions, 240);
  EXPECT_GE(compiled, regions * 95 / 100) << compiled << " of " << regions;
  EXPECT_GT(texts, 40000);
  EXPECT_GT(matches, 20000);
  RecordProperty("regions", regions);
  RecordProperty("compiled", compiled);
  RecordProperty("most_states", static_cast<int>(most_states));
  std::printf("%d of %d regions compiled, at most %zu states; %d texts, %d matches\n", compiled,
              regions, most_states, texts, matches);
}

}  // namespace
}  // namespace crmaudit::validators
