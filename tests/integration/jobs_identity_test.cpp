// --jobs never changes a report: examples/, the accuracy corpus and big CSV files that are cut
// into pieces and parsed in parallel (split_csv_reader.h) — with quoted line breaks right where
// the pieces end, a stray quote that fools the quote count, CRLF and ragged rows — give the
// same report.json at --jobs 1, 2, 3, 4 and 8, apart from what differs by nature: the scan's
// id, its start and end times, and the jobs option itself.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace crmaudit::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kJobs[] = {1, 2, 3, 4, 8};

// The report with the fields that differ between two scans of the same data removed.
std::string Comparable(nlohmann::json report) {
  nlohmann::json& scan = report["scan"];
  scan.erase("id");
  scan.erase("started_at");
  scan.erase("finished_at");
  if (scan.contains("options")) scan["options"].erase("jobs");
  return report.dump(1);
}

// The first line where two dumps differ, to say what broke without printing whole reports.
std::string FirstDifference(const std::string& a, const std::string& b) {
  size_t line = 1;
  size_t start = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] != b[i]) {
      const size_t end_a = a.find('\n', i);
      const size_t end_b = b.find('\n', i);
      return "line " + std::to_string(line) + ": " + a.substr(start, end_a - start) + " <> " +
             b.substr(start, end_b - start);
    }
    if (a[i] == '\n') {
      ++line;
      start = i + 1;
    }
  }
  return "one report is longer";
}

class JobsIdentity : public ::testing::Test {
 protected:
  struct Scan {
    int exit_code = -1;
    std::string report;
    nlohmann::json json;
  };

  Scan ScanAt(const fs::path& data, int jobs) {
    const fs::path out = scratch_.path() / ("out-" + std::to_string(++runs_));
    CliRun run =
        RunCrmauditDirect({"scan", data.string(), "--full", "--jobs", std::to_string(jobs),
                           "--format", "json", "--fail-on", "never", "--out", out.string(), "-q"},
                          scratch_.path(), 600);
    EXPECT_FALSE(run.timed_out) << data << " at --jobs " << jobs;
    Scan scan;
    scan.exit_code = run.exit_code;
    scan.json = ReadJson(out / "report.json");
    scan.report = Comparable(scan.json);
    fs::remove_all(out);
    return scan;
  }

  // Scans `data` at every --jobs and expects one report; returns the --jobs 1 one.
  nlohmann::json ExpectSameAtEveryJobs(const fs::path& data) {
    const Scan one = ScanAt(data, 1);
    EXPECT_TRUE(one.json.is_object()) << "no report for " << data;
    for (int jobs : kJobs) {
      if (jobs == 1) continue;
      const Scan other = ScanAt(data, jobs);
      EXPECT_EQ(other.exit_code, one.exit_code) << data << " at --jobs " << jobs;
      EXPECT_TRUE(other.report == one.report)
          << data << " at --jobs " << jobs << " differs from --jobs 1 at "
          << FirstDifference(one.report, other.report);
    }
    return one.json;
  }

  ScratchDir scratch_;
  int runs_ = 0;
};

// A CRM export of about `bytes`. The file is read in 256 KB steps and a piece is cut at the
// last line break, outside quotes, before the end of what was read: with quoted line breaks, a
// record with a long quoted note full of them (and doubled quotes and CRLF) spans every step,
// so that break is inside quotes, and every other record has a few quoted breaks too, so most
// line breaks anywhere are. Returns the number of data records.
size_t WriteBigExport(const fs::path& path, size_t bytes, bool with_quoted_breaks) {
  std::string text = "id,first_name,email,phone,country,iban,note\r\n";
  const char* countries[] = {"DE", "FR", "US", "GB", "CN"};
  const char* phones[] = {"030 12345678", "06 12 47 12 70", "+1 202 555 0150", "020 7946 0018",
                          "138 0013 8000"};
  const char* ibans[] = {"DE89370400440532013000", "FR1420041010050500013M02606",
                         "GB82WEST12345698765432"};
  size_t next_step = 256 << 10;
  size_t records = 0;
  while (text.size() < bytes) {
    const size_t i = records++;
    std::string note = "called back";
    if (with_quoted_breaks && text.size() + 600 > next_step) {
      // Line breaks every few bytes from well before the step to well after it.
      note = "\"";
      for (int k = 0; k < 120; ++k) note += k % 3 == 0 ? "said \"\"hi\"\"\r\n" : "line\n";
      note += "\"";
      next_step += 256 << 10;
    } else if (with_quoted_breaks && i % 2 == 0) {
      note = "\"visit, then\ncall\n" + std::to_string(i) + "\nback\n\"";
    } else if (i == 1000) {
      note = "wants a 27\" screen";  // a stray quote: data, though the quote count disagrees
    }
    text += std::to_string(i) + ",Anna" + std::to_string(i % 97) + ",anna." + std::to_string(i) +
            "@example.com," + phones[i % 5] + "," + countries[(i / 3) % 5] + "," + ibans[i % 3] +
            "," + note;
    if (i % 101 == 0) text += ",extra";  // ragged
    text += with_quoted_breaks && i % 2 == 0 ? "\r\n" : "\n";
  }
  std::FILE* file = std::fopen(path.c_str(), "wb");
  EXPECT_NE(file, nullptr);
  if (file == nullptr) return 0;
  std::fwrite(text.data(), 1, text.size(), file);
  std::fclose(file);
  return records;
}

TEST_F(JobsIdentity, BigCsvCutIntoPiecesReadsTheSameAtEveryJobs) {
  const fs::path quoted = scratch_.path() / "contacts.csv";
  const size_t records = WriteBigExport(quoted, 6 << 20, true);
  const nlohmann::json report = ExpectSameAtEveryJobs(quoted);
  const nlohmann::json* coverage = CoverageFor(report, "contacts.csv");
  ASSERT_NE(coverage, nullptr);
  EXPECT_EQ(coverage->value("rows", 0u), records);
  EXPECT_EQ(coverage->value("status", ""), "scanned");

  // Without quoted line breaks every row's line is known, and so shown in the report.
  const fs::path plain = scratch_.path() / "plain.csv";
  WriteBigExport(plain, 5 << 20, false);
  ExpectSameAtEveryJobs(plain);
}

TEST_F(JobsIdentity, ExamplesReadTheSameAtEveryJobs) {
  ExpectSameAtEveryJobs(fs::path(CRMAUDIT_SOURCE_DIR) / "examples");
}

TEST_F(JobsIdentity, AccuracyCorpusReadsTheSameAtEveryJobs) {
  const fs::path corpus = scratch_.path() / "corpus";
  const std::string generate =
      "/usr/bin/python3 '" +
      (fs::path(CRMAUDIT_SOURCE_DIR) / "tests/accuracy/generate_corpus.py").string() + "' '" +
      corpus.string() + "' 700 > /dev/null";
  ASSERT_EQ(std::system(generate.c_str()), 0);
  ExpectSameAtEveryJobs(corpus);
}

}  // namespace
}  // namespace crmaudit::testing
