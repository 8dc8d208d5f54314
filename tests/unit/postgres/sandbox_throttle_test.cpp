// Being gentle with a live database, against a real PostgreSQL sandbox and through the real
// binary: the throttle bounds the read rate of the whole scan (all --jobs together), a busy
// server (sessions running pg_sleep) makes the scan back off and the report says for how long,
// a role without pg_monitor is told its busy check sees only its own sessions, and neither a
// throttle nor a busy server ever makes a scan outlive its --timeout: what is not read by then
// is incomplete coverage. Rates are asserted with generous margins (behaviour, not speed).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "scanner/sources/postgres/conninfo.h"
#include "scanner/sources/postgres/pg_session.h"
#include "scanner/sources/postgres/pg_session_pool.h"
#include "scanner/sources/postgres/server_load_reader.h"
#include "tests/unit/postgres/cli_run.h"
#include "tests/unit/postgres/sandbox.h"

namespace crmaudit {
namespace {

using testing::CliRun;
using ::testing::HasSubstr;
using testing::SharedSandboxTest;

// `count` sessions of the superuser, each running pg_sleep(seconds): state 'active' in
// pg_stat_activity for that long. Returns once all of them are seen active.
class SleepingSessions {
 public:
  SleepingSessions(const std::string& conninfo, int count, double seconds) {
    for (int i = 0; i < count; ++i) {
      threads_.emplace_back([conninfo, seconds] {
        try {
          pqxx::connection connection(conninfo);
          pqxx::nontransaction tx(connection);
          tx.exec("SELECT pg_sleep(" + std::to_string(seconds) + ")");
        } catch (const std::exception&) {
          // The test's own assertions say what went wrong (the scan would not back off).
        }
      });
    }
    pqxx::connection watcher(conninfo);
    for (int tries = 0; tries < 100; ++tries) {
      pqxx::nontransaction tx(watcher);
      const auto active = tx.exec1(
                                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                                " AND query LIKE 'SELECT pg_sleep(%'")[0]
                              .as<int>();
      if (active >= count) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~SleepingSessions() {
    for (auto& thread : threads_) thread.join();
  }

 private:
  std::vector<std::thread> threads_;
};

class SandboxThrottle : public SharedSandboxTest<SandboxThrottle> {
 protected:
  static void SetUpTestSuite() {
    StartSharedSandbox();
    if (!started_) return;
    // Rows without personal data (the findings are not what is tested here); 100-byte rows for
    // the MB throttle. A role without pg_monitor for the busy check's fallback.
    sandbox_->Exec(
        "CREATE SCHEMA thr;"
        "CREATE TABLE thr.rows_2000 AS SELECT g AS id, 'note ' || g AS note"
        "  FROM generate_series(1, 2000) g;"
        "CREATE TABLE thr.rows_1000_a AS SELECT g AS id FROM generate_series(1, 1000) g;"
        "CREATE TABLE thr.rows_1000_b AS SELECT g AS id FROM generate_series(1, 1000) g;"
        "CREATE TABLE thr.wide_2000 AS SELECT g AS id, repeat('x', 95) AS filler"
        "  FROM generate_series(1, 2000) g;"
        "CREATE TABLE thr.rows_20000 AS SELECT g AS id FROM generate_series(1, 20000) g;"
        "CREATE TABLE thr.rows_6000 AS SELECT g AS id FROM generate_series(1, 6000) g;"
        "ANALYZE;"
        "CREATE ROLE nomon LOGIN;"
        "GRANT USAGE ON SCHEMA thr TO nomon, auditor;"
        "GRANT SELECT ON ALL TABLES IN SCHEMA thr TO nomon, auditor;");
  }

  static CliRun Scan(std::vector<std::string> args, const std::string& user = "postgres") {
    const std::string uri =
        "postgresql://" + user + "@/crm?host=" + sandbox_->dir() + "&port=" + sandbox_->port();
    args.insert(args.begin(), uri);
    args.push_back("--fail-on");
    args.push_back("never");
    return testing::RunScan(
        sandbox_->dir(), args,
        {"CRMAUDIT_POLICY_DIR=" + std::string(CRMAUDIT_SOURCE_DIR) + "/policies"});
  }

  static std::string Option(const CliRun& run, const std::string& name) {
    if (!run.report.is_object()) return "(no report)";
    const auto& options = run.report["scan"]["options"];
    return options.contains(name) ? options[name].get<std::string>() : "(absent)";
  }
  // How many sessions were ever opened to database crm, read once no crmaudit backend is left
  // (a backend counts itself when it ends); asked from database postgres so the asking
  // connections are not counted.
  static int SessionsOpenedOnCrm() {
    for (int tries = 0; tries < 200; ++tries) {
      if (sandbox_->Query1("SELECT count(*) FROM pg_stat_activity WHERE datname = 'crm'",
                           "postgres") == "0") {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return std::stoi(sandbox_->Query1("SELECT sessions FROM pg_stat_database WHERE datname = 'crm'",
                                      "postgres"));
  }
  static double BackedOff(const CliRun& run) {
    const std::string text = Option(run, "backed_off_seconds");
    return text.front() == '(' ? -1 : std::stod(text);
  }
};

TEST_F(SandboxThrottle, RowsPerSecondBoundTheReadAndTheReportRecordsTheBound) {
  const CliRun run = Scan({"--tables", "thr.rows_2000", "--full", "--max-rows-per-second", "1000",
                           "--max-active-sessions", "0"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const auto entry = run.Coverage("crm.thr.rows_2000");
  ASSERT_TRUE(entry.is_object());
  EXPECT_EQ(entry["rows"], 2000);
  EXPECT_EQ(entry["status"], "scanned");
  // 2,000 rows at 1,000 rows/s: at least 2 s less a burst; the whole scan is longer.
  EXPECT_GE(run.seconds, 1.5);
  EXPECT_EQ(Option(run, "max_rows_per_second"), "1000");
  EXPECT_EQ(Option(run, "max_mb_per_second"), "0");
  EXPECT_EQ(Option(run, "max_active_sessions"), "0");
  EXPECT_EQ(Option(run, "backed_off_seconds"), "0");
}

TEST_F(SandboxThrottle, TheLimitIsForTheWholeScanNotPerJob) {
  const CliRun run = Scan(
      {"--tables", "thr.rows_1000_*", "--full", "--jobs", "2", "--max-rows-per-second", "1000"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.thr.rows_1000_a")["rows"], 1000);
  EXPECT_EQ(run.Coverage("crm.thr.rows_1000_b")["rows"], 1000);
  // Two workers, 2,000 rows together at 1,000 rows/s: not 1 s (each its own 1,000/s).
  EXPECT_GE(run.seconds, 1.5);
  EXPECT_EQ(Option(run, "jobs"), "2");
}

TEST_F(SandboxThrottle, MegabytesPerSecondBoundTheRead) {
  // 2,000 rows of about 100 bytes (COPY text) = 0.2 MB at 0.1 MB/s.
  const CliRun run = Scan({"--tables", "thr.wide_2000", "--full", "--max-mb-per-second", "0.1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.thr.wide_2000")["rows"], 2000);
  EXPECT_GE(run.Coverage("crm.thr.wide_2000")["bytes"].get<uint64_t>(), 190000u);
  EXPECT_GE(run.seconds, 1.5);
  EXPECT_EQ(Option(run, "max_mb_per_second"), "0.1");
}

TEST_F(SandboxThrottle, AThrottledScanThatRunsOutOfTimeIsIncompleteNotAHang) {
  // 20,000 rows at 1,000 rows/s need 20 s; the scan has 2.
  const CliRun run = Scan({"--tables", "thr.rows_20000", "--tables", "thr.rows_2000", "--full",
                           "--max-rows-per-second", "1000", "--timeout", "2s"});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_LT(run.seconds, 12.0);
  const auto big = run.Coverage("crm.thr.rows_20000");
  const auto small = run.Coverage("crm.thr.rows_2000");
  ASSERT_TRUE(big.is_object() && small.is_object());
  // Read in order: the 2,000 rows in about 2 s (or cut), the rest not read before --timeout.
  EXPECT_NE(big["status"], "scanned");
  EXPECT_THAT(big["reason"].get<std::string>(), HasSubstr("--timeout"));
  EXPECT_LT(big["rows"].get<uint64_t>(), 20000u);
  EXPECT_EQ(run.report["scan"]["complete"], false);
}

TEST_F(SandboxThrottle, ABusyServerMakesTheScanBackOffAndTheReportSaysHowLong) {
  SleepingSessions busy(sandbox_->SocketConnInfo(), 3, 3);
  const CliRun run = Scan({"--tables", "thr.rows_1000_a", "--max-active-sessions", "2"}, "auditor");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.thr.rows_1000_a")["status"], "scanned");
  // Three sessions active for 3 s, above the limit of 2: the scan waited most of them out.
  EXPECT_GE(BackedOff(run), 1.0);
  EXPECT_GE(run.seconds, 1.0);
  EXPECT_THAT(run.stderr_text, HasSubstr("the server is busy (more than 2 other active sessions"));
  EXPECT_THAT(run.stderr_text, HasSubstr("backing off before table \"thr\".\"rows_1000_a\""));
  EXPECT_EQ(Option(run, "busy_check_sessions"), "all") << "the auditor role has pg_monitor";
  EXPECT_EQ(Option(run, "max_active_sessions"), "2");
}

TEST_F(SandboxThrottle, ABusySpellDuringAPacedFullReadIsWaitedOutMidRead) {
  // 6,000 rows at 1,500 rows/s take about 4 s; the server turns busy after about 1 s.
  std::unique_ptr<SleepingSessions> busy;
  std::thread later([&busy] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    busy = std::make_unique<SleepingSessions>(sandbox_->SocketConnInfo(), 3, 3);
  });
  const CliRun run = Scan({"--tables", "thr.rows_6000", "--full", "--max-rows-per-second", "1500",
                           "--max-active-sessions", "2"},
                          "auditor");
  later.join();
  busy.reset();
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.thr.rows_6000")["rows"], 6000);
  EXPECT_EQ(run.Coverage("crm.thr.rows_6000")["status"], "scanned");
  EXPECT_GE(BackedOff(run), 1.0);
}

TEST_F(SandboxThrottle, WithoutPgMonitorTheBusyCheckSeesOnlyItsOwnRole) {
  SleepingSessions busy(sandbox_->SocketConnInfo(), 3, 2);
  const CliRun run = Scan({"--tables", "thr.rows_1000_a", "--max-active-sessions", "2"}, "nomon");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  // The superuser's sleeping sessions are invisible to nomon: no back-off, and it is said.
  EXPECT_EQ(BackedOff(run), 0);
  EXPECT_EQ(Option(run, "busy_check_sessions"), "own role only");
  EXPECT_THAT(run.stderr_text, HasSubstr("grant pg_monitor or pg_read_all_stats"));
}

TEST_F(SandboxThrottle, AServerBusyLongerThanMaxBackoffLeavesTheTableUnread) {
  SleepingSessions busy(sandbox_->SocketConnInfo(), 3, 5);
  const CliRun run =
      Scan({"--tables", "thr.rows_1000_a", "--max-active-sessions", "2", "--max-backoff", "1s"},
           "auditor");
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_LT(run.seconds, 5.0) << "gave up after --max-backoff, not when the server calmed down";
  const auto entry = run.Coverage("crm.thr.rows_1000_a");
  EXPECT_EQ(entry["status"], "skipped");
  EXPECT_THAT(entry["reason"].get<std::string>(), HasSubstr("stayed busy"));
  EXPECT_GE(BackedOff(run), 0.9);
}

TEST_F(SandboxThrottle, BackingOffNeverOutlivesTheTimeout) {
  SleepingSessions busy(sandbox_->SocketConnInfo(), 3, 5);
  const CliRun run =
      Scan({"--tables", "thr.rows_1000_a", "--max-active-sessions", "2", "--timeout", "1500ms"},
           "auditor");
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_LT(run.seconds, 5.0);
  const auto entry = run.Coverage("crm.thr.rows_1000_a");
  EXPECT_THAT(entry["reason"].get<std::string>(), HasSubstr("--timeout"));
}

TEST_F(SandboxThrottle, TheLoadReaderSeesSessionsAndNoLagOnAPrimary) {
  PgFailure failure;
  auto session = PgSession::Open(sandbox_->SocketConnInfo(), &failure);
  ASSERT_NE(session, nullptr) << failure.Describe();
  ServerLoad quiet = ReadServerLoad(*session, {});
  ASSERT_TRUE(quiet.known);
  EXPECT_TRUE(quiet.sees_all_sessions);
  EXPECT_FALSE(quiet.replication_lag_seconds.has_value()) << "not a standby";
  SleepingSessions busy(sandbox_->SocketConnInfo(), 2, 1);
  ServerLoad loaded = ReadServerLoad(*session, {});
  EXPECT_GE(loaded.active_sessions, quiet.active_sessions + 2);
  EXPECT_GE(loaded.active_sessions, 2);
}

TEST_F(SandboxThrottle, ASampledScanOfOneTableOpensOneConnectionForEverything) {
  // Catalog, busy check (on by default), the table's sample and the server facts: every
  // backend the server starts costs it a fork and cold caches, so one scan shares one.
  int before = SessionsOpenedOnCrm();
  CliRun run = Scan({"--tables", "thr.rows_2000"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.thr.rows_2000")["status"], "scanned");
  EXPECT_TRUE(run.report["controls"].is_array() && !run.report["controls"].empty());
  EXPECT_EQ(SessionsOpenedOnCrm() - before, 1);
  // Two readers (--jobs 2, two tables): one connection each, the facts on one of them.
  before = SessionsOpenedOnCrm();
  run = Scan({"--tables", "thr.rows_1000_*", "--jobs", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.thr.rows_1000_b")["status"], "scanned");
  EXPECT_LE(SessionsOpenedOnCrm() - before, 2);
}

TEST_F(SandboxThrottle, ThePoolHandsBackIdleSessionsAndOpensOnlyWhenAllAreTaken) {
  PgSessionPool pool(PoliteConnInfo(sandbox_->SocketConnInfo(), SessionSettings{}), {});
  PgFailure failure;
  std::unique_ptr<PgSession> first = pool.Take(&failure);
  ASSERT_NE(first, nullptr) << failure.Describe();
  const int first_pid = first->backend_pid();
  pool.Give(std::move(first));
  std::unique_ptr<PgSession> again = pool.Take(&failure);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->backend_pid(), first_pid) << "an idle session is taken, not a new one";
  std::unique_ptr<PgSession> second = pool.Take(&failure);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second->backend_pid(), first_pid) << "a taken session is never handed out twice";
  EXPECT_EQ(pool.opened(), 2);
  EXPECT_EQ(pool.backend_pids(), (std::vector<int>{first_pid, second->backend_pid()}));
  PgSessionPool nowhere(PoliteConnInfo("host=/nonexistent port=1 dbname=crm", SessionSettings{}),
                        {});
  EXPECT_EQ(nowhere.Take(&failure), nullptr);
  EXPECT_EQ(failure.kind, PgFailureKind::kConnectFailed);
  EXPECT_EQ(nowhere.opened(), 0);
}

TEST_F(SandboxThrottle, TheScansSessionsTakeNoParallelWorkers) {
  // An audit's retention counts scan whole tables: on one core of the server, never with the
  // parallel workers its clients' queries would get.
  pqxx::connection connection(PoliteConnInfo(sandbox_->SocketConnInfo(), SessionSettings{}));
  pqxx::nontransaction tx(connection);
  EXPECT_EQ(tx.exec1("SHOW max_parallel_workers_per_gather")[0].as<std::string>(), "0");
}

}  // namespace
}  // namespace crmaudit
