// A big MySQL/MariaDB table read in part, against a real throwaway MariaDB and through the real
// binary (sources/mysql/key_range_sample.h): a sampled scan of a 300,000-row table with an
// integer key reads its sample and its retention estimate in key ranges — tens of thousands of
// rows, by the server's own Rows_read — where it used to read most of the table twice;
// the MY-RET-01 count is estimated within a stated tolerance and says so; --full still reads
// and counts every row.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scanner/sources/mysql/key_range_sample.h"
#include "scanner/sources/mysql/mysql_catalog.h"
#include "scanner/sources/mysql/mysql_facts_reader.h"
#include "scanner/sources/mysql/mysql_table_reader.h"
#include "tests/support/expect_near.h"
#include "tests/unit/mysql/sandbox.h"
#include "tests/unit/postgres/cli_run.h"

namespace crmaudit {
namespace {

using testing::AdminConnection;
using testing::CliRun;
using testing::SharedMariaSandboxTest;

// Within 10 % of the true count: about 3 rows in 10 are past the period (a seeded RAND(), the
// same rows on every run), so ~30,000 sampled rows miss by about 1 %.
constexpr double kTolerance = 0.10;
constexpr uint64_t kRows = 300000;

class MariaKeyRanges : public SharedMariaSandboxTest<MariaKeyRanges> {
 protected:
  static void SetUpTestSuite() {
    StartSharedSandbox();
    if (!started_) return;
    AdminConnection admin(*sandbox_);
    // E-mail addresses (personal data, so the scan plans MY-RET-01) dated by created_at: about 3
    // rows in 10 five years old (past the default 3-year period), the rest a day old. The
    // sequence engine makes the rows in the server.
    admin.Exec("CREATE DATABASE big_crm");
    admin.Exec("GRANT SELECT, SHOW VIEW ON big_crm.* TO '" + sandbox_->user() + "'@'localhost'");
    admin.Exec(
        "CREATE TABLE big_crm.contacts (id INT PRIMARY KEY, email VARCHAR(100), created_at "
        "DATETIME) ENGINE=InnoDB");
    admin.Exec("INSERT INTO big_crm.contacts SELECT seq, CONCAT('person', seq, '@example.com'), " +
               std::string("IF(RAND(42) < 0.3, NOW() - INTERVAL 5 YEAR, NOW() - INTERVAL 1 DAY) ") +
               "FROM big_crm.seq_1_to_" + std::to_string(kRows));
    admin.Exec("ANALYZE TABLE big_crm.contacts");
    past_ = std::stoull(admin.Query1(
        "SELECT COUNT(*) FROM big_crm.contacts WHERE created_at < NOW() - INTERVAL 3 YEAR"));
  }
  static inline uint64_t past_ = 0;

  // Rows the server has read for every session since it started (MariaDB's Rows_read, temporary
  // tables left out).
  static uint64_t RowsRead() {
    AdminConnection admin(*sandbox_);
    return std::stoull(admin.Query1(
        "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = "
        "'ROWS_READ'"));
  }

  static CliRun Scan(std::vector<std::string> more) {
    std::vector<std::string> args = {sandbox_->Uri("big_crm"), "--fail-on", "never", "--policy",
                                     "pii-core"};
    args.insert(args.end(), more.begin(), more.end());
    return testing::RunScan(
        sandbox_->dir(), args,
        {"CRMAUDIT_POLICY_DIR=" + std::string(CRMAUDIT_SOURCE_DIR) + "/policies"});
  }

