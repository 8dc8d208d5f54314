// MySQL/MariaDB control checks (MY-*) as pure functions: facts in, the findings a user reads
// out (title, severity, location, remediation SQL, GDPR/PIPL articles), judged by the shipped
// catalog. The facts start from the fixtures' baseline MariaDB server (MysqlBaselineFactsJson),
// so the catalog's fixtures and these tests judge the same server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scanner/checks/check_fixtures.h"
#include "scanner/checks/mysql_checks.h"
#include "scanner/policy/policy_pack.h"
#include "tests/unit/checks/check_harness.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;

const DatabaseCheckContext kContext{"t1", "", nullptr};

MysqlServerFacts CleanServer() {
  return ReadMysqlServerFactsJson(MysqlBaselineFactsJson(), "mysql baseline");
}

std::vector<PiiColumnRef> ContactsPii() {
  return {{"crm", "contacts", "email_address", {"EMAIL_ADDRESS"}}};
}

struct Checked {
  std::vector<ControlOutcome> outcomes;
  std::vector<Finding> findings;
  std::vector<ControlResult> controls;
};

Checked Check(const MysqlServerFacts& facts, const std::vector<PiiColumnRef>& pii = ContactsPii(),
              const DatabaseControls& controls = ShippedDatabaseControls(),
              const std::map<std::string, CheckMeta>& settings = {}) {
  Checked run;
  RunMysqlChecks(facts, pii, controls, kContext, &run.outcomes);
  run.findings = Judged(run.outcomes, settings, &run.controls);
  return run;
}

// Copies, so that a check's temporary result may be asked directly.
std::vector<Finding> ByRule(const Checked& run, const std::string& rule,
                            FindingStatus status = FindingStatus::kOpen) {
  std::vector<Finding> out;
  for (const auto& f : run.findings) {
    if (f.rule == rule && f.status == status) out.push_back(f);
  }
  return out;
}

const ControlResult* Control(const Checked& run, const std::string& rule) {
  for (const auto& c : run.controls) {
    if (c.rule == rule) return &c;
  }
  return nullptr;
}

MysqlAccountFacts Account(std::string user, std::string host, std::vector<std::string> plugins) {
  MysqlAccountFacts account;
  account.user = std::move(user);
  account.host = std::move(host);
  account.plugins = std::move(plugins);
  return account;
}

TEST(MysqlChecks, WellRunServerRaisesNothingAndRecordsEveryCheckAsPassed) {
  const Checked run = Check(CleanServer());
  for (const auto& f : run.findings) ADD_FAILURE() << "unexpected " << f.rule << ": " << f.title;
  for (const char* rule :
       {"MY-ENC-01", "MY-ENC-02", "MY-ENC-03", "MY-ENC-04", "MY-AC-01", "MY-AC-02", "MY-AC-03",
        "MY-AC-04", "MY-AC-05", "MY-AC-06", "MY-AC-07", "MY-AC-08", "MY-CFG-01", "MY-CFG-02",
        "MY-AUD-01", "MY-AUD-02", "MY-BAK-01"}) {
    const ControlResult* control = Control(run, rule);
    ASSERT_NE(control, nullptr) << rule << " left no evidence that it ran";
    EXPECT_EQ(control->status, OutcomeStatus::kPass) << rule;
    EXPECT_GT(control->passed, 0u) << rule;
  }
}

