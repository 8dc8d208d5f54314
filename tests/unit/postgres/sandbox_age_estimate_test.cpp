// RET-01/RET-02 counts estimated in a sampled scan, against a real PostgreSQL sandbox and
// through the real binary (sources/postgres/age_reader.h): a table of 300,000 rows (above
// kEstimateAgesFromRows) is counted over a TABLESAMPLE SYSTEM sample and scaled to its
// reltuples, within a stated tolerance, and the report says "estimated" with the sample size;
// --full counts it exactly; a table of 5,000 rows is always counted exactly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scanner/sources/postgres/age_reader.h"
#include "scanner/sources/postgres/catalog_facts_reader.h"
#include "scanner/sources/postgres/conninfo.h"
#include "tests/support/expect_near.h"
#include "tests/unit/postgres/cli_run.h"
#include "tests/unit/postgres/sandbox.h"

namespace crmaudit {
namespace {

using testing::CliRun;
using ::testing::HasSubstr;
using testing::SharedSandboxTest;

// The estimate's stated tolerance: within 10 % of the true count. About 3 rows in 10 are past
// the period, at random (a seeded random(), so every run holds the same rows), so a sample of
// ~30,000 rows misses by about 1 %; 10 % keeps the test about behaviour, not luck.
constexpr double kTolerance = 0.10;
constexpr uint64_t kBigRows = 300000, kSmallRows = 5000;

class SandboxAgeEstimate : public SharedSandboxTest<SandboxAgeEstimate> {
 protected:
  static void SetUpTestSuite() {
    StartSharedSandbox();
    if (!started_) return;
    // e-mail addresses (personal data, so the scan plans RET-01), dated by created_at: about
    // 3 rows in 10, at random, five years old (past the default 3-year period), the rest a
    // day old.
    auto table = [](const std::string& name, uint64_t rows) {
      return "CREATE TABLE ret." + name + " AS SELECT g AS id, 'person' || g || '@example.com'" +
             " AS email, now() - CASE WHEN random() < 0.3 THEN interval '5 years' ELSE interval" +
             " '1 day' END AS created_at FROM generate_series(1, " + std::to_string(rows) + ") g;";
    };
    sandbox_->Exec("SELECT setseed(0.42); CREATE SCHEMA ret;" + table("big", kBigRows) +
                   table("small", kSmallRows) + "ANALYZE ret.big; ANALYZE ret.small;");
    // The true counts, asked directly.
    big_past_ = std::stoull(sandbox_->Query1(
        "SELECT count(*) FROM ret.big WHERE created_at < now() - interval '3 years'"));
    small_past_ = std::stoull(sandbox_->Query1(
        "SELECT count(*) FROM ret.small WHERE created_at < now() - interval '3 years'"));
  }
  static inline uint64_t big_past_ = 0, small_past_ = 0;

  static std::vector<AgeProbeResult> Ages(bool estimate_large) {
    FactsRequest request;
    request.estimate_large_ages = estimate_large;
    request.age_probes = {{"ret", "big", "created_at", "3 years", false, "automatic"},
                          {"ret", "small", "created_at", "3 years", false, "automatic"}};
    SessionSettings settings;
    FactsOutcome outcome =
        CollectDatabaseFacts(PoliteConnInfo(sandbox_->SocketConnInfo(), settings), request);
    EXPECT_TRUE(outcome.error.empty()) << outcome.error;
    return outcome.facts.ages;
  }

  static CliRun Scan(std::vector<std::string> args) {
    const std::string uri =
        "postgresql://postgres@/crm?host=" + sandbox_->dir() + "&port=" + sandbox_->port();
    args.insert(args.begin(), uri);
    for (const char* more : {"--fail-on", "never", "--policy", "pii-core"}) args.push_back(more);
    return testing::RunScan(
        sandbox_->dir(), args,
        {"CRMAUDIT_POLICY_DIR=" + std::string(CRMAUDIT_SOURCE_DIR) + "/policies"});
  }

