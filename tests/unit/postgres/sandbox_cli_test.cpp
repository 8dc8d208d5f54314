// Against a real PostgreSQL sandbox and through the real binary, as a user runs it: bounded
// waits (connect_timeout on a listener that never answers, a locked table, --timeout for the
// whole scan), connection failures named by their cause, and findings that state true facts
// (ENC-02 without crmaudit's own session, ENC-05 on views, an unpopulated materialized view).
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/scan/duration.h"
#include "scanner/scan/postgres_scan.h"
#include "scanner/sources/postgres/catalog_facts_reader.h"
#include "scanner/sources/postgres/conninfo.h"
#include "scanner/sources/postgres/pg_session.h"
#include "tests/unit/postgres/cli_run.h"
#include "tests/unit/postgres/sandbox.h"
#include "tests/unit/postgres/shipped_catalog.h"

namespace crmaudit {
namespace {

using testing::CliRun;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Sandbox;
using testing::SharedSandboxTest;

// A TCP listener on 127.0.0.1 that accepts every connection and never says a word.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(fd_, 16);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      while (true) {
        const int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) return;  // the listening socket was shut down
        accepted_.push_back(client);
      }
    });
  }
  ~SilentListener() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
    for (int client : accepted_) ::close(client);
  }
  int port() const { return port_; }
  size_t accepted() const { return accepted_.size(); }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::vector<int> accepted_;
};

class SandboxCli : public SharedSandboxTest<SandboxCli> {
 protected:
  static CliRun Scan(const std::vector<std::string>& args,
                     const std::vector<std::string>& env = {}) {
    return testing::RunScan(sandbox_->dir(), args, env);
  }
  static std::string AuditorUri(const std::string& query = "sslmode=disable") {
    return "postgresql://auditor:auditor-demo-secret@127.0.0.1:" + sandbox_->port() + "/crm?" +
           query;
  }

  static std::shared_ptr<const CompiledPolicy> Policy() {
    const std::string cn_pack = sandbox_->dir() + "/test-cn.json";
    std::ofstream(cn_pack) << R"({"name": "test-cn", "version": "1", "detectors": [{
        "id": "test-cn-resident-id", "entity": "CN_RESIDENT_ID", "title": "Resident ID numbers",
        "patterns": ["[1-9]\\d{16}[\\dXx]"], "validator": "cn_resident_id",
        "hints": {"columns": ["id_card"]}, "severity": "high",
        "frameworks": {"PIPL": ["Art. 28"]}, "remediation": "Encrypt it.",
        "examples": {"match": ["11010519491231002X"], "no_match": ["110105194912310021"]}}]})";
    const std::string policies = std::string(CRMAUDIT_SOURCE_DIR) + "/policies/";
    return CompiledPolicy::Compile(
        {LoadPolicyPack(policies + "pii-core.json"), LoadPolicyPack(cn_pack),
         LoadPolicyPack(policies + "controls-gdpr.json")},
        WithShippedCatalog());
  }
};

// ---- bounded waits -------------------------------------------------------------------------

TEST(ConnectTimeout, PoliteStringHasADefaultTheUserCanOverride) {
  unsetenv("PGCONNECT_TIMEOUT");
  EXPECT_THAT(PoliteConnInfo("host=db dbname=crm", SessionSettings{}),
              HasSubstr("connect_timeout='10'"));
  EXPECT_THAT(PoliteConnInfo("postgresql://db/crm?connect_timeout=3", SessionSettings{}),
              HasSubstr("connect_timeout='3'"));
  setenv("PGCONNECT_TIMEOUT", "4", 1);
  EXPECT_THAT(PoliteConnInfo("host=db dbname=crm", SessionSettings{}),
              Not(HasSubstr("connect_timeout")))
      << "PGCONNECT_TIMEOUT is libpq's own default: left to libpq";
  unsetenv("PGCONNECT_TIMEOUT");
  // A deadline lowers a longer connect_timeout, never raises a shorter one.
  EXPECT_THAT(WithConnectTimeoutAtMost("host=db connect_timeout=10", 3),
              HasSubstr("connect_timeout='3'"));
  EXPECT_EQ(WithConnectTimeoutAtMost("host=db connect_timeout=2", 3), "host=db connect_timeout=2");
}

