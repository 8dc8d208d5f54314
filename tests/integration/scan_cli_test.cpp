// The main path through the real binary: exports in → personal data found → report.json out →
// a trustworthy exit code.
#include <gtest/gtest.h>

#include <set>

#include "cli_harness.h"

namespace crmaudit::testing {
namespace {

const std::filesystem::path kSource = CRMAUDIT_SOURCE_DIR;

std::string Contacts(int rows) {
  std::string csv = "id,full_name,email,card\n";
  const char* cards[] = {"4242 4242 4242 4242", "5555-5555-5555-4444", "378282246310005"};
  for (int i = 0; i < rows; ++i) {
    csv += std::to_string(i) + ",Person " + std::to_string(i) + ",p" + std::to_string(i) +
           "@example.com," + cards[i % 3] + "\n";
  }
  return csv;
}

TEST(ScanCli, ExitCodeFollowsFailOnThreshold) {
  ScratchDir scratch;
  auto file = scratch.Write("contacts.csv", Contacts(9));
  auto out = (scratch.path() / "out").string();
  // Card numbers are high severity in pii-core: the default threshold (high) fails.
  CliRun fail = RunCrmaudit({"scan", file.string(), "--out", out, "--format", "json"});
  EXPECT_EQ(fail.exit_code, 1) << fail.err;
  EXPECT_EQ(ReadJson(scratch.path() / "out/report.json")["summary"]["verdict"], "fail");
  CliRun never = RunCrmaudit({"scan", file.string(), "--out", out, "--fail-on", "never"});
  EXPECT_EQ(never.exit_code, 0) << never.err;
  CliRun critical = RunCrmaudit({"scan", file.string(), "--out", out, "--fail-on", "critical"});
  EXPECT_EQ(critical.exit_code, 0) << critical.err;
  CliRun bad = RunCrmaudit({"scan", file.string(), "--out", out, "--fail-on", "sometimes"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(ScanCli, CleanExportPassesWithExitZero) {
  ScratchDir scratch;
  auto file =
      scratch.Write("orders.csv", "order_no,sku,amount\n100234,SKU-1,10\n100235,SKU-2,12\n");
  CliRun run = RunCrmaudit({"scan", file.string(), "--out", (scratch.path() / "out").string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto report = ReadJson(scratch.path() / "out/report.json");
  EXPECT_TRUE(report["findings"].empty());
  EXPECT_TRUE(report["scan"]["complete"].get<bool>());
}

TEST(ScanCli, FindingIdsAreStableAcrossRunsAndMovedFolders) {
  ScratchDir a, b;
  a.Write("exports/contacts-2026-01.csv", Contacts(9));
  b.Write("elsewhere/deeper/exports/contacts-2026-02.csv", Contacts(12));
  RunCrmaudit({"scan", (a.path() / "exports").string(), "--out", (a.path() / "out").string()});
  RunCrmaudit({"scan", (b.path() / "elsewhere/deeper/exports").string(), "--out",
               (b.path() / "out").string()});
  auto ids = [](const nlohmann::json& report) {
    std::set<std::string> out;
    for (const auto& f : report["findings"]) out.insert(f["id"].get<std::string>());
    return out;
  };
  auto first = ids(ReadJson(a.path() / "out/report.json"));
  auto second = ids(ReadJson(b.path() / "out/report.json"));
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);
}

TEST(ScanCli, SummaryOnStderrAndNoProgressLineWhenNotATerminal) {
  ScratchDir scratch;
  auto file = scratch.Write("contacts.csv", Contacts(9));
  CliRun run = RunCrmaudit({"scan", file.string(), "--out", (scratch.path() / "out").string()});
  EXPECT_NE(run.err.find("verdict: FAIL"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("report.json"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find('\r'), std::string::npos) << "progress line written to a non-TTY";
  EXPECT_EQ(run.err.find("\033["), std::string::npos);
  // Counts and masked samples only.
  std::string everything = run.out + run.err + ReadFile(scratch.path() / "out/report.json");
  EXPECT_EQ(everything.find("p3@example.com"), std::string::npos);
  EXPECT_EQ(everything.find("4242 4242 4242 4242"), std::string::npos);
  EXPECT_EQ(everything.find("378282246310005"), std::string::npos);
}

TEST(ScanCli, OneBigFileGivesTheSameReportWithOneOrTwoJobs) {
  ScratchDir scratch;
  std::string csv = "id,email,card,notes\n";
  const char* cards[] = {"4242 4242 4242 4242", "5555-5555-5555-4444", "378282246310005"};
  for (int i = 0; i < 20000; ++i) {
    csv += std::to_string(i) + ",u" + std::to_string(i) + "@example.org," + cards[i % 3] +
           (i % 7 == 0 ? ",call +44 20 7946 0" + std::to_string(100 + i % 800) : ",no contact") +
           "\n";
  }
  auto file = scratch.Write("big.csv", csv);
  auto one = (scratch.path() / "one").string();
  auto two = (scratch.path() / "two").string();
  RunCrmaudit({"scan", file.string(), "--full", "--jobs", "1", "--out", one, "--format", "json"});
  RunCrmaudit({"scan", file.string(), "--full", "--jobs", "2", "--out", two, "--format", "json"});
  auto strip = [](nlohmann::json report) {
    report.erase("scan");  // id, times and the jobs option differ by design
    return report.dump();
  };
  auto a = ReadJson(one + "/report.json");
  EXPECT_FALSE(a["findings"].empty());
  EXPECT_EQ(strip(a), strip(ReadJson(two + "/report.json")));
}

TEST(ScanCli, ProgressLineIsDrawnOnATerminal) {
  ScratchDir scratch;
  auto file = scratch.Write("contacts.csv", Contacts(9));
  // `script` gives the scan a pseudo-terminal, as an operator's shell would.
  std::string command = "script -qec \"" + std::string(CRMAUDIT_BINARY) + " scan " + file.string() +
                        " --out " + (scratch.path() / "out").string() +
                        " --format json\" /dev/null > " + (scratch.path() / "tty.txt").string() +
                        " 2>&1";
  std::system(command.c_str());
  std::string screen = ReadFile(scratch.path() / "tty.txt");
  EXPECT_NE(screen.find("scanning: 1 of 1 dataset found so far, 9 rows, 426 B"), std::string::npos)
      << screen;
  EXPECT_NE(screen.find('\r'), std::string::npos);
  EXPECT_EQ(screen.find("p3@example.com"), std::string::npos);
}

TEST(ScanCli, BaselineMarksKnownFindingsAndOnlyNewOnesFail) {
  ScratchDir scratch;
  auto file = scratch.Write("contacts.csv", Contacts(9));
  auto out1 = (scratch.path() / "run1").string();
  auto out2 = (scratch.path() / "run2").string();
  EXPECT_EQ(RunCrmaudit({"scan", file.string(), "--out", out1}).exit_code, 1);
  CliRun second =
      RunCrmaudit({"scan", file.string(), "--out", out2, "--baseline", out1 + "/report.json"});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  // The report outlives the loop (a range-for over a member of a temporary would read freed
  // memory).
  const auto report = ReadJson(out2 + "/report.json");
  ASSERT_FALSE(report["findings"].empty());
  for (const auto& f : report["findings"]) {
    EXPECT_EQ(f["status"], "baselined");
  }
}

TEST(ScanCli, ChainFromRecordsThePreviousReportDigest) {
  ScratchDir scratch;
  auto file = scratch.Write("contacts.csv", Contacts(3));
  auto out1 = (scratch.path() / "run1").string();
  auto out2 = (scratch.path() / "run2").string();
  RunCrmaudit({"scan", file.string(), "--out", out1});
  RunCrmaudit({"scan", file.string(), "--out", out2, "--chain-from", out1 + "/report.json"});
  auto digest = ReadJson(out2 + "/report.json")["scan"]["chain"]["previous_sha256"];
  ASSERT_TRUE(digest.is_string());
  // Independent check with the stock openssl command.
  ScratchDir tmp;
  std::string cmd =
      "openssl dgst -sha256 -r " + out1 + "/report.json > " + (tmp.path() / "d").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(ReadFile(tmp.path() / "d").substr(0, 64), digest.get<std::string>());
}

TEST(ScanCli, ReportValidatesAgainstThePublishedSchema) {
  ScratchDir scratch;
  scratch.Write("data/contacts.csv", Contacts(9));
  scratch.Write("data/broken.csv", "a,b\n1,\"open\n");
  RunCrmaudit(
      {"scan", (scratch.path() / "data").string(), "--out", (scratch.path() / "out").string()});
  std::string cmd =
      "/usr/bin/python3 -c \"import json,sys,jsonschema; "
      "s=json.load(open(sys.argv[1])); r=json.load(open(sys.argv[2])); "
      "jsonschema.Draft202012Validator(s).validate(r)\" " +
      (kSource / "docs/report-schema.json").string() + " " +
      (scratch.path() / "out/report.json").string();
  EXPECT_EQ(std::system(cmd.c_str()), 0) << "report.json does not match docs/report-schema.json";
}

// examples/expected-findings.json: the columns a scan of examples/crm-export must list with
// their entity (names, street addresses, birth dates and IP addresses included), and decoy
// files and columns it must leave out. The database half is checked by unit_postgres.
TEST(ScanCli, ExamplesExportFindsTheSeededPersonalData) {
  ScratchDir scratch;
  auto expected_file = kSource / "examples/expected-findings.json";
  ASSERT_TRUE(std::filesystem::exists(expected_file));
  CliRun run = RunCrmaudit({"scan", (kSource / "examples/crm-export").string(), "--out",
                            (scratch.path() / "out").string(), "--fail-on", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = ReadJson(scratch.path() / "out/report.json");
  std::set<std::tuple<std::string, std::string, std::string>> found;
  std::set<std::pair<std::string, std::string>> classified;  // (file, column)
  for (const auto& e : report["inventory"]) {
    for (const auto& entity : e["entities"]) {
      found.insert({e["dataset"].get<std::string>(), e["column"].get<std::string>(),
                    entity["type"].get<std::string>()});
      classified.insert({e["dataset"].get<std::string>(), e["column"].get<std::string>()});
    }
  }
  auto expected = ReadJson(expected_file);
  const auto& list = expected["findings"];
  ASSERT_GT(list.size(), 30u);
  std::set<std::string> entities;
  for (const auto& item : list) {
    std::tuple<std::string, std::string, std::string> key{item["file"].get<std::string>(),
                                                          item["column"].get<std::string>(),
                                                          item["entity"].get<std::string>()};
    entities.insert(item["entity"].get<std::string>());
    EXPECT_TRUE(found.count(key)) << "missing " << item.dump();
  }
  for (const char* type : {"PERSON_NAME", "POSTAL_ADDRESS", "DATE_OF_BIRTH", "IP_ADDRESS"}) {
    EXPECT_TRUE(entities.count(type)) << "expected-findings.json lists no " << type << " column";
  }
  int clean = 0;
  for (const auto& item : expected["must_stay_clean"]) {
    if (!item.contains("file")) continue;  // a database table: unit_postgres
    ++clean;
    const std::string file = item["file"].get<std::string>();
    for (const auto& [dataset, column] : classified) {
      if (dataset != file) continue;
      EXPECT_TRUE(item.contains("column") && column != item["column"].get<std::string>())
          << file << ": decoy column \"" << column << "\" is in the inventory";
    }
  }
  EXPECT_GT(clean, 5);
  for (const auto& f : report["findings"]) {
    for (const auto& sample : f["evidence"]["samples"]) {
      EXPECT_NE(sample.get<std::string>().find('*'), std::string::npos)
          << f["rule"] << " sample is not masked";
    }
  }
}

}  // namespace
}  // namespace crmaudit::testing