  // The report's RET-01 finding about `table`, or null.
  static nlohmann::json Ret01(const CliRun& run, const std::string& table) {
    if (!run.report.is_object()) return nullptr;
    for (const auto& finding : run.report["findings"]) {
      if (finding.value("rule", "") == "RET-01" &&
          finding["location"].value("table", "") == table) {
        return finding;
      }
    }
    return nullptr;
  }
};

void ExpectNear(uint64_t estimate, uint64_t truth, const char* what) {
  testing::ExpectNear(estimate, truth, kTolerance, what);
}

TEST_F(SandboxAgeEstimate, ALargeTableIsEstimatedFromASampleAndASmallOneCountedExactly) {
  const std::vector<AgeProbeResult> ages = Ages(/*estimate_large=*/true);
  ASSERT_EQ(ages.size(), 2u);
  const AgeProbeResult& big = ages[0];
  ASSERT_TRUE(big.assessed) << big.reason;
  EXPECT_TRUE(big.estimated);
  // About kEstimateSampleRows rows: a few per cent of the pages, not the table.
  EXPECT_GT(big.sample_rows, 10000u);
  EXPECT_LT(big.sample_rows, 60000u);
  EXPECT_GT(big_past_, kBigRows / 4);  // the data is what the test means
  EXPECT_LT(big_past_, kBigRows / 3);
  ExpectNear(big.rows_past, big_past_, "rows past the period");
  ExpectNear(big.rows_total, kBigRows, "rows dated");
  EXPECT_EQ(big.oldest.substr(0, 2), "20");  // an ISO date of a sampled row past the period

  const AgeProbeResult& small = ages[1];
  ASSERT_TRUE(small.assessed) << small.reason;
  EXPECT_FALSE(small.estimated) << "a table under the threshold is counted exactly";
  EXPECT_EQ(small.sample_rows, 0u);
  EXPECT_EQ(small.rows_past, small_past_);
  EXPECT_EQ(small.rows_total, kSmallRows);
}

TEST_F(SandboxAgeEstimate, WithoutEstimatesEveryRowIsCounted) {
  const std::vector<AgeProbeResult> ages = Ages(/*estimate_large=*/false);
  ASSERT_EQ(ages.size(), 2u);
  EXPECT_FALSE(ages[0].estimated);
  EXPECT_EQ(ages[0].rows_past, big_past_);
  EXPECT_EQ(ages[0].rows_total, kBigRows);
  EXPECT_EQ(ages[1].rows_past, small_past_);
}

TEST_F(SandboxAgeEstimate, TheSampleSizeFollowsTheThreshold) {
  EXPECT_EQ(AgeEstimatePercent(-1), 0) << "never analysed: exact";
  EXPECT_EQ(AgeEstimatePercent(kEstimateAgesFromRows - 1), 0);
  EXPECT_DOUBLE_EQ(AgeEstimatePercent(1000000), 3.0);  // 30,000 rows of 1,000,000
}

TEST_F(SandboxAgeEstimate, DefaultScanSaysTheCountIsEstimatedAndFullCountsExactly) {
  const CliRun sampled = Scan({"--tables", "ret.big"});
  ASSERT_EQ(sampled.exit_code, 0) << sampled.stderr_text;
  const nlohmann::json estimated = Ret01(sampled, "big");
  ASSERT_TRUE(estimated.is_object()) << "RET-01 must fail on rows five years old";
  EXPECT_EQ(estimated["status"], "open");
  EXPECT_EQ(estimated["evidence"]["facts"]["count"], "estimated");
  const uint64_t sample_rows =
      std::stoull(estimated["evidence"]["facts"]["sample_rows"].get<std::string>());
  EXPECT_GT(sample_rows, 10000u);
  EXPECT_LT(sample_rows, 60000u);
  ExpectNear(estimated["evidence"]["count"].get<uint64_t>(), big_past_, "reported rows past");

  // The same report rendered for a Chinese reader says so too.
  const std::string dir = sandbox_->dir() + "/estimate-render";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/report.json") << sampled.report.dump();
  const std::string render = "CRMAUDIT_POLICY_DIR=" + std::string(CRMAUDIT_SOURCE_DIR) +
                             "/policies " + CRMAUDIT_BINARY + " render " + dir +
                             "/report.json --lang zh-CN --out " + dir + "/zh > /dev/null 2>&1";
  ASSERT_EQ(std::system(render.c_str()), 0);
  std::ifstream html(dir + "/zh/report.zh-CN.html");  // never over a signed report.html
  std::stringstream page;
  page << html.rdbuf();
  EXPECT_THAT(page.str(), HasSubstr("抽样估算"));
  EXPECT_THAT(page.str(), HasSubstr("样本行数"));

  const CliRun full = Scan({"--tables", "ret.big", "--full"});
  ASSERT_EQ(full.exit_code, 0) << full.stderr_text;
  const nlohmann::json exact = Ret01(full, "big");
  ASSERT_TRUE(exact.is_object());
  EXPECT_EQ(exact["evidence"]["facts"]["count"], "exact");
  EXPECT_FALSE(exact["evidence"]["facts"].contains("sample_rows"));
  EXPECT_EQ(exact["evidence"]["count"], big_past_);
  EXPECT_EQ(exact["evidence"]["scanned"], kBigRows);
}

}  // namespace
}  // namespace crmaudit
