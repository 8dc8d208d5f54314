// DigitTextHits against RE2::Set: for texts of ASCII digits only, the patterns it says hit are
// exactly those RE2 finds hitting, on every set pattern of the shipped packs and on random and
// shaped digit texts (identifiers, timestamps, card and phone numbers, dates). Patterns whose
// behaviour on such texts the syntax does not settle must make it decline.
#include "scanner/detect/digit_text_hits.h"

#include <gtest/gtest.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

namespace fs = std::filesystem;

// Every pattern the matcher's set holds: those of the shipped packs' detectors that are not
// column-only (requires_column_hint without context words).
std::vector<std::string> ShippedSetPatterns() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(CRMAUDIT_SOURCE_DIR) / "policies")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> patterns;
  for (const auto& file : files) {
    for (const DetectorSpec& spec : LoadPolicyPack(file).detectors) {
      if (spec.requires_column_hint && spec.context_words.empty()) continue;
      patterns.insert(patterns.end(), spec.patterns.begin(), spec.patterns.end());
    }
  }
  return patterns;
}

std::string Digits(std::mt19937& random, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out.push_back(static_cast<char>('0' + random() % 10));
  return out;
}

TEST(DigitTextHits, AgreesWithRe2SetOnTheShippedPatterns) {
  const std::vector<std::string> patterns = ShippedSetPatterns();
  ASSERT_GT(patterns.size(), 50u);
  const std::optional<DigitTextHits> hits = DigitTextHits::For(patterns);
  // The shipped packs are read whole: values of digits never need RE2's set pass.
  ASSERT_TRUE(hits.has_value());
  RE2::Options options;
  options.set_log_errors(false);
  RE2::Set set(options, RE2::UNANCHORED);
  for (const std::string& pattern : patterns)
    ASSERT_GE(set.Add("(?m:" + pattern + ")", nullptr), 0);
  ASSERT_TRUE(set.Compile());

  std::mt19937 random(1511);
  std::vector<std::string> texts;
  for (size_t length = 1; length <= 26; ++length) {
    for (int k = 0; k < 300; ++k) texts.push_back(Digits(random, length));
  }
  // Shapes the packs' patterns branch on: their leading digits and lengths.
  for (const char* start :
       {"1", "13", "19", "20", "62", "4", "5", "00", "0", "86", "9", "2", "12"}) {
    for (size_t length : {8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}) {
      for (int k = 0; k < 20; ++k) {
        std::string text = start + Digits(random, length);
        texts.push_back(text.substr(0, std::max(length, std::string(start).size())));
      }
    }
  }
  int compared = 0, hit = 0;
  std::vector<int> expected, found;
  for (const std::string& text : texts) {
    expected.clear();
    found.clear();
    set.Match(text, &expected);
    std::sort(expected.begin(), expected.end());
    hits->Find(text, &found);
    ASSERT_EQ(found, expected) << "a text of " << text.size() << " digits";  // no digits shown
    ++compared;
    hit += expected.empty() ? 0 : 1;
  }
  EXPECT_GT(compared, 9000);
  EXPECT_GT(hit, 3000);  // the comparison covers texts that hit, not only "nothing"
}

TEST(DigitTextHits, DeclinesPatternsWhoseDigitHitsTheSyntaxDoesNotSettle) {
  const std::vector<std::string> bounded = {
      "(?:^|[^0-9])(?P<value>[0-9]{4})(?:$|[^0-9])",  // hits a digit text wholly, or not
      "[a-z]+@[0-9]+",                                // never hits one
  };
  const auto accepted = DigitTextHits::For(bounded);
  ASSERT_TRUE(accepted.has_value());
  std::vector<int> found;
  accepted->Find("1234", &found);
  EXPECT_EQ(found, std::vector<int>{0});
  found.clear();
  accepted->Find("12345", &found);
  EXPECT_TRUE(found.empty());
  for (const char* unsettled : {
           "[0-9]{3}",                                           // hits anywhere in the text
           "\\b[0-9]{4}\\b",                                     // an anchor inside
           "(?:^|[^0-9])(?P<value>[0-9]{4})",                    // no suffix: a prefix of the text
           "(?:^|[^A-Z])(?P<value>[0-9]{4})(?:$|[^0-9])",        // its prefix may be a digit
           "(?:^|[^0-9])(?P<value>[0-9]{4}\\p{N})(?:$|[^0-9])",  // a property not placed
       }) {
    const std::vector<std::string> patterns = {bounded[0], unsettled};
    EXPECT_FALSE(DigitTextHits::For(patterns).has_value()) << unsettled;
  }
}

}  // namespace
}  // namespace crmaudit
