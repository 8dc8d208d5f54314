#include "reports/sarif/sarif_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "sample_scan.h"
#include "scanner/model/utf8.h"
#include "test_support.h"

namespace crmaudit {
namespace {

using nlohmann::json;
using testing::Quote;
using testing::RunCommand;
using testing::SampleScan;

const std::string kFixtures = std::string(CRMAUDIT_TEST_FIXTURES) + "/html_sarif";

// With passes: the tests below look at them; the default (no passes) is tested on its own.
json Render(const ScanResult& result) {
  return json::parse(RenderSarifReport(result, SarifOptions{.include_passes = true}));
}

// The result for the finding with this id.
const json& ResultFor(const json& log, const std::string& id) {
  for (const json& result : log["runs"][0]["results"]) {
    if (result["partialFingerprints"].value(kSarifFingerprintKey, "") == id) return result;
  }
  throw std::runtime_error("no result for " + id);
}

const json& RuleById(const json& log, const std::string& id) {
  for (const json& rule : log["runs"][0]["tool"]["driver"]["rules"]) {
    if (rule["id"] == id) return rule;
  }
  throw std::runtime_error("no rule " + id);
}

std::vector<json> PassResults(const json& log) {
  std::vector<json> passes;
  for (const json& result : log["runs"][0]["results"]) {
    if (result["kind"] == "pass") passes.push_back(result);
  }
  return passes;
}

const Finding& FindingBy(const ScanResult& scan, const std::string& rule, FindingStatus status) {
  for (const Finding& f : scan.findings) {
    if (f.rule == rule && f.status == status) return f;
  }
  throw std::runtime_error("no finding " + rule);
}

testing::CommandResult Validate(const std::filesystem::path& log) {
  return RunCommand("/usr/bin/python3 " + Quote(kFixtures + "/validate_sarif.py") + " " +
                    Quote(kFixtures + "/sarif-schema-2.1.0.json") + " " + Quote(log.string()));
}

TEST(SarifReportTest, ValidatesAgainstTheOfficialSchema) {
  const std::filesystem::path path = testing::ArtifactDir() / "report.sarif";
  testing::WriteFile(path, RenderSarifReport(SampleScan()));
  const testing::CommandResult check = Validate(path);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("valid against Draft4Validator"), std::string::npos);

  ScanResult empty;
  Summarize(empty, Severity::kHigh);
  const std::filesystem::path empty_path = testing::ArtifactDir() / "empty.sarif";
  testing::WriteFile(empty_path, RenderSarifReport(empty));
  EXPECT_EQ(Validate(empty_path).exit_code, 0);
}

TEST(SarifReportTest, SchemaValidatorRejectsABrokenLog) {
  json log = Render(SampleScan());
  log["version"] = "2.0.0";
  log["runs"][0]["results"][0]["level"] = "fatal";
  log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
  const std::filesystem::path path = testing::ArtifactDir() / "broken.sarif";
  testing::WriteFile(path, log.dump());
  EXPECT_EQ(Validate(path).exit_code, 1);
}

TEST(SarifReportTest, RulesAreUniqueAndDescribed) {
  const ScanResult scan = SampleScan();
  const json log = Render(scan);
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(log["$schema"], kSarifSchemaUri);
  const json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "crmaudit");
  EXPECT_EQ(driver["version"], "0.1.0");
  std::set<std::string> ids;
  for (const json& rule : driver["rules"]) {
    EXPECT_TRUE(ids.insert(rule["id"].get<std::string>()).second) << rule["id"];
    for (const char* text : {"shortDescription", "fullDescription", "help"}) {
      EXPECT_FALSE(rule[text]["text"].get<std::string>().empty()) << rule["id"] << " " << text;
    }
    EXPECT_FALSE(rule["name"].get<std::string>().empty());
    EXPECT_TRUE(rule["properties"]["tags"].is_array());
  }
  // One rule per finding rule and per control check evaluated (ENC-02 has no finding).
  std::set<std::string> expected;
  for (const Finding& f : scan.findings) expected.insert(f.rule);
  for (const ControlResult& c : scan.controls) expected.insert(c.rule);
  EXPECT_EQ(ids, expected);
  EXPECT_TRUE(ids.count("ENC-02"));
  std::vector<std::string> order;
  for (const json& rule : driver["rules"]) order.push_back(rule["id"]);
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));

  const json* email = nullptr;
  for (const json& rule : driver["rules"]) {
    if (rule["id"] == "email-address") email = &rule;
  }
  ASSERT_NE(email, nullptr);
  EXPECT_EQ((*email)["name"], "EmailAddress");
  EXPECT_EQ((*email)["defaultConfiguration"]["level"], "error");
  const std::string help = (*email)["help"]["text"];
  EXPECT_NE(help.find("Encrypt or pseudonymise"), std::string::npos);
  EXPECT_NE(help.find("GDPR: Art. 32(1)(a); Art. 5(1)(c)."), std::string::npos) << help;
  EXPECT_NE(help.find("PIPL: Art. 51."), std::string::npos) << help;
  const json& tags = (*email)["properties"]["tags"];
  for (const char* tag : {"pii", "EMAIL_ADDRESS", "GDPR", "PIPL"}) {
    EXPECT_NE(std::find(tags.begin(), tags.end(), tag), tags.end()) << tag;
  }
}

