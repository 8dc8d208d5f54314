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

TEST(Translations, EveryShippedCheckHasChineseTitleRiskAndOutcomeTitles) {
  const CheckCatalog catalog = LoadShippedCheckCatalog(ShippedDirs());
  ASSERT_FALSE(catalog.checks().empty());
  for (const CheckDefinition& check : catalog.checks()) {
    auto it = check.texts.find("zh-CN");
    ASSERT_NE(it, check.texts.end()) << check.id << " has no zh-CN";
    EXPECT_FALSE(it->second.title.empty()) << check.id << " title";
    EXPECT_FALSE(it->second.risk.empty()) << check.id << " risk";
    for (const auto& [key, outcome] : check.outcomes) {
      auto text = it->second.outcomes.find(key);
      ASSERT_NE(text, it->second.outcomes.end()) << check.id << " outcome " << key;
      EXPECT_FALSE(text->second.title.empty()) << check.id << " outcome " << key;
    }
  }
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
