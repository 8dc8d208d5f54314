// Bad input, end to end through the real binary: each case gives a clear message naming the
// target, an entry in the report's coverage, the documented exit code, and the other targets
// are still scanned. Raw values never appear in what the user sees.
#include <gtest/gtest.h>
#include <unistd.h>

#include "cli_harness.h"

namespace crmaudit::testing {
namespace {

// A healthy export that must be scanned whatever else is broken next to it.
std::string GoodContacts() {
  std::string csv = "name,email\n";
  for (int i = 0; i < 8; ++i) {
    csv += "Person " + std::to_string(i) + ",person" + std::to_string(i) + ".sample@example.com\n";
  }
  return csv;
}

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override { scratch_.Write("data/good/contacts.csv", GoodContacts()); }

  // Scans data/ (plus extra targets) and returns the run; the report is in out/.
  CliRun Scan(std::vector<std::string> extra_args = {}, const std::string& as_user = "") {
    std::vector<std::string> args = {"scan",     (scratch_.path() / "data").string(),
                                     "--out",    (scratch_.path() / "out").string(),
                                     "--format", "json"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return RunCrmaudit(args, "", as_user);
  }

  nlohmann::json Report() { return ReadJson(scratch_.path() / "out" / "report.json"); }

  // The good export was still scanned and its emails found, masked.
  void ExpectGoodFileScanned(const nlohmann::json& report, const CliRun& run) {
    const nlohmann::json* good = CoverageFor(report, "good/contacts.csv");
    ASSERT_NE(good, nullptr);
    EXPECT_EQ((*good)["status"], "scanned");
    EXPECT_EQ((*good)["rows"], 8);
    auto emails = FindingsFor(report, "EMAIL_ADDRESS", "good/contacts.csv");
    ASSERT_EQ(emails.size(), 1u);
    EXPECT_EQ(emails[0]["evidence"]["count"], 8);
    std::string everything = run.out + run.err + report.dump();
    EXPECT_EQ(everything.find("sample@example.com"), std::string::npos)
        << "a raw scanned value leaked";
  }

  // The broken dataset is in coverage with a reason, the user was told, the scan says so.
  void ExpectIncomplete(const CliRun& run, const nlohmann::json& report, const std::string& file,
                        const std::string& status) {
    EXPECT_EQ(run.exit_code, 3) << run.err;
    EXPECT_FALSE(report["scan"]["complete"].get<bool>());
    const nlohmann::json* entry = CoverageFor(report, file);
    ASSERT_NE(entry, nullptr) << "no coverage entry for " << file;
    EXPECT_EQ((*entry)["status"], status);
    EXPECT_FALSE((*entry)["reason"].get<std::string>().empty());
    EXPECT_NE(run.err.find(file), std::string::npos) << "stderr does not name " << file << ":\n"
                                                     << run.err;
  }

  ScratchDir scratch_;
};

TEST_F(BadInput, UnbalancedQuoteGivesPartialCoverage) {
  scratch_.Write("data/broken.csv", "name,email\nA,a@x.org\nB,\"never closed\nC,c@x.org\n");
  CliRun run = Scan();
  auto report = Report();
  ExpectIncomplete(run, report, "broken.csv", "partial");
  ExpectGoodFileScanned(report, run);
}

TEST_F(BadInput, TruncatedGzipKeepsTheRowsBeforeTheCut) {
  std::string csv = "email\n";
  for (int i = 0; i < 20000; ++i) csv += "user" + std::to_string(i) + ".cut@example.org\n";
  std::string gz = Gzip(csv);
  scratch_.Write("data/export.csv.gz", gz.substr(0, gz.size() / 2));
  CliRun run = Scan();
  auto report = Report();
  ExpectIncomplete(run, report, "export.csv.gz", "partial");
  EXPECT_GT((*CoverageFor(report, "export.csv.gz"))["rows"].get<int>(), 0);
  EXPECT_FALSE(FindingsFor(report, "EMAIL_ADDRESS", "export.csv.gz").empty());
  ExpectGoodFileScanned(report, run);
}

TEST_F(BadInput, InvalidJsonHalfwayThroughNdjsonIsCountedAndReadingGoesOn) {
  std::string ndjson;
  for (int i = 0; i < 5; ++i) ndjson += R"({"email":"n)" + std::to_string(i) + "@example.net\"}\n";
  ndjson += "{\"email\": \"broken\n";
  for (int i = 5; i < 10; ++i) ndjson += R"({"email":"n)" + std::to_string(i) + "@example.net\"}\n";
  scratch_.Write("data/events.jsonl", ndjson);
  CliRun run = Scan();
  auto report = Report();
  ExpectIncomplete(run, report, "events.jsonl", "partial");
  EXPECT_EQ((*CoverageFor(report, "events.jsonl"))["malformed_records"], 1);
  EXPECT_EQ((*CoverageFor(report, "events.jsonl"))["rows"], 10);
  ExpectGoodFileScanned(report, run);
}

