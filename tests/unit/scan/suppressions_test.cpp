#include "scanner/scan/suppressions.h"

#include <gtest/gtest.h>

#include <fstream>

namespace crmaudit {
namespace {

Finding MakeFinding(const std::string& id, const std::string& rule, const std::string& path) {
  Finding f;
  f.id = id;
  f.rule = rule;
  f.location.kind = "file";
  f.location.path = path;
  return f;
}

TEST(Suppressions, LiveEntrySuppressesWithItsReason) {
  std::vector<Finding> findings = {MakeFinding("crm-1", "email-address", "a/contacts.csv"),
                                   MakeFinding("crm-2", "ENC-07", "exports/x.csv"),
                                   MakeFinding("crm-3", "ENC-07", "other/y.csv")};
  std::vector<Suppression> list = {
      {"crm-1", "", "", "marketing list, consented", "2099-01-01"},
      {"", "ENC-07", "exports/**", "SFTP drop, encrypted at rest", "2099-01-01"}};
  auto warnings = ApplySuppressions(list, "2026-11-24", &findings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(findings[0].status, FindingStatus::kSuppressed);
  EXPECT_NE(findings[0].status_reason.find("consented"), std::string::npos);
  EXPECT_EQ(findings[1].status, FindingStatus::kSuppressed);
  EXPECT_EQ(findings[2].status, FindingStatus::kOpen);
}

TEST(Suppressions, ExpiredEntryNoLongerSuppressesAndIsReported) {
  std::vector<Finding> findings = {MakeFinding("crm-1", "email-address", "a.csv")};
  std::vector<Suppression> list = {{"crm-1", "", "", "temporary", "2026-11-23"}};
  auto warnings = ApplySuppressions(list, "2026-11-24", &findings);
  EXPECT_EQ(findings[0].status, FindingStatus::kOpen);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("expired on 2026-11-23"), std::string::npos);
  EXPECT_NE(findings[0].status_reason.find("expired"), std::string::npos);
  // The expiry day itself still counts.
  findings[0].status_reason.clear();
  list[0].expires = "2026-11-24";
  EXPECT_TRUE(ApplySuppressions(list, "2026-11-24", &findings).empty());
  EXPECT_EQ(findings[0].status, FindingStatus::kSuppressed);
}

TEST(Suppressions, FileNeedsReasonAndExpiry) {
  auto path = std::filesystem::temp_directory_path() / "crmaudit-suppressions-test.json";
  auto error_of = [&](const std::string& text) -> std::string {
    std::ofstream(path) << text;
    try {
      LoadSuppressions(path);
      return "";
    } catch (const SuppressionError& e) {
      return e.what();
    }
  };
  EXPECT_NE(error_of(R"({"suppressions":[{"id":"crm-1","expires":"2027-01-01"}]})")
                .find("suppressions[0].reason"),
            std::string::npos);
  EXPECT_NE(
      error_of(R"({"suppressions":[{"id":"crm-1","reason":"r"}]})").find("suppressions[0].expires"),
      std::string::npos);
  EXPECT_NE(error_of(R"({"suppressions":[{"reason":"r","expires":"2027-01-01"}]})")
                .find("\"id\" or \"rule\""),
            std::string::npos);
  EXPECT_EQ(
      error_of(
          R"({"suppressions":[{"rule":"ENC-07","path":"x/*","reason":"r","expires":"2027-01-01"}]})"),
      "");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace crmaudit
