// policies/checks/parameters.json: the one home of the control parameters' types and defaults.
// Its defaults are what a scan with no pack setting a parameter uses; a pack's value replaces
// them; the file is read strictly (errors name file and field); the check catalog refuses a
// parameter name it does not list; docs/policy-packs.md lists every parameter.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "scanner/policy/check_catalog.h"
#include "scanner/policy/control_policy.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const std::filesystem::path kChecks =
    std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "checks";

json ShippedParametersJson() {
  std::ifstream in(kChecks / "parameters.json");
  return json::parse(in, nullptr, true, /*ignore_comments=*/true);
}

// The field a changed parameters document is refused for ("" when accepted).
std::string RejectedField(const json& doc) {
  try {
    ReadControlParameters(doc, "parameters.json");
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.file(), "parameters.json");
    return error.field() + ": " + error.message();
  }
  return "";
}

json::iterator Entry(json& doc, const std::string& name) {
  auto& list = doc["parameters"];
  for (auto it = list.begin(); it != list.end(); ++it) {
    if ((*it)["name"] == name) return it;
  }
  ADD_FAILURE() << name << " is not in parameters.json";
  return list.end();
}

TEST(ControlParameters, TheShippedFileGivesTheDefaults) {
  const ControlParameters parameters = LoadControlParameters(kChecks / "parameters.json");
  EXPECT_TRUE(parameters.Has("backup.max_age_hours"));
  EXPECT_TRUE(parameters.Has("checks.<ID>.severity"));
  const ControlPolicy policy = MergeControlPolicy(parameters.defaults, {}, nullptr);
  EXPECT_EQ(policy.database.min_tls_version, "TLSv1.2");
  EXPECT_EQ(policy.database.backup_max_age_hours, 26);
  EXPECT_TRUE(policy.database.backup_require_encryption);
  EXPECT_EQ(policy.database.superuser_allow_list, std::vector<std::string>{"postgres"});
  EXPECT_EQ(policy.database.sensitive_entities.size(), 14u);
  EXPECT_EQ(policy.database.retention_candidate_columns.size(), 11u);
  EXPECT_EQ(policy.database.soft_delete_grace, "30 days");
  EXPECT_EQ(policy.exports.max_age_days, 365);
  EXPECT_EQ(policy.exports.readable_severity, Severity::kHigh);
  EXPECT_EQ(policy.exports.stale_severity, Severity::kLow);
  // The process-wide defaults (what ControlPolicyFromPacks uses) are the same file's.
  EXPECT_EQ(MergeControlPolicy({}, nullptr).database.backup_max_age_hours, 26);
}

TEST(ControlParameters, ThePackValueReplacesTheDefaultLooserOrStricter) {
  const ControlParameters parameters = LoadControlParameters(kChecks / "parameters.json");
  const ControlLayer loose = ReadControlLayer(json::parse(R"({"backup": {"max_age_hours": 48},
                      "encryption": {"sensitive_entities": ["US_SSN"]}})"),
                                              "company.json");
  const ControlPolicy policy = MergeControlPolicy(parameters.defaults, {&loose}, nullptr);
  EXPECT_EQ(policy.database.backup_max_age_hours, 48);
  EXPECT_EQ(policy.database.sensitive_entities, std::vector<std::string>{"US_SSN"});
  EXPECT_EQ(policy.database.default_retention, "3 years");  // not set: the default
}

