// The detector pattern set (CompiledPolicy): compiled once, in multi-line mode, it answers for
// single values too; a value that holds a line break is asked of the patterns as written, so
// results are those of the patterns themselves (compiled_policy.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scanner/detect/compiled_policy.h"

namespace crmaudit {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::shared_ptr<const CompiledPolicy> PiiCore() {
  static const auto policy = CompiledPolicy::Compile(
      {LoadPolicyPack(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json")});
  return policy;
}

// The candidate texts of detector `id` in `value`, scanned in a column named `column`, with or
// without a column state.
std::vector<std::string> Found(const std::string& id, std::string_view value,
                               std::string_view column, ColumnScanState* state = nullptr) {
  const auto policy = PiiCore();
  std::vector<ValueMatch> matches;
  policy->Scan(value, policy->ColumnHints(column), state, &matches);
  std::vector<std::string> found;
  for (const auto& match : matches) {
    if (policy->detectors().at(static_cast<size_t>(match.detector))->id == id) {
      found.emplace_back(value.substr(match.begin, match.end - match.begin));
    }
  }
  return found;
}

// person-name's patterns must match the whole value (^...$): in multi-line mode one line of a
// value would do, and the whole value would be taken for a name.
TEST(PatternSetTest, AWholeValuePatternDoesNotTakeOneLineForTheValue) {
  EXPECT_THAT(Found("person-name", "Anna Schmidt", "name"), ElementsAre("Anna Schmidt"));
  EXPECT_THAT(Found("person-name", "Anna Schmidt\nBerlin", "name"), IsEmpty());
  EXPECT_THAT(Found("person-name", "\nAnna Schmidt", "name"), IsEmpty());
  EXPECT_THAT(Found("person-name", "Anna Schmidt\n", "name"), IsEmpty());
  // The same in a column the matcher has learnt to be names.
  ColumnScanState state;
  for (int i = 0; i < 40; ++i) {
    ASSERT_THAT(Found("person-name", "Anna Schmidt", "name", &state), ElementsAre("Anna Schmidt"));
  }
  EXPECT_THAT(Found("person-name", "Anna Schmidt\nBerlin", "name", &state), IsEmpty());
}

TEST(PatternSetTest, CandidatesInsideMultiLineValuesAreStillFound) {
  EXPECT_THAT(Found("email-address", "line one\nmail anna@example.com\n", "notes"),
              ElementsAre("anna@example.com"));
  EXPECT_THAT(Found("credit-card-number", "card:\n4111 1111 1111 1111\nthanks", "notes"),
              ElementsAre("4111 1111 1111 1111"));
}

}  // namespace
}  // namespace crmaudit
