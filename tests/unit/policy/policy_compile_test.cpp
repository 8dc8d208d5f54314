// Compiling packs: problems only a compiler can see (regex syntax, validator names, ids across
// packs) are still reported as PolicyError naming the pack file and the field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scanner/detect/compiled_policy.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kFixtures = std::filesystem::path(CRMAUDIT_TEST_FIXTURES) / "policy";
const std::filesystem::path kPiiCore =
    std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json";

PolicyError CompileError(std::vector<PolicyPack> packs) {
  try {
    CompiledPolicy::Compile(std::move(packs));
  } catch (const PolicyError& error) {
    return error;
  }
  ADD_FAILURE() << "the packs compiled although they are invalid";
  return PolicyError("", "", "");
}

TEST(PolicyCompileTest, UnknownValidatorNamesFileAndField) {
  const auto file = kFixtures / "unknown-validator.json";
  const PolicyError error = CompileError({LoadPolicyPack(file)});
  EXPECT_EQ(error.file(), file.string());
  EXPECT_EQ(error.field(), "detectors[1].validator");
  EXPECT_THAT(error.what(), HasSubstr("unknown validator \"luhn\""));
  EXPECT_THAT(error.what(), HasSubstr("credit_card"));  // lists the names that do exist
}

TEST(PolicyCompileTest, BadRegexNamesFileAndPattern) {
  const auto file = kFixtures / "bad-regex.json";
  const PolicyError error = CompileError({LoadPolicyPack(file)});
  EXPECT_EQ(error.file(), file.string());
  EXPECT_EQ(error.field(), "detectors[0].patterns[1]");
  EXPECT_THAT(error.what(), HasSubstr("missing )"));
}

TEST(PolicyCompileTest, PatternMatchingEmptyTextIsRejected) {
  PolicyPack pack;
  pack.name = "empty";
  pack.source = "empty.json";
  DetectorSpec spec;
  spec.id = "everything";
  spec.entity = "PERSON_NAME";
  spec.patterns = {"[A-Z]+", "x*"};
  pack.detectors.push_back(spec);
  const PolicyError error = CompileError({pack});
  EXPECT_EQ(error.field(), "detectors[0].patterns[1]");
  EXPECT_THAT(error.what(), HasSubstr("empty string"));
}

TEST(PolicyCompileTest, DuplicateIdsAcrossPacksNameBothFiles) {
  const PolicyError error =
      CompileError({LoadPolicyPack(kPiiCore), LoadPolicyPack(kFixtures / "duplicate-id.json")});
  EXPECT_EQ(error.file(), (kFixtures / "duplicate-id.json").string());
  EXPECT_EQ(error.field(), "detectors[0].id");
  EXPECT_THAT(error.what(), HasSubstr("email-address"));
  EXPECT_THAT(error.what(), HasSubstr("pii-core.json"));
}

TEST(PolicyCompileTest, ShippedPackCompilesAndKeepsDetectorOrder) {
  const auto policy = CompiledPolicy::Compile({LoadPolicyPack(kPiiCore)});
  ASSERT_EQ(policy->detectors().size(), 8u);
  EXPECT_EQ(policy->detectors()[0]->id, "email-address");
  EXPECT_EQ(policy->packs().at(0).name, "pii-core");
  EXPECT_EQ(policy->detectors()[3], &policy->packs()[0].detectors[3]);
}

TEST(PolicyCompileTest, ControlOnlyPacksCompileAndMatchNothing) {
  PolicyPack pack;
  pack.name = "controls-only";
  const auto policy = CompiledPolicy::Compile({pack});
  std::vector<ValueMatch> matches;
  policy->Scan("jane@example.com", policy->ColumnHints("email"), &matches);
  EXPECT_TRUE(matches.empty());
}

}  // namespace
}  // namespace crmaudit