TEST(ScanTimeoutOption, DurationsAsUsersTypeThem) {
  EXPECT_EQ(ParseDuration("30s")->count(), 30000);
  EXPECT_EQ(ParseDuration("10m")->count(), 600000);
  EXPECT_EQ(ParseDuration("1h")->count(), 3600000);
  EXPECT_EQ(ParseDuration("1500ms")->count(), 1500);
  EXPECT_EQ(ParseDuration("45")->count(), 45000);
  for (const char* bad : {"", "0s", "-5s", "10 m", "10x", "s", "999999h"}) {
    EXPECT_FALSE(ParseDuration(bad)) << bad;
  }
}

TEST_F(SandboxCli, ListenerThatNeverAnswersEndsWithinConnectTimeoutAndWritesTheReport) {
  SilentListener listener;
  const std::string uri =
      "postgresql://auditor:hush-secret@127.0.0.1:" + std::to_string(listener.port()) + "/crm";
  // Overridden in the URI...
  CliRun run = Scan({uri + "?connect_timeout=2"});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_LT(run.seconds, 9.0) << "bounded by connect_timeout=2 (libpq may try twice)";
  EXPECT_GE(listener.accepted(), 1u);
  EXPECT_THAT(run.stderr_text, HasSubstr("could not connect: timeout"));
  EXPECT_THAT(run.stderr_text, Not(HasSubstr("hush-secret")));
  ASSERT_TRUE(run.report.is_object()) << "report.json must be written";
  EXPECT_FALSE(run.report["scan"]["complete"].get<bool>());
  ASSERT_FALSE(run.report["coverage"].empty());
  EXPECT_THAT(run.report["coverage"][0]["reason"].get<std::string>(),
              HasSubstr("could not connect: timeout"));
  EXPECT_EQ(run.report.dump().find("hush-secret"), std::string::npos);
  // ... and through PGCONNECT_TIMEOUT.
  CliRun from_env = Scan({uri}, {"PGCONNECT_TIMEOUT=2"});
  EXPECT_EQ(from_env.exit_code, 3) << from_env.stderr_text;
  EXPECT_LT(from_env.seconds, 9.0);
  EXPECT_THAT(from_env.stderr_text, HasSubstr("timeout"));
}

TEST_F(SandboxCli, LockedTableIsACoverageEntryNotAHang) {
  pqxx::connection blocker(sandbox_->SocketConnInfo());
  pqxx::work lock(blocker);
  lock.exec("LOCK TABLE crm.accounts IN ACCESS EXCLUSIVE MODE");
  CliRun run = Scan({AuditorUri(), "--tables", "crm.accounts", "--tables", "crm.leads",
                     "--lock-timeout-ms", "700", "--fail-on", "never"});
  lock.abort();
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_LT(run.seconds, 30.0);
  auto accounts = run.Coverage("crm.crm.accounts");
  ASSERT_TRUE(accounts.is_object()) << run.report.dump();
  EXPECT_EQ(accounts["status"], "error");
  EXPECT_THAT(accounts["reason"].get<std::string>(),
              HasSubstr("locked: lock_timeout after 700 ms"));
  EXPECT_THAT(run.stderr_text, HasSubstr("locked: lock_timeout after 700 ms"));
  auto leads = run.Coverage("crm.crm.leads");
  ASSERT_TRUE(leads.is_object());
  EXPECT_EQ(leads["status"], "scanned") << "the other table is still read";
}

