// Control checks as pure functions over hand-built facts: no server needed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "scanner/checks/backup_checks.h"
#include "scanner/checks/database_checks.h"
#include "scanner/checks/database_controls.h"
#include "scanner/facts/backup_facts.h"
#include "scanner/policy/policy_pack.h"
#include "tests/unit/checks/check_harness.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;

const DatabaseCheckContext kContext{"t1", "crm", &ShippedReleases()};

std::vector<const Finding*> ByRule(const std::vector<Finding>& findings, const std::string& rule,
                                   FindingStatus status = FindingStatus::kOpen) {
  std::vector<const Finding*> out;
  for (const auto& f : findings) {
    if (f.rule == rule && f.status == status) out.push_back(&f);
  }
  return out;
}

// Facts of a well-run server: every group assessed, nothing wrong.
DatabaseFacts CleanFacts() {
  DatabaseFacts facts;
  facts.database = "crm";
  Assessment ok{true, ""};
  facts.settings_assessment = facts.roles_assessment = facts.verifiers_assessment = ok;
  facts.hba_assessment = facts.sessions_assessment = facts.relations_assessment = ok;
  facts.schemas_assessment = facts.archiver_assessment = ok;
  facts.functions_assessment = facts.extensions_assessment = facts.languages_assessment = ok;
  facts.server_version = 150099;  // newer than any minor the release list knows
  facts.server_date = "2026-12-01";
  facts.languages = {{"plpgsql", true}};
  facts.settings = {{"ssl", "on"},
                    {"ssl_min_protocol_version", "TLSv1.2"},
                    {"password_encryption", "scram-sha-256"},
                    {"log_connections", "on"},
                    {"log_disconnections", "on"},
                    {"log_statement", "ddl"},
                    {"log_min_duration_statement", "-1"},
                    {"archive_mode", "on"},
                    {"archive_timeout", "300"},
                    {"pgaudit.log", "ddl,role"},
                    {"listen_addresses", "localhost"},
                    {"logging_collector", "on"},
                    {"log_destination", "stderr"},
                    {"log_file_mode", "0600"},
                    {"log_line_prefix", "%m [%p] %q%u@%d %r "},
                    {"debug_print_parse", "off"},
                    {"debug_print_rewritten", "off"},
                    {"debug_print_plan", "off"},
                    {"data_checksums", "on"},
                    {"shared_preload_libraries", "passwordcheck,auth_delay"},
                    {"auth_delay.milliseconds", "500"}};
  RoleFacts app;
  app.name = "crm_app";
  app.can_login = true;
  app.valid_until = "2030-01-01 00:00:00+00";
  app.verifier = "scram-sha-256";
  RoleFacts postgres;
  postgres.name = "postgres";
  postgres.can_login = true;
  postgres.superuser = true;
  postgres.verifier = "scram-sha-256";
  facts.roles = {app, postgres};
  facts.hba_rules = {{1, "local", "all", "postgres", "", "peer", ""},
                     {2, "hostssl", "crm", "crm_app", "10.0.0.0/8", "scram-sha-256", ""}};
  RelationAccessFacts contacts;
  contacts.schema = "crm";
  contacts.table = "contacts";
  contacts.row_security = true;
  contacts.policies = {"tenant_rows"};
  facts.relations = {contacts};
  facts.archiver.archived_count = 100;
  facts.archiver.seconds_since_archive = 60;
  return facts;
}

std::vector<PiiColumnRef> ContactsPii() {
  return {{"crm", "contacts", "email", {"EMAIL_ADDRESS"}}};
}

TEST(DatabaseChecks, CleanServerRaisesNothing) {
  std::vector<Finding> findings;
  findings = DatabaseFindings(CleanFacts(), ContactsPii(), DatabaseControls{}, kContext);
  for (const auto& f : findings) ADD_FAILURE() << "unexpected " << f.rule << ": " << f.title;
}

