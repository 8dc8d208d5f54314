#include "scanner/checks/export_checks.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scanner/policy/policy_pack.h"
#include "scanner/sources/files/export_file_facts.h"

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

TEST(ExportChecks, WorldReadablePlaintextPiiExportIsHigh) {
  std::vector<Finding> findings;
  CheckExportFile(Facts(0644), FileLocation(), 3, ExportControls{}, kNow, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "ENC-07");
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_EQ(findings[0].evidence.facts["mode"], "0644");
  EXPECT_FALSE(findings[0].frameworks["GDPR"].empty());
  EXPECT_FALSE(findings[0].frameworks["PIPL"].empty());
}

TEST(ExportChecks, OwnerOnlyPlaintextIsLowerAndEncryptedOrPiiFreeIsQuiet) {
  std::vector<Finding> findings;
  CheckExportFile(Facts(0600), FileLocation(), 3, ExportControls{}, kNow, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kMedium);

  findings.clear();
  FileFacts encrypted = Facts(0644);
  encrypted.encrypted = true;
  encrypted.container = "age";
  CheckExportFile(encrypted, FileLocation(), 3, ExportControls{}, kNow, &findings);
  CheckExportFile(Facts(0644), FileLocation(), 0, ExportControls{}, kNow, &findings);
  EXPECT_TRUE(findings.empty());
}

TEST(ExportChecks, ExportOlderThanRetentionRaisesRet03) {
  std::vector<Finding> findings;
  ExportControls controls;
  controls.max_age_days = 30;
  CheckExportFile(Facts(0600, kNow - 40 * 86400), FileLocation(), 1, controls, kNow, &findings);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[1].rule, "RET-03");
  EXPECT_EQ(findings[1].evidence.facts["age_days"], "40");
  findings.clear();
  CheckExportFile(Facts(0600, kNow - 20 * 86400), FileLocation(), 1, controls, kNow, &findings);
  EXPECT_EQ(findings.size(), 1u);  // ENC-07 only
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
  std::vector<Finding> findings;
  CheckExportFile(Facts(0644, kNow - 400 * 86400), FileLocation(), 1, controls, kNow, &findings);
  ASSERT_EQ(findings.size(), 1u) << "RET-03 is disabled";
  EXPECT_EQ(findings[0].rule, "ENC-07");
  EXPECT_EQ(findings[0].frameworks.size(), 1u);
  EXPECT_EQ(findings[0].frameworks.at("ISO27001").at(0), "A.8.24");
  findings.clear();
  CheckExportFile(Facts(0644, kNow - 400 * 86400), FileLocation(), 1, ExportControls{}, kNow,
                  &findings);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_TRUE(findings[0].frameworks.count("GDPR"));
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