TEST(MysqlChecks, OptionalTlsAndOldVersionsAreTwoFindingsWithTheirSettings) {
  MysqlServerFacts facts = CleanServer();
  facts.variables["require_secure_transport"] = "OFF";
  facts.variables["tls_version"] = "TLSv1,TLSv1.1,TLSv1.2,TLSv1.3";
  const Checked run = Check(facts);
  const auto enc = ByRule(run, "MY-ENC-01");
  ASSERT_EQ(enc.size(), 2u);
  EXPECT_EQ(enc[0].title,
            "Server accepts connections without TLS (require_secure_transport = OFF)");
  EXPECT_EQ(enc[0].severity, Severity::kHigh);
  EXPECT_EQ(enc[0].location.kind, "mysql");
  EXPECT_EQ(enc[0].location.extra.at("setting"), "require_secure_transport");
  EXPECT_THAT(enc[0].remediation, HasSubstr("SET GLOBAL require_secure_transport = ON;"));
  EXPECT_EQ(enc[1].title, "Server allows outdated TLS versions (TLSv1, TLSv1.1)");
  EXPECT_THAT(enc[1].remediation, HasSubstr("tls_version = TLSv1.2,TLSv1.3"));
  EXPECT_NE(enc[0].id, enc[1].id);

  // GDPR and PIPL articles come from the framework packs, like the PostgreSQL checks'.
  const ControlPolicy packs = ControlPolicyFromPacks(
      {LoadPolicyPack(std::string(CRMAUDIT_SOURCE_DIR) + "/policies/controls-gdpr.json"),
       LoadPolicyPack(std::string(CRMAUDIT_SOURCE_DIR) + "/policies/controls-pipl.json")});
  const Checked mapped = Check(facts, ContactsPii(), packs.database, packs.database.checks);
  const auto mapped_enc = ByRule(mapped, "MY-ENC-01");
  ASSERT_FALSE(mapped_enc.empty());
  EXPECT_THAT(mapped_enc[0].frameworks.at("GDPR"), ::testing::Contains("Art. 32(1)(a)"));
  EXPECT_THAT(mapped_enc[0].frameworks.at("PIPL"), ::testing::Contains("Art. 51"));
}

TEST(MysqlChecks, ServerWithoutCertificateSaysSoOnce) {
  MysqlServerFacts facts = CleanServer();
  facts.variables["have_ssl"] = "DISABLED";
  facts.variables["require_secure_transport"] = "OFF";
  const auto enc = ByRule(Check(facts), "MY-ENC-01");
  ASSERT_EQ(enc.size(), 1u);
  EXPECT_EQ(enc[0].title, "Server cannot use TLS (have_ssl is not YES)");
}

TEST(MysqlChecks, ClearTcpSessionsFailButSocketsAndTlsDoNot) {
  MysqlServerFacts facts = CleanServer();
  facts.sessions = {{"crm_app", "10.0.0.5", "TCP/IP"},
                    {"crm_app", "10.0.0.6", "SSL/TLS"},
                    {"root", "localhost", "Socket"}};
  const Checked run = Check(facts);
  const auto enc = ByRule(run, "MY-ENC-02");
  ASSERT_EQ(enc.size(), 1u);
  EXPECT_EQ(enc[0].title, "Live TCP sessions without TLS");
  EXPECT_EQ(enc[0].evidence.count, 1u);
  EXPECT_EQ(enc[0].evidence.facts.at("users"), "crm_app");

  facts.sessions.clear();
  facts.sessions_assessment = {false, "performance_schema = ON (a server setting)"};
  const auto hidden = ByRule(Check(facts), "MY-ENC-02", FindingStatus::kNotAssessed);
  ASSERT_EQ(hidden.size(), 1u);
  EXPECT_THAT(hidden[0].status_reason, HasSubstr("performance_schema = ON"));
}

TEST(MysqlChecks, EncryptionAtRestNamesTheFlavoursSettings) {
  MysqlServerFacts facts = CleanServer();
  facts.variables["innodb_encrypt_tables"] = "OFF";
  facts.variables["encrypt_binlog"] = "OFF";
  auto enc = ByRule(Check(facts), "MY-ENC-03");
  ASSERT_EQ(enc.size(), 2u);
  EXPECT_EQ(enc[0].title,
            "New and existing InnoDB tables are not encrypted (innodb_encrypt_tables = OFF)");
  EXPECT_THAT(enc[0].remediation, HasSubstr("file_key_management"));
  EXPECT_EQ(enc[1].title, "Binary log is not encrypted (encrypt_binlog = OFF)");

  facts = CleanServer();
  facts.flavour = "mysql";
  facts.variables["default_table_encryption"] = "OFF";
  facts.variables["innodb_redo_log_encrypt"] = "ON";
  facts.variables["binlog_encryption"] = "ON";
  enc = ByRule(Check(facts), "MY-ENC-03");
  ASSERT_EQ(enc.size(), 1u);
  EXPECT_EQ(enc[0].title,
            "New tables are not encrypted by default (default_table_encryption = OFF)");
  EXPECT_THAT(enc[0].remediation, HasSubstr("SET PERSIST default_table_encryption = ON;"));
}