TEST(DatabaseChecks, Enc01FiresWhenSslOffOrOldTls) {
  DatabaseFacts facts = CleanFacts();
  facts.settings["ssl"] = "off";
  std::vector<ControlOutcome> outcomes;
  CheckServerTls(facts, DatabaseControls{}, kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(ByRule(findings, "ENC-01").size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_EQ(findings[0].location.extra.at("setting"), "ssl");
  EXPECT_THAT(findings[0].remediation, HasSubstr("ssl = on"));
  // The catalog cites the CIS recommendation (TLS is 6.8; 6.7 is FIPS); the GDPR article comes
  // from the framework pack that maps the check.
  EXPECT_THAT(findings[0].frameworks.at("CIS"), ::testing::Contains(HasSubstr(" 6.8")));
  EXPECT_EQ(findings[0].frameworks.count("GDPR"), 0u);
  EXPECT_EQ(findings[0].id.rfind("crm-", 0), 0u);
  const ControlPolicy gdpr = ControlPolicyFromPacks(
      {LoadPolicyPack(std::string(CRMAUDIT_SOURCE_DIR) + "/policies/controls-gdpr.json")});
  findings = Judged(outcomes, gdpr.database.checks);
  EXPECT_THAT(findings[0].frameworks.at("GDPR"), ::testing::Contains("Art. 32(1)(a)"));

  facts.settings["ssl"] = "on";
  facts.settings["ssl_min_protocol_version"] = "TLSv1";
  outcomes.clear();
  CheckServerTls(facts, DatabaseControls{}, kContext, &outcomes);
  findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.facts.at("ssl_min_protocol_version"), "TLSv1");
}

TEST(DatabaseChecks, Enc02CountsOtherClientsClearTcpSessionsNeverCrmauditsOwn) {
  DatabaseFacts facts = CleanFacts();
  facts.sessions = {{10, "crm_app", "web", "10.1.1.1", false, ""},
                    {11, "crm_app", "web", "10.1.1.2", true, "TLSv1.3"}};
  // crmaudit connected without TLS itself: the operator's sslmode, not the server's clients.
  facts.own_session_tcp = true;
  facts.own_session_ssl = false;
  std::vector<Finding> findings;
  CheckSessionTls(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.count, 1u);
  EXPECT_EQ(findings[0].evidence.facts.at("users"), "crm_app");
  EXPECT_EQ(findings[0].evidence.facts.count("includes_crmaudit_session"), 0u);

  facts.sessions = {{11, "crm_app", "web", "10.1.1.2", true, "TLSv1.3"}};
  findings.clear();
  CheckSessionTls(facts, DatabaseControls{}, kContext, &findings);
  EXPECT_TRUE(findings.empty()) << "only crmaudit's own session was in clear: no ENC-02";
}

TEST(DatabaseChecks, Enc02NotAssessedWithoutReadAllStats) {
  DatabaseFacts facts = CleanFacts();
  facts.sessions_assessment = {false, "pg_read_all_stats (or pg_monitor)"};
  std::vector<Finding> findings;
  CheckSessionTls(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(ByRule(findings, "ENC-02", FindingStatus::kNotAssessed).size(), 1u);
  EXPECT_THAT(findings[0].status_reason, HasSubstr("pg_read_all_stats"));
}

TEST(DatabaseChecks, Enc03TrustOnHostIsCritical) {
  DatabaseFacts facts = CleanFacts();
  facts.hba_rules.push_back({7, "host", "all", "all", "0.0.0.0/0", "trust", ""});
  facts.hba_rules.push_back({8, "hostssl", "crm", "crm_legacy", "10.0.0.0/8", "md5", ""});
  std::vector<Finding> findings;
  CheckHbaRules(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_THAT(findings[0].title, HasSubstr("trust"));
  EXPECT_EQ(findings[1].severity, Severity::kHigh);
  EXPECT_THAT(findings[1].title, HasSubstr("md5"));
  EXPECT_NE(findings[0].id, findings[1].id);
}

TEST(DatabaseChecks, Enc04NotAssessedNamesThePrivilege) {
  DatabaseFacts facts = CleanFacts();
  facts.verifiers_assessment = {false, "superuser, or EXECUTE on crmaudit_helper.role_verifiers()"};
  std::vector<Finding> findings;
  CheckPasswordVerifiers(facts, DatabaseControls{}, kContext, &findings);
  auto missing = ByRule(findings, "ENC-04", FindingStatus::kNotAssessed);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_THAT(missing[0]->status_reason, HasSubstr("crmaudit_helper.role_verifiers"));
  EXPECT_TRUE(ByRule(findings, "ENC-04").empty());
}

TEST(DatabaseChecks, Enc04FlagsMd5VerifierAndSetting) {
  DatabaseFacts facts = CleanFacts();
  facts.roles[0].verifier = "md5";
  facts.settings["password_encryption"] = "md5";
  std::vector<Finding> findings;
  CheckPasswordVerifiers(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[1].location.extra.at("role"), "crm_app");
}

TEST(DatabaseChecks, Enc05OnlySensitiveEntitiesInClear) {
  DatabaseFacts facts = CleanFacts();
  std::vector<PiiColumnRef> pii = {{"crm", "leads", "id_card", {"CN_RESIDENT_ID"}},
                                   {"crm", "leads", "email", {"EMAIL_ADDRESS"}}};
  facts.column_values[{"crm", "leads"}] = {{"id_card", "text", 200}, {"email", "text", 200}};
  std::vector<Finding> findings;
  CheckClearSensitiveColumns(facts, pii, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.column, "id_card");
  EXPECT_EQ(findings[0].evidence.count, 200u);
  EXPECT_THAT(findings[0].remediation, HasSubstr("pgp_sym_encrypt"));
}

TEST(DatabaseChecks, Enc05JudgesStorageOnTablesAndNamesViewsAsExposure) {
  DatabaseFacts facts = CleanFacts();
  RelationAccessFacts cards;
  cards.schema = "crm";
  cards.table = "lead_cards";
  cards.relkind = 'v';
  cards.reads_from = {{"crm", "leads"}};
  RelationAccessFacts vault;
  vault.schema = "crm";
  vault.table = "decrypted_ids";
  vault.relkind = 'v';
  vault.reads_from = {{"crm", "vault"}};
  facts.relations.push_back(cards);
  facts.relations.push_back(vault);
  std::vector<PiiColumnRef> pii = {
      {"crm", "leads", "id_card", {"CN_RESIDENT_ID"}, 'r'},
      {"crm", "lead_cards", "id_card", {"CN_RESIDENT_ID"}, 'v'},
      {"crm", "id_snapshot", "id_card", {"CN_RESIDENT_ID"}, 'm'},
      {"crm", "decrypted_ids", "national_id", {"CN_RESIDENT_ID"}, 'v'}};
  std::vector<Finding> findings;
  CheckClearSensitiveColumns(facts, pii, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 3u);
  std::map<std::string, const Finding*> by_table;
  for (const auto& f : findings) by_table[f.location.table] = &f;
  // The table stores the values; the view reading it is named on the table's finding.
  ASSERT_TRUE(by_table.count("leads"));
  EXPECT_THAT(by_table["leads"]->title, HasSubstr("stored in clear"));
  EXPECT_EQ(by_table["leads"]->evidence.facts.at("exposed_through_views"), "crm.lead_cards");
  EXPECT_EQ(by_table.count("lead_cards"), 0u) << "a view stores nothing: no second storage";
  // A materialized view stores its rows.
  ASSERT_TRUE(by_table.count("id_snapshot"));
  EXPECT_THAT(by_table["id_snapshot"]->title, HasSubstr("stored in clear"));
  // A view whose stored side was not judged (it decrypts) is exposure, never storage.
  ASSERT_TRUE(by_table.count("decrypted_ids"));
  EXPECT_THAT(by_table["decrypted_ids"]->title, HasSubstr("View shows"));
  EXPECT_THAT(by_table["decrypted_ids"]->title, ::testing::Not(HasSubstr("stored")));
  EXPECT_EQ(by_table["decrypted_ids"]->location.extra.at("aspect"), "exposure through view");
}

TEST(DatabaseChecks, Enc06PlaintextAndUnsaltedButNotBcrypt) {
  DatabaseFacts facts = CleanFacts();
  ColumnValueFacts plain{"legacy_password", "text", 12};
  plain.password_column = true;
  plain.plaintext_passwords = 12;
  ColumnValueFacts bcrypt{"password_hash", "text", 12};
  bcrypt.password_column = true;
  bcrypt.strong_hashes = 12;
  ColumnValueFacts md5{"pw_md5", "text", 5};
  md5.password_column = true;
  md5.fast_unsalted = 5;
  facts.column_values[{"crm", "users"}] = {plain, bcrypt, md5};
  std::vector<Finding> findings;
  CheckPasswordStorage(facts, {}, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].location.column, "legacy_password");
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_EQ(findings[1].location.column, "pw_md5");
  EXPECT_THAT(findings[1].title, HasSubstr("unsalted"));
}

TEST(DatabaseChecks, Ac01SuperuserOutsideAllowListIsCritical) {
  DatabaseFacts facts = CleanFacts();
  RoleFacts dba;
  dba.name = "crm_dba";
  dba.can_login = true;
  dba.superuser = true;
  RoleFacts reporter;
  reporter.name = "reporter";
  reporter.can_login = true;
  reporter.powerful_memberships = {{"pg_read_all_data", "pg_read_all_data"}};
  facts.roles.push_back(dba);
  facts.roles.push_back(reporter);
  std::vector<Finding> findings;
  CheckPowerfulRoles(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 2u);  // postgres is allow-listed
  EXPECT_EQ(findings[0].location.extra.at("role"), "crm_dba");
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_EQ(findings[1].severity, Severity::kHigh);
  EXPECT_THAT(findings[1].evidence.facts.at("privileges"), HasSubstr("pg_read_all_data"));

  DatabaseControls allow;
  allow.superuser_allow_list = {"postgres", "crm_dba"};
  allow.powerful_allow_list = {"reporter"};
  findings.clear();
  CheckPowerfulRoles(facts, allow, kContext, &findings);
  EXPECT_TRUE(findings.empty());
}

TEST(DatabaseChecks, Ac01ListsRealMembershipsAndAdvisesWhatRemovesThePower) {
  DatabaseFacts facts = CleanFacts();
  RoleFacts dba;  // a second superuser with no membership at all
  dba.name = "crm_dba";
  dba.can_login = true;
  dba.superuser = true;
  RoleFacts analyst;  // pg_read_all_data through a group role
  analyst.name = "analyst";
  analyst.can_login = true;
  analyst.member_of = {{"readers", "readers"}, {"pg_read_all_data", "readers"}};
  analyst.powerful_memberships = {{"pg_read_all_data", "readers"}};
  facts.roles.push_back(dba);
  facts.roles.push_back(analyst);
  std::vector<Finding> findings;
  CheckPowerfulRoles(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 2u);
  const Finding& superuser = findings[0];
  EXPECT_EQ(superuser.location.extra.at("role"), "crm_dba");
  EXPECT_EQ(superuser.evidence.facts.at("privileges"), "SUPERUSER");
  EXPECT_THAT(superuser.remediation, HasSubstr("ALTER ROLE \"crm_dba\" NOSUPERUSER;"));
  EXPECT_THAT(superuser.remediation, ::testing::Not(HasSubstr("REVOKE")));
  const Finding& member = findings[1];
  EXPECT_EQ(member.evidence.facts.at("privileges"), "member of pg_read_all_data (through readers)");
  EXPECT_THAT(member.remediation, HasSubstr("REVOKE \"readers\" FROM \"analyst\";"));
  EXPECT_THAT(member.remediation, ::testing::Not(HasSubstr("NOSUPERUSER")));
}

TEST(DatabaseChecks, Ac02NoExpiryExpiredNoPassword) {
  DatabaseFacts facts = CleanFacts();
  facts.roles[0].valid_until.reset();
  RoleFacts old;
  old.name = "old_app";
  old.can_login = true;
  old.valid_until = "2020-01-01 00:00:00+00";
  old.expired = true;
  old.verifier = "none";
  facts.roles.push_back(old);
  facts.hba_rules.push_back({3, "host", "all", "all", "10.0.0.0/8", "trust", ""});
  std::vector<Finding> findings;
  CheckLoginHygiene(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_THAT(findings[0].title, HasSubstr("no expiry"));
  EXPECT_THAT(findings[1].title, HasSubstr("expired"));
  EXPECT_THAT(findings[1].title, HasSubstr("no password"));
}

TEST(DatabaseChecks, Ac02NoPasswordCountsOnlyWhereTrustReachesTheRole) {
  // Debian's default: peer on the socket, passwords over TCP.
  DatabaseFacts facts = CleanFacts();
  facts.roles[1].verifier = "none";  // postgres, reached by peer only
  facts.hba_rules = {{1, "local", "all", "postgres", "", "peer", ""},
                     {2, "local", "all", "all", "", "peer", ""},
                     {3, "host", "all", "all", "127.0.0.1/32", "scram-sha-256", ""}};
  RoleFacts ops;
  ops.name = "ops";
  ops.can_login = true;
  ops.valid_until = "2030-01-01 00:00:00+00";
  ops.verifier = "none";
  ops.member_of = {{"admins", "admins"}};
  facts.roles.push_back(ops);
  std::vector<Finding> findings;
  CheckLoginHygiene(facts, DatabaseControls{}, kContext, &findings);
  EXPECT_TRUE(findings.empty()) << "no password behind peer/scram lines cannot be used";

  // A trust line for a group the role is in lets it in without any password.
  facts.hba_rules.push_back({4, "host", "crm", "+admins", "10.0.0.0/8", "trust", ""});
  findings.clear();
  CheckLoginHygiene(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.extra.at("role"), "ops");
  EXPECT_THAT(findings[0].title, HasSubstr("no password"));
  EXPECT_EQ(findings[0].evidence.facts.at("reached_without_password_by"),
            "trust (pg_hba.conf line 4)");

  // A trust line shadowed by an earlier peer line for everyone is never reached.
  facts.hba_rules.pop_back();
  facts.hba_rules.push_back({4, "local", "all", "all", "", "trust", ""});
  findings.clear();
  CheckLoginHygiene(facts, DatabaseControls{}, kContext, &findings);
  EXPECT_TRUE(findings.empty());
}

TEST(DatabaseChecks, Ac03NeedsPiiAndSchemaUsage) {
  DatabaseFacts facts = CleanFacts();
  facts.relations[0].public_select = true;
  std::vector<Finding> findings;
  CheckPublicRead(facts, ContactsPii(), DatabaseControls{}, kContext, &findings);
  EXPECT_TRUE(findings.empty()) << "PUBLIC without USAGE on the schema cannot read";
  facts.relations[0].public_schema_usage = true;
  CheckPublicRead(facts, {}, DatabaseControls{}, kContext, &findings);
  EXPECT_TRUE(findings.empty()) << "not a PII table";
  CheckPublicRead(facts, ContactsPii(), DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_EQ(findings[0].location.table, "contacts");
  EXPECT_THAT(findings[0].remediation,
              HasSubstr("REVOKE SELECT ON \"crm\".\"contacts\" FROM PUBLIC"));
}

TEST(DatabaseChecks, Ac04NoRlsOrAlwaysTruePolicy) {
  DatabaseFacts facts = CleanFacts();
  facts.relations[0].row_security = false;
  std::vector<Finding> findings;
  CheckRowSecurity(facts, ContactsPii(), DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 1u);
  facts.relations[0].row_security = true;
  facts.relations[0].always_true_public_policies = {"everyone"};
  findings.clear();
  CheckRowSecurity(facts, ContactsPii(), DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].remediation, HasSubstr("DROP POLICY \"everyone\""));
}

TEST(DatabaseChecks, Aud01And02) {
  DatabaseFacts facts = CleanFacts();
  facts.settings["log_connections"] = "off";
  facts.settings.erase("pgaudit.log");
  facts.settings["log_statement"] = "none";
  std::vector<Finding> findings;
  CheckLogging(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].title, HasSubstr("log_connections"));
  EXPECT_THAT(findings[0].title, HasSubstr("pgaudit"));

  facts.settings["log_statement"] = "all";
  findings.clear();
  CheckLoggedPersonalData(facts, ContactsPii(), DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 1u);
  findings.clear();
  CheckLoggedPersonalData(facts, {}, DatabaseControls{}, kContext, &findings);
  EXPECT_TRUE(findings.empty()) << "no personal data, nothing leaks into logs";
}

TEST(DatabaseChecks, Bak01OffFailingStale) {
  DatabaseFacts facts = CleanFacts();
  facts.settings["archive_mode"] = "off";
  std::vector<Finding> findings;
  CheckWalArchiving(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].title, HasSubstr("off"));

  facts.settings["archive_mode"] = "on";
  facts.archiver.failed_after_last_success = true;
  findings.clear();
  CheckWalArchiving(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].title, HasSubstr("failing"));

  facts.archiver.failed_after_last_success = false;
  facts.archiver.seconds_since_archive = 300 * 4 + 1;  // archive_timeout 300 s × factor 4
  findings.clear();
  CheckWalArchiving(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].title, HasSubstr("stale"));
}

