// Records of processing: one row per dataset with its categories of personal data, where they
// are and how the checks found them protected; the CSV is safe to open in a spreadsheet.
#include <gtest/gtest.h>

#include "reports/records/records_of_processing.h"

namespace crmaudit {
namespace {

Location FileAt(const std::string& path, const std::string& column = "") {
  Location location;
  location.kind = "file";
  location.target = "t1";
  location.path = path;
  location.column = column;
  return location;
}

ScanResult Sample() {
  ScanResult result;
  result.targets = {{"t1", "directory", "/srv/exports"}};
  result.inventory = {
      {"t1", "contacts.csv", "email", {{"EMAIL_ADDRESS", 10, 10, 95}}},
      {"t1", "contacts.csv", "=HYPERLINK(\"x\")", {{"PHONE_NUMBER", 9, 10, 90}}},
      {"t1", "patients.csv", "diagnosis", {{"SPECIAL_CATEGORY", 5, 5, 80}}},
  };
  Finding plaintext;
  plaintext.rule = "ENC-07";
  plaintext.title = "Personal-data export stored in plaintext";
  plaintext.category = FindingCategory::kEncryption;
  plaintext.location = FileAt("contacts.csv");
  result.findings.push_back(plaintext);
  Finding health;
  health.rule = "special-health";
  health.title = "Health data (diagnoses, conditions, pregnancy)";
  health.entity = "SPECIAL_CATEGORY";
  health.location = FileAt("patients.csv", "diagnosis");
  result.findings.push_back(health);
  Finding unreadable;
  unreadable.rule = "RET-03";
  unreadable.title = "Modification time unreadable";
  unreadable.category = FindingCategory::kRetention;
  unreadable.status = FindingStatus::kNotAssessed;
  unreadable.location = FileAt("patients.csv");
  result.findings.push_back(unreadable);
  ControlResult enc07;
  enc07.rule = "ENC-07";
  enc07.target = "t1";
  ControlResult ret03;
  ret03.rule = "RET-03";
  ret03.target = "t1";
  result.controls = {enc07, ret03};
  RuleDescription enc07_rule;
  enc07_rule.id = "ENC-07";
  enc07_rule.category = "encryption";
  RuleDescription ret03_rule;
  ret03_rule.id = "RET-03";
  ret03_rule.category = "retention";
  result.rules = {enc07_rule, ret03_rule};
  return result;
}

TEST(RecordsOfProcessing, OneRecordPerDatasetWithCategoriesAndProtection) {
  const ScanResult result = Sample();
  const auto records = RecordsOfProcessing(result);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].dataset, "contacts.csv");
  EXPECT_EQ(records[0].entities, (std::vector<std::string>{"EMAIL_ADDRESS", "PHONE_NUMBER"}));
  EXPECT_EQ(records[0].columns.size(), 2u);
  EXPECT_EQ(records[0].encryption.state, ProtectionState::kGap);
  EXPECT_EQ(records[0].retention.state, ProtectionState::kNoGapFound);
  EXPECT_EQ(records[0].access.state, ProtectionState::kNotChecked);
  EXPECT_EQ(records[1].dataset, "patients.csv");
  ASSERT_EQ(records[1].special_categories.size(), 1u);
  EXPECT_EQ(records[1].special_categories[0]->rule, "special-health");
  EXPECT_EQ(records[1].encryption.state, ProtectionState::kNoGapFound);
  EXPECT_EQ(records[1].retention.state, ProtectionState::kNotAssessed);
}

TEST(RecordsOfProcessing, CsvHasARowPerDatasetAndNoFormulas) {
  const std::string csv = RenderRecordsCsv(Sample(), "en", nullptr);
  std::vector<std::string> rows;
  for (size_t at = 0; at < csv.size();) {
    const size_t end = csv.find("\r\n", at);
    rows.push_back(csv.substr(at, end - at));
    at = end + 2;
  }
  ASSERT_EQ(rows.size(), 3u) << csv;
  EXPECT_EQ(rows[0].rfind("\"Target\",\"Where\",\"Dataset\",\"Columns\",\"Entity types\"", 0), 0u)
      << rows[0];
  EXPECT_NE(rows[1].find("\"contacts.csv\""), std::string::npos);
  EXPECT_NE(rows[1].find("\"EMAIL_ADDRESS; PHONE_NUMBER\""), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find("\"email address; phone number\""), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find("gap: Personal-data export stored in plaintext (ENC-07)"),
            std::string::npos);
  // The column named like a formula is text: the cell starts with an apostrophe.
  EXPECT_NE(rows[1].find("email; =HYPERLINK"), std::string::npos);
  EXPECT_NE(rows[2].find("\"Health data (diagnoses, conditions, pregnancy)\""), std::string::npos);
  EXPECT_NE(rows[2].find("\"not assessed: Modification time unreadable (RET-03)\""),
            std::string::npos);
  for (const char* start : {"=", "+", "-", "@"}) {
    EXPECT_EQ(CsvCell(std::string(start) + "cmd|' /C calc'!A0"),
              std::string("\"'") + start + "cmd|' /C calc'!A0\"");
  }
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");

  const std::string chinese = RenderRecordsCsv(Sample(), "zh-CN", nullptr);
  EXPECT_NE(chinese.find("\"个人信息类别\""), std::string::npos);
  EXPECT_NE(chinese.find("电子邮件地址; 电话号码"), std::string::npos);
  EXPECT_NE(chinese.find("存在问题："), std::string::npos);
}

TEST(RecordsOfProcessing, ACellThatStartsWithAFormulaCharacterIsNeutralised) {
  ScanResult result = Sample();
  result.inventory = {{"t1", "-sum.csv", "@col", {{"EMAIL_ADDRESS", 1, 1, 90}}}};
  const std::string csv = RenderRecordsCsv(result, "en", nullptr);
  EXPECT_NE(csv.find("\"'-sum.csv\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"'@col\""), std::string::npos) << csv;
  EXPECT_EQ(csv.find(",\"-"), std::string::npos);
  EXPECT_EQ(csv.find(",\"@"), std::string::npos);
}

}  // namespace
}  // namespace crmaudit