TEST(MysqlChecks, UnencryptedPiiTableFailsAndWithoutProcessIsOneNotAssessed) {
  MysqlServerFacts facts = CleanServer();
  facts.table_encryption = {{"crm", "contacts", false}};
  auto enc = ByRule(Check(facts), "MY-ENC-04");
  ASSERT_EQ(enc.size(), 1u);
  EXPECT_EQ(enc[0].location.schema, "crm");
  EXPECT_EQ(enc[0].location.table, "contacts");
  EXPECT_EQ(
      enc[0].remediation,
      "With a key management plugin loaded: ALTER TABLE `crm`.`contacts` ENCRYPTED = YES; (or "
      "innodb_encrypt_tables = ON for all tables).");

  facts.table_encryption.clear();
  facts.table_encryption_assessment = {false, "PROCESS"};
  const Checked run = Check(facts);
  const auto missing = ByRule(run, "MY-ENC-04", FindingStatus::kNotAssessed);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].status_reason, "not assessed: missing PROCESS");
  EXPECT_THAT(missing[0].remediation, HasSubstr("GRANT PROCESS ON *.*"));
  EXPECT_EQ(Control(run, "MY-ENC-04")->status, OutcomeStatus::kNotAssessed);
}

TEST(MysqlChecks, SeededAccountProblemsAreEachAFindingAboutTheAccount) {
  MysqlServerFacts facts = CleanServer();
  MysqlAccountFacts empty = Account("crm_report", "%", {"mysql_native_password"});
  empty.empty_password = true;
  MysqlAccountFacts anonymous = Account("", "localhost", {"mysql_native_password"});
  anonymous.empty_password = true;
  MysqlAccountFacts remote_root = Account("root", "%", {"mysql_native_password"});
  remote_root.all_privileges = true;
  facts.accounts.push_back(empty);
  facts.accounts.push_back(anonymous);
  facts.accounts.push_back(remote_root);
  const Checked run = Check(facts);

  const auto empty_pw = ByRule(run, "MY-AC-01");
  ASSERT_EQ(empty_pw.size(), 2u);
  EXPECT_EQ(empty_pw[0].title, "Account 'crm_report'@'%' has an empty password");
  EXPECT_EQ(empty_pw[0].severity, Severity::kCritical);
  EXPECT_EQ(empty_pw[0].location.extra.at("account"), "'crm_report'@'%'");
  EXPECT_THAT(empty_pw[0].remediation, HasSubstr("ALTER USER 'crm_report'@'%' IDENTIFIED BY"));

  const auto anon = ByRule(run, "MY-AC-02");
  ASSERT_EQ(anon.size(), 1u);
  EXPECT_EQ(anon[0].title, "Anonymous account ''@'localhost' exists");
  EXPECT_EQ(anon[0].remediation, "DROP USER ''@'localhost';");

  const auto any_host = ByRule(run, "MY-AC-03");
  ASSERT_EQ(any_host.size(), 2u);  // crm_report and root
  EXPECT_THAT(any_host[0].remediation, HasSubstr("RENAME USER 'crm_report'@'%' TO 'crm_report'@"));

  const auto root = ByRule(run, "MY-AC-04");
  ASSERT_EQ(root.size(), 1u);
  EXPECT_EQ(root[0].title, "root can log in from a non-local host ('root'@'%')");
  EXPECT_EQ(root[0].severity, Severity::kHigh);

  // root is allow-listed for administrative privileges: remote root is MY-AC-04's finding.
  EXPECT_TRUE(ByRule(run, "MY-AC-07").empty());
  // The locked mariadb.sys (empty hash, cannot log in) is judged by none of them.
  for (const auto& f : run.findings) {
    auto account = f.location.extra.find("account");
    if (account != f.location.extra.end()) {
      EXPECT_NE(account->second, "'mariadb.sys'@'localhost'") << f.rule;
    }
  }
}