TEST(DatabaseChecks, RetentionCountsAndNotAssessed) {
  DatabaseFacts facts = CleanFacts();
  AgeProbeResult leads;
  leads.probe = {"crm", "leads", "last_activity_at", "2 years", false, "pack mapping"};
  leads.assessed = true;
  leads.rows_past = 80;
  leads.rows_total = 200;
  leads.oldest = "2018-10-01";
  AgeProbeResult deleted;
  deleted.probe = {"crm", "contacts", "deleted_at", "30 days", true, "automatic"};
  deleted.assessed = true;
  deleted.rows_past = 0;
  AgeProbeResult hidden;
  hidden.probe = {"crm", "secret", "created_at", "3 years", false, "automatic"};
  hidden.reason = "permission denied: needs SELECT on \"crm\".\"secret\"";
  facts.ages = {leads, deleted, hidden};
  std::vector<Finding> findings;
  CheckRetention(facts, DatabaseControls{}, kContext, &findings);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].rule, "RET-01");
  EXPECT_EQ(findings[0].evidence.count, 80u);
  EXPECT_EQ(findings[0].evidence.facts.at("oldest"), "2018-10-01");
  EXPECT_EQ(findings[1].status, FindingStatus::kNotAssessed);
  EXPECT_THAT(findings[1].status_reason, HasSubstr("needs SELECT"));
}

