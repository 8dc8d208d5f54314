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

// A scan (compile_every_pattern = false) parses column-only patterns at load and compiles them
// when a column first hints their detector: a syntax error is still refused at load, a pattern
// matching the empty string fails at first use as a matcher error naming it, and `policy test`
// (every pattern at load, the default) refuses it at once.
TEST(PolicyCompileTest, AScanCompilesColumnOnlyPatternsWhenAColumnFirstNeedsThem) {
  PolicyPack pack;
  pack.name = "lazy";
  pack.source = "lazy.json";
  DetectorSpec email;
  email.id = "email";
  email.entity = "EMAIL_ADDRESS";
  email.patterns = {"[a-z]+@[a-z]+\\.[a-z]+"};
  DetectorSpec street;
  street.id = "street";
  street.entity = "POSTAL_ADDRESS";
  street.requires_column_hint = true;
  street.column_hints = {"street"};
  street.patterns = {"^[0-9]+ [A-Z][a-z]+ Road$", "x*"};
  pack.detectors = {email, street};
  CompileOptions scan_options;
  scan_options.compile_every_pattern = false;
  const auto policy = CompiledPolicy::Compile({pack}, scan_options);
  std::vector<ValueMatch> matches;
  policy->Scan("ann@example.com", policy->ColumnHints("notes"), &matches);
  EXPECT_EQ(matches.size(), 1u) << "columns that hint no column-only detector scan as before";
  try {
    // Not a match of the first pattern: every pattern of the detector is tried.
    policy->Scan("Flat 3", policy->ColumnHints("street"), &matches);
    ADD_FAILURE() << "the empty-matching pattern went unnoticed";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("lazy.json detectors[1].patterns[1]"));
    EXPECT_THAT(error.what(), HasSubstr("empty string"));
  }
  const PolicyError at_load = CompileError({pack});
  EXPECT_EQ(at_load.field(), "detectors[1].patterns[1]");
  EXPECT_THAT(at_load.what(), HasSubstr("empty string"));

  pack.detectors[1].patterns = {"^[0-9]+ (Road$"};
  try {
    CompiledPolicy::Compile({pack}, scan_options);
    ADD_FAILURE() << "a syntax error must be refused at load";
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.field(), "detectors[1].patterns[0]");
  }
  pack.detectors[1].patterns = {"^[0-9]+ [A-Z][a-z]+ Road$"};
  const auto fine = CompiledPolicy::Compile({pack}, scan_options);
  matches.clear();
  fine->Scan("12 Mill Road", fine->ColumnHints("street"), &matches);
  ASSERT_EQ(matches.size(), 1u);
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