TEST(MysqlChecks, PasswordLifetimeFromTheServerDefaultOrTheAccount) {
  MysqlServerFacts facts = CleanServer();
  facts.variables["default_password_lifetime"] = "0";
  Checked run = Check(facts);
  auto expiry = ByRule(run, "MY-AC-05");
  ASSERT_EQ(expiry.size(), 2u);  // crm_app and auditor; root (unix_socket) has no password
  EXPECT_EQ(expiry[0].title, "Password of 'crm_app'@'10.0.0.%' never expires");
  EXPECT_EQ(expiry[0].severity, Severity::kLow);
  EXPECT_THAT(expiry[0].remediation,
              HasSubstr("ALTER USER 'crm_app'@'10.0.0.%' PASSWORD EXPIRE INTERVAL 365 DAY;"));
  EXPECT_EQ(expiry[0].evidence.facts.at("decided_by"), "the server's default_password_lifetime");

  facts = CleanServer();
  facts.accounts[2].password_lifetime_days = 730;
  expiry = ByRule(Check(facts), "MY-AC-05");
  ASSERT_EQ(expiry.size(), 1u);
  EXPECT_EQ(expiry[0].title,
            "Password of 'crm_app'@'10.0.0.%' expires only after 730 days (policy: 365)");
}

TEST(MysqlChecks, NativePasswordAndOldHashesPointToTheFlavoursStrongPlugin) {
  MysqlServerFacts facts = CleanServer();
  facts.accounts[2].plugins = {"mysql_native_password"};
  auto weak = ByRule(Check(facts), "MY-AC-06");
  ASSERT_EQ(weak.size(), 1u);
  EXPECT_EQ(weak[0].title, "Account 'crm_app'@'10.0.0.%' authenticates with mysql_native_password");
  EXPECT_THAT(weak[0].remediation, HasSubstr("IDENTIFIED VIA ed25519"));

  facts.flavour = "mysql";
  weak = ByRule(Check(facts), "MY-AC-06");
  ASSERT_EQ(weak.size(), 1u);
  EXPECT_THAT(weak[0].remediation, HasSubstr("IDENTIFIED WITH caching_sha2_password"));

  facts = CleanServer();
  facts.accounts[2].plugins = {"mysql_native_password"};
  facts.accounts[2].old_hash = true;
  weak = ByRule(Check(facts), "MY-AC-06");
  ASSERT_EQ(weak.size(), 1u);
  EXPECT_EQ(weak[0].title, "Account 'crm_app'@'10.0.0.%' has a pre-4.1 password hash");
}

TEST(MysqlChecks, AdministrativePrivilegesOutsideTheAllowListFail) {
  MysqlServerFacts facts = CleanServer();
  MysqlAccountFacts all = Account("crm_admin", "%", {"ed25519"});
  all.all_privileges = true;
  all.global_privileges = {"SELECT", "SUPER", "FILE", "PROCESS", "GRANT OPTION"};
  MysqlAccountFacts report = Account("report", "10.0.0.%", {"ed25519"});
  report.global_privileges = {"SELECT", "FILE", "PROCESS"};
  facts.accounts.push_back(all);
  facts.accounts.push_back(report);
  const Checked run = Check(facts);
  const auto admin = ByRule(run, "MY-AC-07");
  ASSERT_EQ(admin.size(), 2u);
  EXPECT_EQ(admin[0].title, "Account 'crm_admin'@'%' has ALL PRIVILEGES on *.*");
  EXPECT_THAT(admin[0].remediation,
              HasSubstr("REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'crm_admin'@'%';"));
  EXPECT_EQ(admin[1].title, "Account 'report'@'10.0.0.%' has global FILE, PROCESS");
  EXPECT_EQ(admin[1].remediation, "REVOKE FILE, PROCESS ON *.* FROM 'report'@'10.0.0.%';");
  // The auditor's own PROCESS (docs/auditor-role.md) is no finding.
  for (const Finding& f : admin) EXPECT_THAT(f.title, ::testing::Not(HasSubstr("auditor")));

  // Global SELECT of both makes every table with personal data broadly readable.
  const auto readers = ByRule(run, "MY-AC-08");
  ASSERT_EQ(readers.size(), 1u);
  EXPECT_EQ(readers[0].title,
            "Table with personal data readable by 'crm_admin'@'%', 'report'@'10.0.0.%'");
  EXPECT_EQ(readers[0].location.table, "contacts");

  // An audit file allow-listing crm_admin silences MY-AC-07 for it.
  DatabaseControls controls = ShippedDatabaseControls();
  controls.admin_allow_list.push_back("crm_admin");
  EXPECT_EQ(ByRule(Check(facts, ContactsPii(), controls), "MY-AC-07").size(), 1u);
}