TEST(DatabaseChecks, NoFindingQuotesAValue) {
  // Evidence is built from names and counts only; spot-check that titles and evidence of a
  // full run over seeded facts carry no e-mail-like strings.
  DatabaseFacts facts = CleanFacts();
  facts.settings["ssl"] = "off";
  facts.relations[0].row_security = false;
  std::vector<Finding> findings;
  findings = DatabaseFindings(facts, ContactsPii(), DatabaseControls{}, kContext);
  ASSERT_FALSE(findings.empty());
  for (const auto& f : findings) {
    EXPECT_EQ(f.title.find('@'), std::string::npos);
    for (const auto& [key, value] : f.evidence.facts) EXPECT_EQ(value.find('@'), std::string::npos);
  }
}

// --- backups -----------------------------------------------------------------------------

constexpr const char* kPgBackRestInfo = R"([{"backup":[
  {"error":false,"label":"20261120-010000F","timestamp":{"start":1763600000,"stop":1763600400},"type":"full"},
  {"error":false,"label":"20261120-010000F_20261121-010000I","timestamp":{"start":1763690000,"stop":1763690100},"type":"incr"}],
  "cipher":"none","name":"crm","repo":[{"cipher":"none","key":1,"status":{"code":0,"message":"ok"}}],
  "status":{"code":0,"message":"ok"}}])";

