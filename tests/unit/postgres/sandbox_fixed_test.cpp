// The hardened variant: examples/crm-db/fixed.sql plus server fixes (TLS, hba, logging, WAL
// archiving through a real pgBackRest stanza). Every control check must stay quiet here, and a
// real pgBackRest backup of the sandbox feeds BAK-02/BAK-03.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "scanner/detect/compiled_policy.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/scan/postgres_scan.h"
#include "scanner/sources/backups/backup_reader.h"
#include "tests/unit/postgres/cli_run.h"
#include "tests/unit/postgres/sandbox.h"
#include "tests/unit/postgres/shipped_catalog.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;
using testing::Sandbox;

constexpr const char* kSuperuserPassword = "pg-demo-secret";

class HardenedSandbox : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sandbox_ = new Sandbox();
    try {
      ready_ = sandbox_->Start() && Harden();
    } catch (const std::exception& error) {
      ready_ = Fail(std::string("setup threw: ") + error.what());
    }
  }
  static void TearDownTestSuite() {
    sandbox_->Stop();
    delete sandbox_;
    sandbox_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(ready_) << "hardened PostgreSQL sandbox unavailable: " << sandbox_->error() << why_;
  }

  static bool Fail(const std::string& why) {
    why_ = " (" + why + ")";
    return false;
  }

  static std::string Config() { return sandbox_->dir() + "/pgbackrest.conf"; }

  static bool Harden() {
    const std::string dir = sandbox_->dir();
    const std::string fixed = std::string(CRMAUDIT_SOURCE_DIR) + "/examples/crm-db/fixed.sql";
    if (sandbox_->ExecFile(fixed) != 0) return Fail("fixed.sql failed");
    // TLS certificate for the server.
    if (Sandbox::Run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost"
                     " -keyout " +
                     dir + "/data/server.key -out " + dir + "/data/server.crt > /dev/null 2>&1") !=
            0 ||
        Sandbox::Run("chown postgres: " + dir + "/data/server.key " + dir +
                     "/data/server.crt && chmod 600 " + dir + "/data/server.key") != 0) {
      return Fail("openssl certificate");
    }
    // A pgBackRest stanza with an encrypted repository; WAL archiving goes through it.
    std::ofstream(Config()) << "[global]\nrepo1-path=" << dir << "/repo\n"
                            << "repo1-cipher-type=aes-256-cbc\nrepo1-cipher-pass=demo-cipher-pass\n"
                            << "lock-path=" << dir << "/lock\nlog-path=" << dir << "/log\n"
                            << "log-level-file=off\nlog-level-console=warn\nstart-fast=y\n"
                            << "[crm]\npg1-path=" << dir << "/data\npg1-socket-path=" << dir
                            << "\npg1-port=" << sandbox_->port() << "\n";
    Sandbox::Run("mkdir -p " + dir + "/repo " + dir + "/lock " + dir + "/log && chown postgres: " +
                 dir + "/repo " + dir + "/lock " + dir + "/log " + Config());
    sandbox_->Exec(std::string("SET password_encryption = 'scram-sha-256';"
                               "ALTER ROLE postgres PASSWORD '") +
                   kSuperuserPassword + "'");
    for (const std::string& setting : std::vector<std::string>{
             "ssl = on", "log_connections = on", "log_disconnections = on", "log_statement = 'ddl'",
             "archive_mode = on", "archive_timeout = 60",
             "archive_command = 'pgbackrest --config=" + Config() +
                 " --stanza=crm archive-push %p'"}) {
      sandbox_->Exec("ALTER SYSTEM SET " + setting);  // one per statement: no transaction block
    }
    // Sockets only for the OS user postgres (peer); TCP only with TLS and SCRAM.
    std::ofstream(dir + "/data/pg_hba.conf") << "local all postgres peer\n"
                                             << "hostssl all all 127.0.0.1/32 scram-sha-256\n";
    // Restarted with data checksums enabled (CFG-01: pg_checksums on the stopped cluster) and
    // the password-complexity and brute-force-delay modules preloaded (AUTH-01); pg-sandbox's
    // command line empties shared_preload_libraries, so the new start names them there.
    if (Sandbox::RunAsPostgres(
            sandbox_->bin() + "/pg_ctl -D " + dir + "/data -w -m fast stop > /dev/null 2>&1 && " +
            sandbox_->bin() + "/pg_checksums --enable -D " + dir + "/data > /dev/null 2>&1") != 0 ||
        Sandbox::RunAsPostgres(sandbox_->bin() + "/pg_ctl -D " + dir + "/data -w -l " + dir +
                               "/server.log -o \"-p " + sandbox_->port() + " -k " + dir +
                               " -c listen_addresses=127.0.0.1"
                               " -c shared_preload_libraries=passwordcheck,auth_delay"
                               " -c auth_delay.milliseconds=500\"" +
                               " start > /dev/null 2>&1") != 0) {
      return Fail("restart with archive_mode = on, data checksums and preloaded modules");
    }
    sandbox_->UseSuperuserPassword(kSuperuserPassword);
    const std::string backrest = "pgbackrest --config=" + Config() + " --stanza=crm ";
    if (Sandbox::RunAsPostgres(backrest + "stanza-create > /dev/null 2>&1") != 0) {
      return Fail("pgbackrest stanza-create");
    }
    if (Sandbox::RunAsPostgres(backrest + "--type=full backup > " + dir + "/backup.log 2>&1") !=
        0) {
      return Fail("pgbackrest backup, see " + dir + "/backup.log");
    }
    // The archiver has shipped at least one segment, and nothing failed.
    for (int i = 0; i < 100; ++i) {
      if (sandbox_->Query1("SELECT archived_count FROM pg_stat_archiver") != "0") return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return Fail("WAL archiving did not archive anything");
  }

  static std::shared_ptr<const CompiledPolicy> Policy(const std::string& extra_controls = "") {
    const std::string policies = std::string(CRMAUDIT_SOURCE_DIR) + "/policies/";
    std::vector<PolicyPack> packs = {LoadPolicyPack(policies + "pii-core.json"),
                                     LoadPolicyPack(policies + "controls-gdpr.json"),
                                     LoadPolicyPack(policies + "controls-pipl.json")};
    if (!extra_controls.empty()) {
      const std::string path = sandbox_->dir() + "/strict.json";
      std::ofstream(path) << R"({"name": "test-strict", "version": "1", "detectors": [],
                                 "controls": )"
                          << extra_controls << "}";
      packs.push_back(LoadPolicyPack(path));
    }
    return CompiledPolicy::Compile(packs, WithShippedCatalog());
  }

  static PlannedTarget Target(const std::string& user, const std::string& password) {
    return PlannedTarget{"t1", "postgres",
                         "postgresql://" + user + ":" + password +
                             "@127.0.0.1:" + sandbox_->port() + "/crm?sslmode=require",
                         "postgresql://" + user + "@127.0.0.1/crm"};
  }

  static std::map<std::string, std::vector<const Finding*>> Controls(
      const std::vector<Finding>& findings) {
    std::map<std::string, std::vector<const Finding*>> out;
    for (const auto& f : findings) {
      if (f.category == FindingCategory::kPii || f.category == FindingCategory::kSecret) continue;
      out[f.rule].push_back(&f);
    }
    return out;
  }

  static Sandbox* sandbox_;
  static bool ready_;
  static std::string why_;
};