TEST(ControlParameters, TheDefaultsFileIsReadStrictly) {
  json doc = ShippedParametersJson();
  ASSERT_EQ(RejectedField(doc), "");

  json wrong_default = doc;
  (*Entry(wrong_default, "backup.max_age_hours"))["default"] = "soon";
  EXPECT_THAT(RejectedField(wrong_default), HasSubstr(".default: expected a number greater"));

  json wrong_type = doc;
  (*Entry(wrong_type, "backup.max_age_hours"))["type"] = "names";
  EXPECT_THAT(RejectedField(wrong_type),
              HasSubstr(".type: \"names\" is not the type of backup.max_age_hours"));

  json unknown = doc;
  unknown["parameters"].push_back(
      {{"name", "backup.max_age_dayz"}, {"type", "days"}, {"default", 1}, {"description", "x"}});
  EXPECT_THAT(RejectedField(unknown), HasSubstr("unknown control parameter"));

  json missing = doc;
  missing["parameters"].erase(Entry(missing, "archive.max_age_hours"));
  EXPECT_THAT(RejectedField(missing),
              HasSubstr("parameters: control parameter archive.max_age_hours is missing"));

  json typo = doc;
  (*Entry(typo, "tls.min_protocol_version"))["defualt"] = "TLSv1.3";
  EXPECT_THAT(RejectedField(typo), HasSubstr("defualt: unknown field"));
}

class CatalogFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("crmaudit-catalog-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void WriteCheck(const std::string& parameters) {
    std::ofstream(dir_ / "family.json") << R"({"checks": [{"id": "X-01", "title": "t",
        "category": "backup", "severity": "low", "engines": ["backups"], "risk": "r",
        "parameters": )" + parameters + R"(,
        "outcomes": {"stale": {"title": "t", "remediation": "r"}}}]})";
  }
  std::filesystem::path dir_;
};

TEST_F(CatalogFolder, ACheckNamingAnUnknownParameterIsRefused) {
  std::filesystem::copy_file(kChecks / "parameters.json", dir_ / "parameters.json");
  WriteCheck(R"(["backup.max_age_hours", "backup.max_age_dayz"])");
  try {
    LoadCheckCatalog(dir_);
    FAIL() << "expected PolicyError";
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.file(), (dir_ / "family.json").string());
    EXPECT_EQ(error.field(), "checks[0].parameters[1]");
    EXPECT_THAT(error.message(), HasSubstr("unknown control parameter \"backup.max_age_dayz\""));
  }
  WriteCheck(R"(["backup.max_age_hours"])");
  const CheckCatalog catalog = LoadCheckCatalog(dir_);
  EXPECT_EQ(catalog.Find("X-01")->parameters.at(0), "backup.max_age_hours");
  EXPECT_TRUE(catalog.parameters().Has("backup.max_age_hours"));
  EXPECT_EQ(catalog.files().front().filename(), "parameters.json");
}

TEST_F(CatalogFolder, AFolderWithoutParametersIsRefused) {
  WriteCheck("[]");
  try {
    LoadCheckCatalog(dir_);
    FAIL() << "expected PolicyError";
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.file(), (dir_ / "parameters.json").string());
  }
}

TEST(ControlParameters, TheShippedCatalogNamesOnlyListedParameters) {
  const CheckCatalog catalog = LoadCheckCatalog(kChecks);
  ASSERT_FALSE(catalog.checks().empty());
  for (const auto& check : catalog.checks()) {
    for (const auto& name : check.parameters) EXPECT_TRUE(catalog.parameters().Has(name)) << name;
  }
}

// docs/policy-packs.md documents every parameter of parameters.json (as `name`).
TEST(ControlParameters, EveryParameterIsDocumented) {
  std::ifstream in(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "docs" / "policy-packs.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const ControlParameters parameters = LoadControlParameters(kChecks / "parameters.json");
  ASSERT_FALSE(parameters.parameters.empty());
  for (const auto& parameter : parameters.parameters) {
    std::string name = parameter.name;
    // The per-check settings are written with RULE for <ID> in the docs table.
    const size_t id = name.find("<ID>");
    if (id != std::string::npos) name.replace(id, 4, "RULE");
    EXPECT_NE(doc.find("| `" + name + "` |"), std::string::npos)
        << name << " is missing from the parameter table of docs/policy-packs.md";
  }
}

}  // namespace
}  // namespace crmaudit