TEST(BackupChecks, PgBackRestInfoParses) {
  auto sources = ParsePgBackRestInfo(kPgBackRestInfo);
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_TRUE(sources[0].readable);
  EXPECT_EQ(sources[0].name, "crm");
  ASSERT_EQ(sources[0].backups.size(), 2u);
  EXPECT_EQ(sources[0].backups[0].stop_epoch, 1763600400);
  EXPECT_EQ(sources[0].cipher.value_or(""), "none");
  EXPECT_FALSE(ParsePgBackRestInfo("{not json").front().readable);
}

TEST(BackupChecks, Bak02ThresholdFromPackHours) {
  BackupFacts facts;
  facts.sources = ParsePgBackRestInfo(kPgBackRestInfo);
  DatabaseControls controls;
  controls.backup_max_age_hours = 26;
  std::vector<Finding> findings;
  // 10 hours after the full backup: fresh. The incremental one does not count as full.
  CheckBackups(facts, controls, kContext, 1763600400 + 10 * 3600, &findings);
  EXPECT_TRUE(ByRule(findings, "BAK-02").empty());
  ASSERT_EQ(ByRule(findings, "BAK-03").size(), 1u) << "cipher none";
  findings.clear();
  CheckBackups(facts, controls, kContext, 1763600400 + 27 * 3600, &findings);
  auto stale = ByRule(findings, "BAK-02");
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0]->evidence.facts.at("age_hours"), "27.0");
  EXPECT_EQ(stale[0]->category, FindingCategory::kBackup);
}

