#include "scanner/checks/export_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scanner/model/fingerprint.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/sources/files/export_file_facts.h"
#include "tests/unit/checks/check_harness.h"

namespace crmaudit {
namespace {

constexpr int64_t kNow = 1795000000;  // 2026-11-18

Location FileLocation() {
  Location l;
  l.kind = "file";
  l.target = "t1";
  l.path = "exports/contacts.csv";
  return l;
}

FileFacts Facts(uint32_t mode, int64_t modified = kNow - 86400) {
  FileFacts f;
  f.relative = "exports/contacts.csv";
  f.mode = mode;
  f.modified_epoch = modified;
  return f;
}

// The findings a scan reports for one export file, and the ControlResults when asked for.
std::vector<Finding> ExportFindings(const FileFacts& facts, uint64_t pii_columns,
                                    const ExportControls& controls,
                                    std::vector<ControlResult>* results = nullptr) {
  std::vector<ControlOutcome> outcomes;
  CheckExportFile(facts, FileLocation(), pii_columns, controls, kNow, &outcomes);
  return Judged(outcomes, controls.checks, results);
}

// The settings of the shipped framework packs for the export checks.
ExportControls FrameworkPackExports() {
  const std::string dir = std::string(CRMAUDIT_SOURCE_DIR) + "/policies/";
  return ControlPolicyFromPacks({LoadPolicyPack(dir + "controls-gdpr.json"),
                                 LoadPolicyPack(dir + "controls-pipl.json")})
      .exports;
}

TEST(ExportChecks, WorldReadablePlaintextPiiExportIsHigh) {
  std::vector<Finding> findings = ExportFindings(Facts(0644), 3, FrameworkPackExports());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "ENC-07");
  EXPECT_EQ(findings[0].title, "Personal-data export in plaintext, readable by other users");
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_EQ(findings[0].category, FindingCategory::kEncryption);
  EXPECT_EQ(findings[0].location.path, "exports/contacts.csv");
  EXPECT_EQ(findings[0].location.target, "t1");
  EXPECT_THAT(findings[0].remediation, ::testing::HasSubstr("chmod 600"));
  EXPECT_EQ(findings[0].evidence.facts["mode"], "0644");
  EXPECT_THAT(findings[0].frameworks["GDPR"], ::testing::Contains("Art. 32(1)(a)"));
  EXPECT_THAT(findings[0].frameworks["PIPL"], ::testing::Contains("Art. 51"));
}

TEST(ExportChecks, OwnerOnlyPlaintextIsLowerAndEncryptedOrPiiFreeIsQuiet) {
  std::vector<Finding> findings = ExportFindings(Facts(0600), 3, ShippedExportControls());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].title, "Personal-data export stored in plaintext");
  EXPECT_EQ(findings[0].severity, Severity::kMedium);
  ExportControls stricter = ShippedExportControls();
  stricter.plaintext_severity = Severity::kHigh;
  findings = ExportFindings(Facts(0600), 3, stricter);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kHigh) << "exports.plaintext_severity decides";

  FileFacts encrypted = Facts(0644);
  encrypted.encrypted = true;
  encrypted.container = "age";
  std::vector<ControlResult> results;
  EXPECT_TRUE(ExportFindings(encrypted, 3, ShippedExportControls(), &results).empty());
  ASSERT_EQ(results.size(), 1u) << "ENC-07 passed; RET-03 does not judge a sealed container";
  EXPECT_EQ(results[0].rule, "ENC-07");
  EXPECT_EQ(results[0].status, OutcomeStatus::kPass);
  results.clear();
  EXPECT_TRUE(ExportFindings(Facts(0644), 0, ShippedExportControls(), &results).empty());
  EXPECT_TRUE(results.empty()) << "a file without personal data is not judged at all";
}

TEST(ExportChecks, ExportOlderThanRetentionRaisesRet03) {
  ExportControls controls = ShippedExportControls();
  controls.max_age_days = 30;
  std::vector<Finding> findings = ExportFindings(Facts(0600, kNow - 40 * 86400), 1, controls);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[1].rule, "RET-03");
  EXPECT_EQ(findings[1].title, "Personal-data export kept longer than the retention period");
  EXPECT_EQ(findings[1].severity, Severity::kLow);
  EXPECT_EQ(findings[1].category, FindingCategory::kRetention);
  EXPECT_THAT(findings[1].remediation, ::testing::HasSubstr("the policy allows 30 days"));
  EXPECT_EQ(findings[1].evidence.facts["age_days"], "40");
  EXPECT_EQ(findings[1].id, FindingId("RET-03", findings[1].location));
  controls.stale_severity = Severity::kMedium;
  findings = ExportFindings(Facts(0600, kNow - 40 * 86400), 1, controls);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[1].severity, Severity::kMedium) << "exports.stale_severity decides";
  findings = ExportFindings(Facts(0600, kNow - 20 * 86400), 1, controls);
  EXPECT_EQ(findings.size(), 1u);  // ENC-07 only
  // No modification time: RET-03 cannot tell the age.
  findings = ExportFindings(Facts(0600, 0), 1, controls);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[1].status, FindingStatus::kNotAssessed);
}

