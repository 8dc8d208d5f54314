// Spreadsheets and archives end to end: every sheet of a workbook and every member of a ZIP or
// tar is a dataset in coverage, inventory and findings; the file on disk is judged once for
// ENC-07; broken, encrypted, hostile and bomb containers are reported with a reason, the exit
// code says so, and the other targets are still scanned.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "cli_harness.h"
#include "tests/support/archive_writer.h"
#include "tests/support/xlsx_writer.h"

namespace crmaudit::testing {
namespace {

namespace fs = std::filesystem;

std::string Fixture(const std::string& name) {
  return ReadFile(fs::path(CRMAUDIT_TEST_FIXTURES) / "sources" / name);
}

std::string GoodContacts() {
  std::string csv = "name,email\n";
  for (int i = 0; i < 8; ++i) {
    csv += "Person " + std::to_string(i) + ",person" + std::to_string(i) + ".sample@example.com\n";
  }
  return csv;
}

class Containers : public ::testing::Test {
 protected:
  CliRun Scan(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"scan",     (scratch_.path() / "data").string(),
                                     "--out",    (scratch_.path() / "out").string(),
                                     "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCrmaudit(args);
  }
  nlohmann::json Report() { return ReadJson(scratch_.path() / "out" / "report.json"); }
  std::string Status(const nlohmann::json& report, const std::string& dataset) {
    const nlohmann::json* entry = CoverageFor(report, dataset);
    return entry ? (*entry)["status"].get<std::string>() : "<no coverage entry>";
  }
  std::string Reason(const nlohmann::json& report, const std::string& dataset) {
    const nlohmann::json* entry = CoverageFor(report, dataset);
    return entry ? (*entry)["reason"].get<std::string>() : "<no coverage entry>";
  }
  ScratchDir scratch_;
};

TEST_F(Containers, WorkbookSheetsAndSalesforceExportMembersAreDatasets) {
  scratch_.Write("data/crm_contacts.xlsx", Fixture("crm_contacts.xlsx"));
  scratch_.Write("data/salesforce_weekly_export.zip", Fixture("salesforce_weekly_export.zip"));
  CliRun run = Scan({"--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto report = Report();
  EXPECT_EQ(Status(report, "crm_contacts.xlsx#Contacts"), "scanned");
  EXPECT_EQ((*CoverageFor(report, "crm_contacts.xlsx#Contacts"))["rows"], 4);
  EXPECT_EQ((*CoverageFor(report, "crm_contacts.xlsx#Contacts"))["format"], "xlsx");
  EXPECT_EQ(Status(report, "crm_contacts.xlsx#Leads"), "scanned");
  // Excel's spare empty sheet loses nothing: skipped on purpose, not a gap.
  EXPECT_EQ(Status(report, "crm_contacts.xlsx#Notes"), "skipped");
  // The card stored as a number is reported as having lost digits.
  EXPECT_NE(Reason(report, "crm_contacts.xlsx#Contacts").find("lost digits"), std::string::npos);
  for (const char* member : {"Account.csv", "Contact.csv", "Lead.csv", "User.csv"}) {
    EXPECT_EQ(Status(report, std::string("salesforce_weekly_export.zip!/") + member), "scanned")
        << member;
  }
  // An attachment body is not an export: skipped on purpose.
  EXPECT_EQ(Status(report, "zip!/Attachments/00P5g00000AbCdEEAZ"), "skipped");

  EXPECT_EQ(FindingsFor(report, "EMAIL_ADDRESS", "crm_contacts.xlsx#Contacts").size(), 1u);
  EXPECT_EQ(
      FindingsFor(report, "EMAIL_ADDRESS", "salesforce_weekly_export.zip!/Contact.csv").size(), 1u);
  // The phone stored as a number (13800138000) is found as a phone.
  bool mobile = false;
  for (const auto& entry : report["inventory"]) {
    if (entry["dataset"] == "crm_contacts.xlsx#Contacts" &&
        entry["column"] == "Mobile Phone Number") {
      for (const auto& e : entry["entities"]) mobile = mobile || e["type"] == "PHONE_NUMBER";
    }
  }
  EXPECT_TRUE(mobile) << "the mobile number stored as a number was not found";
  // ENC-07 judges each file on disk once, not each sheet or member.
  std::multiset<std::string> enc;
  for (const auto& f : report["findings"]) {
    if (f["rule"] == "ENC-07") enc.insert(f["location"]["path"].get<std::string>());
  }
  EXPECT_EQ(enc, (std::multiset<std::string>{"crm_contacts.xlsx", "salesforce_weekly_export.zip"}));
  // No raw value in what the user sees.
  std::string everything = run.out + run.err + report.dump();
  EXPECT_EQ(everything.find("ann@example.com"), std::string::npos);
  EXPECT_EQ(everything.find("13800138000"), std::string::npos);
}

TEST_F(Containers, AWorkbookInsideAnArchiveIsReadSheetBySheet) {
  scratch_.Write("data/bundle.zip",
                 BuildArchive({{"exports/crm_contacts.xlsx", Fixture("crm_contacts.xlsx")},
                               {"inner.zip", BuildArchive({{"a.csv", GoodContacts()}})}}));
  CliRun run = Scan({"--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 3) << run.err;  // the archive inside the archive is a gap
  auto report = Report();
  EXPECT_EQ(Status(report, "bundle.zip!/exports/crm_contacts.xlsx#Contacts"), "scanned");
  EXPECT_EQ(Status(report, "bundle.zip!/exports/crm_contacts.xlsx#Leads"), "scanned");
  EXPECT_EQ(
      FindingsFor(report, "EMAIL_ADDRESS", "bundle.zip!/exports/crm_contacts.xlsx#Contacts").size(),
      1u);
  EXPECT_EQ(Status(report, "bundle.zip!/inner.zip"), "skipped");
  EXPECT_NE(Reason(report, "bundle.zip!/inner.zip").find("archive inside an archive"),
            std::string::npos);
}

// A sheet streams: memory does not grow with it (here about 60 MB of sheet XML).
TEST_F(Containers, ABigSheetIsReadInBoundedMemory) {
  std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>email</t></is></c>"
      "<c r=\"B1\" t=\"inlineStr\"><is><t>phone</t></is></c></row>";
  for (int r = 2; r < 300000; ++r) {
    const std::string n = std::to_string(r);
    rows += "<row r=\"" + n + "\"><c r=\"A" + n + "\" t=\"inlineStr\"><is><t>person" + n +
            ".sample@example.com</t></is></c><c r=\"B" + n + "\"><v>138" +
            std::to_string(10000000 + r) + "</v></c><c r=\"C" + n +
            "\" t=\"inlineStr\"><is><t>notes about the customer, nothing personal here " + n +
            "</t></is></c></row>";
  }
  XlsxSpec spec;
  spec.sheets = {{"Contacts", rows}};
  ASSERT_GT(rows.size(), 50u << 20);
  scratch_.Write("data/big.xlsx", BuildXlsx(spec));
  rows.clear();
  rows.shrink_to_fit();
  CliRun run = RunCrmauditDirect({"scan", "data", "--out", "out", "--format", "json", "--full",
                                  "--jobs", "1", "--fail-on", "never", "-q"},
                                 scratch_.path(), 600);
  ASSERT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto report = Report();
  EXPECT_EQ((*CoverageFor(report, "big.xlsx#Contacts"))["rows"], 299998);
  EXPECT_EQ(FindingsFor(report, "EMAIL_ADDRESS", "big.xlsx#Contacts").size(), 1u);
  if (kMemoryBoundsApply) {
    EXPECT_LT(run.max_rss_kib, 150 * 1024) << run.max_rss_kib;
  }
}

TEST_F(Containers, TarAndTarGzMembersIncludingNestedGzip) {
  const std::string csv = GoodContacts();
  ArchiveSpec tar;
  tar.format = "tar";
  scratch_.Write("data/export.tar", BuildArchive({{"contacts.csv", csv}}, tar));
  ArchiveSpec tgz;
  tgz.format = "tar.gz";
  scratch_.Write("data/export.tar.gz", BuildArchive({{"crm/contacts.csv.gz", Gzip(csv)}}, tgz));
  CliRun run = Scan({"--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto report = Report();
  EXPECT_EQ(Status(report, "export.tar!/contacts.csv"), "scanned");
  EXPECT_EQ(Status(report, "export.tar.gz!/crm/contacts.csv.gz"), "scanned");
  EXPECT_EQ((*CoverageFor(report, "export.tar.gz!/crm/contacts.csv.gz"))["rows"], 8);
  EXPECT_EQ(FindingsFor(report, "EMAIL_ADDRESS", "export.tar.gz!/crm/contacts.csv.gz").size(), 1u);
}

TEST_F(Containers, BrokenEncryptedAndBombContainersAreReportedAndTheRestIsScanned) {
  scratch_.Write("data/good/contacts.csv", GoodContacts());
  const std::string workbook = Fixture("crm_contacts.xlsx");
  scratch_.Write("data/cut.xlsx", workbook.substr(0, workbook.size() / 2));
  const std::string zip = Fixture("salesforce_weekly_export.zip");
  scratch_.Write("data/cut.zip", zip.substr(0, zip.size() / 2));
  scratch_.Write("data/notazip.zip", "Email\nann@example.com\n");
  // Missing shared strings: the sheet's cells that refer to them are not examined.
  XlsxSpec no_strings;
  no_strings.with_shared_strings_part = false;
  no_strings.sheets = {{"Contacts",
                        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Email</t></is>"
                        "</c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>"}};
  scratch_.Write("data/nostrings.xlsx", BuildXlsx(no_strings));
  // A zip bomb: 64 MiB of zeros compress about a thousandfold.
  scratch_.Write("data/bomb.zip", BuildArchive({{"contacts.csv", std::string(64ull << 20, '0')}}));
  CliRun run = Scan({"--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  auto report = Report();
  EXPECT_FALSE(report["scan"]["complete"].get<bool>());
  EXPECT_EQ(Status(report, "good/contacts.csv"), "scanned");
  EXPECT_EQ(FindingsFor(report, "EMAIL_ADDRESS", "good/contacts.csv").size(), 1u);

  EXPECT_EQ(Status(report, "cut.xlsx"), "error");
  EXPECT_NE(run.err.find("cut.xlsx: "), std::string::npos) << run.err;
  EXPECT_NE(Status(report, "notazip.zip"), "scanned");
  EXPECT_NE(Reason(report, "notazip.zip").find("not a readable ZIP or tar archive"),
            std::string::npos)
      << Reason(report, "notazip.zip");
  // The cut archive: whatever members came before the cut may be read; the archive says it is
  // damaged.
  bool cut_reported = false;
  for (const auto& c : report["coverage"]) {
    const std::string dataset = c["dataset"];
    if (dataset.starts_with("cut.zip") && c["status"] != "scanned") cut_reported = true;
  }
  EXPECT_TRUE(cut_reported);
  EXPECT_EQ(Status(report, "nostrings.xlsx#Contacts"), "error");
  EXPECT_NE(Reason(report, "nostrings.xlsx#Contacts").find("shared strings"), std::string::npos);
  EXPECT_EQ(Status(report, "bomb.zip!/contacts.csv"), "partial");
  EXPECT_NE(Reason(report, "bomb.zip!/contacts.csv").find("compression ratio over 200:1"),
            std::string::npos)
      << Reason(report, "bomb.zip!/contacts.csv");
  EXPECT_NE(run.err.find("bomb.zip!/contacts.csv"), std::string::npos) << run.err;
}

TEST_F(Containers, EncryptedWorkbooksAndArchivesAreEncryptedContainers) {
  // Office stores a password-protected workbook as an OLE compound file (EncryptedPackage).
  std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  ole += std::string(504, '\0');
  scratch_.Write("data/protected.xlsx", ole);
  ArchiveSpec locked;
  locked.passphrase = "correct horse";
  scratch_.Write("data/locked.zip", BuildArchive({{"Contact.csv", GoodContacts()}}, locked));
  CliRun run = Scan({"--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 0) << run.err;  // protected by design, not a gap
  auto report = Report();
  EXPECT_EQ(Status(report, "protected.xlsx"), "skipped");
  EXPECT_NE(Reason(report, "protected.xlsx").find("not scanned: encrypted (office-encrypted"),
            std::string::npos);
  EXPECT_EQ(Status(report, "locked.zip"), "skipped");
  EXPECT_NE(Reason(report, "locked.zip").find("not scanned: encrypted"), std::string::npos);

  // One encrypted member beside a plaintext one: the member is reported, the rest is read.
  scratch_.Write("data/mixed.zip", BuildArchive({{"Lead.csv", GoodContacts()}}));
  CliRun mixed = Scan({"--fail-on", "never"});
  EXPECT_EQ(mixed.exit_code, 0) << mixed.err;
  EXPECT_EQ(Status(Report(), "mixed.zip!/Lead.csv"), "scanned");
}

TEST_F(Containers, HostileMemberNamesAreEscapedLabelsNeverPaths) {
  scratch_.Write("data/evil.zip",
                 BuildArchive({{"../../escaped.csv", GoodContacts()},
                               {std::string("ok\x1b]0;pwned\x07.csv"), GoodContacts()}}));
  CliRun run = Scan({"--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto report = Report();
  EXPECT_EQ(Status(report, "evil.zip!/../../escaped.csv"), "scanned");
  EXPECT_EQ(Status(report, "evil.zip!/ok\\x1B]0;pwned\\x07.csv"), "scanned");
  EXPECT_FALSE(fs::exists(scratch_.path() / "escaped.csv"));
  EXPECT_FALSE(fs::exists(scratch_.path().parent_path() / "escaped.csv"));
  EXPECT_EQ((run.out + run.err + report.dump()).find('\x1b'), std::string::npos);
}

TEST_F(Containers, NextWeeksExportKeepsThisWeeksFindingIds) {
  const std::string zip = Fixture("salesforce_weekly_export.zip");
  scratch_.Write("data/weekly-export-2026-01-05.zip", zip);
  CliRun first = Scan({"--fail-on", "never"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::set<std::string> ids;
  const nlohmann::json report = Report();
  for (const auto& f : report["findings"]) ids.insert(f["id"].get<std::string>());
  ASSERT_FALSE(ids.empty()) << first.err;
  fs::remove(scratch_.path() / "data/weekly-export-2026-01-05.zip");
  scratch_.Write("data/weekly-export-2026-01-12.zip", zip);
  CliRun second = Scan({"--fail-on", "never"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  std::set<std::string> next;
  const nlohmann::json next_report = Report();
  for (const auto& f : next_report["findings"]) next.insert(f["id"].get<std::string>());
  EXPECT_EQ(ids, next);
  // Two members of one archive never share an id.
  std::set<std::string> paths;
  for (const auto& f : next_report["findings"]) {
    if (f.value("entity", "") == "EMAIL_ADDRESS") paths.insert(f["id"].get<std::string>());
  }
  EXPECT_GE(paths.size(), 3u);
}

}  // namespace
}  // namespace crmaudit::testing