TEST(BackupChecks, WalgListAndUnreadableSource) {
  auto walg = ParseWalgBackupList(
      R"([{"backup_name":"base_000000010000000000000004","time":"2026-11-24T10:00:00Z",
          "finish_time":"2026-11-24T10:05:00Z"}])",
      "walg.json");
  ASSERT_TRUE(walg.readable);
  ASSERT_EQ(walg.backups.size(), 1u);
  EXPECT_EQ(walg.backups[0].stop_epoch, 1795514700);
  BackupFacts facts;
  BackupSourceFacts broken;
  broken.kind = "pgbackrest";
  broken.name = "x";
  broken.reason = "pgbackrest info failed";
  facts.sources = {walg, broken};
  std::vector<Finding> findings;
  CheckBackups(facts, DatabaseControls{}, kContext, 1795514700 + 3600, &findings);
  EXPECT_TRUE(ByRule(findings, "BAK-02").empty());
  EXPECT_EQ(ByRule(findings, "BAK-03", FindingStatus::kNotAssessed).size(), 2u);
  EXPECT_EQ(ByRule(findings, "BAK-02", FindingStatus::kNotAssessed).size(), 1u);
}

TEST(BackupChecks, DumpFolderFreshnessAndPlainDumps) {
  char pattern[] = "/tmp/crmaudit-dumps-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const std::string dir = pattern;
  std::ofstream(dir + "/crm-2026-11-24.sql") << "--\n-- PostgreSQL database dump\n--\n";
  std::ofstream(dir + "/crm-2026-11-23.sql.enc") << "Salted__" << std::string(32, 'x');
  std::ofstream(dir + "/README.txt") << "not a dump";
  BackupFacts facts = CollectBackupFacts(dir);
  ASSERT_EQ(facts.sources.size(), 1u);
  EXPECT_EQ(facts.sources[0].kind, "dump-folder");
  EXPECT_EQ(facts.sources[0].files, 2u);
  EXPECT_EQ(facts.sources[0].unencrypted_files, 1u);
  std::vector<Finding> findings;
  const int64_t now = facts.sources[0].backups.at(0).stop_epoch + 60;
  CheckBackups(facts, DatabaseControls{}, kContext, now, &findings);
  EXPECT_TRUE(ByRule(findings, "BAK-02").empty()) << "written a minute ago";
  auto plain = ByRule(findings, "BAK-03");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0]->evidence.count, 1u);
  EXPECT_EQ(plain[0]->evidence.scanned, 2u);
  findings.clear();
  CheckBackups(facts, DatabaseControls{}, kContext, now + 27 * 3600, &findings);
  EXPECT_EQ(ByRule(findings, "BAK-02").size(), 1u);
  std::filesystem::remove_all(dir);
}

