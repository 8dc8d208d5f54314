// ControlPolicy: strict reading of "controls" (errors name file and field), the one merge rule
// (stricter among packs, the audit file overrides), the defaults, and the documented example.
#include "scanner/policy/control_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;

ControlLayer Layer(const std::string& controls, const std::string& file = "p.json") {
  return ReadControlLayer(nlohmann::json::parse(controls), file);
}

// The field a bad "controls" object is rejected for ("" when it is accepted).
std::string RejectedField(const std::string& controls) {
  try {
    Layer(controls);
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.file(), "p.json");
    return error.field();
  }
  return "";
}

TEST(ControlPolicyReading, UnknownKeysAreErrorsNamingTheField) {
  EXPECT_EQ(RejectedField(R"({"backup": {"max_age_dayz": 2}})"), "controls.backup.max_age_dayz");
  EXPECT_EQ(RejectedField(R"({"retension": {}})"), "controls.retension");
  EXPECT_EQ(RejectedField(R"({"checks": {"BAK-02": {"severty": "high"}}})"),
            "controls.checks.BAK-02.severty");
  EXPECT_EQ(RejectedField(R"({"checks": {"BAK02": {}}})"), "controls.checks.BAK02");
  EXPECT_EQ(RejectedField(R"({"retention": {"tables": [{"table": "*.leads", "period": "1 year",
                              "colum": "x"}]}})"),
            "controls.retention.tables[0].colum");
}

TEST(ControlPolicyReading, WrongTypesAndImpossibleValuesAreErrors) {
  EXPECT_EQ(RejectedField(R"({"backup": {"max_age_hours": "soon"}})"),
            "controls.backup.max_age_hours");
  EXPECT_EQ(RejectedField(R"({"backup": {"max_age_hours": -5}})"), "controls.backup.max_age_hours");
  EXPECT_EQ(RejectedField(R"({"archive": {"archive_timeout_factor": 0}})"),
            "controls.archive.archive_timeout_factor");
  EXPECT_EQ(RejectedField(R"({"backup": {"require_encryption": "yes"}})"),
            "controls.backup.require_encryption");
  EXPECT_EQ(RejectedField(R"({"retention": {"candidate_columns": []}})"),
            "controls.retention.candidate_columns");
  EXPECT_EQ(RejectedField(R"({"encryption": {"sensitive_entities": []}})"),
            "controls.encryption.sensitive_entities");
  EXPECT_EQ(RejectedField(R"({"roles": {"expiry_exempt": ["postgres", ""]}})"),
            "controls.roles.expiry_exempt[1]");
  EXPECT_EQ(RejectedField(R"({"checks": {"AC-01": {"severity": "urgent"}}})"),
            "controls.checks.AC-01.severity");
  EXPECT_EQ(RejectedField(R"({"exports": {"stale_severity": "urgent"}})"),
            "controls.exports.stale_severity");
  EXPECT_EQ(RejectedField(R"({"exports": {"max_age_days": 0}})"), "controls.exports.max_age_days");
  EXPECT_EQ(RejectedField(R"({"tls": {"min_protocol_version": "TLSv1.4"}})"),
            "controls.tls.min_protocol_version");
  EXPECT_EQ(RejectedField(R"({"retention": {"soft_delete_grace": "0 days"}})"),
            "controls.retention.soft_delete_grace");
  EXPECT_EQ(RejectedField(R"({"retention": {"tables": [{"table": "leads", "period": "1 year"}]}})"),
            "controls.retention.tables[0].table");
  EXPECT_EQ(RejectedField(R"({"retention": {"tables": [{"table": "*.leads"}]}})"),
            "controls.retention.tables[0].period");
  EXPECT_EQ(RejectedField(R"({"backup": {"max_age_hours": 12}, "tls": {}})"), "");
}

TEST(ControlPolicyReading, APackWithABadControlFailsToLoadNamingFileAndField) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("crmaudit-controls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "soon.json";
  std::ofstream(file) << R"({"name": "soon", "version": "1",
                             "controls": {"backup": {"max_age_hours": "soon"}}})";
  try {
    LoadPolicyPack(file);
    ADD_FAILURE() << "expected PolicyError";
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.file(), file.string());
    EXPECT_EQ(error.field(), "controls.backup.max_age_hours");
  }
  std::filesystem::remove_all(dir);
}