TEST_F(SandboxCli, ScanTimeoutStopsEverythingAndStillWritesTheReport) {
  sandbox_->Exec(
      "CREATE VIEW crm.slow_directory AS SELECT pg_sleep(20)::text AS pause, email"
      " FROM crm.contacts LIMIT 1; GRANT SELECT ON crm.slow_directory TO auditor");
  const std::string export_file = sandbox_->dir() + "/late.csv";
  std::ofstream(export_file) << "email\nfrank@example.org\n";
  CliRun run =
      Scan({AuditorUri(), export_file, "--tables", "crm.accounts", "--tables", "crm.slow_directory",
            "--tables", "crm.users", "--timeout", "3s", "--fail-on", "never"});
  sandbox_->Exec("DROP VIEW crm.slow_directory");
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_LT(run.seconds, 12.0) << "the 20 s view is cut at the deadline";
  ASSERT_TRUE(run.report.is_object());
  EXPECT_FALSE(run.report["scan"]["complete"].get<bool>());
  EXPECT_EQ(run.Coverage("crm.crm.accounts")["status"], "scanned");
  EXPECT_THAT(run.Coverage("crm.crm.slow_directory")["reason"].get<std::string>(),
              HasSubstr("--timeout expired"));
  EXPECT_THAT(run.Coverage("crm.crm.users")["reason"].get<std::string>(),
              HasSubstr("--timeout expired"));
  EXPECT_THAT(run.Coverage(export_file)["reason"].get<std::string>(),
              HasSubstr("--timeout expired before this target"));
  // The controls that could not be read say why instead of passing.
  bool not_assessed_for_timeout = false;
  for (const auto& finding : run.report["findings"]) {
    not_assessed_for_timeout |= finding["status"] == "not_assessed" &&
                                finding.dump().find("--timeout expired") != std::string::npos;
  }
  EXPECT_TRUE(not_assessed_for_timeout);

  CliRun bad = Scan({AuditorUri(), "--timeout", "soon"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.stderr_text, HasSubstr("--timeout must be a duration such as 30s"));
}

// ---- connection failures name their cause -----------------------------------------------

TEST_F(SandboxCli, ConnectionFailuresNameTheirCauseInOneLine) {
  sandbox_->Exec("CREATE DATABASE crm_closed", "postgres");
  sandbox_->Exec("REVOKE CONNECT ON DATABASE crm_closed FROM PUBLIC", "postgres");
  const std::string port = sandbox_->port();
  struct Case {
    std::string uri, cause;
  };
  const std::vector<Case> cases = {
      {"postgresql://auditor:not-the-secret@127.0.0.1:" + port + "/crm?sslmode=disable",
       "wrong password"},
      {"postgresql://auditor:not-the-secret@nohost.invalid:" + port + "/crm", "unknown host"},
      {"postgresql://auditor:not-the-secret@127.0.0.1:1/crm", "connection refused"},
      {"postgresql://auditor:auditor-demo-secret@127.0.0.1:" + port + "/crm_closed?sslmode=disable",
       "no CONNECT privilege on the database"},
      {"postgresql://auditor:auditor-demo-secret@127.0.0.1:" + port +
           "/crm_nowhere?sslmode=disable",
       "the database does not exist"},
      {"postgresql://auditor:auditor-demo-secret@127.0.0.1:" + port + "/crm?sslmode=require",
       "the server does not support TLS"},
  };
  for (const Case& c : cases) {
    CliRun run = Scan({c.uri});
    EXPECT_EQ(run.exit_code, 3) << c.cause << ": " << run.stderr_text;
    EXPECT_THAT(run.stderr_text, HasSubstr("could not connect: " + c.cause)) << c.uri;
    EXPECT_THAT(run.stderr_text, Not(HasSubstr("not-the-secret")));
    EXPECT_THAT(run.stderr_text, Not(HasSubstr("auditor-demo-secret")));
    ASSERT_TRUE(run.report.is_object()) << c.cause;
    EXPECT_THAT(run.report["coverage"][0]["reason"].get<std::string>(), HasSubstr(c.cause));
    // One line per failure: the cause is not repeated for the coverage entry.
    size_t lines = 0;
    for (size_t at = run.stderr_text.find(c.cause); at != std::string::npos;
         at = run.stderr_text.find(c.cause, at + 1)) {
      ++lines;
    }
    EXPECT_EQ(lines, 1u) << run.stderr_text;
  }
  sandbox_->Exec("DROP DATABASE crm_closed", "postgres");
}

TEST(ConnectErrors, LibpqTextsMapToCauses) {
  EXPECT_EQ(ClassifyConnectError("connection to server at \"127.0.0.1\", port 5432 failed: FATAL: "
                                 " no pg_hba.conf entry for host \"127.0.0.1\", user \"a\", "
                                 "database \"crm\", no encryption"),
            PgConnectCause::kTlsRequired);
  EXPECT_EQ(ClassifyConnectError("FATAL:  no pg_hba.conf entry for host \"10.0.0.1\", user \"a\", "
                                 "database \"crm\", SSL encryption"),
            PgConnectCause::kNoHbaEntry);
  EXPECT_EQ(ClassifyConnectError("server certificate for \"localhost\" does not match host name "
                                 "\"127.0.0.1\""),
            PgConnectCause::kCertificateHostMismatch);
  EXPECT_EQ(ClassifyConnectError("SSL error: certificate verify failed"),
            PgConnectCause::kCertificateUntrusted);
  EXPECT_EQ(ClassifyConnectError("fe_sendauth: no password supplied"), PgConnectCause::kNoPassword);
  EXPECT_EQ(ClassifyConnectError("FATAL:  sorry, too many clients already"),
            PgConnectCause::kTooManyConnections);
  EXPECT_EQ(ClassifyConnectError("something new"), PgConnectCause::kUnknown);
}

// ---- findings with true facts ---------------------------------------------------------------

TEST_F(SandboxCli, UnpopulatedMaterializedViewIsSkippedAndTheScanStaysComplete) {
  sandbox_->Exec(
      "CREATE MATERIALIZED VIEW crm.lead_stats AS SELECT count(*) AS n FROM crm.leads"
      " WITH NO DATA; GRANT SELECT ON crm.lead_stats TO auditor");
  CliRun run = Scan({AuditorUri(), "--tables", "crm.lead_stats", "--tables", "crm.accounts",
                     "--fail-on", "never"});
  sandbox_->Exec("DROP MATERIALIZED VIEW crm.lead_stats");
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  ASSERT_TRUE(run.report.is_object());
  EXPECT_TRUE(run.report["scan"]["complete"].get<bool>());
  auto stats = run.Coverage("crm.crm.lead_stats");
  ASSERT_TRUE(stats.is_object());
  EXPECT_EQ(stats["status"], "skipped");
  EXPECT_THAT(stats["reason"].get<std::string>(), HasSubstr("has not been populated"));
}

TEST_F(SandboxCli, Enc05JudgesStorageOnTheTableAndNamesTheViewThatShowsIt) {
  sandbox_->Exec("CREATE VIEW crm.lead_cards AS SELECT id, id_card FROM crm.leads");
  PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo(), "crm sandbox"};
  ScanPlan plan;
  plan.table_include = {"crm.leads", "crm.lead_cards"};
  auto output = ScanPostgresTarget(target, plan, Policy());
  sandbox_->Exec("DROP VIEW crm.lead_cards");
  std::vector<const Finding*> enc05;
  for (const auto& f : output.findings) {
    if (f.rule == "ENC-05" && f.status == FindingStatus::kOpen) enc05.push_back(&f);
  }
  ASSERT_EQ(enc05.size(), 1u) << "one storage finding, not one per view";
  EXPECT_EQ(enc05[0]->location.table, "leads");
  EXPECT_EQ(enc05[0]->evidence.facts.at("exposed_through_views"), "crm.lead_cards");
}

