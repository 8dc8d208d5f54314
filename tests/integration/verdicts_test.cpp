// What a pipeline and an auditor act on, through the real binary: no raw value in any name
// (a CSV without its header row), an incomplete scan never reads as pass, the number of
// controls not assessed beside the verdict, one finding id per file, and SARIF placed on the
// file in the repository.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "cli_harness.h"

namespace crmaudit::testing {
namespace {

const std::filesystem::path kSource = CRMAUDIT_SOURCE_DIR;

std::vector<std::string> SplitOn(const std::string& line, char delimiter) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, delimiter)) out.push_back(cell);
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// Every artifact under `dir` (reports, signatures, DSSE envelope with its payload decoded).
std::vector<std::pair<std::string, std::string>> Artifacts(const std::filesystem::path& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    out.emplace_back(entry.path().filename().string(), ReadFile(entry.path()));
  }
  return out;
}

// The cells of the first data row that are personal data (long enough to be unambiguous:
// the 2-letter country code also survives in a masked IBAN).
std::vector<std::string> RawValues(const std::string& row, char delimiter) {
  std::vector<std::string> out;
  for (const std::string& cell : SplitOn(row, delimiter)) {
    if (cell.size() >= 5) out.push_back(cell);
  }
  return out;
}

void ExpectNoRawValue(const std::filesystem::path& out, const std::vector<std::string>& raw,
                      const std::string& terminal) {
  ASSERT_FALSE(raw.empty());
  for (const auto& [name, bytes] : Artifacts(out)) {
    for (const std::string& value : raw) {
      EXPECT_EQ(bytes.find(value), std::string::npos) << name << " holds a raw value";
    }
  }
  for (const std::string& value : raw) {
    EXPECT_EQ(terminal.find(value), std::string::npos) << "the terminal shows a raw value";
  }
}

TEST(HeaderlessExport, NoRawValueInAnyArtifactAndTheFirstRowIsScanned) {
  const std::string contacts = ReadFile(kSource / "examples/crm-export/contacts.csv");
  std::vector<std::string> lines = Lines(contacts);
  ASSERT_GT(lines.size(), 10u);
  // `tail -n +2 contacts.csv > noheader.csv`
  ScratchDir scratch;
  auto file = scratch.Write("noheader.csv", contacts.substr(contacts.find('\n') + 1));
  auto out = scratch.path() / "out";
  CliRun run = RunCrmaudit({"scan", file.string(), "--out", out.string()});
  EXPECT_EQ(run.exit_code, 1) << run.err;  // cards and IBANs: high
  ExpectNoRawValue(out, RawValues(lines[1], ','), run.out + run.err);

  auto report = ReadJson(out / "report.json");
  const nlohmann::json* coverage = CoverageFor(report, "noheader.csv");
  ASSERT_NE(coverage, nullptr);
  EXPECT_EQ((*coverage)["rows"], lines.size() - 1) << "the first row was taken as a header";
  std::set<std::string> columns;
  for (const auto& entry : report["inventory"]) columns.insert(entry["column"]);
  EXPECT_TRUE(columns.count("column_4")) << "e-mail addresses are the 4th column";
  EXPECT_TRUE(columns.count("column_5"));
  for (const std::string& column : columns) EXPECT_EQ(column.rfind("column_", 0), 0u) << column;
  // The first row's e-mail address is the first one seen: row 1 of the file is data.
  auto emails = FindingsFor(report, "EMAIL_ADDRESS", "noheader.csv");
  ASSERT_FALSE(emails.empty());
  EXPECT_EQ(emails[0]["location"]["row"], 1);
  EXPECT_EQ(emails[0]["location"]["line"], 1);
}

