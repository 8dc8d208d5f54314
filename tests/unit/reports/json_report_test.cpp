#include "reports/json/json_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace crmaudit {
namespace {

ScanResult SampleResult() {
  ScanResult r;
  r.tool_version = "0.1.0";
  r.scan.id = "00000000-0000-4000-8000-000000000000";
  r.scan.started_at = "2026-11-24T10:00:00Z";
  r.scan.finished_at = "2026-11-24T10:00:01Z";
  r.targets.push_back({"t1", "directory", "exports"});
  CoverageEntry c;
  c.target = "t1";
  c.dataset = std::string("bad-name-\xFF.csv");  // file names can hold any bytes
  c.rows = 10;
  c.bytes = 100;
  r.coverage.push_back(c);
  Finding f;
  f.id = "crm-0123456789abcdef";
  f.rule = "email-address";
  f.title = "Email addresses";
  f.severity = Severity::kMedium;
  f.location.kind = "file";
  f.location.path = "contacts.csv";
  f.location.column = "邮箱";
  f.evidence.count = 3;
  f.evidence.scanned = 4;
  f.evidence.samples = {"j***@e***.com"};
  f.frameworks["GDPR"] = {"Art. 30"};
  r.findings.push_back(f);
  Summarize(r, Severity::kHigh);
  return r;
}

// A database target whose checks the scan recorded: ENC-01 failed, ENC-04 passed on two roles,
// ENC-02 not assessed; listed out of order, as several databases of one target may leave them.
ScanResult WithControls() {
  ScanResult r = SampleResult();
  r.targets.push_back({"t2", "postgres", "postgresql://auditor@db/crm"});
  ControlResult passed;
  passed.rule = "ENC-04";
  passed.target = "t2";
  passed.passed = 2;
  passed.objects = {{"role crm_app", OutcomeStatus::kPass},
                    {"role crm_admin", OutcomeStatus::kPass}};
  ControlResult failed;
  failed.rule = "ENC-01";
  failed.target = "t2";
  failed.status = OutcomeStatus::kFail;
  failed.failed = 1;
  failed.objects = {{"server", OutcomeStatus::kFail}};
  ControlResult unknown;
  unknown.rule = "ENC-02";
  unknown.target = "t2";
  unknown.status = OutcomeStatus::kNotAssessed;
  unknown.not_assessed = 1;
  unknown.objects = {{"server", OutcomeStatus::kNotAssessed}};
  r.controls = {passed, unknown, failed};
  RuleDescription enc04;
  enc04.id = "ENC-04";
  enc04.title = "Passwords are stored as SCRAM-SHA-256";
  enc04.category = "encryption";
  enc04.severity = Severity::kMedium;
  enc04.risk = "MD5 password hashes can be replayed.";
  enc04.texts["en"] = {enc04.title, enc04.risk};
  RuleDescription enc01;
  enc01.id = "ENC-01";
  enc01.title = "Connections to the server are encrypted (TLS)";
  enc01.category = "encryption";
  enc01.severity = Severity::kHigh;
  enc01.risk = "Without TLS, passwords and personal data cross the network in clear.";
  enc01.references["CIS"] = {"PostgreSQL 16 Benchmark v1.0.0 6.8"};
  enc01.texts["en"] = {enc01.title, enc01.risk};
  enc01.texts["zh-CN"] = {"与服务器的连接已加密 (TLS)",
                          "未启用 TLS 时，密码和个人信息以明文传输。"};
  RuleDescription enc02 = enc01;
  enc02.id = "ENC-02";
  enc02.title = "Clients connect with TLS";
  enc02.references.clear();
  enc02.texts = {{"en", {enc02.title, enc02.risk}}};
  r.rules = {enc04, enc02, enc01};
  return r;
}

// Runs the published JSON Schema (Draft 2020-12, python3-jsonschema) over a report. `quiet`
// keeps the validator's explanation out of the log where a rejection is expected.
int ValidateAgainstSchema(const std::string& report_json, const std::string& name,
                          bool quiet = false) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("crmaudit-json-report-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / name;
  std::ofstream(file, std::ios::binary) << report_json;
  const std::string cmd =
      "/usr/bin/python3 -c \"import json,sys,jsonschema; "
      "s=json.load(open(sys.argv[1])); r=json.load(open(sys.argv[2])); "
      "jsonschema.Draft202012Validator(s).validate(r)\" " +
      std::string(CRMAUDIT_SOURCE_DIR) + "/docs/report-schema.json " + file.string() +
      (quiet ? " 2>/dev/null" : "");
  const int status = std::system(cmd.c_str());
  std::filesystem::remove_all(dir);
  return status;
}

// A chained report carries `changes` (1.3.0), valid against the published schema, with a
// control check that was not evaluated before (null old status).
TEST(JsonReport, ChangesSinceTheChainedReportFollowTheSchema) {
  ScanResult before = SampleResult();
  ScanResult after = SampleResult();
  before.findings.pop_back();
  after.inventory.push_back({"t1", "contacts.csv", "mobile", {{"PHONE_NUMBER", 9, 10, 90}}});
  before.controls.resize(1);
  if (!after.controls.empty()) after.controls[0].status = OutcomeStatus::kFail;
  const ReportDiff diff = CompareScans(before, after);
  const std::string text = RenderJsonReport(after, &diff);
  const auto doc = nlohmann::json::parse(text);
  ASSERT_TRUE(doc.contains("changes"));
  EXPECT_EQ(doc["changes"]["new"].size(), 1u);
  EXPECT_FALSE(doc["changes"]["inventory"]["added"].empty());
  EXPECT_EQ(ValidateAgainstSchema(text, "chained.json"), 0);
  EXPECT_FALSE(nlohmann::json::parse(RenderJsonReport(after)).contains("changes"));
}

TEST(JsonReport, HasTheDocumentedTopLevelFields) {
  auto doc = nlohmann::json::parse(RenderJsonReport(SampleResult()));
  for (const char* key : {"schema_version", "tool", "scan", "targets", "coverage", "inventory",
                          "findings", "controls", "rules", "summary"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_EQ(doc["findings"][0]["location"]["column"], "邮箱");
  EXPECT_EQ(doc["findings"][0]["severity"], "medium");
  EXPECT_EQ(doc["summary"]["verdict"], "pass");
  EXPECT_TRUE(doc["scan"]["chain"].contains("previous_sha256"));
}

TEST(JsonReport, ListsEveryEvaluatedCheckWithItsOutcomePassesIncluded) {
  auto doc = nlohmann::json::parse(RenderJsonReport(WithControls()));
  EXPECT_EQ(doc["schema_version"], "1.3.0");
  const auto& controls = doc["controls"];
  ASSERT_EQ(controls.size(), 3u);
  // By (rule, target), whatever order the scan recorded them in.
  EXPECT_EQ(controls[0]["rule"], "ENC-01");
  EXPECT_EQ(controls[1]["rule"], "ENC-02");
  EXPECT_EQ(controls[2]["rule"], "ENC-04");
  EXPECT_EQ(controls[0]["status"], "fail");
  EXPECT_EQ(controls[1]["status"], "not_assessed");
  const auto& pass = controls[2];
  EXPECT_EQ(pass["status"], "pass");
  EXPECT_EQ(pass["target"], "t2");
  EXPECT_EQ(pass["counts"], nlohmann::json({{"passed", 2}, {"failed", 0}, {"not_assessed", 0}}));
  ASSERT_EQ(pass["objects"].size(), 2u);
  // Objects keep the order the check examined them in.
  EXPECT_EQ(pass["objects"][0], nlohmann::json({{"name", "role crm_app"}, {"status", "pass"}}));
  EXPECT_EQ(pass["objects"][1]["name"], "role crm_admin");
  EXPECT_EQ(controls[1]["objects"][0]["status"], "not_assessed");
}

TEST(JsonReport, DescribesEachEvaluatedCheckFromTheCatalog) {
  auto doc = nlohmann::json::parse(RenderJsonReport(WithControls()));
  const auto& rules = doc["rules"];
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0]["id"], "ENC-01");
  EXPECT_EQ(rules[1]["id"], "ENC-02");
  EXPECT_EQ(rules[2]["id"], "ENC-04");
  const auto& enc01 = rules[0];
  EXPECT_EQ(enc01["title"], "Connections to the server are encrypted (TLS)");
  EXPECT_EQ(enc01["category"], "encryption");
  EXPECT_EQ(enc01["severity"], "high");
  EXPECT_EQ(enc01["risk"], "Without TLS, passwords and personal data cross the network in clear.");
  EXPECT_EQ(enc01["references"]["CIS"][0], "PostgreSQL 16 Benchmark v1.0.0 6.8");
  EXPECT_EQ(enc01["texts"]["zh-CN"]["title"], "与服务器的连接已加密 (TLS)");
  EXPECT_EQ(enc01["texts"]["en"]["risk"], enc01["risk"]);
  EXPECT_EQ(rules[2]["references"], nlohmann::json::object());
}

TEST(JsonReport, AScanWithoutControlChecksStillListsBothArrays) {
  auto doc = nlohmann::json::parse(RenderJsonReport(SampleResult()));
  EXPECT_EQ(doc["controls"], nlohmann::json::array());
  EXPECT_EQ(doc["rules"], nlohmann::json::array());
}

TEST(JsonReport, ValidatesAgainstThePublishedSchema) {
  EXPECT_EQ(ValidateAgainstSchema(RenderJsonReport(WithControls()), "controls.json"), 0);
  EXPECT_EQ(ValidateAgainstSchema(RenderJsonReport(SampleResult()), "plain.json"), 0);
  // The schema really checks the new arrays: a wrong status or a missing count is rejected.
  auto doc = nlohmann::json::parse(RenderJsonReport(WithControls()));
  doc["controls"][0]["status"] = "passed";
  EXPECT_NE(ValidateAgainstSchema(doc.dump(), "bad-status.json", true), 0);
  doc = nlohmann::json::parse(RenderJsonReport(WithControls()));
  doc["rules"][0].erase("title");
  EXPECT_NE(ValidateAgainstSchema(doc.dump(), "bad-rule.json", true), 0);
  // A 1.2.0 report must carry both arrays; a 1.1.0 report (written before them) stays valid.
  doc = nlohmann::json::parse(RenderJsonReport(WithControls()));
  doc.erase("controls");
  EXPECT_NE(ValidateAgainstSchema(doc.dump(), "missing-controls.json", true), 0);
  doc["schema_version"] = "1.1.0";
  doc.erase("rules");
  EXPECT_EQ(ValidateAgainstSchema(doc.dump(), "old.json"), 0);
}

TEST(JsonReport, RepairsInvalidUtf8FromScannedNamesInsteadOfThrowing) {
  std::string bytes;
  ASSERT_NO_THROW(bytes = RenderJsonReport(SampleResult()));
  auto doc = nlohmann::json::parse(bytes);
  EXPECT_EQ(doc["coverage"][0]["dataset"], "bad-name-\xEF\xBF\xBD.csv");
}

TEST(JsonReport, IsDeterministicAndCanonical) {
  std::string a = RenderJsonReport(SampleResult());
  std::string b = RenderJsonReport(SampleResult());
  EXPECT_EQ(a, b);
  // The same checks recorded in another order give the same bytes.
  ScanResult forward = WithControls();
  ScanResult reversed = WithControls();
  std::reverse(reversed.controls.begin(), reversed.controls.end());
  std::reverse(reversed.rules.begin(), reversed.rules.end());
  EXPECT_EQ(RenderJsonReport(forward), RenderJsonReport(reversed));
  EXPECT_EQ(a.find('\n'), std::string::npos);
  EXPECT_EQ(a.find(": "), std::string::npos);
}

}  // namespace
}  // namespace crmaudit