TEST(BackupChecks, DumpFolderTellsReadableDumpsFromEncryptedContainers) {
  char pattern[] = "/tmp/crmaudit-dumps-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const std::string dir = pattern;
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
  };
  // Readable without a key.
  write("a-plain.sql", "SET statement_timeout = 0;\nCREATE TABLE t (x int);\n");
  write("b-create.sql", "\xEF\xBB\xBF\nCREATE TABLE t (x int);\n");
  write("c-custom.dump", std::string("PGDMP\x01\x0e\x00\x04\x08\x01\x01", 12) + "crm");
  write("d-plain.zip", std::string("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10) + "zzzz");
  write("e-plain.sql.gz", std::string("\x1f\x8b\x08\x00", 4) + "zzzz");
  std::string tar(512, '\0');
  tar.replace(0, 7, "toc.dat");
  tar.replace(257, 5, "ustar");
  write("f-archive.tar", tar);
  // Encrypted containers.
  write("g.sql.age", "age-encryption.org/v1\n-> X25519 abc\n");
  write("h.dump.gpg", "-----BEGIN PGP MESSAGE-----\n\njA0E\n");
  write("i.sql.enc", "Salted__" + std::string(24, 'k'));
  write("j-secret.zip", std::string("PK\x03\x04\x14\x00\x01\x00\x08\x00", 10) + "zzzz");
  write("k.dump.gpg", std::string("\x8c\x0d\x04\x07\x03\x02", 6) + "zzzz");
  // Neither: an unknown cipher is not called plain.
  write("l.enc", std::string("\x9a\x13\xfe\x77\x01\x42", 6));
  write("notes.txt", "CREATE TABLE looks like SQL but is not a dump file name");

  BackupSourceFacts source = ScanDumpFolder(dir);
  EXPECT_TRUE(source.readable);
  EXPECT_EQ(source.files, 12u);
  EXPECT_EQ(source.unencrypted_files, 6u);
  EXPECT_EQ(source.unrecognised_files, 1u);
  EXPECT_EQ(source.unencrypted_names,
            (std::vector<std::string>{"a-plain.sql", "b-create.sql", "c-custom.dump", "d-plain.zip",
                                      "e-plain.sql.gz", "f-archive.tar"}));
  BackupFacts facts;
  facts.sources.push_back(source);
  std::vector<Finding> findings;
  CheckBackups(facts, DatabaseControls{}, kContext, source.backups.at(0).stop_epoch, &findings);
  auto plain = ByRule(findings, "BAK-03");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0]->evidence.count, 6u);
  EXPECT_EQ(plain[0]->evidence.facts.at("unrecognised_files"), "1");
  EXPECT_THAT(plain[0]->evidence.facts.at("files"), HasSubstr("a-plain.sql"));
  EXPECT_THAT(plain[0]->remediation, HasSubstr("age"));
  EXPECT_TRUE(plain[0]->frameworks.count("GDPR"));
  EXPECT_TRUE(plain[0]->frameworks.count("PIPL"));

  // The fixed folder: only encrypted dumps.
  for (const char* name : {"a-plain.sql", "b-create.sql", "c-custom.dump", "d-plain.zip",
                           "e-plain.sql.gz", "f-archive.tar"}) {
    std::filesystem::remove(dir + "/" + name);
  }
  facts.sources = {ScanDumpFolder(dir)};
  findings.clear();
  CheckBackups(facts, DatabaseControls{}, kContext, facts.sources[0].backups.at(0).stop_epoch,
               &findings);
  EXPECT_TRUE(ByRule(findings, "BAK-03").empty());
  std::filesystem::remove_all(dir);
}

TEST(DatabaseChecks, SoftDeleteFlagWithAndWithoutModificationTime) {
  DatabaseFacts facts = CleanFacts();
  AgeProbeResult dated;
  dated.probe = {"crm", "contacts", "updated_at", "30 days", true, "automatic", "is_archived"};
  dated.assessed = true;
  dated.rows_past = 3;
  dated.rows_total = 4;
  dated.oldest = "2026-08-26";
  AgeProbeResult undated;
  undated.probe = {"crm", "users", "", "30 days", true, "automatic", "is_deleted"};
  undated.assessed = true;
  undated.rows_past = 2;
  undated.rows_total = 12;
  AgeProbeResult clean = undated;
  clean.probe.table = "accounts";
  clean.rows_past = 0;
  facts.ages = {dated, undated, clean};
  std::vector<Finding> findings;
  CheckRetention(facts, DatabaseControls{}, kContext, &findings);
  auto ret02 = ByRule(findings, "RET-02");
  ASSERT_EQ(ret02.size(), 2u) << "a flag with no flagged row is quiet";
  EXPECT_EQ(ret02[0]->location.column, "is_archived");
  EXPECT_THAT(ret02[0]->remediation,
              HasSubstr("WHERE \"is_archived\" AND \"updated_at\" < now() - interval '30 days'"));
  EXPECT_THAT(ret02[0]->evidence.facts.at("deletion_date"), HasSubstr("updated_at"));
  EXPECT_EQ(ret02[1]->location.column, "is_deleted");
  EXPECT_EQ(ret02[1]->evidence.count, 2u);
  EXPECT_THAT(ret02[1]->title, HasSubstr("unknown deletion date"));
  EXPECT_THAT(ret02[1]->evidence.facts.at("deletion_date"), HasSubstr("unknown"));
  EXPECT_THAT(ret02[1]->remediation, HasSubstr("ADD COLUMN deleted_at timestamptz"));
  EXPECT_EQ(ret02[1]->evidence.facts.count("oldest"), 0u);
  for (const Finding* f : ret02) {
    EXPECT_TRUE(f->frameworks.count("GDPR"));
    EXPECT_TRUE(f->frameworks.count("PIPL"));
  }
}

// --- pack parameters ----------------------------------------------------------------------

PolicyPack PackWith(const std::string& name, const std::string& controls) {
  PolicyPack pack;
  pack.name = name;
  pack.source = name + ".json";
  pack.controls = ReadControlLayer(nlohmann::json::parse(controls), name + ".json");
  return pack;
}

