// Audits as routine, through the real binary: audit files, suppressions, export-file controls,
// diff, baselines across re-exports, and --version.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <ctime>
#include <fstream>

#include "cli_harness.h"

namespace crmaudit::testing {
namespace {

std::string Contacts(int rows, int offset = 0) {
  std::string csv = "name,email\n";
  for (int i = offset; i < offset + rows; ++i) {
    csv += "P" + std::to_string(i) + ",person" + std::to_string(i) + "@example.com\n";
  }
  return csv;
}

std::vector<nlohmann::json> Rule(const nlohmann::json& report, const std::string& rule) {
  std::vector<nlohmann::json> out;
  for (const auto& f : report["findings"]) {
    if (f["rule"] == rule) out.push_back(f);
  }
  return out;
}

TEST(RoutineAudit, AuditFileDrivesTheScanIntoADatedFolderAndChainsRuns) {
  ScratchDir scratch;
  scratch.Write("exports/contacts.csv", Contacts(6));
  scratch.Write("audit.json", R"({
    // nightly
    "targets": ["exports"],
    "policies": ["pii-core"],
    "fail_on": "never",
    "out": {"dir": "reports", "dated_subfolder": true, "chain": true},
    "formats": ["json"]
  })");
  std::string config = (scratch.path() / "audit.json").string();
  CliRun first = RunCrmaudit({"scan", "--config", config});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::vector<std::filesystem::path> runs;
  for (const auto& e : std::filesystem::directory_iterator(scratch.path() / "reports")) {
    if (e.is_directory()) runs.push_back(e.path());  // beside them: chain-head.json
  }
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].filename().string().size(), std::string("2026-11-24T185959Z").size());
  auto report = ReadJson(runs[0] / "report.json");
  EXPECT_EQ(report["scan"]["policy_packs"].size(), 1u);
  EXPECT_TRUE(report["scan"]["chain"]["previous_sha256"].is_null());

  // A second run (a second later, so its folder sorts after) links to the first.
  std::filesystem::rename(runs[0], scratch.path() / "reports" / "2000-01-01T000000Z");
  CliRun second = RunCrmaudit({"scan", "--config", config});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  bool chained = false;
  for (const auto& e : std::filesystem::directory_iterator(scratch.path() / "reports")) {
    if (e.path().filename() == "2000-01-01T000000Z" || !e.is_directory()) continue;
    chained = ReadJson(e.path() / "report.json")["scan"]["chain"]["previous_sha256"].is_string();
  }
  EXPECT_TRUE(chained);
}

TEST(RoutineAudit, AuditFileErrorsNameTheFieldAndExitTwo) {
  ScratchDir scratch;
  scratch.Write("audit.json", R"({"targets": ["x"], "fail_on": "sometimes"})");
  CliRun run = RunCrmaudit({"scan", "--config", (scratch.path() / "audit.json").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("fail_on"), std::string::npos) << run.err;
}

TEST(RoutineAudit, SuppressionsApplyUntilTheyExpireAndStrictRunsIgnoreThem) {
  ScratchDir scratch;
  auto file = scratch.Write("contacts.csv", Contacts(6));
  ::chmod(file.c_str(), 0644);  // world-readable plaintext PII: ENC-07, high
  auto out = (scratch.path() / "out").string();
  auto suppressions = scratch.Write("suppressions.json", R"({"suppressions": [
    {"rule": "ENC-07", "path": "*.csv", "reason": "drop folder on an encrypted volume", "expires": "2099-12-31"}
  ]})");
  CliRun run = RunCrmaudit({"scan", file.string(), "--out", out, "--format", "json",
                            "--suppressions", suppressions.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto enc = Rule(ReadJson(out + "/report.json"), "ENC-07");
  ASSERT_EQ(enc.size(), 1u);
  EXPECT_EQ(enc[0]["status"], "suppressed");
  EXPECT_NE(enc[0]["status_reason"].get<std::string>().find("encrypted volume"), std::string::npos);

  CliRun strict = RunCrmaudit({"scan", file.string(), "--out", out, "--format", "json",
                               "--suppressions", suppressions.string(), "--no-suppressions"});
  EXPECT_EQ(strict.exit_code, 1) << strict.err;

  auto expired = scratch.Write("expired.json", R"({"suppressions": [
    {"rule": "ENC-07", "reason": "temporary", "expires": "2020-01-01"}
  ]})");
  CliRun late = RunCrmaudit({"scan", file.string(), "--out", out, "--format", "json",
                             "--suppressions", expired.string()});
  EXPECT_EQ(late.exit_code, 1);
  EXPECT_NE(late.err.find("expired on 2020-01-01"), std::string::npos) << late.err;
}