  static nlohmann::json Ret01(const CliRun& run) {
    if (!run.report.is_object()) return nullptr;
    for (const auto& finding : run.report["findings"]) {
      if (finding.value("rule", "") == "MY-RET-01") return finding;
    }
    return nullptr;
  }
};

void ExpectNear(uint64_t estimate, uint64_t truth, const char* what) {
  testing::ExpectNear(estimate, truth, kTolerance, what);
}

TEST_F(MariaKeyRanges, ASampledScanReadsKeyRangesNotTheTableAndEstimatesItsRetention) {
  ASSERT_GT(past_, kRows / 4);  // the data is what the test means
  ASSERT_LT(past_, kRows / 3);
  const uint64_t before = RowsRead();
  const CliRun run = Scan({});
  const uint64_t read = RowsRead() - before;
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const auto entry = run.Coverage("big_crm.contacts");
  ASSERT_TRUE(entry.is_object());
  EXPECT_EQ(entry["rows"], 1000);
  EXPECT_EQ(entry["sampled"], true);
  // The sample (1,000 rows) and the estimate (about 30,000): not the 300,000 rows, let alone
  // the two thirds a RAND() filter reads plus the whole table an exact count reads.
  EXPECT_LT(read, 60000u) << "rows the server read for one sampled scan";
  const nlohmann::json ret01 = Ret01(run);
  ASSERT_TRUE(ret01.is_object()) << "MY-RET-01 must fail on rows five years old";
  EXPECT_EQ(ret01["evidence"]["facts"]["count"], "estimated");
  const uint64_t sample_rows =
      std::stoull(ret01["evidence"]["facts"]["sample_rows"].get<std::string>());
  EXPECT_GT(sample_rows, 10000u);
  EXPECT_LE(sample_rows, 30000u);
  ExpectNear(ret01["evidence"]["count"].get<uint64_t>(), past_, "reported rows past");
  // The sample's e-mail addresses are found where they live.
  bool email = false;
  for (const auto& item : run.report["inventory"]) {
    if (item.value("column", "") != "email") continue;
    for (const auto& entity : item["entities"]) email |= entity["type"] == "EMAIL_ADDRESS";
  }
  EXPECT_TRUE(email);
}

TEST_F(MariaKeyRanges, FullReadsAndCountsEveryRow) {
  const uint64_t before = RowsRead();
  const CliRun run = Scan({"--full"});
  const uint64_t read = RowsRead() - before;
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("big_crm.contacts")["rows"], kRows);
  EXPECT_GE(read, 2 * kRows) << "every row read, and every row counted";
  const nlohmann::json ret01 = Ret01(run);
  ASSERT_TRUE(ret01.is_object());
  EXPECT_EQ(ret01["evidence"]["facts"]["count"], "exact");
  EXPECT_EQ(ret01["evidence"]["count"], past_);
}

TEST_F(MariaKeyRanges, AThrottledFullReadOutlastsTheStatementLimitAndKeepsItsRate) {
  // About 16 MB of rows at 5 MB/s: over 3 s, three times the 1 s statement limit. The server
  // blocks on the full socket while crmaudit waits, so without lifting the limit for a paced
  // read the server would end the statement after 1 s.
  const CliRun run = Scan({"--full", "--max-mb-per-second", "5", "--statement-timeout-ms", "1000"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("big_crm.contacts")["status"], "scanned");
  EXPECT_EQ(run.Coverage("big_crm.contacts")["rows"], kRows);
  const uint64_t bytes = run.Coverage("big_crm.contacts")["bytes"].get<uint64_t>();
  EXPECT_GT(bytes, 10000000u);
  EXPECT_GE(run.seconds, 0.9 * static_cast<double>(bytes) / 5e6) << "the rate was kept";
}

TEST_F(MariaKeyRanges, TheRangesAreTheSameOnEveryScanAndNeverOverlap) {
  MysqlTable table;
  table.schema = "big_crm";
  table.name = "contacts";
  table.integer_key = "id";
  table.estimated_rows = kRows;
  table.columns = {{"id", "int(11)", CellKind::kText}, {"email", "varchar(100)", CellKind::kText}};
  ASSERT_TRUE(UsesKeyRanges(table));
  auto session = sandbox_->Open(sandbox_->ScanOptions("big_crm"));
  ASSERT_TRUE(session);
  const std::optional<KeySpan> span = ReadKeySpan(*session, table);
  ASSERT_TRUE(span);
  EXPECT_EQ(span->min, 1);
  EXPECT_EQ(span->max, static_cast<int64_t>(kRows));
  const std::string sql = BuildMysqlSampleByKeyRanges(table, *span, 1000);
  EXPECT_EQ(sql, BuildMysqlSampleByKeyRanges(table, *span, 1000)) << "a fixed seed";
  // Every sampled id once, 1,000 of them, from all over the table.
  const SqlRows rows = session->Run(sql);
  ASSERT_TRUE(rows.ok) << rows.error;
  ASSERT_EQ(rows.rows.size(), 1000u);
  std::set<int64_t> ids;
  for (const auto& row : rows.rows) ids.insert(std::stoll(*row[0]));
  EXPECT_EQ(ids.size(), 1000u) << "no row read twice";
  EXPECT_LT(*ids.begin(), static_cast<int64_t>(kRows / 4));
  EXPECT_GT(*ids.rbegin(), static_cast<int64_t>(3 * kRows / 4));
  // Tables it does not apply to: no integer key, too small, a view.
  MysqlTable other = table;
  other.integer_key.clear();
  EXPECT_FALSE(UsesKeyRanges(other));
  other = table;
  other.estimated_rows = kKeyRangeSampleFromRows - 1;
  EXPECT_FALSE(UsesKeyRanges(other));
  other = table;
  other.view = true;
  EXPECT_FALSE(UsesKeyRanges(other));
}

TEST_F(MariaKeyRanges, TheCatalogNamesAnIntegerKeyOnlyWhenTheKeyIsOneIntegerColumn) {
  {
    AdminConnection admin(*sandbox_);
    admin.Exec("CREATE TABLE big_crm.notes (id CHAR(36) PRIMARY KEY, body TEXT)");
    admin.Exec("CREATE TABLE big_crm.links (a INT, b INT, PRIMARY KEY (a, b))");
  }
  auto session = sandbox_->Open(sandbox_->ScanOptions("big_crm"));
  ASSERT_TRUE(session);
  std::vector<MysqlTable> tables;
  MysqlFailure failure;
  ASSERT_TRUE(DiscoverMysqlTables(*session, RelationFilter{}, "big_crm", &tables, &failure));
  std::map<std::string, std::string> keys;
  for (const auto& table : tables) keys[table.name] = table.integer_key;
  EXPECT_EQ(keys["contacts"], "id");
  EXPECT_EQ(keys["notes"], "") << "a text key cannot be cut into ranges";
  EXPECT_EQ(keys["links"], "") << "nor a key of two columns";
  AdminConnection admin(*sandbox_);
  admin.Exec("DROP TABLE big_crm.notes, big_crm.links");
}

}  // namespace
}  // namespace crmaudit