TEST(ControlPolicyMerge, DefaultsApplyWhenNothingIsSet) {
  const ControlPolicy policy = MergeControlPolicy({}, nullptr);
  EXPECT_EQ(policy.database.backup_max_age_hours, 26);
  EXPECT_EQ(policy.database.default_retention, "3 years");
  EXPECT_EQ(policy.database.retention_candidate_columns.size(), 11u);
  EXPECT_EQ(policy.exports.max_age_days, 365);
  // A pack naming a check without a severity keeps the check's built-in severity.
  const ControlLayer refs = Layer(R"({"checks": {"BAK-02": {"frameworks": {"GDPR": ["x"]}}}})");
  const ControlPolicy named = MergeControlPolicy({&refs}, nullptr);
  EXPECT_EQ(named.database.Meta("BAK-02", Severity::kHigh).severity, Severity::kHigh);
  EXPECT_EQ(named.database.Meta("BAK-02", Severity::kHigh).frameworks.at("GDPR").at(0), "x");
}

TEST(ControlPolicyMerge, AmongPacksTheStricterValueWins) {
  const ControlLayer loose = Layer(R"({
      "checks": {"BAK-02": {"severity": "medium"}, "BAK-03": {"enabled": false}},
      "tls": {"min_protocol_version": "TLSv1.3"},
      "roles": {"superuser_allow_list": ["postgres", "dba"]},
      "encryption": {"sensitive_entities": ["US_SSN"]},
      "backup": {"max_age_hours": 48, "require_encryption": false},
      "retention": {"soft_delete_grace": "90 days"},
      "exports": {"max_age_days": 100, "stale_severity": "high"}})");
  const ControlLayer strict = Layer(R"({
      "checks": {"BAK-02": {"severity": "high"}, "BAK-03": {"enabled": true}},
      "tls": {"min_protocol_version": "TLSv1.2"},
      "roles": {"superuser_allow_list": ["postgres"]},
      "encryption": {"sensitive_entities": ["CN_RESIDENT_ID"]},
      "backup": {"max_age_hours": 12, "require_encryption": true},
      "retention": {"soft_delete_grace": "2 weeks"},
      "exports": {"max_age_days": 400, "stale_severity": "low"}})");
  for (const auto& order : {std::vector<const ControlLayer*>{&loose, &strict},
                            std::vector<const ControlLayer*>{&strict, &loose}}) {
    const ControlPolicy policy = MergeControlPolicy(order, nullptr);
    const DatabaseControls& db = policy.database;
    EXPECT_EQ(db.checks.at("BAK-02").severity, Severity::kHigh);
    EXPECT_TRUE(db.checks.at("BAK-03").enabled);
    EXPECT_EQ(db.min_tls_version, "TLSv1.3");
    EXPECT_EQ(db.superuser_allow_list, std::vector<std::string>{"postgres"});
    EXPECT_EQ(db.sensitive_entities.size(), 2u);
    EXPECT_EQ(db.backup_max_age_hours, 12);
    EXPECT_TRUE(db.backup_require_encryption);
    EXPECT_EQ(db.soft_delete_grace, "2 weeks");
    EXPECT_EQ(policy.exports.max_age_days, 100);
    EXPECT_EQ(policy.exports.stale_severity, Severity::kHigh);
  }
}