Sandbox* HardenedSandbox::sandbox_ = nullptr;
bool HardenedSandbox::ready_ = false;
std::string HardenedSandbox::why_;

TEST_F(HardenedSandbox, EveryControlCheckIsQuietOnTheFixedVariant) {
  ScanPlan plan;
  plan.backup_info = "pgbackrest:" + Config();
  auto output = ScanPostgresTarget(Target("postgres", kSuperuserPassword), plan, Policy());
  ASSERT_TRUE(output.error.empty()) << output.error;
  for (const auto& [rule, findings] : Controls(output.findings)) {
    for (const Finding* f : findings) {
      ADD_FAILURE() << rule << " (" << StatusName(f->status) << "): " << f->title << " "
                    << f->status_reason << " @" << f->location.schema << "." << f->location.table
                    << "." << f->location.column;
    }
  }
  for (const auto& entry : output.coverage) {
    EXPECT_FALSE(IsIncomplete(entry)) << entry.dataset << ": " << entry.reason;
  }
  EXPECT_TRUE(output.complete);
  // The inventory is still there: fixing controls does not hide personal data.
  EXPECT_FALSE(output.inventory.empty());
}

TEST_F(HardenedSandbox, AuditorWithTheDocumentedHelpersAssessesEverything) {
  // docs/auditor-role.md: the hba grants and the verifier helper.
  sandbox_->Exec(
      "GRANT SELECT ON pg_catalog.pg_hba_file_rules TO auditor;"
      "GRANT EXECUTE ON FUNCTION pg_catalog.pg_hba_file_rules() TO auditor;"
      "CREATE SCHEMA IF NOT EXISTS crmaudit_helper AUTHORIZATION postgres;"
      "REVOKE ALL ON SCHEMA crmaudit_helper FROM PUBLIC;"
      "CREATE OR REPLACE FUNCTION crmaudit_helper.role_verifiers()"
      " RETURNS TABLE (rolname name, verifier text) LANGUAGE sql STABLE SECURITY DEFINER"
      " SET search_path = pg_catalog AS $$ SELECT a.rolname, CASE WHEN a.rolpassword IS NULL"
      " THEN 'none' WHEN a.rolpassword LIKE 'md5%' THEN 'md5' WHEN a.rolpassword LIKE"
      " 'SCRAM-SHA-256$%' THEN 'scram-sha-256' ELSE 'plaintext' END FROM pg_catalog.pg_authid a $$;"
      "REVOKE ALL ON FUNCTION crmaudit_helper.role_verifiers() FROM PUBLIC;"
      "GRANT USAGE ON SCHEMA crmaudit_helper TO auditor;"
      "GRANT EXECUTE ON FUNCTION crmaudit_helper.role_verifiers() TO auditor;");
  auto output = ScanPostgresTarget(Target("auditor", "auditor-demo-secret"), ScanPlan{}, Policy());
  ASSERT_TRUE(output.error.empty()) << output.error;
  for (const auto& [rule, findings] : Controls(output.findings)) {
    for (const Finding* f : findings) {
      ADD_FAILURE() << rule << " (" << StatusName(f->status) << "): " << f->title << " "
                    << f->status_reason;
    }
  }
  EXPECT_TRUE(output.complete);
  // And the verifier helper really reports: an md5 role appears as ENC-04.
  sandbox_->Exec("SET password_encryption = 'md5'; ALTER ROLE crm_legacy PASSWORD 'x-legacy'");
  auto md5 = ScanPostgresTarget(Target("auditor", "auditor-demo-secret"), ScanPlan{}, Policy());
  // passwordcheck is loaded here: passwords need 8 characters, letters and non-letters.
  sandbox_->Exec(
      "SET password_encryption = 'scram-sha-256'; ALTER ROLE crm_legacy PASSWORD 'legacy-2nd-pw'");
  auto enc04 = Controls(md5.findings)["ENC-04"];
  ASSERT_EQ(enc04.size(), 1u);
  EXPECT_EQ(enc04[0]->location.extra.at("role"), "crm_legacy");
  EXPECT_EQ(enc04[0]->status, FindingStatus::kOpen);
}

