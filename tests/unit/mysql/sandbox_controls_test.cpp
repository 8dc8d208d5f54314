// The MySQL/MariaDB controls against a real MariaDB server (scripts/mariadb-sandbox): the fact
// reader over a real connection (MysqlSession, the scan's SqlQuery), the checks and the
// catalog, on the sample server with the problems examples/mariadb-crm/accounts.sql seeds and
// after examples/mariadb-crm/fixed.sql repairs them; and the auditor account of
// docs/auditor-role.md, created from the very statements the page shows: they are enough for
// every fact group, and each one missing is ONE not_assessed per check, naming it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "scanner/checks/mysql_checks.h"
#include "scanner/sources/mysql/mysql_facts_reader.h"
#include "tests/unit/checks/check_harness.h"
#include "tests/unit/mysql/sandbox.h"
#include "tests/unit/postgres/cli_run.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;
using testing::SharedMariaSandboxTest;

constexpr const char* kAuditorPassword = "Auditor-Sandbox-93d1x";  // URI-safe

std::string ReadText(const std::string& relative) {
  std::ifstream in(std::string(CRMAUDIT_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The MariaDB auditor statements of docs/auditor-role.md (the ```sql block after the
// mariadb-auditor-grants marker), with a password.
std::string DocumentedAuditorSql() {
  const std::string doc = ReadText("docs/auditor-role.md");
  const size_t marker = doc.find("<!-- mariadb-auditor-grants");
  EXPECT_NE(marker, std::string::npos) << "the auditor block is gone from docs/auditor-role.md";
  const size_t begin = doc.find("```sql\n", marker) + 7;
  const size_t end = doc.find("```", begin);
  std::string sql = doc.substr(begin, end - begin);
  const std::string placeholder = "<long random password>";
  sql.replace(sql.find(placeholder), placeholder.size(), kAuditorPassword);
  return sql;
}

// The same without the statement holding `grant` ("ON mysql.db "...).
std::string Without(const std::string& sql, const std::string& grant) {
  std::stringstream in(sql);
  std::string line, out;
  bool dropped = false;
  while (std::getline(in, line)) {
    if (line.find(grant) != std::string::npos && line.rfind("GRANT", 0) == 0) {
      dropped = true;
      continue;
    }
    out += line + "\n";
  }
  EXPECT_TRUE(dropped) << grant << " is not among the documented grants";
  return out;
}

const std::vector<PiiColumnRef>& SamplePii() {
  static const std::vector<PiiColumnRef> pii = {
      {"crm", "contacts", "phone_mobile", {"PHONE_NUMBER"}},
      {"crm", "leads", "phone_mobile", {"PHONE_NUMBER"}},
      {"crm", "email_addresses", "email_address", {"EMAIL_ADDRESS"}}};
  return pii;
}

class MariaControls : public SharedMariaSandboxTest<MariaControls> {
 protected:
  // (Re)creates 'crmaudit'@'localhost' with `sql` and opens a session as it.
  std::unique_ptr<MysqlSession> Auditor(const std::string& sql) {
    EXPECT_EQ(sandbox_->Admin("DROP USER IF EXISTS 'crmaudit'@'localhost';\n" + sql), 0);
    MysqlConnectOptions options;
    options.user = "crmaudit";
    options.password = kAuditorPassword;
    options.socket = sandbox_->socket();
    return sandbox_->Open(options);
  }

  void Seed() { ASSERT_EQ(sandbox_->Admin(ReadText("examples/mariadb-crm/accounts.sql")), 0); }
  void Fix() { ASSERT_EQ(sandbox_->Admin(ReadText("examples/mariadb-crm/fixed.sql")), 0); }

  // The shipped parameters, plus the sandbox's own administrator: mariadb-install-db makes a
  // unix_socket account with every privilege for the OS user that runs the server's tools
  // (root and mysql when the tests run as root, both already allow-listed; else that user).
  static DatabaseControls Controls() {
    DatabaseControls controls = ShippedDatabaseControls();
    std::ifstream admin(sandbox_->Env("MARIADB_ADMIN_DEFAULTS_FILE"));
    std::string line;
    while (std::getline(admin, line)) {
      if (line.rfind("user=", 0) == 0) controls.admin_allow_list.push_back(line.substr(5));
    }
    return controls;
  }

  std::vector<ControlOutcome> Outcomes(SqlQuery& session) {
    const MysqlServerFacts facts = ReadMysqlServerFacts(session);
    std::vector<ControlOutcome> outcomes;
    RunMysqlChecks(facts, SamplePii(), Controls(), {"sandbox", "", nullptr}, &outcomes);
    return outcomes;
  }
};

// "fail outcome-key object" for every failed outcome, to compare as sets.
std::set<std::string> Failures(const std::vector<ControlOutcome>& outcomes) {
  std::set<std::string> out;
  for (const auto& o : outcomes) {
    if (o.status == OutcomeStatus::kFail) out.insert(o.rule + " " + o.outcome + " " + o.object);
  }
  return out;
}

const std::vector<std::string>& SeededFailures() {
  static const std::vector<std::string> seeded = {
      "MY-AC-01 empty-password account 'crm_report'@'%'",
      "MY-AC-01 empty-password account ''@'localhost'",
      "MY-AC-02 anonymous account ''@'localhost'",
      "MY-AC-03 any-host account 'crm_report'@'%'",
      "MY-AC-03 any-host account 'crm_admin'@'%'",
      "MY-AC-03 any-host account 'root'@'%'",
      "MY-AC-04 root-remote account 'root'@'%'",
      "MY-AC-05 never-expires account 'crm_app'@'10.0.0.%'",
      "MY-AC-05 never-expires account 'crm_ops'@'localhost'",
      "MY-AC-06 native-password account 'crm_app'@'10.0.0.%'",
      "MY-AC-06 native-password account 'crm_admin'@'%'",
      "MY-AC-07 global-all account 'crm_admin'@'%'",
      "MY-AC-07 admin-privileges account 'crm_ops'@'localhost'",
      "MY-AC-08 broad-readers table crm.contacts",
      "MY-AC-08 broad-readers table crm.leads",
      "MY-CFG-01 local-infile-on server",
      "MY-AUD-01 general-log-on server",
      "MY-AUD-02 no-audit-plugin server"};
  return seeded;
}

TEST_F(MariaControls, SeededServerProblemsAreFoundWithTheirRemediation) {
  Seed();
  auto session = Auditor(DocumentedAuditorSql());
  ASSERT_TRUE(session);
  const std::vector<ControlOutcome> outcomes = Outcomes(*session);
  const std::set<std::string> failures = Failures(outcomes);
  for (const auto& seeded : SeededFailures()) {
    EXPECT_TRUE(failures.count(seeded)) << "not found: " << seeded;
  }
  // What the user reads, from the shipped catalog.
  const std::vector<Finding> findings = Judged(outcomes);
  bool saw_admin = false, saw_readers = false;
  for (const auto& f : findings) {
    if (f.rule == "MY-AC-07" && f.location.extra.count("account") &&
        f.location.extra.at("account") == "'crm_admin'@'%'") {
      saw_admin = true;
      EXPECT_EQ(f.title, "Account 'crm_admin'@'%' has ALL PRIVILEGES on *.*");
      EXPECT_EQ(f.severity, Severity::kHigh);
      EXPECT_THAT(f.remediation,
                  HasSubstr("REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'crm_admin'@'%';"));
    }
    if (f.rule == "MY-AC-08" && f.location.table == "contacts") {
      saw_readers = true;
      EXPECT_EQ(f.location.kind, "mysql");
      EXPECT_EQ(f.location.schema, "crm");
      EXPECT_THAT(f.evidence.facts.at("readers"), HasSubstr("''@'localhost'"));
      EXPECT_THAT(f.evidence.facts.at("readers"), HasSubstr("'crm_admin'@'%'"));
    }
  }
  EXPECT_TRUE(saw_admin);
  EXPECT_TRUE(saw_readers);
  // Built-in administrators (root and mysql on unix_socket, the locked mariadb.sys) and the
  // auditor's own PROCESS are no finding.
  for (const auto& failure : failures) {
    EXPECT_THAT(failure, ::testing::Not(HasSubstr("'root'@'localhost'")));
    EXPECT_THAT(failure, ::testing::Not(HasSubstr("'mysql'@'localhost'")));
    EXPECT_THAT(failure, ::testing::Not(HasSubstr("mariadb.sys")));
    EXPECT_THAT(failure, ::testing::Not(HasSubstr("'crmaudit'@'localhost'")));
  }
}

TEST_F(MariaControls, FixedServerPassesEverySeededCheck) {
  Seed();
  Fix();
  auto session = Auditor(DocumentedAuditorSql());
  ASSERT_TRUE(session);
  const std::vector<ControlOutcome> outcomes = Outcomes(*session);
  const std::set<std::string> failures = Failures(outcomes);
  for (const auto& seeded : SeededFailures()) {
    EXPECT_FALSE(failures.count(seeded)) << "still failing after fixed.sql: " << seeded;
  }
  // Every account and privilege check passes outright, with evidence that it ran; only the
  // sandbox's own scanning account (mysql_native_password, made by scripts/mariadb-sandbox)
  // is left for MY-AC-06.
  for (const char* rule : {"MY-AC-01", "MY-AC-02", "MY-AC-03", "MY-AC-04", "MY-AC-05", "MY-AC-07",
                           "MY-AC-08", "MY-CFG-01", "MY-CFG-02", "MY-AUD-01", "MY-AUD-02"}) {
    size_t passed = 0;
    for (const auto& o : outcomes) {
      if (o.rule != rule) continue;
      EXPECT_EQ(o.status, OutcomeStatus::kPass) << rule << " " << o.outcome << " " << o.object;
      passed += o.status == OutcomeStatus::kPass;
    }
    EXPECT_GT(passed, 0u) << rule;
  }
  for (const auto& failure : failures) {
    if (failure.rfind("MY-AC-06", 0) == 0) {
      EXPECT_EQ(failure, "MY-AC-06 native-password account 'crmaudit_scan'@'localhost'");
    }
  }
  // What needs a restart, not SQL, still fails on the sandbox and says so.
  EXPECT_TRUE(failures.count("MY-BAK-01 binlog-off server"));
  Seed();  // back to the seeded server for the other tests
}

TEST_F(MariaControls, DocumentedAuditorGrantsAreEnoughForEveryFactGroup) {
  Seed();
  auto session = Auditor(DocumentedAuditorSql());
  ASSERT_TRUE(session);
  MysqlServerFacts facts = ReadMysqlServerFacts(*session);
  EXPECT_EQ(facts.flavour, "mariadb");
  EXPECT_EQ(facts.current_user, "crmaudit@localhost");
  for (const auto& [name, assessment] : std::vector<std::pair<std::string, Assessment>>{
           {"variables", facts.variables_assessment},
           {"accounts", facts.accounts_assessment},
           {"privileges", facts.privileges_assessment},
           {"table grants", facts.table_grants_assessment},
           {"plugins", facts.plugins_assessment},
           {"table encryption", facts.table_encryption_assessment}}) {
    EXPECT_TRUE(assessment.assessed) << name << ": missing " << assessment.missing_privilege;
  }
  // The sandbox runs with performance_schema = ON (scripts/mariadb-sandbox): the grant on
  // performance_schema.threads is enough to see other clients' sessions.
  EXPECT_TRUE(facts.sessions_assessment.assessed) << facts.sessions_assessment.missing_privilege;
  EXPECT_EQ(facts.variables.at("performance_schema"), "ON");
  // secure_file_priv is NULL on the sandbox (no file access at all), not ''.
  EXPECT_EQ(facts.variables.at("secure_file_priv"), "NULL");
  // Hashes are compared by the server: the auditor is on ed25519 with a password.
  bool saw_self = false;
  for (const auto& account : facts.accounts) {
    if (account.user != "crmaudit") continue;
    saw_self = true;
    EXPECT_EQ(account.plugins, std::vector<std::string>{"ed25519"});
    EXPECT_FALSE(account.empty_password);
    EXPECT_EQ(account.password_lifetime_days, 90);
  }
  EXPECT_TRUE(saw_self);
}

TEST_F(MariaControls, EachMissingGrantIsOneNotAssessedPerCheckNamingIt) {
  Seed();
  struct Case {
    std::string grant;  // the documented statement left out
    std::vector<std::string> rules;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"ON mysql.global_priv ",
       {"MY-AC-01", "MY-AC-02", "MY-AC-03", "MY-AC-04", "MY-AC-05", "MY-AC-06"},
       "missing SELECT on mysql.global_priv"},
      {"ON mysql.user ", {"MY-AC-07", "MY-AC-08"}, "missing SELECT on mysql.user"},
      {"ON mysql.db ", {"MY-AC-08"}, "missing SELECT on mysql.db"},
      {"ON mysql.tables_priv ", {"MY-AC-08"}, "missing SELECT on mysql.tables_priv"},
      {"ON performance_schema.threads ",
       {"MY-ENC-02"},
       "missing SELECT on performance_schema.threads"},
      {"GRANT PROCESS", {"MY-ENC-04"}, "missing PROCESS"},
  };
  for (const auto& c : cases) {
    auto session = Auditor(Without(DocumentedAuditorSql(), c.grant));
    ASSERT_TRUE(session) << c.grant;
    const std::vector<ControlOutcome> outcomes = Outcomes(*session);
    for (const auto& rule : c.rules) {
      std::vector<const ControlOutcome*> of_rule;
      for (const auto& o : outcomes) {
        if (o.rule == rule) of_rule.push_back(&o);
      }
      ASSERT_EQ(of_rule.size(), 1u) << c.grant << ": " << rule << " should be one outcome";
      EXPECT_EQ(of_rule[0]->status, OutcomeStatus::kNotAssessed) << c.grant << ": " << rule;
      EXPECT_EQ(of_rule[0]->reason, c.reason) << rule;
    }
  }
  // Without SELECT on the CRM table, its retention count names it. On the fixed server: the
  // seeded anonymous ''@'localhost' grant on crm.* would let every local account read crm
  // (MariaDB matches an empty user of mysql.db against any user, which is MY-AC-08's point).
  Fix();
  auto session = Auditor(Without(DocumentedAuditorSql(), "ON crm.* "));
  ASSERT_TRUE(session);
  AgeProbe probe;
  probe.schema = "crm";
  probe.table = "leads";
  probe.flag_column = "deleted";
  probe.period = "30 days";
  probe.soft_delete = true;
  const auto ages = ReadMysqlAges(*session, {probe});
  ASSERT_EQ(ages.size(), 1u);
  EXPECT_FALSE(ages[0].assessed);
  EXPECT_EQ(ages[0].reason, "missing SELECT on `crm`.`leads`");
  Seed();
}

TEST_F(MariaControls, TheScanningAccountAloneSeesNoServerFactsAndSaysWhy) {
  Seed();
  auto session = sandbox_->Open(sandbox_->ScanOptions());
  ASSERT_TRUE(session);
  const std::vector<ControlOutcome> outcomes = Outcomes(*session);
  std::set<std::string> reasons;
  for (const auto& o : outcomes) {
    if (o.status == OutcomeStatus::kNotAssessed && o.rule.rfind("MY-AC", 0) == 0) {
      reasons.insert(o.reason);
    }
  }
  EXPECT_EQ(reasons, (std::set<std::string>{"missing SELECT on mysql.global_priv",
                                            "missing SELECT on mysql.user"}));
  // Settings need no grant: they are judged for any account.
  EXPECT_TRUE(Failures(outcomes).count("MY-CFG-01 local-infile-on server"));
}

// Through the binary, as a user runs it: the MY-* findings and control results are in
// report.json beside the PII inventory, retention is counted on the tables with personal data,
// and a folder of mysqldump files is judged by BAK-02/BAK-03.
TEST_F(MariaControls, ScanReportsTheServersControlsRetentionAndDumpFolder) {
  Seed();
  ASSERT_TRUE(Auditor(DocumentedAuditorSql()));
  testing::AdminConnection admin(*sandbox_);
  ASSERT_TRUE(admin.Exec("UPDATE crm.leads SET deleted = 1 ORDER BY id LIMIT 3"));
  const std::string dumps = sandbox_->dir() + "/dumps";
  std::filesystem::create_directories(dumps);
  std::ofstream(dumps + "/crm-nightly.sql") << "-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB\n"
                                               "CREATE TABLE `contacts` (`id` char(36));\n";
  const std::string uri = "mariadb://crmaudit:" + std::string(kAuditorPassword) +
                          "@localhost/crm?socket=" + sandbox_->socket();
  const testing::CliRun run =
      testing::RunScan(sandbox_->dir(), {uri, "--backup-info", dumps, "--fail-on", "never"});
  ASSERT_TRUE(admin.Exec("UPDATE crm.leads SET deleted = 0"));
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  ASSERT_TRUE(run.report.is_object());
  EXPECT_THAT(run.stderr_text, ::testing::Not(HasSubstr(kAuditorPassword)));
  std::map<std::string, std::string> titles;  // "rule account-or-table" -> title
  for (const auto& f : run.report["findings"]) {
    const std::string rule = f["rule"];
    if (rule.rfind("MY-", 0) != 0 && rule.rfind("BAK-", 0) != 0) continue;
    EXPECT_EQ(f["location"]["kind"], "mysql") << rule;
    titles[rule] = f["title"];
  }
  EXPECT_EQ(titles["MY-AC-04"], "root can log in from a non-local host ('root'@'%')");
  EXPECT_EQ(titles["MY-AUD-01"],
            "The general query log records statements with personal data (general_log = ON, "
            "log_output = FILE)");
  EXPECT_EQ(titles["MY-RET-02"], "Soft-deleted rows kept with unknown deletion date");
  EXPECT_THAT(titles["BAK-03"], ::testing::Not(::testing::IsEmpty()));
  // Every MY-* check left a control result, passes included.
  std::set<std::string> controls;
  for (const auto& c : run.report["controls"]) controls.insert(c["rule"].get<std::string>());
  for (const char* rule :
       {"MY-ENC-01", "MY-ENC-02", "MY-ENC-03", "MY-ENC-04", "MY-AC-01", "MY-AC-05", "MY-AC-08",
        "MY-CFG-02", "MY-AUD-02", "MY-BAK-01", "MY-RET-02", "BAK-02", "BAK-03"}) {
    EXPECT_TRUE(controls.count(rule)) << rule;
  }
}

}  // namespace
}  // namespace crmaudit