TEST(SarifReportTest, EveryResultPointsAtItsRuleWithAValidRegion) {
  const ScanResult scan = SampleScan();
  const json log = Render(scan);
  const json& rules = log["runs"][0]["tool"]["driver"]["rules"];
  const json& results = log["runs"][0]["results"];
  // The findings, then one pass result per passed check and target (ENC-02 on t2).
  ASSERT_EQ(results.size(), scan.findings.size() + 1);
  for (size_t i = scan.findings.size(); i < results.size(); ++i) {
    const json& result = results[i];
    EXPECT_EQ(rules[result["ruleIndex"].get<size_t>()]["id"], result["ruleId"]);
    const std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    EXPECT_FALSE(uri.empty());
    EXPECT_EQ(uri.find("://"), std::string::npos) << uri;
  }
  for (size_t i = 0; i < scan.findings.size(); ++i) {
    const json& result = results[i];
    const Finding& finding = scan.findings[i];
    EXPECT_EQ(result["ruleId"], finding.rule);
    EXPECT_EQ(rules[result["ruleIndex"].get<size_t>()]["id"], finding.rule);
    EXPECT_EQ(result["partialFingerprints"][kSarifFingerprintKey], finding.id);
    // The line hash is the uploader's to compute; our id has its own key.
    EXPECT_FALSE(result["partialFingerprints"].contains("primaryLocationLineHash"));
    EXPECT_NE(result["message"]["text"].get<std::string>().find(finding.title), std::string::npos);
    const json& physical = result["locations"][0]["physicalLocation"];
    const std::string uri = physical["artifactLocation"]["uri"];
    EXPECT_FALSE(uri.empty());
    EXPECT_EQ(uri.find("://"), std::string::npos) << uri;
    EXPECT_NE(uri[0], '/') << uri;
    // A region only where the file's line is known: never a guessed line.
    EXPECT_EQ(physical.contains("region"), finding.location.line.has_value()) << uri;
    if (physical.contains("region")) {
      EXPECT_EQ(physical["region"]["startLine"], *finding.location.line);
    }
  }
}