TEST_F(HardenedSandbox, RealPgBackRestStanzaFeedsBackupFreshness) {
  // The stanza as pgbackrest itself reports it.
  BackupFacts facts = CollectBackupFacts("pgbackrest:" + Config());
  ASSERT_EQ(facts.sources.size(), 1u);
  const auto& stanza = facts.sources[0];
  ASSERT_TRUE(stanza.readable) << stanza.reason;
  EXPECT_EQ(stanza.name, "crm");
  EXPECT_EQ(stanza.status_code, 0);
  ASSERT_FALSE(stanza.backups.empty());
  EXPECT_EQ(stanza.backups[0].type, "full");
  EXPECT_EQ(stanza.cipher.value_or(""), "aes-256-cbc");

  // Fresh backup, 26 h policy: no BAK-02. A threshold below the backup's age: BAK-02.
  ScanPlan plan;
  plan.backup_info = "pgbackrest:" + Config();
  plan.table_include = {"crm.accounts"};
  auto fresh = ScanPostgresTarget(Target("postgres", kSuperuserPassword), plan, Policy());
  EXPECT_TRUE(Controls(fresh.findings)["BAK-02"].empty());
  // Both backup checks are listed as passed for the stanza: evidence they were tested.
  for (const char* rule : {"BAK-02", "BAK-03"}) {
    auto result = std::find_if(fresh.controls.begin(), fresh.controls.end(),
                               [&](const ControlResult& c) { return c.rule == rule; });
    ASSERT_NE(result, fresh.controls.end()) << rule;
    EXPECT_EQ(result->status, OutcomeStatus::kPass) << rule;
    ASSERT_EQ(result->objects.size(), 1u) << rule;
    EXPECT_EQ(result->objects[0].name, "backup pgbackrest:crm");
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto strict = ScanPostgresTarget(Target("postgres", kSuperuserPassword), plan,
                                   Policy(R"({"backup": {"max_age_hours": 0.0001}})"));
  auto stale = Controls(strict.findings)["BAK-02"];
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0]->status, FindingStatus::kOpen);
  EXPECT_EQ(stale[0]->location.extra.at("backup"), "pgbackrest:crm");
  EXPECT_THAT(stale[0]->remediation, HasSubstr("--stanza=crm"));

  // The same from a saved `pgbackrest info --output=json` file.
  const std::string saved = sandbox_->dir() + "/info.json";
  ASSERT_EQ(
      Sandbox::RunAsPostgres("pgbackrest --config=" + Config() + " --output=json info > " + saved),
      0);
  BackupFacts from_file = CollectBackupFacts(saved);
  ASSERT_EQ(from_file.sources.size(), 1u);
  EXPECT_EQ(from_file.sources[0].backups.size(), stanza.backups.size());
  // A missing pgbackrest config is not_assessed, not a crash and not a pass.
  BackupFacts missing = CollectBackupFacts("pgbackrest:" + sandbox_->dir() + "/nope.conf");
  ASSERT_EQ(missing.sources.size(), 1u);
  EXPECT_FALSE(missing.sources[0].readable);
}