TEST_F(BadInput, BinaryFileNamedCsvIsAnErrorNotGarbageFindings) {
  std::string png = "\x89PNG\r\n\x1a\n";
  png.append(std::string("\0\0\0\rIHDR\0\0\x01\0", 12));  // length 13, IHDR, width
  for (int i = 0; i < 4096; ++i) png.push_back(static_cast<char>((i * 7919) & 0xff));
  scratch_.Write("data/photo.csv", png);
  CliRun run = Scan();
  auto report = Report();
  ExpectIncomplete(run, report, "photo.csv", "error");
  EXPECT_TRUE(FindingsFor(report, "EMAIL_ADDRESS", "photo.csv").empty());
  ExpectGoodFileScanned(report, run);
}

TEST_F(BadInput, EmptyFileIsReportedAsSkipped) {
  scratch_.Write("data/empty.csv", "");
  CliRun run = Scan();
  auto report = Report();
  ExpectIncomplete(run, report, "empty.csv", "skipped");
  ExpectGoodFileScanned(report, run);
}

TEST_F(BadInput, FileWithoutReadPermissionIsAnError) {
  auto locked = scratch_.Write("data/locked.csv", GoodContacts());
  std::filesystem::permissions(locked, std::filesystem::perms::none);
  // Root reads anything: run the scan as an unprivileged user, as an operator would.
  CliRun run = Scan({}, ::geteuid() == 0 ? "nobody" : "");
  auto report = Report();
  ExpectIncomplete(run, report, "locked.csv", "error");
  EXPECT_NE((*CoverageFor(report, "locked.csv"))["reason"].get<std::string>().find("ermission"),
            std::string::npos);
  ExpectGoodFileScanned(report, run);
}

TEST_F(BadInput, FiftyMegabyteSingleLineIsCutNotCrashed) {
  std::string line = "notes\n";
  line.reserve(52u << 20);
  while (line.size() < (50u << 20)) line += "lorem ipsum dolor sit amet ";
  scratch_.Write("data/huge-line.csv", line);
  CliRun run = Scan();
  auto report = Report();
  ExpectIncomplete(run, report, "huge-line.csv", "partial");
  ExpectGoodFileScanned(report, run);
}

TEST_F(BadInput, InvalidUtf8IsReplacedCountedAndNeverBreaksTheReport) {
  std::string csv = "name,email\n";
  for (int i = 0; i < 6; ++i) {
    csv += "Bad\xff\xfe name " + std::to_string(i) + ",u" + std::to_string(i) + "@example.org\n";
  }
  scratch_.Write("data/mojibake.csv", csv);
  CliRun run = Scan({"--encoding", "utf-8"});
  auto report = Report();
  ExpectIncomplete(run, report, "mojibake.csv", "partial");
  EXPECT_EQ((*CoverageFor(report, "mojibake.csv"))["invalid_bytes"], 12);
  EXPECT_EQ(FindingsFor(report, "EMAIL_ADDRESS", "mojibake.csv").size(), 1u);
  ExpectGoodFileScanned(report, run);
}