TEST(RoutineAudit, ExportControlsJudgeModeEncryptionAndAge) {
  ScratchDir scratch;
  auto shared = scratch.Write("data/shared.csv", Contacts(6));
  auto owner_only = scratch.Write("data/owner.csv", Contacts(6, 100));
  auto encrypted = scratch.Write("data/contacts.csv.age", "age-encryption.org/v1\n-> X25519 abc\n");
  ::chmod(shared.c_str(), 0644);
  ::chmod(owner_only.c_str(), 0600);
  // An export last touched three years ago.
  struct timespec times[2] = {{std::time(nullptr) - 3 * 365 * 86400, 0},
                              {std::time(nullptr) - 3 * 365 * 86400, 0}};
  ::utimensat(AT_FDCWD, owner_only.c_str(), times, 0);
  auto out = (scratch.path() / "out").string();
  CliRun run = RunCrmaudit({"scan", (scratch.path() / "data").string(), "--out", out, "--format",
                            "json", "--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 0) << run.err;  // the encrypted container is not a gap
  auto report = ReadJson(out + "/report.json");
  std::map<std::string, std::string> enc;
  for (const auto& f : Rule(report, "ENC-07")) enc[f["location"]["path"]] = f["severity"];
  EXPECT_EQ(enc["shared.csv"], "high");
  EXPECT_EQ(enc["owner.csv"], "medium");
  EXPECT_FALSE(enc.count("contacts.csv.age"));
  auto ret = Rule(report, "RET-03");
  ASSERT_EQ(ret.size(), 1u);
  EXPECT_EQ(ret[0]["location"]["path"], "owner.csv");
  EXPECT_FALSE(ret[0]["frameworks"]["GDPR"].empty());
  EXPECT_FALSE(ret[0]["frameworks"]["PIPL"].empty());
  const nlohmann::json* age = CoverageFor(report, "contacts.csv.age");
  ASSERT_NE(age, nullptr);
  EXPECT_EQ((*age)["status"], "skipped");
  EXPECT_NE((*age)["reason"].get<std::string>().find("encrypted"), std::string::npos);
}

TEST(RoutineAudit, BaselineSurvivesReorderedRowsAndANewDateStamp) {
  ScratchDir scratch;
  std::string rows = Contacts(8);
  scratch.Write("2026-01/export-2026-01.csv", rows);
  // February's export: same people in another order, a new date in the name and in its
  // folder's name (a folder of another name is another place: a/ and public_share/ differ).
  std::string reordered = "name,email\n";
  for (int i = 7; i >= 0; --i) {
    reordered += "P" + std::to_string(i) + ",person" + std::to_string(i) + "@example.com\n";
  }
  scratch.Write("2026-02/export-2026-02.csv", reordered);
  auto jan = (scratch.path() / "jan-out").string();
  RunCrmaudit({"scan", (scratch.path() / "2026-01").string(), "--out", jan, "--format", "json",
               "--fail-on", "medium"});
  CliRun baseline = RunCrmaudit(
      {"baseline", jan + "/report.json", "--out", (scratch.path() / "baseline.json").string()});
  ASSERT_EQ(baseline.exit_code, 0) << baseline.err;
  CliRun feb = RunCrmaudit({"scan", (scratch.path() / "2026-02").string(), "--out",
                            (scratch.path() / "feb-out").string(), "--format", "json", "--fail-on",
                            "medium", "--baseline", (scratch.path() / "baseline.json").string()});
  EXPECT_EQ(feb.exit_code, 0) << feb.err;
  auto report = ReadJson(scratch.path() / "feb-out/report.json");
  ASSERT_FALSE(report["findings"].empty());
  for (const auto& f : report["findings"]) EXPECT_EQ(f["status"], "baselined") << f["rule"];
}

TEST(RoutineAudit, DiffShowsNewFindingsAndNewPiiColumns) {
  ScratchDir scratch;
  // The same export folder, before and after (kept in two places for the test).
  scratch.Write("v1/crm/contacts.csv", Contacts(6));
  std::string v2 = "name,email,mobile\n";
  for (int i = 0; i < 6; ++i) {
    v2 += "P" + std::to_string(i) + ",person" + std::to_string(i) + "@example.com,+44 20 7946 0" +
          std::to_string(100 + i) + "\n";
  }
  scratch.Write("v2/crm/contacts.csv", v2);
  auto a = (scratch.path() / "a").string();
  auto b = (scratch.path() / "b").string();
  RunCrmaudit({"scan", (scratch.path() / "v1/crm").string(), "--out", a, "--format", "json"});
  RunCrmaudit({"scan", (scratch.path() / "v2/crm").string(), "--out", b, "--format", "json"});
  CliRun text = RunCrmaudit({"diff", a + "/report.json", b + "/report.json"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("+ contacts.csv [mobile] PHONE_NUMBER"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("1 new"), std::string::npos) << text.out;
  CliRun json = RunCrmaudit({"diff", "--json", a + "/report.json", b + "/report.json"});
  auto diff = nlohmann::json::parse(json.out);
  EXPECT_EQ(diff["inventory"]["added"][0]["column"], "mobile");
  CliRun gate = RunCrmaudit({"diff", "--fail-on-new", a + "/report.json", b + "/report.json"});
  EXPECT_EQ(gate.exit_code, 1);
}

TEST(RoutineAudit, VersionNamesPacksAndLibraries) {
  CliRun run = RunCrmaudit({"--version"});
  EXPECT_EQ(run.exit_code, 0);
  std::string text = run.out + run.err;
  for (const char* needle : {"crmaudit 0.", "OpenSSL", "RE2", "libpqxx", "pii-core"}) {
    EXPECT_NE(text.find(needle), std::string::npos) << needle << " missing from:\n" << text;
  }
}

}  // namespace
}  // namespace crmaudit::testing