TEST(ExportChecks, PassesAreRecordedAsControlResults) {
  // An encrypted export passes ENC-07; a fresh plaintext one passes RET-03.
  FileFacts encrypted = Facts(0600);
  encrypted.encrypted = true;
  encrypted.container = "pgp";
  std::vector<ControlResult> results;
  std::vector<ControlOutcome> outcomes;
  CheckExportFile(encrypted, FileLocation(), 2, ShippedExportControls(), kNow, &outcomes);
  CheckExportFile(Facts(0600), FileLocation(), 2, ShippedExportControls(), kNow, &outcomes);
  std::vector<Finding> findings = Judged(outcomes, {}, &results);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "ENC-07") << "the plaintext file";
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].rule, "ENC-07");
  EXPECT_EQ(results[0].target, "t1");
  EXPECT_EQ(results[0].passed, 1u);
  EXPECT_EQ(results[0].failed, 1u);
  EXPECT_EQ(results[0].objects.at(0).name, "file exports/contacts.csv");
  EXPECT_EQ(results[0].objects.at(0).status, OutcomeStatus::kPass);
  EXPECT_EQ(results[1].rule, "RET-03");
  EXPECT_EQ(results[1].status, OutcomeStatus::kPass);
  EXPECT_EQ(results[1].passed, 1u);
}

TEST(ExportChecks, ControlsComeFromThePackAndBadValuesNameTheField) {
  PolicyPack pack;
  pack.source = "policies/controls-gdpr.json";
  pack.controls =
      ReadControlLayer(nlohmann::json::parse(
                           R"({"exports": {"max_age_days": 90, "readable_severity": "critical"}})"),
                       pack.source.string());
  ExportControls controls = ControlPolicyFromPacks({pack}).exports;
  EXPECT_EQ(controls.max_age_days, 90);
  EXPECT_EQ(controls.readable_severity, Severity::kCritical);
  try {
    ReadControlLayer(nlohmann::json::parse(R"({"exports": {"max_age_days": "soon"}})"),
                     pack.source.string());
    FAIL() << "expected PolicyError";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.field(), "controls.exports.max_age_days");
    EXPECT_NE(std::string(e.what()).find("controls-gdpr.json"), std::string::npos);
  }
}

// ENC-07 and RET-03 can be mapped from a pack like the database checks: its references replace
// the built-in ones and it may turn a rule off; their severity stays with exports.*_severity.
TEST(ExportChecks, PacksMapAndDisableEnc07AndRet03) {
  PolicyPack pack;
  pack.source = "company.json";
  pack.controls = ReadControlLayer(nlohmann::json::parse(R"({"checks": {
      "ENC-07": {"frameworks": {"ISO27001": ["A.8.24"]}}, "RET-03": {"enabled": false}}})"),
                                   "company.json");
  const ExportControls controls = ControlPolicyFromPacks({pack}).exports;
  std::vector<Finding> findings = ExportFindings(Facts(0644, kNow - 400 * 86400), 1, controls);
  ASSERT_EQ(findings.size(), 1u) << "RET-03 is disabled";
  EXPECT_EQ(findings[0].rule, "ENC-07");
  EXPECT_EQ(findings[0].frameworks.size(), 1u);
  EXPECT_EQ(findings[0].frameworks.at("ISO27001").at(0), "A.8.24");
  findings = ExportFindings(Facts(0644, kNow - 400 * 86400), 1, FrameworkPackExports());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_TRUE(findings[0].frameworks.count("GDPR"));
  EXPECT_THAT(findings[1].frameworks.at("GDPR"), ::testing::Contains("Art. 5(1)(e)"));
  EXPECT_THAT(findings[1].frameworks.at("PIPL"), ::testing::Contains("Art. 47"));
  try {
    ReadControlLayer(nlohmann::json::parse(R"({"checks": {"ENC-07": {"severity": "high"}}})"),
                     "company.json");
    FAIL() << "expected PolicyError";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.field(), "controls.checks.ENC-07.severity");
    EXPECT_NE(std::string(e.what()).find("exports.readable_severity"), std::string::npos);
  }
}

TEST(ContainerMagic, RecognisesEncryptedContainers) {
  auto classify = [](std::string_view head, std::string_view name) {
    FileFacts f;
    ClassifyContainer(head, name, &f);
    return std::make_pair(f.container, f.encrypted);
  };
  EXPECT_EQ(classify("age-encryption.org/v1\n-> X25519", "a.csv.age"),
            std::make_pair(std::string("age"), true));
  EXPECT_EQ(classify("-----BEGIN PGP MESSAGE-----\n", "a.asc"),
            std::make_pair(std::string("pgp"), true));
  EXPECT_EQ(classify("Salted__12345678", "a.csv.enc"),
            std::make_pair(std::string("openssl-salted"), true));
  EXPECT_EQ(classify(std::string_view("PK\x03\x04\x14\x00\x01\x00", 8), "a.zip"),
            std::make_pair(std::string("zip-encrypted"), true));
  EXPECT_EQ(classify(std::string_view("PK\x03\x04\x14\x00\x00\x00", 8), "a.zip"),
            std::make_pair(std::string("zip"), false));
  EXPECT_EQ(classify("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "contacts.xlsx"),
            std::make_pair(std::string("office-encrypted"), true));
  EXPECT_EQ(classify(std::string_view("\x85\x01\x0c\x03", 4), "contacts.csv.gpg"),
            std::make_pair(std::string("pgp"), true));
  EXPECT_EQ(classify("name,email\n", "contacts.csv"), std::make_pair(std::string(""), false));
  EXPECT_EQ(classify("\x1f\x8b\x08", "a.csv.gz"), std::make_pair(std::string("gzip"), false));
}

}  // namespace
}  // namespace crmaudit