TEST(SarifReportTest, ControlCheckRulesRenderTheirCatalogEntry) {
  const ScanResult scan = SampleScan();
  const json log = Render(scan);
  const json& enc01 = RuleById(log, "ENC-01");
  // The catalog title, not the finding's outcome title; the risk as the full description.
  EXPECT_EQ(enc01["shortDescription"]["text"], "Connections to the server are encrypted (TLS)");
  EXPECT_EQ(enc01["fullDescription"]["text"],
            "Without TLS, passwords and personal data cross the network in clear.");
  EXPECT_EQ(enc01["name"], "ENC01");
  EXPECT_EQ(enc01["defaultConfiguration"]["level"], "error");
  const json& properties = enc01["properties"];
  EXPECT_EQ(properties["security-severity"], "8.0");
  EXPECT_EQ(properties["severity"], "high");
  EXPECT_EQ(properties["category"], "encryption");
  EXPECT_EQ(properties["references"]["CIS"][0], "PostgreSQL 16 Benchmark v1.0.0 6.8");
  const json& tags = properties["tags"];
  EXPECT_NE(std::find(tags.begin(), tags.end(), "encryption"), tags.end());
  EXPECT_NE(std::find(tags.begin(), tags.end(), "security"), tags.end());
  // Help: the finding's remediation, the references and the packs' articles.
  const std::string help = enc01["help"]["text"];
  EXPECT_NE(help.find("Set ssl = on"), std::string::npos) << help;
  EXPECT_NE(help.find("CIS: PostgreSQL 16 Benchmark v1.0.0 6.8."), std::string::npos) << help;
  EXPECT_NE(help.find("GDPR: Art. 32(1)(a)."), std::string::npos) << help;

  // A passed check has no finding: everything comes from its catalog entry.
  const json& enc02 = RuleById(log, "ENC-02");
  EXPECT_EQ(enc02["shortDescription"]["text"], testing::kHostileRuleTitle);
  EXPECT_EQ(enc02["defaultConfiguration"]["level"], "warning");
  EXPECT_EQ(enc02["properties"]["security-severity"], "5.5");
  EXPECT_NE(enc02["help"]["text"].get<std::string>().find("Clients"), std::string::npos);

  // The packs' severity wins over the findings' for the rule, unless a finding is worse.
  ScanResult raised = SampleScan();
  for (RuleDescription& rule : raised.rules) {
    if (rule.id == "ENC-01") rule.severity = Severity::kLow;
  }
  EXPECT_EQ(RuleById(Render(raised), "ENC-01")["properties"]["security-severity"], "8.0");
  for (RuleDescription& rule : raised.rules) {
    if (rule.id == "ENC-01") rule.severity = Severity::kCritical;
  }
  EXPECT_EQ(RuleById(Render(raised), "ENC-01")["properties"]["security-severity"], "9.5");
}