TEST(ControlPolicyMerge, TheAuditFileOverridesThePacks) {
  const ControlLayer pack = Layer(R"({
      "checks": {"BAK-02": {"severity": "high"}},
      "roles": {"superuser_allow_list": ["postgres"]},
      "backup": {"max_age_hours": 12},
      "retention": {"tables": [{"table": "*.leads", "period": "2 years"}]},
      "exports": {"max_age_days": 30}})");
  const ControlLayer audit = Layer(R"({
      "checks": {"BAK-02": {"severity": "low"}},
      "roles": {"superuser_allow_list": ["postgres", "break_glass"]},
      "backup": {"max_age_hours": 48},
      "retention": {"tables": [{"table": "crm.leads", "period": "6 months"}]},
      "exports": {"max_age_days": 90}})",
                                   "audit.json");
  const ControlPolicy policy = MergeControlPolicy({&pack}, &audit);
  EXPECT_EQ(policy.database.checks.at("BAK-02").severity, Severity::kLow);
  EXPECT_EQ(policy.database.superuser_allow_list,
            (std::vector<std::string>{"postgres", "break_glass"}));
  EXPECT_EQ(policy.database.backup_max_age_hours, 48);
  EXPECT_EQ(policy.exports.max_age_days, 90);
  ASSERT_EQ(policy.database.retention_rules.size(), 2u);
  EXPECT_EQ(policy.database.retention_rules[0].period, "6 months");  // tried first
  EXPECT_EQ(policy.database.retention_rules[0].origin, "audit.json: controls.retention.tables[0]");
  EXPECT_EQ(policy.database.retention_rules[1].table_pattern, "*.leads");

  // Through the packs' list: the "audit-file" pack overrides wherever it is in the list.
  PolicyPack audit_pack, company_pack;
  audit_pack.controls = audit;
  audit_pack.audit_file = true;
  company_pack.controls = pack;
  EXPECT_EQ(ControlPolicyFromPacks({audit_pack, company_pack}).database.backup_max_age_hours, 48);
  audit_pack.audit_file = false;  // as a plain pack it would be looser, so it would lose
  EXPECT_EQ(ControlPolicyFromPacks({audit_pack, company_pack}).database.backup_max_age_hours, 12);
}

TEST(ControlPolicyRetention, RulesMatchingNoTableAreFound) {
  const ControlLayer layer = Layer(R"({"retention": {"tables": [
      {"table": "*.leads", "period": "2 years"},
      {"table": "crm.leadz", "period": "1 year"}]}})",
                                   "company.json");
  const ControlPolicy policy = MergeControlPolicy({&layer}, nullptr);
  const auto missing =
      RetentionRulesMatchingNothing(policy.database, {"crm.leads", "crm.contacts"});
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].table_pattern, "crm.leadz");
  EXPECT_EQ(missing[0].origin, "company.json: controls.retention.tables[1]");
  EXPECT_EQ(RetentionRulesMatchingNothing(policy.database, {}).size(), 2u);
}

// The company pack shown in docs/policy-packs.md loads and says what the text claims.
TEST(ControlPolicyDocs, TheDocumentedCompanyPackLoads) {
  std::ifstream doc(std::string(CRMAUDIT_SOURCE_DIR) + "/docs/policy-packs.md");
  std::stringstream text;
  text << doc.rdbuf();
  const std::string markdown = text.str();
  const std::string marker = "<!-- example: company-controls.json -->\n```json\n";
  const size_t begin = markdown.find(marker);
  ASSERT_NE(begin, std::string::npos) << "the example is gone from docs/policy-packs.md";
  const size_t end = markdown.find("```", begin + marker.size());
  ASSERT_NE(end, std::string::npos);
  const auto dir =
      std::filesystem::temp_directory_path() / ("crmaudit-docpack-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "company-controls.json";
  std::ofstream(file) << markdown.substr(begin + marker.size(), end - begin - marker.size());
  const PolicyPack company = LoadPolicyPack(file);
  const PolicyPack gdpr =
      LoadPolicyPack(std::string(CRMAUDIT_SOURCE_DIR) + "/policies/controls-gdpr.json");
  const ControlPolicy policy = ControlPolicyFromPacks({gdpr, company});
  EXPECT_EQ(policy.database.backup_max_age_hours, 12);
  const auto rule =
      std::find_if(policy.database.retention_rules.begin(), policy.database.retention_rules.end(),
                   [](const RetentionRule& r) { return r.table_pattern == "crm.support_tickets"; });
  ASSERT_NE(rule, policy.database.retention_rules.end());
  EXPECT_EQ(rule->period, "18 months");
  // Added to the GDPR pack's rules, not replacing them; tables no rule maps keep the default.
  EXPECT_TRUE(std::any_of(policy.database.retention_rules.begin(),
                          policy.database.retention_rules.end(), [](const RetentionRule& r) {
                            return r.table_pattern == "*.leads" && r.period == "2 years";
                          }));
  EXPECT_EQ(policy.database.default_retention, "3 years");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace crmaudit