TEST(MysqlChecks, AnonymousAndPublicGrantsOnPiiSchemasAreBroadReaders) {
  MysqlServerFacts facts = CleanServer();
  facts.table_grants.push_back({"", "localhost", "crm\\_%", ""});
  facts.table_grants.push_back({"PUBLIC", "", "crm", "contacts"});
  facts.table_grants.push_back({"PUBLIC", "", "crm", "leads"});  // not a PII table here
  const auto readers = ByRule(Check(facts), "MY-AC-08");
  // crm\_% does not match "crm" (it needs an underscore after crm).
  ASSERT_EQ(readers.size(), 1u);
  EXPECT_EQ(readers[0].evidence.facts.at("readers"), "PUBLIC");
  EXPECT_THAT(readers[0].remediation, HasSubstr("SELECT ON `crm`.`contacts` TO PUBLIC"));

  facts.table_grants.push_back({"", "localhost", "cr_", ""});
  EXPECT_EQ(ByRule(Check(facts), "MY-AC-08")[0].evidence.facts.at("readers"),
            "PUBLIC, ''@'localhost'");

  facts.table_grants_assessment = {false, "SELECT on mysql.db"};
  const auto missing = ByRule(Check(facts), "MY-AC-08", FindingStatus::kNotAssessed);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].status_reason, "not assessed: missing SELECT on mysql.db");
}

TEST(MysqlChecks, FileImportExportSettings) {
  MysqlServerFacts facts = CleanServer();
  facts.variables["local_infile"] = "ON";
  facts.variables["secure_file_priv"] = "";
  Checked run = Check(facts);
  auto infile = ByRule(run, "MY-CFG-01");
  ASSERT_EQ(infile.size(), 1u);
  EXPECT_EQ(infile[0].title, "LOAD DATA LOCAL is allowed (local_infile = ON)");
  EXPECT_THAT(infile[0].remediation, HasSubstr("SET GLOBAL local_infile = OFF;"));
  auto priv = ByRule(run, "MY-CFG-02");
  ASSERT_EQ(priv.size(), 1u);
  EXPECT_EQ(priv[0].location.extra.at("setting"), "secure_file_priv");

  facts.variables["secure_file_priv"] = "NULL";  // file import and export disabled
  EXPECT_TRUE(ByRule(Check(facts), "MY-CFG-02").empty());
}

TEST(MysqlChecks, GeneralLogMattersOnlyWithPersonalData) {
  MysqlServerFacts facts = CleanServer();
  facts.variables["general_log"] = "ON";
  auto logged = ByRule(Check(facts), "MY-AUD-01");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].severity, Severity::kHigh);
  EXPECT_THAT(logged[0].title, HasSubstr("general_log = ON, log_output = FILE"));
  EXPECT_THAT(logged[0].remediation, HasSubstr("SET GLOBAL general_log = OFF;"));
  EXPECT_THAT(logged[0].remediation, HasSubstr("db.log"));
  EXPECT_TRUE(ByRule(Check(facts, {}), "MY-AUD-01").empty());
  facts.variables["log_output"] = "NONE";
  EXPECT_TRUE(ByRule(Check(facts), "MY-AUD-01").empty());
}

TEST(MysqlChecks, AuditPluginPresenceAndLogging) {
  MysqlServerFacts facts = CleanServer();
  facts.plugins = {"unix_socket", "ed25519"};
  auto audit = ByRule(Check(facts), "MY-AUD-02");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].title, "No audit plugin is loaded");
  EXPECT_THAT(audit[0].remediation, HasSubstr("INSTALL SONAME 'server_audit';"));

  facts = CleanServer();
  facts.variables["server_audit_logging"] = "OFF";
  audit = ByRule(Check(facts), "MY-AUD-02");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_THAT(audit[0].title, HasSubstr("not logging"));
}

