// What a scan reads in a folder, what it leaves in --out, and what it says, through the real
// binary: files that are not exports, FIFOs and devices, kernel file systems, its own reports,
// reused and dated output folders, huge trees, options checked before scanning, and the
// terminal summary.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>

#include "cli_harness.h"

namespace crmaudit::testing {
namespace {

namespace fs = std::filesystem;

std::string Contacts(int rows) {
  std::string csv = "name,email\n";
  for (int i = 0; i < rows; ++i) {
    csv += "Person " + std::to_string(i) + ",person" + std::to_string(i) + ".sample@example.com\n";
  }
  return csv;
}

std::set<std::string> FilesIn(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class FoldersAndOutput : public ::testing::Test {
 protected:
  void SetUp() override { scratch_.Write("data/contacts.csv", Contacts(8)); }

  fs::path Data() const { return scratch_.path() / "data"; }
  fs::path Out() const { return scratch_.path() / "out"; }

  CliRun Scan(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"scan",         Data().string(), "--out",
                                     Out().string(), "--fail-on",     "never"};
    if (std::find(extra.begin(), extra.end(), "--format") == extra.end()) {
      args.insert(args.end(), {"--format", "json"});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCrmaudit(args);
  }

  nlohmann::json Report() { return ReadJson(Out() / "report.json"); }

  void ExpectSkippedOnPurpose(const nlohmann::json& report, const std::string& dataset,
                              const std::string& reason_part) {
    const nlohmann::json* entry = CoverageFor(report, dataset);
    ASSERT_NE(entry, nullptr) << "no coverage entry for " << dataset;
    EXPECT_EQ((*entry)["status"], "skipped") << entry->dump();
    EXPECT_NE((*entry)["reason"].get<std::string>().find(reason_part), std::string::npos)
        << entry->dump();
  }

  std::string MakeKey() {
    CliRun keygen = RunCrmaudit({"keygen", "--out", (scratch_.path() / "audit").string()});
    EXPECT_EQ(keygen.exit_code, 0) << keygen.err;
    return (scratch_.path() / "audit").string();
  }

  ScratchDir scratch_;
};

// Item 7: a README, a log, a PDF beside the exports are skipped on purpose, not gaps.
TEST_F(FoldersAndOutput, FilesThatAreNotExportsAreSkippedAndTheScanIsComplete) {
  scratch_.Write("data/README.md", "# Exports\nContact ops@example.com for access.\n");
  scratch_.Write("data/export.log", "2026-11-29 02:30 export finished, 8 rows\n");
  scratch_.Write("data/summary.pdf", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n");
  // No extension: the content decides, and a binary blob is not an export.
  scratch_.Write("data/blob", std::string("\x7F"
                                          "ELF\x02\x01\x01\0\0\0",
                                          10));
  CliRun run = Scan();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = Report();
  EXPECT_TRUE(report["scan"]["complete"].get<bool>());
  ExpectSkippedOnPurpose(report, "README.md", "not an export");
  ExpectSkippedOnPurpose(report, "export.log", "not an export");
  ExpectSkippedOnPurpose(report, "summary.pdf", "not an export");
  ExpectSkippedOnPurpose(report, "blob", "not an export");
  EXPECT_EQ((*CoverageFor(report, "contacts.csv"))["status"], "scanned");
  EXPECT_EQ(run.err.find("README.md"), std::string::npos) << "a deliberate skip is no warning";

  // Asked for by name pattern, a log is read.
  scratch_.Write("data/export.log", "name,email\nAnn,ann.log@example.com\n");
  CliRun logs = Scan({"--include", "*.log"});
  ASSERT_EQ(logs.exit_code, 0) << logs.err;
  EXPECT_EQ((*CoverageFor(Report(), "export.log"))["status"], "scanned");
}

// Item 7: a spreadsheet in a format not read yet (OpenDocument) may hold the contacts: a gap, said
// loudly, that --exclude accepts.
TEST_F(FoldersAndOutput, SpreadsheetNotReadYetIsAGapThatExcludeAccepts) {
  scratch_.Write("data/contacts.ods", std::string("PK\x03\x04\x14\0\0\0\x08\0", 10) + "xl/");
  CliRun run = Scan();
  EXPECT_EQ(run.exit_code, 3) << run.err;
  auto report = Report();
  const nlohmann::json* entry = CoverageFor(report, "contacts.ods");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ((*entry)["status"], "skipped");
  EXPECT_NE((*entry)["reason"].get<std::string>().find("not supported yet"), std::string::npos);
  EXPECT_NE(run.err.find("contacts.ods: format not supported yet"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--exclude '*.ods'"), std::string::npos) << run.err;

  CliRun accepted = Scan({"--exclude", "*.ods"});
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
}

// Item 7: a FIFO, a socket and a /dev/zero symlink never block the scan.
TEST_F(FoldersAndOutput, FifoSocketAndDeviceAreSkippedWithoutBlocking) {
  ASSERT_EQ(::mkfifo((Data() / "pipe.csv").c_str(), 0600), 0);
  fs::create_symlink("/dev/zero", Data() / "zero.csv");
  int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(sock, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::string socket_path = (Data() / "socket.csv").string();
  ASSERT_LT(socket_path.size(), sizeof address.sun_path);
  std::copy(socket_path.begin(), socket_path.end(), address.sun_path);
  ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);

  CliRun run = RunCrmauditDirect(
      {"scan", Data().string(), "--out", Out().string(), "--format", "json", "--fail-on", "never"},
      scratch_.path(), 60);
  ::close(sock);
  ASSERT_FALSE(run.timed_out) << "the scan hung";
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto report = Report();
  ExpectSkippedOnPurpose(report, "pipe.csv", "FIFO");
  ExpectSkippedOnPurpose(report, "zero.csv", "character device");
  ExpectSkippedOnPurpose(report, "socket.csv", "socket");
}

// Item 8: `cd exports; crmaudit scan .` twice never reads its own out/ (nor an old report).
TEST_F(FoldersAndOutput, ScanningTheCurrentFolderNeverReadsItsOwnReports) {
  fs::path archived = Data() / "archive" / "2026-01-01T000000Z";
  std::vector<std::string> args = {
      "scan", ".", "--out", "out", "--format", "json,html,sarif", "--fail-on", "never"};
  CliRun first = RunCrmauditDirect(args, Data());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  fs::create_directories(archived);
  fs::copy_file(Data() / "out" / "report.json", archived / "report.json");
  CliRun second = RunCrmauditDirect(args, Data());
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto report = ReadJson(Data() / "out" / "report.json");
  for (const auto& c : report["coverage"]) {
    std::string dataset = c["dataset"];
    EXPECT_NE(dataset.rfind("out/", 0), 0u) << "read its own output: " << dataset;
    EXPECT_NE(dataset.rfind("archive/2026-01-01T000000Z/", 0), 0u) << "read a report: " << dataset;
  }
  ExpectSkippedOnPurpose(report, "out", "own output");
  ExpectSkippedOnPurpose(report, "archive/2026-01-01T000000Z", "crmaudit report");
  EXPECT_EQ(report["inventory"].size(), ReadJson(archived / "report.json")["inventory"].size());
}

// Item 9: a reused --out holds exactly this run's artifacts; unrelated files stay.
TEST_F(FoldersAndOutput, ReusedOutFolderHoldsOnlyThisRunsArtifacts) {
  std::string key = MakeKey();
  CliRun signed_run = Scan({"--format", "json,html,sarif", "--sign-key", key + ".key"});
  ASSERT_EQ(signed_run.exit_code, 0) << signed_run.err;
  scratch_.Write("out/my-notes.txt", "keep me\n");

  CliRun unsigned_run = Scan({"--format", "json"});
  ASSERT_EQ(unsigned_run.exit_code, 0) << unsigned_run.err;
  EXPECT_EQ(FilesIn(Out()), (std::set<std::string>{"my-notes.txt", "report.json"}));

  CliRun resigned = Scan({"--format", "json,sarif", "--sign-key", key + ".key"});
  ASSERT_EQ(resigned.exit_code, 0) << resigned.err;
  EXPECT_EQ(FilesIn(Out()),
            (std::set<std::string>{"my-notes.txt", "report.json", "report.json.sig", "report.sarif",
                                   "report.sarif.sig", "report.dsse.json"}));
  CliRun verify = RunCrmaudit({"verify", Out().string(), "--key", key + ".pub"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// Item 9: an unwritable --out is a usage error found before anything is scanned.
TEST_F(FoldersAndOutput, UnwritableOutIsAUsageErrorBeforeScanning) {
  scratch_.Write("a-file", "x");
  CliRun run = RunCrmaudit(
      {"scan", Data().string(), "--out", (scratch_.path() / "a-file" / "out").string()});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("--out"), std::string::npos) << run.err;
  EXPECT_EQ(CountOf(run.err, "\n"), 1u) << run.err;
  EXPECT_EQ(run.err.find("scanned"), std::string::npos) << run.err;
}

// Item 8: the reports cannot go into the very folder being scanned.
TEST_F(FoldersAndOutput, OutFolderThatIsTheScannedFolderIsRefused) {
  CliRun run = RunCrmauditDirect({"scan", ".", "--out", "."}, Data());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("is the folder being scanned"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(Data() / "report.json"));
}

// Item 9: a chain link must not point at a report this run overwrites.
TEST_F(FoldersAndOutput, ChainFromAReportInTheSameOutFolderIsRefused) {
  ASSERT_EQ(Scan().exit_code, 0);
  CliRun run = Scan({"--chain-from", (Out() / "report.json").string()});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("overwritten"), std::string::npos) << run.err;
}

// Item 9: dated run folders are unique even for runs in the same second, and chain.
TEST_F(FoldersAndOutput, DatedRunFoldersAreUniqueAndTheChainVerifies) {
  std::string key = MakeKey();
  scratch_.Write("audit.json", R"({
    "targets": ["data"],
    "policies": ["pii-core"],
    "fail_on": "never",
    "formats": ["json"],
    "sign_key": "audit.key",
    "out": {"dir": "reports", "dated_subfolder": true, "chain": true}
  })");
  std::string config = (scratch_.path() / "audit.json").string();
  for (int i = 0; i < 3; ++i) {
    CliRun run = RunCrmaudit({"scan", "--config", config, "--quiet"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  std::set<std::string> runs = FilesIn(scratch_.path() / "reports");
  // Beside the run folders: the archive's chain head and its signature.
  EXPECT_EQ(runs.erase("chain-head.json") + runs.erase("chain-head.json.sig"), 2u);
  EXPECT_EQ(runs.size(), 3u) << "a run folder was overwritten";
  for (const std::string& run : runs) {
    EXPECT_TRUE(fs::exists(scratch_.path() / "reports" / run / "report.json")) << run;
  }
  CliRun verify = RunCrmaudit(
      {"verify", "--chain", (scratch_.path() / "reports").string(), "--key", key + ".pub"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// Item 11: a folder linking to /proc, /sys and /dev is scanned without entering them.
TEST_F(FoldersAndOutput, KernelFileSystemsAreNeverEntered) {
  fs::create_directory_symlink("/proc", Data() / "proc");
  fs::create_directory_symlink("/sys", Data() / "sys");
  fs::create_directory_symlink("/dev", Data() / "dev");
  CliRun run = RunCrmauditDirect(
      {"scan", Data().string(), "--out", Out().string(), "--format", "json", "--fail-on", "never"},
      scratch_.path(), 60);
  ASSERT_FALSE(run.timed_out) << "the scan walked into a kernel file system";
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto report = Report();
  for (const auto& c : report["coverage"]) {
    std::string dataset = c["dataset"];
    for (const char* pseudo : {"proc/", "sys/", "dev/"}) {
      EXPECT_NE(dataset.rfind(pseudo, 0), 0u) << "entered " << dataset;
    }
  }
  ExpectSkippedOnPurpose(report, "proc", "proc");
  ExpectSkippedOnPurpose(report, "sys", "sys");
  ExpectSkippedOnPurpose(report, "dev", "/dev");
}

// Item 11: memory does not grow with the number of files (200,000 that are not exports).
TEST_F(FoldersAndOutput, TwoHundredThousandFilesKeepMemoryBounded) {
  auto make_tree = [](const fs::path& root, int folders, int files_per_folder) {
    for (int d = 0; d < folders; ++d) {
      fs::path folder = root / ("batch-" + std::to_string(d));
      fs::create_directories(folder);
      for (int f = 0; f < files_per_folder; ++f) {
        std::ofstream(folder / ("notes-" + std::to_string(f) + ".md"));
      }
    }
  };
  fs::path small = scratch_.path() / "small", big = scratch_.path() / "big";
  make_tree(small, 2, 1000);
  make_tree(big, 200, 1000);
  auto scan = [&](const fs::path& root, const std::string& out) {
    return RunCrmauditDirect({"scan", root.string(), "--out", (scratch_.path() / out).string(),
                              "--format", "json", "--fail-on", "never"},
                             scratch_.path(), 300);
  };
  CliRun small_run = scan(small, "out-small");
  CliRun big_run = scan(big, "out-big");
  ASSERT_FALSE(big_run.timed_out);
  ASSERT_EQ(small_run.exit_code, 0) << small_run.err;
  ASSERT_EQ(big_run.exit_code, 0) << big_run.err.substr(0, 2000);
  std::printf("peak RSS: %ld KiB for 2,000 files, %ld KiB for 200,000 files\n",
              small_run.max_rss_kib, big_run.max_rss_kib);
  // 100 times the files; the walk, the coverage and the report stay within a few MiB.
  if (kMemoryBoundsApply) {
    EXPECT_LT(big_run.max_rss_kib, small_run.max_rss_kib + 32 * 1024)
        << "peak RSS " << small_run.max_rss_kib << " KiB for 2,000 files, " << big_run.max_rss_kib
        << " KiB for 200,000";
  }
  auto report = ReadJson(scratch_.path() / "out-big" / "report.json");
  EXPECT_LE(report["coverage"].size(), 1001u);
  bool counted = false;
  for (const auto& c : report["coverage"]) {
    if (c["dataset"].get<std::string>().find("199000 more files") != std::string::npos) {
      counted = true;
    }
  }
  EXPECT_TRUE(counted) << "the files beyond the first 1000 are not counted";
  EXPECT_NE(big_run.err.find("skipped on purpose: 200000 files"), std::string::npos) << big_run.err;
}

// Item 12: option values are checked before scanning, naming the valid values.
TEST_F(FoldersAndOutput, FormatIsCaseInsensitiveAndAWrongOneListsTheValidValues) {
  EXPECT_EQ(Scan({"--format", "JSON,Html"}).exit_code, 0);
  EXPECT_TRUE(fs::exists(Out() / "report.html"));
  CliRun wrong = Scan({"--format", "pdf"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("json, html, sarif"), std::string::npos) << wrong.err;
}

TEST_F(FoldersAndOutput, FormatsSeparatedBySpaceAreNotTakenForATarget) {
  CliRun run =
      RunCrmaudit({"scan", Data().string(), "--out", Out().string(), "--format", "json", "html"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("--format json,html"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(Out() / "report.json"));
}

TEST_F(FoldersAndOutput, UnknownOptionGetsTheNearestOne) {
  CliRun run = Scan({"--ful"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("unknown option --ful (did you mean --full?)"), std::string::npos)
      << run.err;
  CliRun typo = Scan({"--exlude", "*.md"});
  EXPECT_NE(typo.err.find("did you mean --exclude?"), std::string::npos) << typo.err;
}

TEST_F(FoldersAndOutput, UnknownEncodingAndRegionAreUsageErrorsBeforeScanning) {
  CliRun encoding = Scan({"--encoding", "klingon"});
  EXPECT_EQ(encoding.exit_code, 2) << encoding.err;
  EXPECT_NE(encoding.err.find("--encoding 'klingon' is not a known encoding"), std::string::npos)
      << encoding.err;
  EXPECT_NE(encoding.err.find("utf-8"), std::string::npos);
  EXPECT_FALSE(fs::exists(Out() / "report.json"));

  CliRun region = Scan({"--region", "XX"});
  EXPECT_EQ(region.exit_code, 2) << region.err;
  EXPECT_NE(region.err.find("--region 'XX'"), std::string::npos) << region.err;
  EXPECT_EQ(Scan({"--region", "cn"}).exit_code, 0);
}

TEST_F(FoldersAndOutput, PublicKeyGivenToSignKeyIsNamedAsSuch) {
  std::string key = MakeKey();
  fs::permissions(key + ".pub", fs::perms(0644));
  CliRun run = Scan({"--sign-key", key + ".pub"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("is a public key"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("chmod"), std::string::npos) << run.err;
}

// Item 13: the summary counts what was read, in human units, names each file once and lists
// signatures as signatures.
TEST_F(FoldersAndOutput, SummaryCountsReadDatasetsAndNamesEachFileOnce) {
  scratch_.Write("data/broken.csv", "name,email\nA,a@x.org\nB,\"never closed\nC,c@x.org\n");
  std::string key = MakeKey();
  CliRun run = Scan({(scratch_.path() / "missing.csv").string(), "--format", "json,html",
                     "--sign-key", key + ".key"});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("scanned 2 datasets ("), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(" B) in 2 targets"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("not scanned completely: 2 datasets"), std::string::npos) << run.err;
  EXPECT_EQ(CountOf(run.err, "broken.csv"), 1u) << run.err;
  EXPECT_NE(run.err.find("signatures: " + (Out() / "report.json.sig").string() + ", " +
                         (Out() / "report.html.sig").string()),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("report: " + (Out() / "report.json.sig").string()), std::string::npos);
  EXPECT_NE(run.err.find("signed envelope (DSSE): "), std::string::npos) << run.err;
}

TEST(HumanBytes, UsesBinaryUnits) {
  ScratchDir scratch;
  std::string big = "name,email\n";
  while (big.size() < 3 * 1024 * 1024) big += "Some Body,some.body@example.org\n";
  scratch.Write("data/big.csv", big);
  CliRun run =
      RunCrmaudit({"scan", (scratch.path() / "data").string(), "--out",
                   (scratch.path() / "out").string(), "--format", "json", "--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("3.0 MiB) in 1 target in"), std::string::npos) << run.err;
}

// Item 13: audit-file errors name the file, the line and the column, controls included.
TEST_F(FoldersAndOutput, AuditFileErrorsGiveLineAndColumn) {
  auto error_of = [&](const std::string& text) {
    scratch_.Write("audit.json", text);
    CliRun run = RunCrmaudit({"scan", "--config", (scratch_.path() / "audit.json").string()});
    EXPECT_EQ(run.exit_code, 2) << run.err;
    return run.err;
  };
  std::string syntax = error_of("{\n  \"targets\": [\"data\"],\n  \"fail_on\" \"high\"\n}\n");
  EXPECT_NE(syntax.find("audit.json:3:"), std::string::npos) << syntax;
  std::string field =
      error_of("{\n  \"targets\": [\"data\"],\n  // nightly\n  \"fail_on\": \"sometimes\"\n}\n");
  EXPECT_NE(field.find("audit.json:4:3: fail_on:"), std::string::npos) << field;
  std::string controls = error_of(
      "{\n  \"targets\": [\"data\"],\n  \"controls\": {\n    \"exports\": {\n"
      "      \"max_age_days\": 0\n    }\n  }\n}\n");
  EXPECT_NE(controls.find("audit.json:5:7: controls.exports.max_age_days:"), std::string::npos)
      << controls;
}

}  // namespace
}  // namespace crmaudit::testing