TEST_F(SandboxCli, Enc02CountsOtherClientsButNotCrmauditsOwnSessions) {
  // auditor (pg_monitor) scans over TCP without TLS; crm_app is another client in clear.
  FactsOutcome quiet =
      CollectDatabaseFacts(PoliteConnInfo(AuditorUri(), SessionSettings{}), FactsRequest{});
  ASSERT_TRUE(quiet.error.empty()) << quiet.error;
  EXPECT_TRUE(quiet.facts.sessions.empty()) << "crmaudit's own session is not a client's";
  PlannedTarget target{"t1", "postgres", AuditorUri(), "postgresql://auditor@127.0.0.1/crm"};
  ScanPlan plan;
  plan.table_include = {"crm.accounts"};
  plan.jobs = 2;
  auto output = ScanPostgresTarget(target, plan, Policy());
  for (const auto& f : output.findings) {
    EXPECT_FALSE(f.rule == "ENC-02" && f.status == FindingStatus::kOpen) << f.title;
  }
  ASSERT_FALSE(output.warnings.empty());
  EXPECT_THAT(output.warnings[0], HasSubstr("own connection"));
  EXPECT_THAT(output.warnings[0], HasSubstr("not encrypted"));
  bool remark_in_report = false;
  for (const auto& entry : output.coverage) {
    remark_in_report |= entry.format == "postgres-catalog" &&
                        entry.status == CoverageStatus::kScanned &&
                        entry.reason.find("own connection") != std::string::npos;
  }
  EXPECT_TRUE(remark_in_report) << "the archived report keeps the remark too";

  pqxx::connection app("postgresql://crm_app:app-demo-secret@127.0.0.1:" + sandbox_->port() +
                       "/crm?sslmode=disable");
  auto with_client = ScanPostgresTarget(target, plan, Policy());
  std::vector<const Finding*> enc02;
  for (const auto& f : with_client.findings) {
    if (f.rule == "ENC-02" && f.status == FindingStatus::kOpen) enc02.push_back(&f);
  }
  ASSERT_EQ(enc02.size(), 1u);
  EXPECT_EQ(enc02[0]->evidence.count, 1u);
  EXPECT_EQ(enc02[0]->evidence.facts.at("users"), "crm_app");
}