TEST(MysqlChecks, BinlogRetentionIsJudgedAgainstTheBackupAgeParameter) {
  MysqlServerFacts facts = CleanServer();
  facts.variables["binlog_expire_logs_seconds"] = "43200";
  auto binlog = ByRule(Check(facts), "MY-BAK-01");
  ASSERT_EQ(binlog.size(), 1u);
  EXPECT_EQ(binlog[0].title,
            "Binary logs are purged after 12 h, before the next full backup is due (26 h)");
  EXPECT_THAT(binlog[0].remediation, HasSubstr("SET GLOBAL binlog_expire_logs_seconds = 93600;"));
  EXPECT_THAT(binlog[0].remediation, HasSubstr("expire_logs_days = 2;"));

  // A pack that backs up every 8 hours accepts 12 hours of binlogs: the same parameter as BAK-02.
  DatabaseControls controls = ShippedDatabaseControls();
  controls.backup_max_age_hours = 8;
  EXPECT_TRUE(ByRule(Check(facts, ContactsPii(), controls), "MY-BAK-01").empty());

  facts.variables["log_bin"] = "OFF";
  binlog = ByRule(Check(facts), "MY-BAK-01");
  ASSERT_EQ(binlog.size(), 1u);
  EXPECT_EQ(binlog[0].title, "Binary logging is off: no point-in-time recovery");
}

TEST(MysqlChecks, RetentionUsesTheSharedJudgementWithMysqlSql) {
  MysqlServerFacts facts = CleanServer();
  AgeProbeResult kept;
  kept.probe = {"crm", "leads", "date_entered", "2 years", false, "pack mapping"};
  kept.assessed = true;
  kept.rows_past = 80;
  kept.rows_total = 200;
  kept.oldest = "2018-10-01";
  AgeProbeResult flagged;
  flagged.probe = {"crm", "contacts", "date_modified", "30 days", true, "automatic", "deleted"};
  flagged.assessed = true;
  flagged.rows_past = 3;
  flagged.rows_total = 4;
  facts.ages = {kept, flagged};
  const Checked run = Check(facts);
  const auto ret1 = ByRule(run, "MY-RET-01");
  ASSERT_EQ(ret1.size(), 1u);
  EXPECT_EQ(ret1[0].title, "Rows kept longer than the 2 years retention period");
  EXPECT_THAT(
      ret1[0].remediation,
      HasSubstr("DELETE FROM `crm`.`leads` WHERE `date_entered` < NOW() - INTERVAL 2 YEAR;"));
  EXPECT_EQ(ret1[0].evidence.count, 80u);
  const auto ret2 = ByRule(run, "MY-RET-02");
  ASSERT_EQ(ret2.size(), 1u);
  EXPECT_THAT(ret2[0].remediation,
              HasSubstr("WHERE `deleted` = 1 AND `date_modified` < NOW() - INTERVAL 30 DAY;"));
  EXPECT_EQ(ret2[0].location.column, "deleted");
  // PostgreSQL's checks are not run on a MySQL server.
  EXPECT_TRUE(ByRule(run, "RET-01").empty());
}

TEST(MysqlChecks, EveryUnreadableGroupIsOneNotAssessedNamingTheGrant) {
  MysqlServerFacts facts = CleanServer();
  facts.accounts.clear();
  facts.accounts_assessment = {false, "SELECT on mysql.global_priv"};
  facts.privileges_assessment = {false, "SELECT on mysql.user"};
  const Checked run = Check(facts);
  for (const char* rule :
       {"MY-AC-01", "MY-AC-02", "MY-AC-03", "MY-AC-04", "MY-AC-05", "MY-AC-06"}) {
    const auto missing = ByRule(run, rule, FindingStatus::kNotAssessed);
    ASSERT_EQ(missing.size(), 1u) << rule;
    EXPECT_EQ(missing[0].status_reason, "not assessed: missing SELECT on mysql.global_priv")
        << rule;
    EXPECT_EQ(Control(run, rule)->status, OutcomeStatus::kNotAssessed) << rule;
  }
  const auto privileges = ByRule(run, "MY-AC-07", FindingStatus::kNotAssessed);
  ASSERT_EQ(privileges.size(), 1u);
  EXPECT_EQ(privileges[0].status_reason, "not assessed: missing SELECT on mysql.user");
  EXPECT_EQ(privileges[0].evidence.facts.at("missing_privilege"), "SELECT on mysql.user");
}

}  // namespace
}  // namespace crmaudit