TEST(SarifReportTest, PassedChecksArePassResultsOnTheirTarget) {
  const ScanResult scan = SampleScan();
  const json log = Render(scan);
  const std::vector<json> passes = PassResults(log);
  // ENC-02 passed on t2; ENC-01 and RET-02 failed and BAK-01 was not assessed, so no pass for
  // them even though RET-02 passed on one of its files.
  ASSERT_EQ(passes.size(), 1u);
  const json& pass = passes[0];
  EXPECT_EQ(pass["ruleId"], "ENC-02");
  EXPECT_EQ(pass["level"], "none");
  EXPECT_EQ(pass["partialFingerprints"][kSarifControlKey], "ENC-02/t2");
  EXPECT_FALSE(pass["partialFingerprints"].contains(kSarifFingerprintKey));
  EXPECT_EQ(pass["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "postgres/server");
  const std::string message = pass["message"]["text"];
  EXPECT_NE(message.find(std::string("Passed: ") + testing::kHostileRuleTitle), std::string::npos)
      << message;
  EXPECT_NE(message.find("2 objects examined: server, role <crm_app>"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("postgresql://"), std::string::npos);
  EXPECT_EQ(pass["properties"]["passed"], 2);
  EXPECT_EQ(pass["properties"]["target"], "t2");
  const json& counts = log["runs"][0]["properties"]["controls"];
  EXPECT_EQ(counts, json({{"passed", 1}, {"failed", 2}, {"notAssessed", 1}}));

  // A file target's pass sits on the folder, from the source root when there is one.
  ScanResult files = SampleScan();
  for (ControlResult& control : files.controls) {
    if (control.rule == "RET-02") {
      control = testing::MakeControl("RET-02", "t1", {{"export a.csv", OutcomeStatus::kPass}});
    }
  }
  files.source_root_paths["t1"] = "data/exports";
  const json rooted = Render(files);
  const std::vector<json> rooted_passes = PassResults(rooted);
  ASSERT_EQ(rooted_passes.size(), 2u);
  const json& file_pass = rooted_passes[1];
  EXPECT_EQ(file_pass["ruleId"], "RET-02");
  EXPECT_EQ(file_pass["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "data/exports");
  EXPECT_EQ(file_pass["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "%SRCROOT%");
  const std::filesystem::path path = testing::ArtifactDir() / "passes.sarif";
  testing::WriteFile(path, rooted.dump());
  EXPECT_EQ(Validate(path).exit_code, 0);

  // Off by default: code-scanning UIs show every result as an alert.
  const json quiet = json::parse(RenderSarifReport(scan));
  EXPECT_TRUE(PassResults(quiet).empty());
  EXPECT_EQ(quiet["runs"][0]["results"].size(), scan.findings.size());
  EXPECT_EQ(quiet["runs"][0]["tool"]["driver"]["rules"], log["runs"][0]["tool"]["driver"]["rules"]);
}

TEST(SarifReportTest, LevelsFollowSeverity) {
  const ScanResult scan = SampleScan();
  const json log = Render(scan);
  EXPECT_EQ(ResultFor(log, FindingBy(scan, "cn-resident-id", FindingStatus::kOpen).id)["level"],
            "error");
  EXPECT_EQ(ResultFor(log, FindingBy(scan, "ENC-01", FindingStatus::kOpen).id)["level"], "error");
  EXPECT_EQ(ResultFor(log, FindingBy(scan, "person-name", FindingStatus::kOpen).id)["level"],
            "warning");
  EXPECT_EQ(ResultFor(log, FindingBy(scan, "RET-02", FindingStatus::kOpen).id)["level"], "note");
  EXPECT_EQ(ResultFor(log, FindingBy(scan, "AUD-01", FindingStatus::kOpen).id)["level"], "note");
}

TEST(SarifReportTest, FileFindingsUseTheRelativePathAndRow) {
  const ScanResult scan = SampleScan();
  const json log = Render(scan);
  const json& email = ResultFor(log, FindingBy(scan, "email-address", FindingStatus::kOpen).id);
  const json& physical = email["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "customers.csv");
  EXPECT_FALSE(physical["artifactLocation"].contains("uriBaseId"));  // no source root known
  EXPECT_EQ(physical["region"]["startLine"], 3);                     // row 2 under a header row
  const json& chinese = ResultFor(log, FindingBy(scan, "cn-resident-id", FindingStatus::kOpen).id);
  // Non-ASCII names are percent-encoded per segment; the folder separator stays.
  EXPECT_EQ(chinese["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "legacy/%E5%AE%A2%E6%88%B7%E5%90%8D%E5%8D%95.csv");
  EXPECT_NE(chinese["message"]["text"].get<std::string>().find(testing::kChineseTitle),
            std::string::npos);
  // The '/' in this hostile name is a folder separator of the relative path, so it stays.
  const json& hostile = ResultFor(log, FindingBy(scan, "person-name", FindingStatus::kOpen).id);
  EXPECT_EQ(hostile["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "%3Cscript%3Ealert%281%29%3C/script%3E.csv");
  EXPECT_FALSE(hostile["locations"][0]["physicalLocation"].contains("region"));
}

TEST(SarifReportTest, DatabaseFindingsUsePseudoPathAndLogicalLocation) {
  const ScanResult scan = SampleScan();
  const std::string text = RenderSarifReport(scan);
  EXPECT_EQ(text.find("postgresql://"), std::string::npos);
  const json log = json::parse(text);
  const json& baselined =
      ResultFor(log, FindingBy(scan, "email-address", FindingStatus::kBaselined).id);
  const json& location = baselined["locations"][0];
  EXPECT_EQ(location["physicalLocation"]["artifactLocation"]["uri"],
            "postgres/crm/public/contacts");
  EXPECT_EQ(location["logicalLocations"][0]["fullyQualifiedName"], "crm.public.contacts.email");
  EXPECT_EQ(location["logicalLocations"][0]["kind"], "member");
  const json& rls = ResultFor(log, FindingBy(scan, "ACC-03", FindingStatus::kSuppressed).id);
  EXPECT_EQ(rls["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "crm.public.contacts");
  const json& ssl = ResultFor(log, FindingBy(scan, "ENC-01", FindingStatus::kOpen).id);
  EXPECT_EQ(ssl["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "postgres/crm");
  EXPECT_NE(ssl["message"]["text"].get<std::string>().find("setting=ssl"), std::string::npos);
}

TEST(SarifReportTest, BaselinedSuppressedAndNotAssessedStayInTheLog) {
  const ScanResult scan = SampleScan();
  const json log = Render(scan);
  const json& baselined =
      ResultFor(log, FindingBy(scan, "email-address", FindingStatus::kBaselined).id);
  EXPECT_EQ(baselined["baselineState"], "unchanged");
  EXPECT_NE(baselined["suppressions"][0]["justification"].get<std::string>().find("SEC-42"),
            std::string::npos);

  const json& suppressed = ResultFor(log, FindingBy(scan, "ACC-03", FindingStatus::kSuppressed).id);
  EXPECT_EQ(suppressed["suppressions"][0]["kind"], "external");
  EXPECT_EQ(suppressed["suppressions"][0]["justification"],
            "RLS enforced by the application until 2027-01-31");
  EXPECT_EQ(suppressed["baselineState"], "new");

  const json& not_assessed =
      ResultFor(log, FindingBy(scan, "BAK-01", FindingStatus::kNotAssessed).id);
  EXPECT_EQ(not_assessed["kind"], "review");
  EXPECT_EQ(not_assessed["level"], "none");
  EXPECT_NE(not_assessed["message"]["text"].get<std::string>().find("pg_read_all_settings"),
            std::string::npos);
  EXPECT_FALSE(not_assessed.contains("suppressions"));

  const json& open = ResultFor(log, FindingBy(scan, "email-address", FindingStatus::kOpen).id);
  EXPECT_EQ(open["kind"], "fail");
  EXPECT_FALSE(open.contains("suppressions"));
  EXPECT_EQ(open["baselineState"], "new");
}

TEST(SarifReportTest, FilesBelowASourceRootArePlacedFromThatRoot) {
  ScanResult scan = SampleScan();
  scan.source_root_paths["t1"] = "data/exports";
  const json log = Render(scan);
  const json& email = ResultFor(log, FindingBy(scan, "email-address", FindingStatus::kOpen).id);
  const json& artifact = email["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(artifact["uri"], "data/exports/customers.csv");
  EXPECT_EQ(artifact["uriBaseId"], "%SRCROOT%");
  // Database findings keep their pseudo-path, without a base.
  const json& ssl = ResultFor(log, FindingBy(scan, "ENC-01", FindingStatus::kOpen).id);
  EXPECT_FALSE(ssl["locations"][0]["physicalLocation"]["artifactLocation"].contains("uriBaseId"));
  const std::filesystem::path path = testing::ArtifactDir() / "rooted.sarif";
  testing::WriteFile(path, log.dump());
  EXPECT_EQ(Validate(path).exit_code, 0);
}

TEST(SarifReportTest, VerdictAndControlsNotAssessedTravelWithTheInvocation) {
  ScanResult scan = SampleScan();
  Summarize(scan, Severity::kHigh);
  json log = Render(scan);
  const json& properties = log["runs"][0]["invocations"][0]["properties"];
  EXPECT_EQ(properties["verdict"], "incomplete");
  EXPECT_EQ(properties["complete"], false);
  EXPECT_EQ(properties["notAssessed"], 1);
  EXPECT_EQ(log["runs"][0]["properties"]["notAssessed"], 1);
}

TEST(SarifReportTest, InvocationReportsIncompleteScans) {
  ScanResult scan = SampleScan();
  json log = Render(scan);
  const json& invocation = log["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  EXPECT_EQ(invocation["toolExecutionNotifications"].size(), 3u);
  EXPECT_NE(invocation.dump().find("permission denied for table cards"), std::string::npos);

  scan.scan.complete = true;
  scan.coverage.clear();
  log = Render(scan);
  EXPECT_EQ(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
  EXPECT_FALSE(log["runs"][0]["invocations"][0].contains("toolExecutionNotifications"));
}

TEST(SarifReportTest, MessagesCarryCountsAndMaskedSamplesOnly) {
  const ScanResult scan = SampleScan();
  const json log = Render(scan);
  const std::string message =
      ResultFor(log, FindingBy(scan, "email-address", FindingStatus::kOpen).id)["message"]["text"];
  EXPECT_NE(message.find("1180 of 1200"), std::string::npos) << message;
  EXPECT_NE(message.find("j***@e***.com"), std::string::npos) << message;
}

TEST(SarifReportTest, InvalidUtf8IsRepairedAndOutputIsDeterministic) {
  ScanResult scan = SampleScan();
  scan.findings[0].location.column =
      "bad\xff\xfe"
      "column";
  scan.findings[0].title = "title \xc3";
  const std::string text = RenderSarifReport(scan);
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_NO_THROW(json::parse(text));
  EXPECT_EQ(text, RenderSarifReport(scan));
}

}  // namespace
}  // namespace crmaudit