// A control parameter of the wrong type stops a database scan before it connects: exit 2
// naming the pack and the field, no report (it used to be exit 3 with empty coverage).
TEST_F(SandboxCli, BadControlParameterExitsTwoBeforeScanning) {
  const std::string pack = sandbox_->dir() + "/soon-backup.json";
  std::ofstream(pack) << R"({"name": "soon-backup", "version": "1",
      "controls": {"backup": {"max_age_hours": "soon"}}})";
  const CliRun run = Scan({AuditorUri(), "--policy", "pii-core", "--policy", pack});
  EXPECT_EQ(run.exit_code, 2) << run.stderr_text;
  EXPECT_THAT(run.stderr_text, HasSubstr("soon-backup.json: controls.backup.max_age_hours"));
  EXPECT_TRUE(run.report.is_null()) << "nothing is scanned, no report is written";
}

// A retention rule naming a table the database does not have is said, not silently unused:
// a warning line and a remark on the catalog's coverage entry; the other tables are judged.
TEST_F(SandboxCli, RetentionRuleOnAMissingTableIsReported) {
  const std::string pack = sandbox_->dir() + "/company-retention.json";
  std::ofstream(pack) << R"({"name": "company-retention", "version": "1",
      "controls": {"retention": {"tables": [
        {"table": "*.no_such_table", "period": "1 year"}]}}})";
  const CliRun run = Scan({AuditorUri(), "--policy", "pii-core", "--policy", pack});
  ASSERT_TRUE(run.report.is_object()) << run.stderr_text;
  const std::string remark =
      "retention rule " + pack +
      ": controls.retention.tables[0] (table \"*.no_such_table\") matches no table scanned in "
      "database crm";
  EXPECT_THAT(run.stderr_text, HasSubstr(remark));
  const auto catalog = run.Coverage("crm (server settings, roles and privileges)");
  ASSERT_FALSE(catalog.is_null());
  EXPECT_THAT(catalog.value("reason", ""), HasSubstr(remark));
}

}  // namespace
}  // namespace crmaudit
