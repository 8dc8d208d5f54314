// The pack tester: shipped packs pass their own examples; a broken example is named.
#include "scanner/detect/pack_tester.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crmaudit {
namespace {

const std::filesystem::path kFixtures = std::filesystem::path(CRMAUDIT_TEST_FIXTURES) / "policy";
const std::filesystem::path kShippedPacks = std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies";

std::string Describe(const DetectorTestResult& result) {
  std::string text = result.pack + "/" + result.detector + ":";
  for (const auto& failure : result.failures) {
    text += " " + DetectorTestResult::Field(failure) + " \"" + failure.example + "\"";
  }
  return text;
}

TEST(PackTesterTest, EveryShippedPackPassesItsOwnExamples) {
  const auto files = ListPolicyPacks({kShippedPacks});
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    const auto policy = CompiledPolicy::Compile({LoadPolicyPack(file)});
    for (const auto& result : TestPolicyExamples(*policy)) {
      EXPECT_TRUE(result.ok()) << Describe(result);
      EXPECT_GT(result.examples, 0u) << result.detector << " ships without examples";
    }
  }
}

TEST(PackTesterTest, PiiCoreRunsEveryExample) {
  const PolicyPack pack = LoadPolicyPack(kShippedPacks / "pii-core.json");
  size_t expected = 0;
  for (const auto& spec : pack.detectors) {
    expected += spec.examples_match.size() + spec.examples_no_match.size();
  }
  const auto policy = CompiledPolicy::Compile({pack});
  size_t run = 0;
  for (const auto& result : TestPolicyExamples(*policy)) run += result.examples;
  EXPECT_EQ(run, expected);
  EXPECT_GE(run, 40u);
}

TEST(PackTesterTest, BrokenExamplesAreNamedByDetectorAndIndex) {
  const auto policy = CompiledPolicy::Compile({LoadPolicyPack(kFixtures / "broken-examples.json")});
  const auto results = TestPolicyExamples(*policy);
  ASSERT_EQ(results.size(), 2u);

  const DetectorTestResult& broken = results[0];
  EXPECT_EQ(broken.pack, "broken-examples");
  EXPECT_EQ(broken.detector, "fixture-email");
  EXPECT_EQ(broken.examples, 4u);
  EXPECT_FALSE(broken.ok());
  ASSERT_EQ(broken.failures.size(), 2u);
  EXPECT_TRUE(broken.failures[0].expected_match);
  EXPECT_EQ(broken.failures[0].index, 1u);
  EXPECT_EQ(broken.failures[0].example, "not an address at all");
  EXPECT_EQ(DetectorTestResult::Field(broken.failures[0]), "examples.match[1]");
  EXPECT_FALSE(broken.failures[1].expected_match);
  EXPECT_EQ(broken.failures[1].index, 1u);
  EXPECT_EQ(DetectorTestResult::Field(broken.failures[1]), "examples.no_match[1]");

  EXPECT_EQ(results[1].detector, "fixture-good");
  EXPECT_TRUE(results[1].ok()) << Describe(results[1]);
}

TEST(PackTesterTest, NoMatchExamplesRunInAnOrdinaryColumnMatchExamplesInAHintedOne) {
  // A detector that needs a header hint or a context word (min_confidence 95 > validated 90):
  // a bare valid value is a match example in a hinted column and a no_match example elsewhere.
  PolicyPack pack = LoadPolicyPack(kShippedPacks / "pii-core.json");
  pack.detectors.resize(1);
  DetectorSpec& email = pack.detectors[0];
  email.min_confidence = 95;
  email.examples_match = {"jane@example.com"};
  email.examples_no_match = {"jane@example.com", "icon@2x.png"};
  auto results = TestPolicyExamples(*CompiledPolicy::Compile({pack}));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].ok()) << Describe(results[0]);

  // With the context word the same value is reported anywhere: the no_match example fails.
  pack.detectors[0].examples_no_match = {"email: jane@example.com"};
  results = TestPolicyExamples(*CompiledPolicy::Compile({pack}));
  ASSERT_EQ(results[0].failures.size(), 1u);
  EXPECT_FALSE(results[0].failures[0].expected_match);
}

TEST(PackTesterTest, AnExampleOnlyCountsForItsOwnDetector) {
  // A card number is a match for the card detector, never for the IBAN detector beside it:
  // the no_match example must be judged per detector, not "anything matched".
  PolicyPack pack = LoadPolicyPack(kShippedPacks / "pii-core.json");
  for (auto& spec : pack.detectors) {
    if (spec.id == "iban-code") {
      spec.examples_match.clear();
      spec.examples_no_match = {"4111 1111 1111 1111"};
    } else {
      spec.examples_match.clear();
      spec.examples_no_match.clear();
    }
  }
  const auto policy = CompiledPolicy::Compile({pack});
  for (const auto& result : TestPolicyExamples(*policy))
    EXPECT_TRUE(result.ok()) << Describe(result);
}

}  // namespace
}  // namespace crmaudit