TEST(HeaderlessExport, TabSeparatedWithoutHeaderToo) {
  ScratchDir scratch;
  std::string tsv;
  for (int i = 0; i < 6; ++i) {
    tsv += "Zed" + std::to_string(i) + "\tzed.person" + std::to_string(i) +
           "@example.org\t+49 30 1234 58" + std::to_string(10 + i) + "\n";
  }
  auto file = scratch.Write("people.tsv", tsv);
  auto out = scratch.path() / "out";
  CliRun run = RunCrmaudit({"scan", file.string(), "--out", out.string(), "--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  ExpectNoRawValue(out, {"zed.person0@example.org", "+49 30 1234 5810"}, run.out + run.err);
  auto report = ReadJson(out / "report.json");
  EXPECT_EQ((*CoverageFor(report, "people.tsv"))["rows"], 6);
}

TEST(HeaderlessExport, ARealHeaderStaysTheHeader) {
  ScratchDir scratch;
  auto file = scratch.Write("contacts.csv",
                            "id,email,phone,created\n1,a.person@example.org,+49 30 1234 5810,"
                            "2026-01-03\n2,b.person@example.org,+49 30 1234 5811,2026-01-04\n");
  auto out = scratch.path() / "out";
  RunCrmaudit({"scan", file.string(), "--out", out.string()});
  auto report = ReadJson(out / "report.json");
  EXPECT_EQ((*CoverageFor(report, "contacts.csv"))["rows"], 2);
  std::set<std::string> columns;
  for (const auto& entry : report["inventory"]) columns.insert(entry["column"]);
  EXPECT_EQ(columns, (std::set<std::string>{"email", "phone"}));
}

TEST(ValuesInNames, JsonKeysThatAreValuesAreMasked) {
  ScratchDir scratch;
  auto file = scratch.Write("by_email.ndjson",
                            "{\"frank.keyed@example.com\": {\"phone\": \"+49 30 1234 5898\"}}\n"
                            "{\"victor.keyed@example.net\": {\"phone\": \"+49 30 1234 5899\"}}\n");
  auto out = scratch.path() / "out";
  CliRun run = RunCrmaudit({"scan", file.string(), "--out", out.string(), "--fail-on", "never"});
  ExpectNoRawValue(out, {"frank.keyed@example.com", "victor.keyed@example.net", "frank.keyed"},
                   run.out + run.err);
  auto report = ReadJson(out / "report.json");
  bool masked_key = false;
  for (const auto& entry : report["inventory"]) {
    masked_key |= entry["column"].get<std::string>().find("***") != std::string::npos;
  }
  EXPECT_TRUE(masked_key) << report["inventory"].dump();
}

TEST(ValuesInNames, FileNamesThatAreValuesAreMasked) {
  ScratchDir scratch;
  scratch.Write("exports/frank.keyed@example.com.csv",
                "id,email\n1,a.person@example.org\n2,b.person@example.org\n");
  auto out = scratch.path() / "out";
  CliRun run = RunCrmaudit(
      {"scan", (scratch.path() / "exports").string(), "--out", out.string(), "--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  ExpectNoRawValue(out, {"frank.keyed@example.com", "frank.keyed"}, run.out + run.err);
  auto report = ReadJson(out / "report.json");
  ASSERT_EQ(report["coverage"].size(), 1u);
  const std::string dataset = report["coverage"][0]["dataset"];
  EXPECT_NE(dataset.find("***"), std::string::npos) << dataset;
  EXPECT_EQ(dataset.substr(dataset.size() - 4), ".csv");
  EXPECT_EQ(report["coverage"][0]["rows"], 2);
}

// A missing target: exit 3, and nothing anywhere says pass.
TEST(IncompleteScan, NeverReadsAsPass) {
  ScratchDir scratch;
  CliRun keygen = RunCrmaudit({"keygen", "--out", (scratch.path() / "audit").string()});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  auto out = scratch.path() / "out";
  CliRun run = RunCrmaudit({"scan", (scratch.path() / "no-such-folder").string(), "--out",
                            out.string(), "--sign-key", (scratch.path() / "audit.key").string()});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("verdict: INCOMPLETE"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("PASS"), std::string::npos) << run.err;

  auto report = ReadJson(out / "report.json");
  EXPECT_EQ(report["summary"]["verdict"], "incomplete");
  EXPECT_EQ(report["summary"]["complete"], false);
  EXPECT_EQ(report["scan"]["complete"], false);

  const std::string html = ReadFile(out / "report.html");
  EXPECT_NE(html.find("class=\"verdict incomplete\""), std::string::npos);
  EXPECT_EQ(html.find("class=\"verdict pass\""), std::string::npos);

  auto sarif = ReadJson(out / "report.sarif");
  const auto& invocation = sarif["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  EXPECT_EQ(invocation["properties"]["verdict"], "incomplete");
  EXPECT_EQ(sarif["runs"][0]["properties"]["verdict"], "incomplete");

  // The signed summary (DSSE predicate) carries the verdict and completeness.
  auto envelope = ReadJson(out / "report.dsse.json");
  std::string payload_file = (scratch.path() / "payload.json").string();
  std::ofstream(scratch.path() / "payload.b64") << envelope["payload"].get<std::string>();
  ASSERT_EQ(
      std::system(("base64 -d " + (scratch.path() / "payload.b64").string() + " > " + payload_file)
                      .c_str()),
      0);
  auto statement = ReadJson(payload_file);
  EXPECT_EQ(statement["predicate"]["verdict"], "incomplete");
  EXPECT_EQ(statement["predicate"]["complete"], false);
  CliRun verify =
      RunCrmaudit({"verify", out.string(), "--key", (scratch.path() / "audit.pub").string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST(IncompleteScan, ACompleteCleanScanStillPassesAndShowsControlsNotAssessed) {
  ScratchDir scratch;
  auto file = scratch.Write("orders.csv", "order_no,sku\n100234,SKU-1\n100235,SKU-2\n");
  auto out = scratch.path() / "out";
  CliRun run = RunCrmaudit({"scan", file.string(), "--out", out.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("verdict: PASS (fail-on high); 0 controls not assessed"),
            std::string::npos)
      << run.err;
  auto report = ReadJson(out / "report.json");
  EXPECT_EQ(report["summary"]["verdict"], "pass");
  EXPECT_EQ(report["summary"]["not_assessed"], 0);
  EXPECT_NE(ReadFile(out / "report.html").find("class=\"verdict pass\""), std::string::npos);
}

std::string Contacts(int rows, int seed) {
  std::string csv = "id,email,card\n";
  const char* cards[] = {"4242 4242 4242 4242", "5555-5555-5555-4444", "378282246310005"};
  for (int i = 0; i < rows; ++i) {
    csv += std::to_string(i) + ",p" + std::to_string(seed) + "x" + std::to_string(i) +
           "@example.com," + cards[i % 3] + "\n";
  }
  return csv;
}

std::vector<std::string> Ids(const nlohmann::json& report) {
  std::vector<std::string> out;
  for (const auto& f : report["findings"]) out.push_back(f["id"]);
  return out;
}

TEST(FindingIds, TheSameExportInAnotherFolderIsNotAcceptedByTheBaseline) {
  ScratchDir scratch;
  scratch.Write("a/export.csv", Contacts(9, 1));
  scratch.Write("public_share/export.csv", Contacts(9, 1));
  auto base = scratch.path() / "base";
  CliRun first = RunCrmaudit({"scan", (scratch.path() / "a").string(), "--out", base.string()});
  EXPECT_EQ(first.exit_code, 1) << first.err;
  auto out = scratch.path() / "out";
  CliRun copy = RunCrmaudit({"scan", (scratch.path() / "public_share").string(), "--out",
                             out.string(), "--baseline", (base / "report.json").string()});
  EXPECT_EQ(copy.exit_code, 1) << "the copy in the public share was accepted: " << copy.err;
  CliRun diff = RunCrmaudit(
      {"diff", (base / "report.json").string(), (out / "report.json").string(), "--fail-on-new"});
  EXPECT_NE(diff.exit_code, 0) << diff.out;

  // Both folders in one scan: every finding has its own id, in report.json and SARIF.
  auto both = scratch.path() / "both";
  RunCrmaudit({"scan", (scratch.path() / "a").string(), (scratch.path() / "public_share").string(),
               "--out", both.string()});
  auto ids = Ids(ReadJson(both / "report.json"));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  auto sarif = ReadJson(both / "report.sarif");
  std::set<std::string> fingerprints;
  for (const auto& result : sarif["runs"][0]["results"]) {
    fingerprints.insert(result["partialFingerprints"]["crmauditFindingId/v1"].get<std::string>());
  }
  EXPECT_EQ(fingerprints.size(), sarif["runs"][0]["results"].size());
}

TEST(FindingIds, DatedExportsSideBySideKeepTheirOwnIdsButNextMonthKeepsThisMonths) {
  ScratchDir scratch;
  scratch.Write("exports/export-2026-01.csv", Contacts(9, 1));
  scratch.Write("exports/export-2026-02.csv", Contacts(9, 2));
  auto out = scratch.path() / "out";
  RunCrmaudit({"scan", (scratch.path() / "exports").string(), "--out", out.string()});
  auto ids = Ids(ReadJson(out / "report.json"));
  ASSERT_EQ(ids.size(), 6u);  // e-mail, card and plaintext-export per file
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());

  // Dated folders side by side in one scan are two places too.
  scratch.Write("2026-01/contacts.csv", Contacts(9, 1));
  scratch.Write("2026-02/contacts.csv", Contacts(9, 2));
  auto folders = scratch.path() / "folders";
  RunCrmaudit({"scan", (scratch.path() / "2026-01").string(), (scratch.path() / "2026-02").string(),
               "--out", folders.string()});
  auto folder_ids = Ids(ReadJson(folders / "report.json"));
  ASSERT_EQ(folder_ids.size(), 6u);
  EXPECT_EQ(std::set<std::string>(folder_ids.begin(), folder_ids.end()).size(), 6u);

  // Across runs, one dated export replaced by the next keeps its ids (timestamps too).
  ScratchDir jan, feb;
  jan.Write("exports/export-2026-01-31T0200Z.csv", Contacts(9, 1));
  feb.Write("exports/export-2026-02-28T0200Z.csv", Contacts(12, 2));
  RunCrmaudit({"scan", (jan.path() / "exports").string(), "--out", (jan.path() / "o").string()});
  RunCrmaudit({"scan", (feb.path() / "exports").string(), "--out", (feb.path() / "o").string()});
  auto a = Ids(ReadJson(jan.path() / "o/report.json"));
  auto b = Ids(ReadJson(feb.path() / "o/report.json"));
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(std::set<std::string>(a.begin(), a.end()), std::set<std::string>(b.begin(), b.end()));
}

nlohmann::json FirstResult(const nlohmann::json& sarif, const std::string& text) {
  for (const auto& result : sarif["runs"][0]["results"]) {
    if (result["message"]["text"].get<std::string>().find(text) != std::string::npos) {
      return result;
    }
  }
  return nullptr;
}

TEST(SarifInARepository, PathsFromTheRepositoryRootAndTheFilesOwnLine) {
  ScratchDir scratch;
  std::filesystem::create_directories(scratch.path() / "repo/.git");
  scratch.Write("repo/exports/contacts.csv",
                "id,email\n1,\n2,\n3,x.person@example.org\n4,y.person@example.org\n"
                "5,z.person@example.org\n6,w.person@example.org\n");
  auto out = scratch.path() / "out";
  auto baseline_out = scratch.path() / "base";
  RunCrmaudit({"scan", (scratch.path() / "repo/exports").string(), "--out", baseline_out.string()});
  CliRun run = RunCrmaudit({"scan", (scratch.path() / "repo/exports").string(), "--out",
                            out.string(), "--baseline", (baseline_out / "report.json").string()});
  auto sarif = ReadJson(out / "report.sarif");
  auto email = FirstResult(sarif, "contacts.csv, column email");
  ASSERT_FALSE(email.is_null()) << sarif.dump(1);
  const auto& physical = email["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "exports/contacts.csv");
  EXPECT_EQ(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(physical["region"]["startLine"], 4) << "row 3 is line 4: the header counts";
  EXPECT_EQ(email["baselineState"], "unchanged");
  EXPECT_FALSE(email["partialFingerprints"].contains("primaryLocationLineHash"));
  EXPECT_TRUE(email["partialFingerprints"].contains("crmauditFindingId/v1"));

  // --sarif-root chooses the root; a new file's results are "new".
  scratch.Write("repo/exports/more/leads.csv", "id,mail\n1,q.person@example.org\n");
  auto rooted = scratch.path() / "rooted";
  RunCrmaudit({"scan", (scratch.path() / "repo/exports").string(), "--out", rooted.string(),
               "--sarif-root", (scratch.path() / "repo/exports").string(), "--baseline",
               (baseline_out / "report.json").string()});
  auto rooted_sarif = ReadJson(rooted / "report.sarif");
  auto lead = FirstResult(rooted_sarif, "more/leads.csv, column mail");
  ASSERT_FALSE(lead.is_null());
  EXPECT_EQ(lead["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "more/leads.csv");
  EXPECT_EQ(lead["baselineState"], "new");

  std::string validate = "/usr/bin/python3 " +
                         (kSource / "tests/fixtures/html_sarif/validate_sarif.py").string() + " " +
                         (kSource / "tests/fixtures/html_sarif/sarif-schema-2.1.0.json").string() +
                         " " + (rooted / "report.sarif").string() + " > /dev/null";
  EXPECT_EQ(std::system(validate.c_str()), 0);
}

TEST(SarifInARepository, NoRegionWhenAQuotedLineBreakShiftsTheLines) {
  ScratchDir scratch;
  std::filesystem::create_directories(scratch.path() / "repo/.git");
  scratch.Write("repo/contacts.csv",
                "id,note,email\n1,\"two\nlines\",x.person@example.org\n2,,y.person@example.org\n"
                "3,,z.person@example.org\n");
  auto out = scratch.path() / "out";
  RunCrmaudit({"scan", (scratch.path() / "repo").string(), "--out", out.string()});
  auto email = FirstResult(ReadJson(out / "report.sarif"), "column email");
  ASSERT_FALSE(email.is_null());
  EXPECT_EQ(email["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "contacts.csv");
  EXPECT_FALSE(email["locations"][0]["physicalLocation"].contains("region"));
}

}  // namespace
}  // namespace crmaudit::testing