TEST_F(HardenedSandbox, TlsRequiredAndCertificateProblemsAreNamedWhenConnecting) {
  const std::string base =
      "postgresql://auditor:auditor-demo-secret@127.0.0.1:" + sandbox_->port() + "/crm?";
  const std::string dir = sandbox_->dir();
  // A second, unrelated self-signed certificate: not the server's issuer.
  ASSERT_EQ(Sandbox::Run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other"
                         " -keyout " +
                         dir + "/other.key -out " + dir + "/other.crt > /dev/null 2>&1"),
            0);
  struct Case {
    std::string query, cause;
  };
  const std::vector<Case> cases = {
      {"sslmode=disable", "TLS required by the server"},
      {"sslmode=verify-full&sslrootcert=" + dir + "/data/server.crt",
       "server certificate problem: it does not match the host name"},
      {"sslmode=verify-ca&sslrootcert=" + dir + "/other.crt",
       "server certificate problem: it could not be verified"},
      {"sslmode=verify-ca&sslrootcert=" + dir + "/missing.crt",
       "server certificate problem: no root certificate"},
  };
  for (const Case& c : cases) {
    testing::CliRun run = testing::RunScan(dir, {base + c.query});
    EXPECT_EQ(run.exit_code, 3) << c.query << ": " << run.stderr_text;
    EXPECT_THAT(run.stderr_text, HasSubstr("could not connect: " + c.cause)) << c.query;
    EXPECT_EQ(run.stderr_text.find("auditor-demo-secret"), std::string::npos);
    ASSERT_TRUE(run.report.is_object());
    EXPECT_THAT(run.report["coverage"][0]["reason"].get<std::string>(), HasSubstr(c.cause));
  }
}

TEST_F(HardenedSandbox, LoginWithoutPasswordBehindPeerAndScramOnlyIsNoFinding) {
  // pg_hba.conf here: peer on the socket (postgres only), hostssl scram-sha-256 for TCP. A
  // role without a password can log in by neither: "no password" is not a finding.
  sandbox_->Exec("CREATE ROLE ops_peer LOGIN VALID UNTIL '2030-01-01'");
  ScanPlan plan;
  plan.table_include = {"crm.accounts"};
  auto output = ScanPostgresTarget(Target("postgres", kSuperuserPassword), plan, Policy());
  sandbox_->Exec("DROP ROLE ops_peer");
  // The map outlives the loop (a range-for over an element of a temporary read freed memory,
  // found by scripts/sanitize-test).
  const auto controls = Controls(output.findings);
  if (controls.count("AC-02")) {
    for (const Finding* f : controls.at("AC-02"))
      ADD_FAILURE() << f->title << " " << f->status_reason;
  }
}

}  // namespace
}  // namespace crmaudit
