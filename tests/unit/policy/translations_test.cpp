// Every shipped detector and control check can be read in Simplified Chinese: a pack or
// catalog entry without its zh-CN words fails here, before a Chinese reader meets English.
#include <gtest/gtest.h>

#include <fstream>

#include "scanner/policy/check_catalog.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

std::vector<std::filesystem::path> ShippedDirs() {
  return {std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies"};
}

TEST(Translations, EveryShippedDetectorHasChineseTitleAndRemediation) {
  size_t detectors = 0;
  for (const auto& file : ListPolicyPacks(ShippedDirs())) {
    const PolicyPack pack = LoadPolicyPack(file);
    for (const DetectorSpec& detector : pack.detectors) {
      ++detectors;
      auto it = detector.texts.find("zh-CN");
      ASSERT_NE(it, detector.texts.end()) << pack.name << ": " << detector.id << " has no zh-CN";
      EXPECT_FALSE(it->second.title.empty()) << detector.id;
      EXPECT_NE(it->second.title, detector.title) << detector.id;
      if (!detector.remediation.empty()) {
        EXPECT_FALSE(it->second.remediation.empty()) << detector.id << " remediation";
      }
    }
  }
  EXPECT_GT(detectors, 40u);
}

TEST(Translations, EveryShippedCheckHasChineseTitleRiskAndOutcomeTitlesAndRemediations) {
  const CheckCatalog catalog = LoadShippedCheckCatalog(ShippedDirs());
  ASSERT_FALSE(catalog.checks().empty());
  size_t outcomes = 0;
  for (const CheckDefinition& check : catalog.checks()) {
    auto it = check.texts.find("zh-CN");
    ASSERT_NE(it, check.texts.end()) << check.id << " has no zh-CN";
    EXPECT_FALSE(it->second.title.empty()) << check.id << " title";
    EXPECT_FALSE(it->second.risk.empty()) << check.id << " risk";
    for (const auto& [key, outcome] : check.outcomes) {
      auto text = it->second.outcomes.find(key);
      ASSERT_NE(text, it->second.outcomes.end()) << check.id << " outcome " << key;
      EXPECT_FALSE(text->second.title.empty()) << check.id << " outcome " << key;
      // The remediation is what the reader must do: it is read in Chinese too (a bare SQL
      // statement may read the same in both).
      EXPECT_FALSE(text->second.remediation.empty()) << check.id << " outcome " << key;
      ++outcomes;
    }
  }
  EXPECT_GT(outcomes, 140u);
}

// A translated outcome can only use the values the English finding carries.
TEST(Translations, CheckTextsNeedTheEnglishPlaceholders) {
  const auto dir = std::filesystem::temp_directory_path() / "crmaudit-check-texts-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(
      std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies/checks/parameters.json",
      dir / "parameters.json");
  auto load = [&](const std::string& zh_outcome) {
    std::ofstream(dir / "c.json") << R"({"checks": [{"id": "T-01", "title": "T",
      "category": "access", "severity": "low", "engines": ["postgres"], "risk": "R",
      "outcomes": {"bad": {"title": "Role {role} is bad", "remediation": "ALTER ROLE {role_sql};"}},
      "texts": {"zh-CN": {"outcomes": {"bad": )"
                                  << zh_outcome << "}}}}]}";
    return LoadCheckCatalog(dir);
  };
  EXPECT_EQ(load(R"({"title": "角色 {role}", "remediation": "执行 ALTER ROLE {role_sql};"})")
                .Find("T-01")
                ->texts.at("zh-CN")
                .outcomes.at("bad")
                .remediation,
            "执行 ALTER ROLE {role_sql};");
  // The title may name a value of the English remediation.
  EXPECT_NO_THROW(load(R"({"title": "角色 {role_sql}"})"));
  try {
    load(R"({"title": "角色 {role}", "remediation": "执行 ALTER ROLE {role};"})");
    FAIL() << "a remediation with other placeholders was accepted";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.field(), "checks[0].texts.zh-CN.outcomes.bad.remediation");
    EXPECT_NE(std::string(e.what()).find("{role_sql}"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load(R"({"title": "角色", "remediation": "执行"})"), PolicyError);
  try {
    load(R"({"title": "角色 {name}"})");
    FAIL() << "a title placeholder the finding cannot fill was accepted";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.field(), "checks[0].texts.zh-CN.outcomes.bad.title");
  }
  std::filesystem::remove_all(dir);
}

TEST(Translations, PackTextsAreCheckedLikeEveryOtherField) {
  const auto dir = std::filesystem::temp_directory_path() / "crmaudit-texts-test";
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& texts) {
    const auto file = dir / "p.json";
    std::ofstream(file) << R"({"name": "p", "version": "1", "detectors": [{"id": "d",
      "entity": "EMAIL_ADDRESS", "title": "T", "patterns": ["x"], "texts": )"
                        << texts << "}]}";
    return file;
  };
  EXPECT_EQ(
      LoadPolicyPack(write(R"({"zh-CN": {"title": "标题"}})")).detectors[0].texts.at("zh-CN").title,
      "标题");
  try {
    LoadPolicyPack(write(R"({"zh-CN": {"titel": "标题"}})"));
    FAIL() << "an unknown key was accepted";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.field(), "detectors[0].texts.zh-CN.titel");
  }
  EXPECT_THROW(LoadPolicyPack(write(R"({"zh-CN": {"title": 3}})")), PolicyError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace crmaudit