TEST_F(BadInput, MissingTargetPathIsReportedAndOtherTargetsAreScanned) {
  std::string missing = (scratch_.path() / "no-such-export.csv").string();
  CliRun run = Scan({missing});
  auto report = Report();
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("no-such-export.csv"), std::string::npos) << run.err;
  const nlohmann::json* entry = CoverageFor(report, "no-such-export.csv");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ((*entry)["status"], "error");
  ExpectGoodFileScanned(report, run);
}

TEST_F(BadInput, UnknownPolicyNameIsAUsageError) {
  CliRun run = Scan({"--policy", "no-such-pack"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no-such-pack"), std::string::npos) << run.err;
}

TEST_F(BadInput, MalformedPolicyPackNamesTheFileAndTheField) {
  auto pack = scratch_.Write("packs/broken.json", R"({
    "name": "broken", "version": "1.0.0",
    "detectors": [{"id": "x", "entity": "EMAIL_ADDRESS", "title": "X",
                   "patterns": ["(unclosed"], "severity": "medium"}]
  })");
  CliRun run = Scan({"--policy", pack.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("broken.json"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("patterns[0]"), std::string::npos) << run.err;
}

// A file name is chosen by whoever wrote the file: its escape sequences, CR and bidi override
// reach the terminal only as visible escapes, so it can neither retitle the terminal nor forge
// an "OK" line, and the JSON report keeps the name as it is.
TEST_F(BadInput, ControlCharactersInFileNamesAreEscapedOnTheTerminal) {
  const std::string hostile =
      "x\x1b]0;pwned\x07\rcrmaudit: scanned 0 dataset(s) OK\xe2\x80\xae"
      "vsc.csv";
  std::string png = "\x89PNG\r\n\x1a\n";
  png.append(4096, '\x01');
  scratch_.Write("data/" + hostile, png);
  CliRun run = Scan();
  EXPECT_EQ(run.exit_code, 3) << run.err;
  for (char c : {'\x1b', '\x07', '\r'}) {
    EXPECT_EQ(run.err.find(c), std::string::npos) << "raw control " << int(c) << ":\n" << run.err;
    EXPECT_EQ(run.out.find(c), std::string::npos);
  }
  EXPECT_EQ(run.err.find("\xe2\x80\xae"), std::string::npos) << "raw bidi override";
  EXPECT_NE(run.err.find("x\\x1B]0;pwned\\x07\\x0Dcrmaudit: scanned 0 dataset(s) OK\\u202Evsc.csv"),
            std::string::npos)
      << run.err;
  auto report = Report();
  EXPECT_NE(CoverageFor(report,
                        "OK\xe2\x80\xae"
                        "vsc.csv"),
            nullptr);
  ExpectGoodFileScanned(report, run);
}

// A CSV whose header has a million columns took 558 MB: memory per dataset is bounded by the
// cell limit (16384 cells), not by the header's width, and the cut header is reported.
TEST_F(BadInput, AMillionHeaderColumnsStayWithinTheCellLimit) {
  std::string csv;
  for (int i = 0; i < 1000000; ++i) csv += (i ? ",c" : "c") + std::to_string(i);
  csv += "\n1,2,3\n";
  scratch_.Write("data/wide.csv", csv);
  CliRun run =
      RunCrmauditDirect({"scan", "data", "--out", "out", "--format", "json"}, scratch_.path());
  EXPECT_FALSE(run.timed_out);
  if (kMemoryBoundsApply) {
    EXPECT_LT(run.max_rss_kib, 150 * 1024) << "peak RSS grew with the header's width";
  }
  auto report = Report();
  ExpectIncomplete(run, report, "wide.csv", "partial");
  EXPECT_NE((*CoverageFor(report, "wide.csv"))["reason"].get<std::string>().find("16384 cells"),
            std::string::npos);
  ExpectGoodFileScanned(report, run);
}

}  // namespace
}  // namespace crmaudit::testing