DatabaseControls DatabaseControlsFromPacks(const std::vector<PolicyPack>& packs) {
  return ControlPolicyFromPacks(packs).database;
}

TEST(DatabaseControlsParsing, StricterPackWins) {
  auto a =
      PackWith("a", R"({"checks":{"AC-04":{"severity":"medium","frameworks":{"GDPR":["Art. 25"]}}},
      "backup":{"max_age_hours":48},"roles":{"superuser_allow_list":["postgres","dba"]},
      "retention":{"default_period":"5 years","tables":[{"table":"*.leads","column":"last_activity_at","period":"3 years"}]}})");
  auto b =
      PackWith("b", R"({"checks":{"AC-04":{"severity":"high","frameworks":{"PIPL":["Art. 51"]}}},
      "backup":{"max_age_hours":24},"roles":{"superuser_allow_list":["postgres"]},
      "retention":{"default_period":"2 years","tables":[{"table":"*.leads","column":"last_activity_at","period":"1 year"}]}})");
  DatabaseControls controls = DatabaseControlsFromPacks({a, b});
  EXPECT_EQ(controls.checks.at("AC-04").severity, Severity::kHigh);
  EXPECT_EQ(controls.checks.at("AC-04").frameworks.size(), 2u);
  EXPECT_EQ(controls.backup_max_age_hours, 24);
  EXPECT_EQ(controls.superuser_allow_list, std::vector<std::string>{"postgres"});
  EXPECT_EQ(controls.default_retention, "2 years");
  EXPECT_EQ(RetentionFor(controls, "crm", "leads").period, "1 year");
  EXPECT_EQ(RetentionFor(controls, "crm", "contacts").period, "2 years");
}

TEST(DatabaseControlsParsing, BadValuesNameTheField) {
  try {
    PackWith("bad", R"({"backup":{"max_age_hours":"soon"}})");
    FAIL() << "expected PolicyError";
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.field(), "controls.backup.max_age_hours");
    EXPECT_EQ(error.file(), "bad.json");
  }
  EXPECT_THROW(PackWith("bad", R"({"retention":{"default_period":"forever"}})"), PolicyError);
}

TEST(DatabaseControlsParsing, ShippedPacksLoad) {
  const std::string dir = std::string(CRMAUDIT_SOURCE_DIR) + "/policies/";
  auto gdpr = LoadPolicyPack(dir + "controls-gdpr.json");
  auto pipl = LoadPolicyPack(dir + "controls-pipl.json");
  ASSERT_FALSE(gdpr.controls.empty());
  DatabaseControls controls = DatabaseControlsFromPacks({gdpr, pipl});
  const CheckMeta& ac03 = controls.checks.at("AC-03");
  EXPECT_EQ(ac03.severity, Severity::kCritical);
  EXPECT_THAT(ac03.frameworks.at("GDPR"), ::testing::Contains("Art. 25(2)"));
  EXPECT_THAT(ac03.frameworks.at("PIPL"), ::testing::Contains("Art. 51"));
  for (const char* rule :
       {"ENC-01", "ENC-02", "ENC-03", "ENC-04", "ENC-05", "ENC-06", "AC-01", "AC-02", "AC-03",
        "AC-04", "AC-05", "AUD-01", "AUD-02", "BAK-01", "BAK-02", "BAK-03", "RET-01", "RET-02"}) {
    ASSERT_TRUE(controls.checks.count(rule)) << rule;
    EXPECT_TRUE(controls.checks.at(rule).frameworks.count("GDPR")) << rule;
    EXPECT_TRUE(controls.checks.at(rule).frameworks.count("PIPL")) << rule;
  }
  EXPECT_EQ(RetentionFor(controls, "crm", "leads").column, "last_activity_at");
  // The packs do not restate the column-name lists: the one default table applies.
  EXPECT_EQ(controls.retention_candidate_columns, DatabaseControls{}.retention_candidate_columns);
}

TEST(DatabaseControlsParsing, SoftDeleteFlagAndModificationColumnsMerge) {
  auto controls = DatabaseControlsFromPacks(
      {PackWith("a", R"({"retention": {"soft_delete_flag_columns": ["is_gone"],
                             "modification_columns": ["touched_at"]}})"),
       PackWith("b", R"({"retention": {"soft_delete_flag_columns": ["is_deleted"]}})")});
  // Among packs, column-name lists are the union; a pack's list replaces the default.
  EXPECT_EQ(controls.soft_delete_flag_columns, (std::vector<std::string>{"is_gone", "is_deleted"}));
  EXPECT_EQ(controls.modification_columns, std::vector<std::string>{"touched_at"});
  EXPECT_THROW(PackWith("b", R"({"retention": {"soft_delete_flag_columns": "is_gone"}})"),
               PolicyError);
}

}  // namespace
}  // namespace crmaudit
