// Control checks as pure functions over hand-built facts: no server needed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "scanner/checks/backup_checks.h"
#include "scanner/checks/check_fixtures.h"
#include "scanner/checks/database_checks.h"
#include "scanner/checks/database_controls.h"
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

// Facts of a well-run server: every group assessed, nothing wrong. The same server the
// catalog's fixtures start from (check_fixtures.h), so the two cannot drift apart.
DatabaseFacts CleanFacts() { return ReadDatabaseFactsJson(BaselineFactsJson(), "baseline"); }

std::vector<PiiColumnRef> ContactsPii() {
  return {{"crm", "contacts", "email", {"EMAIL_ADDRESS"}}};
}

TEST(DatabaseChecks, CleanServerRaisesNothing) {
  std::vector<Finding> findings;
  findings = DatabaseFindings(CleanFacts(), ContactsPii(), ShippedDatabaseControls(), kContext);
  for (const auto& f : findings) ADD_FAILURE() << "unexpected " << f.rule << ": " << f.title;
}

TEST(DatabaseChecks, Enc01FiresWhenSslOffOrOldTls) {
  DatabaseFacts facts = CleanFacts();
  facts.settings["ssl"] = "off";
  std::vector<ControlOutcome> outcomes;
  CheckServerTls(facts, ShippedDatabaseControls(), kContext, &outcomes);
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
  CheckServerTls(facts, ShippedDatabaseControls(), kContext, &outcomes);
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
  std::vector<ControlOutcome> outcomes;
  CheckSessionTls(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].title, "Live TCP sessions without TLS");
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_THAT(findings[0].remediation, HasSubstr("hostssl"));
  EXPECT_EQ(findings[0].evidence.count, 1u);
  EXPECT_EQ(findings[0].evidence.facts.at("users"), "crm_app");
  EXPECT_EQ(findings[0].evidence.facts.count("includes_crmaudit_session"), 0u);

  facts.sessions = {{11, "crm_app", "web", "10.1.1.2", true, "TLSv1.3"}};
  outcomes.clear();
  CheckSessionTls(facts, ShippedDatabaseControls(), kContext, &outcomes);
  EXPECT_TRUE(Judged(outcomes).empty()) << "only crmaudit's own session was in clear: no ENC-02";
}

TEST(DatabaseChecks, Enc02NotAssessedWithoutReadAllStats) {
  DatabaseFacts facts = CleanFacts();
  facts.sessions_assessment = {false, "pg_read_all_stats (or pg_monitor)"};
  std::vector<ControlOutcome> outcomes;
  CheckSessionTls(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(ByRule(findings, "ENC-02", FindingStatus::kNotAssessed).size(), 1u);
  EXPECT_THAT(findings[0].status_reason, HasSubstr("pg_read_all_stats"));
  EXPECT_EQ(findings[0].evidence.facts.at("missing_privilege"),
            "pg_read_all_stats (or pg_monitor)");
  EXPECT_EQ(findings[0].remediation, "GRANT pg_read_all_stats TO auditor;");

  // Sessions in clear seen among our own still fail: hidden ones cannot make them safe.
  facts.sessions = {{10, "auditor", "psql", "10.1.1.1", false, ""}};
  outcomes.clear();
  CheckSessionTls(facts, ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  ASSERT_EQ(ByRule(findings, "ENC-02").size(), 1u);
  EXPECT_THAT(findings[0].evidence.facts.at("visibility"), HasSubstr("own sessions only"));
}

TEST(DatabaseChecks, Enc03TrustOnHostIsCritical) {
  DatabaseFacts facts = CleanFacts();
  facts.hba_rules.push_back({7, "host", "all", "all", "0.0.0.0/0", "trust", ""});
  facts.hba_rules.push_back({8, "hostssl", "crm", "crm_legacy", "10.0.0.0/8", "md5", ""});
  facts.hba_rules.push_back({9, "local", "all", "all", "", "trust", ""});
  std::vector<ControlOutcome> outcomes;
  CheckHbaRules(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_EQ(findings[0].title,
            "pg_hba.conf line 7 allows TCP without TLS, no authentication (trust)");
  EXPECT_EQ(findings[0].remediation,
            "In pg_hba.conf line 7: use hostssl with scram-sha-256, then SELECT pg_reload_conf();");
  EXPECT_EQ(findings[0].location.extra.at("hba_rule"), "host all all 0.0.0.0/0 trust");
  EXPECT_EQ(findings[1].severity, Severity::kHigh);
  EXPECT_THAT(findings[1].title, HasSubstr("md5"));
  EXPECT_THAT(findings[1].remediation, HasSubstr("after re-setting passwords"));
  EXPECT_NE(findings[0].id, findings[1].id);
  // trust on the local socket is only as open as the machine: high, not critical.
  EXPECT_EQ(findings[2].severity, Severity::kHigh);
  EXPECT_THAT(findings[2].remediation, HasSubstr("use local with scram-sha-256"));
  // A pack that lowers ENC-03 does not lower trust over TCP.
  CheckMeta low;
  low.severity = Severity::kLow;
  low.severity_set = true;
  findings = Judged(outcomes, {{"ENC-03", low}});
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_EQ(findings[1].severity, Severity::kLow);
}

TEST(DatabaseChecks, Enc04NotAssessedNamesThePrivilege) {
  DatabaseFacts facts = CleanFacts();
  facts.verifiers_assessment = {false, "superuser, or EXECUTE on crmaudit_helper.role_verifiers()"};
  std::vector<ControlOutcome> outcomes;
  CheckPasswordVerifiers(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  auto missing = ByRule(findings, "ENC-04", FindingStatus::kNotAssessed);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_THAT(missing[0]->status_reason, HasSubstr("crmaudit_helper.role_verifiers"));
  EXPECT_EQ(missing[0]->title, "Password verifiers of roles could not be inspected");
  EXPECT_TRUE(ByRule(findings, "ENC-04").empty());

  // Settings unreadable: the setting is not assessed, apart from the verifiers.
  facts = CleanFacts();
  facts.settings_assessment = {false, "pg_read_all_settings"};
  outcomes.clear();
  CheckPasswordVerifiers(facts, ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  missing = ByRule(findings, "ENC-04", FindingStatus::kNotAssessed);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0]->location.extra.at("setting"), "password_encryption");
  EXPECT_THAT(missing[0]->status_reason, HasSubstr("pg_read_all_settings"));
}

TEST(DatabaseChecks, Enc04FlagsMd5VerifierAndSetting) {
  DatabaseFacts facts = CleanFacts();
  facts.roles[0].verifier = "md5";
  facts.settings["password_encryption"] = "md5";
  std::vector<ControlOutcome> outcomes;
  CheckPasswordVerifiers(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].title, "New passwords are stored as MD5 verifiers");
  EXPECT_EQ(findings[0].location.extra.at("setting"), "password_encryption");
  EXPECT_EQ(findings[1].location.extra.at("role"), "crm_app");
  EXPECT_EQ(findings[1].title, "Login role crm_app has a md5 password verifier");
  EXPECT_THAT(findings[1].remediation, HasSubstr("ALTER ROLE \"crm_app\" PASSWORD"));
}

TEST(DatabaseChecks, Enc05OnlySensitiveEntitiesInClear) {
  DatabaseFacts facts = CleanFacts();
  std::vector<PiiColumnRef> pii = {{"crm", "leads", "id_card", {"CN_RESIDENT_ID"}},
                                   {"crm", "leads", "email", {"EMAIL_ADDRESS"}}};
  facts.column_values[{"crm", "leads"}] = {{"id_card", "text", 200}, {"email", "text", 200}};
  std::vector<ControlOutcome> outcomes;
  CheckClearSensitiveColumns(facts, pii, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.column, "id_card");
  EXPECT_EQ(findings[0].title, "Sensitive personal data stored in clear (CN_RESIDENT_ID)");
  EXPECT_EQ(findings[0].entity, "CN_RESIDENT_ID") << "reports show the entity type";
  EXPECT_EQ(findings[0].evidence.count, 200u);
  EXPECT_THAT(findings[0].remediation, HasSubstr("pgp_sym_encrypt(\"id_card\""));
  EXPECT_THAT(findings[0].remediation, HasSubstr("ALTER TABLE \"crm\".\"leads\" ADD COLUMN"));
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
  std::vector<ControlOutcome> outcomes;
  CheckClearSensitiveColumns(facts, pii, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
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
  EXPECT_THAT(by_table["decrypted_ids"]->remediation,
              HasSubstr("CREATE OR REPLACE VIEW \"crm\".\"decrypted_ids\""));
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
  // A column the detectors classify as plaintext passwords, whatever its name.
  std::vector<PiiColumnRef> pii = {{"crm", "users", "notes", {"PLAINTEXT_PASSWORD"}}};
  std::vector<ControlOutcome> outcomes;
  CheckPasswordStorage(facts, pii, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].location.column, "legacy_password");
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_EQ(findings[0].title, "Passwords stored in plaintext");
  EXPECT_EQ(findings[0].entity, "PLAINTEXT_PASSWORD");
  EXPECT_THAT(findings[0].remediation,
              HasSubstr("ALTER TABLE \"crm\".\"users\" DROP COLUMN \"legacy_password\";"));
  EXPECT_EQ(findings[1].location.column, "pw_md5");
  EXPECT_THAT(findings[1].title, HasSubstr("unsalted"));
  EXPECT_EQ(findings[1].entity, "PASSWORD_HASH");
  EXPECT_EQ(findings[2].location.column, "notes");
  EXPECT_EQ(findings[2].title, "Passwords stored in plaintext");
  // Never below critical, whatever a pack says.
  CheckMeta low;
  low.severity = Severity::kLow;
  low.severity_set = true;
  for (const auto& f : Judged(outcomes, {{"ENC-06", low}})) {
    EXPECT_EQ(f.severity, Severity::kCritical);
  }
}

// Judges `outcomes` of one check over facts where nothing is wrong: no finding, and the
// check's ControlResult lists exactly `objects`, each passed (evidence that it was tested).
void ExpectPassed(const std::vector<ControlOutcome>& outcomes, const std::string& rule,
                  const std::vector<std::string>& objects) {
  std::vector<ControlResult> controls;
  for (const auto& f : Judged(outcomes, {}, &controls)) {
    ADD_FAILURE() << "unexpected " << f.rule << ": " << f.title;
  }
  ASSERT_EQ(controls.size(), 1u) << rule;
  const ControlResult& result = controls[0];
  EXPECT_EQ(result.rule, rule);
  EXPECT_EQ(result.target, "t1");
  EXPECT_EQ(result.status, OutcomeStatus::kPass) << rule;
  EXPECT_EQ(result.passed, objects.size()) << rule;
  EXPECT_EQ(result.failed + result.not_assessed, 0u) << rule;
  std::vector<std::string> names;
  for (const auto& object : result.objects) {
    names.push_back(object.name);
    EXPECT_EQ(object.status, OutcomeStatus::kPass) << rule << " " << object.name;
  }
  EXPECT_EQ(names, objects) << rule;
}

TEST(DatabaseChecks, Enc02RecordsAPassForTheServer) {
  DatabaseFacts facts = CleanFacts();
  facts.sessions = {{11, "crm_app", "web", "10.1.1.2", true, "TLSv1.3"}};
  std::vector<ControlOutcome> outcomes;
  CheckSessionTls(facts, ShippedDatabaseControls(), kContext, &outcomes);
  ExpectPassed(outcomes, "ENC-02", {"server"});
}

TEST(DatabaseChecks, Enc03RecordsAPassPerHbaLine) {
  std::vector<ControlOutcome> outcomes;
  CheckHbaRules(CleanFacts(), ShippedDatabaseControls(), kContext, &outcomes);
  ExpectPassed(outcomes, "ENC-03", {"pg_hba.conf line 1", "pg_hba.conf line 2"});
}

TEST(DatabaseChecks, Enc04RecordsAPassForTheSettingAndEachLoginRole) {
  DatabaseFacts facts = CleanFacts();
  RoleFacts group;  // no LOGIN: its verifier is never used
  group.name = "readers";
  group.verifier = "md5";
  facts.roles.push_back(group);
  std::vector<ControlOutcome> outcomes;
  CheckPasswordVerifiers(facts, ShippedDatabaseControls(), kContext, &outcomes);
  ExpectPassed(outcomes, "ENC-04", {"server", "role crm_app", "role postgres"});

  // One weak role fails the check; the others still count as passed.
  facts.roles[0].verifier = "md5";
  outcomes.clear();
  CheckPasswordVerifiers(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<ControlResult> controls;
  Judged(outcomes, {}, &controls);
  ASSERT_EQ(controls.size(), 1u);
  EXPECT_EQ(controls[0].status, OutcomeStatus::kFail);
  EXPECT_EQ(controls[0].passed, 2u);
  EXPECT_EQ(controls[0].failed, 1u);
}

TEST(DatabaseChecks, Enc05RecordsAPassPerPersonalDataColumn) {
  std::vector<ControlOutcome> outcomes;
  CheckClearSensitiveColumns(CleanFacts(), ContactsPii(), ShippedDatabaseControls(), kContext,
                             &outcomes);
  ExpectPassed(outcomes, "ENC-05", {"column crm.contacts.email"});
  outcomes.clear();
  CheckClearSensitiveColumns(CleanFacts(), {}, ShippedDatabaseControls(), kContext, &outcomes);
  ExpectPassed(outcomes, "ENC-05", {"server"});
}

TEST(DatabaseChecks, Enc06RecordsAPassPerWellStoredPasswordColumn) {
  DatabaseFacts facts = CleanFacts();
  ColumnValueFacts bcrypt{"password_hash", "text", 12};
  bcrypt.password_column = true;
  bcrypt.strong_hashes = 12;
  facts.column_values[{"crm", "users"}] = {bcrypt, {"email", "text", 12}};
  std::vector<ControlOutcome> outcomes;
  CheckPasswordStorage(facts, ContactsPii(), ShippedDatabaseControls(), kContext, &outcomes);
  ExpectPassed(outcomes, "ENC-06", {"column crm.users.password_hash"});
  outcomes.clear();
  CheckPasswordStorage(CleanFacts(), ContactsPii(), ShippedDatabaseControls(), kContext, &outcomes);
  ExpectPassed(outcomes, "ENC-06", {"server"});
}

TEST(DatabaseChecks, Ac01RecordsAPassPerLoginRole) {
  std::vector<ControlOutcome> outcomes;
  CheckPowerfulRoles(CleanFacts(), ShippedDatabaseControls(), kContext, &outcomes);
  ExpectPassed(outcomes, "AC-01", {"role crm_app", "role postgres"});
}

TEST(DatabaseChecks, Ac02RecordsAPassPerLoginRole) {
  std::vector<ControlOutcome> outcomes;
  CheckLoginHygiene(CleanFacts(), ShippedDatabaseControls(), kContext, &outcomes);
  ExpectPassed(outcomes, "AC-02", {"role crm_app", "role postgres"});
}

TEST(DatabaseChecks, Ac03RecordsAPassPerPersonalDataTable) {
  std::vector<ControlOutcome> outcomes;
  CheckPublicRead(CleanFacts(), ContactsPii(), ShippedDatabaseControls(), kContext, &outcomes);
  ExpectPassed(outcomes, "AC-03", {"table crm.contacts"});
}

TEST(DatabaseChecks, Ac04RecordsAPassPerPersonalDataTable) {
  std::vector<ControlOutcome> outcomes;
  CheckRowSecurity(CleanFacts(), ContactsPii(), ShippedDatabaseControls(), kContext, &outcomes);
  ExpectPassed(outcomes, "AC-04", {"table crm.contacts"});
}

TEST(DatabaseChecks, Ac05RecordsAPassForTheServer) {
  std::vector<ControlOutcome> outcomes;
  CheckPublicCreate(CleanFacts(), ShippedDatabaseControls(), kContext, &outcomes);
  ExpectPassed(outcomes, "AC-05", {"server"});
}

TEST(DatabaseChecks, Ac05PublicCreatePerSchemaAndNotAssessed) {
  DatabaseFacts facts = CleanFacts();
  facts.schemas_public_create = {"crm"};
  std::vector<ControlOutcome> outcomes;
  CheckPublicCreate(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].title, "Everyone (PUBLIC) may create objects in schema crm");
  EXPECT_EQ(findings[0].remediation, "REVOKE CREATE ON SCHEMA \"crm\" FROM PUBLIC;");
  EXPECT_EQ(findings[0].location.schema, "crm");
  EXPECT_EQ(findings[0].severity, Severity::kMedium);

  facts.schemas_assessment = {false, "SELECT on pg_namespace"};
  outcomes.clear();
  CheckPublicCreate(facts, ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  ASSERT_EQ(ByRule(findings, "AC-05", FindingStatus::kNotAssessed).size(), 1u);
  EXPECT_THAT(findings[0].status_reason, HasSubstr("pg_namespace"));
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
  std::vector<ControlOutcome> outcomes;
  CheckPowerfulRoles(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 2u);  // postgres is allow-listed
  EXPECT_EQ(findings[0].location.extra.at("role"), "crm_dba");
  EXPECT_EQ(findings[0].title, "Login role crm_dba is powerful: SUPERUSER");
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_EQ(findings[1].severity, Severity::kHigh);
  EXPECT_THAT(findings[1].evidence.facts.at("privileges"), HasSubstr("pg_read_all_data"));

  DatabaseControls allow = ShippedDatabaseControls();
  allow.superuser_allow_list = {"postgres", "crm_dba"};
  allow.powerful_allow_list = {"reporter"};
  outcomes.clear();
  CheckPowerfulRoles(facts, allow, kContext, &outcomes);
  EXPECT_TRUE(Judged(outcomes).empty());
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
  std::vector<ControlOutcome> outcomes;
  CheckPowerfulRoles(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
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
  std::vector<ControlOutcome> outcomes;
  CheckLoginHygiene(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].title, "Login role crm_app: no expiry");
  EXPECT_EQ(findings[0].remediation, "ALTER ROLE \"crm_app\" VALID UNTIL '<date>';");
  EXPECT_EQ(findings[0].severity, Severity::kMedium);
  EXPECT_EQ(findings[1].title,
            "Login role old_app: expired but still LOGIN, no password, and trust authentication "
            "lets it in");
  EXPECT_THAT(findings[1].remediation, HasSubstr("ALTER ROLE \"old_app\" NOLOGIN;"));
  EXPECT_THAT(findings[1].remediation, HasSubstr("replace trust on pg_hba.conf line 3"));

  // Verifiers unreadable: expiry still judged, passwords not assessed on their own.
  facts.verifiers_assessment = {false, "superuser, or EXECUTE on crmaudit_helper.role_verifiers()"};
  outcomes.clear();
  CheckLoginHygiene(facts, ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  auto missing = ByRule(findings, "AC-02", FindingStatus::kNotAssessed);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0]->location.extra.at("aspect"), "password");
  EXPECT_THAT(missing[0]->status_reason, HasSubstr("role_verifiers"));
  EXPECT_EQ(ByRule(findings, "AC-02").size(), 2u);
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
  std::vector<ControlOutcome> outcomes;
  CheckLoginHygiene(facts, ShippedDatabaseControls(), kContext, &outcomes);
  EXPECT_TRUE(Judged(outcomes).empty()) << "no password behind peer/scram lines cannot be used";

  // A trust line for a group the role is in lets it in without any password.
  facts.hba_rules.push_back({4, "host", "crm", "+admins", "10.0.0.0/8", "trust", ""});
  outcomes.clear();
  CheckLoginHygiene(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.extra.at("role"), "ops");
  EXPECT_THAT(findings[0].title, HasSubstr("no password"));
  EXPECT_EQ(findings[0].evidence.facts.at("reached_without_password_by"),
            "trust (pg_hba.conf line 4)");

  // A trust line shadowed by an earlier peer line for everyone is never reached.
  facts.hba_rules.pop_back();
  facts.hba_rules.push_back({4, "local", "all", "all", "", "trust", ""});
  outcomes.clear();
  CheckLoginHygiene(facts, ShippedDatabaseControls(), kContext, &outcomes);
  EXPECT_TRUE(Judged(outcomes).empty());
}

TEST(DatabaseChecks, Ac03NeedsPiiAndSchemaUsage) {
  DatabaseFacts facts = CleanFacts();
  facts.relations[0].public_select = true;
  std::vector<ControlOutcome> outcomes;
  CheckPublicRead(facts, ContactsPii(), ShippedDatabaseControls(), kContext, &outcomes);
  EXPECT_TRUE(Judged(outcomes).empty()) << "PUBLIC without USAGE on the schema cannot read";
  facts.relations[0].public_schema_usage = true;
  outcomes.clear();
  CheckPublicRead(facts, {}, ShippedDatabaseControls(), kContext, &outcomes);
  EXPECT_TRUE(Judged(outcomes).empty()) << "not a PII table";
  outcomes.clear();
  CheckPublicRead(facts, ContactsPii(), ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].title, "Everyone (PUBLIC) can read a table holding personal data");
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_EQ(findings[0].location.table, "contacts");
  EXPECT_THAT(findings[0].remediation,
              HasSubstr("REVOKE SELECT ON \"crm\".\"contacts\" FROM PUBLIC"));
}

TEST(DatabaseChecks, Ac04NoRlsOrAlwaysTruePolicy) {
  DatabaseFacts facts = CleanFacts();
  facts.relations[0].row_security = false;
  std::vector<ControlOutcome> outcomes;
  CheckRowSecurity(facts, ContactsPii(), ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].title, "Table holding personal data has no row-level security");
  EXPECT_THAT(findings[0].remediation,
              HasSubstr("ALTER TABLE \"crm\".\"contacts\" ENABLE ROW LEVEL SECURITY;"));
  const std::string no_rls_id = findings[0].id;
  facts.relations[0].row_security = true;
  facts.relations[0].always_true_public_policies = {"everyone"};
  outcomes.clear();
  CheckRowSecurity(facts, ContactsPii(), ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].remediation, HasSubstr("DROP POLICY \"everyone\""));
  EXPECT_NE(findings[0].id, no_rls_id) << "two problems of one table, two ids";
}

TEST(DatabaseChecks, Aud01And02) {
  DatabaseFacts facts = CleanFacts();
  facts.settings["log_connections"] = "off";
  facts.settings.erase("pgaudit.log");
  facts.settings["log_statement"] = "none";
  std::vector<ControlOutcome> outcomes;
  CheckLogging(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "AUD-01");
  EXPECT_EQ(findings[0].title,
            "Audit logging incomplete: log_connections, pgaudit.log / log_statement");
  EXPECT_EQ(findings[0].severity, Severity::kMedium);
  EXPECT_EQ(findings[0].category, FindingCategory::kAudit);
  EXPECT_EQ(findings[0].location.extra.at("setting"), "logging");
  EXPECT_THAT(findings[0].remediation, HasSubstr("ALTER SYSTEM SET log_connections = on"));
  EXPECT_EQ(findings[0].evidence.facts.at("pgaudit.log"), "(not loaded)");

  facts.settings["log_statement"] = "all";
  outcomes.clear();
  CheckLoggedPersonalData(facts, ContactsPii(), ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].title, "Server logs record every statement, with personal data");
  EXPECT_EQ(findings[0].location.extra.at("setting"), "log_statement");
  EXPECT_THAT(findings[0].remediation, HasSubstr("log_statement = 'ddl'"));
  EXPECT_THAT(findings[0].remediation, ::testing::Not(HasSubstr("log_min_duration_statement")));
  facts.settings["log_statement"] = "ddl";
  facts.settings["log_min_duration_statement"] = "0";
  outcomes.clear();
  CheckLoggedPersonalData(facts, ContactsPii(), ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.extra.at("setting"), "log_min_duration_statement");
  EXPECT_THAT(findings[0].remediation, HasSubstr("log_min_duration_statement = 1000"));
  outcomes.clear();
  CheckLoggedPersonalData(facts, {}, ShippedDatabaseControls(), kContext, &outcomes);
  EXPECT_TRUE(outcomes.empty()) << "no personal data, nothing leaks into logs";

  // Settings unreadable: both not_assessed, naming the privilege.
  facts.settings_assessment = {false, "pg_read_all_settings"};
  outcomes.clear();
  CheckLogging(facts, ShippedDatabaseControls(), kContext, &outcomes);
  CheckLoggedPersonalData(facts, ContactsPii(), ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  ASSERT_EQ(ByRule(findings, "AUD-01", FindingStatus::kNotAssessed).size(), 1u);
  ASSERT_EQ(ByRule(findings, "AUD-02", FindingStatus::kNotAssessed).size(), 1u);
  EXPECT_EQ(findings[0].status_reason, "not assessed: missing pg_read_all_settings");
  EXPECT_EQ(findings[0].evidence.facts.at("missing_privilege"), "pg_read_all_settings");
}

// The first ControlResult of `rule` in `results` (nullptr when the check left none).
const ControlResult* ControlResultOf(const std::vector<ControlResult>& results,
                                     const std::string& rule) {
  for (const auto& result : results) {
    if (result.rule == rule) return &result;
  }
  return nullptr;
}

// The check settings of the shipped framework packs (controls-gdpr and controls-pipl loaded
// together): the GDPR and PIPL articles findings cite come from them.
std::map<std::string, CheckMeta> FrameworkPackSettings() {
  const std::string dir = std::string(CRMAUDIT_SOURCE_DIR) + "/policies/";
  const ControlPolicy policy = ControlPolicyFromPacks(
      {LoadPolicyPack(dir + "controls-gdpr.json"), LoadPolicyPack(dir + "controls-pipl.json")});
  std::map<std::string, CheckMeta> settings = policy.exports.checks;
  for (const auto& [rule, meta] : policy.database.checks) settings[rule] = meta;
  return settings;
}

TEST(DatabaseChecks, AudBakRetPassesAreRecordedAsControlResults) {
  // A well-run server with one clean retention probe of each kind: no finding, and every check
  // is listed as passed with its object, as evidence that it was tested.
  DatabaseFacts facts = CleanFacts();
  AgeProbeResult leads;
  leads.probe = {"crm", "leads", "last_activity_at", "2 years", false, "pack mapping"};
  leads.assessed = true;
  leads.rows_total = 200;
  AgeProbeResult deleted;
  deleted.probe = {"crm", "contacts", "deleted_at", "30 days", true, "automatic"};
  deleted.assessed = true;
  deleted.rows_total = 50;
  facts.ages = {leads, deleted};
  std::vector<ControlResult> results;
  std::vector<Finding> findings =
      DatabaseFindings(facts, ContactsPii(), ShippedDatabaseControls(), kContext, &results);
  for (const char* rule : {"AUD-01", "AUD-02", "BAK-01", "RET-01", "RET-02"}) {
    EXPECT_TRUE(ByRule(findings, rule).empty()) << rule;
    const ControlResult* result = ControlResultOf(results, rule);
    ASSERT_NE(result, nullptr) << rule;
    EXPECT_EQ(result->target, "t1");
    EXPECT_EQ(result->status, OutcomeStatus::kPass) << rule;
    EXPECT_EQ(result->passed, 1u) << rule;
    EXPECT_EQ(result->failed + result->not_assessed, 0u) << rule;
  }
  EXPECT_EQ(ControlResultOf(results, "AUD-01")->objects.at(0).name, "server");
  EXPECT_EQ(ControlResultOf(results, "BAK-01")->objects.at(0).name, "server");
  EXPECT_EQ(ControlResultOf(results, "RET-01")->objects.at(0).name, "table crm.leads");
  EXPECT_EQ(ControlResultOf(results, "RET-02")->objects.at(0).name, "table crm.contacts");

  // A failing object turns the control's status to fail beside the passes.
  facts.ages[0].rows_past = 5;
  results.clear();
  DatabaseFindings(facts, ContactsPii(), ShippedDatabaseControls(), kContext, &results);
  EXPECT_EQ(ControlResultOf(results, "RET-01")->status, OutcomeStatus::kFail);
  EXPECT_EQ(ControlResultOf(results, "RET-02")->status, OutcomeStatus::kPass);
}

TEST(DatabaseChecks, Bak01OffFailingStale) {
  DatabaseFacts facts = CleanFacts();
  facts.settings["archive_mode"] = "off";
  std::vector<ControlOutcome> outcomes;
  CheckWalArchiving(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].title, "WAL archiving is off: no point-in-time recovery");
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_EQ(findings[0].category, FindingCategory::kBackup);
  EXPECT_EQ(findings[0].location.extra.at("setting"), "archive_mode");
  EXPECT_THAT(findings[0].remediation, HasSubstr("archive_mode = on"));

  facts.settings["archive_mode"] = "on";
  facts.archiver.failed_after_last_success = true;
  outcomes.clear();
  CheckWalArchiving(facts, ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].title, "WAL archiving is failing");

  facts.archiver.failed_after_last_success = false;
  facts.archiver.seconds_since_archive = 300 * 4 + 1;  // archive_timeout 300 s × factor 4
  outcomes.clear();
  CheckWalArchiving(facts, ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].title, "WAL archiving is stale");

  facts.archiver.archived_count = 0;
  facts.archiver.seconds_since_archive.reset();
  outcomes.clear();
  CheckWalArchiving(facts, ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].title, HasSubstr("nothing was ever archived"));

  facts.archiver_assessment = {false, "pg_monitor"};
  outcomes.clear();
  CheckWalArchiving(facts, ShippedDatabaseControls(), kContext, &outcomes);
  findings = Judged(outcomes);
  ASSERT_EQ(ByRule(findings, "BAK-01", FindingStatus::kNotAssessed).size(), 1u);
  EXPECT_EQ(findings[0].status_reason, "not assessed: missing pg_monitor");
  EXPECT_EQ(findings[0].remediation, "GRANT pg_monitor TO auditor;");
  EXPECT_EQ(findings[0].location.extra.count("setting"), 0u) << "the id of today's finding";
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
  std::vector<ControlOutcome> outcomes;
  CheckRetention(facts, ShippedDatabaseControls(), kContext, &outcomes);
  ASSERT_EQ(outcomes.size(), 3u) << "one outcome per probe, the clean one a pass";
  EXPECT_EQ(outcomes[1].status, OutcomeStatus::kPass);
  EXPECT_EQ(outcomes[1].rule, "RET-02");
  std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].rule, "RET-01");
  EXPECT_EQ(findings[0].title, "Rows kept longer than the 2 years retention period");
  EXPECT_EQ(findings[0].location.column, "last_activity_at");
  EXPECT_EQ(findings[0].evidence.count, 80u);
  EXPECT_EQ(findings[0].evidence.facts.at("oldest"), "2018-10-01");
  EXPECT_THAT(findings[0].remediation,
              HasSubstr("DELETE FROM \"crm\".\"leads\" WHERE \"last_activity_at\" < now() - "
                        "interval '2 years';"));
  EXPECT_EQ(findings[1].status, FindingStatus::kNotAssessed);
  EXPECT_THAT(findings[1].status_reason, HasSubstr("needs SELECT"));
  EXPECT_EQ(findings[1].remediation, "Grant SELECT on \"crm\".\"secret\" to the auditor role.");
}

TEST(DatabaseChecks, NoFindingQuotesAValue) {
  // Evidence is built from names and counts only; spot-check that titles and evidence of a
  // full run over seeded facts carry no e-mail-like strings.
  DatabaseFacts facts = CleanFacts();
  facts.settings["ssl"] = "off";
  facts.relations[0].row_security = false;
  std::vector<Finding> findings;
  findings = DatabaseFindings(facts, ContactsPii(), ShippedDatabaseControls(), kContext);
  ASSERT_FALSE(findings.empty());
  for (const auto& f : findings) {
    EXPECT_EQ(f.title.find('@'), std::string::npos);
    for (const auto& [key, value] : f.evidence.facts) EXPECT_EQ(value.find('@'), std::string::npos);
  }
}

// --- backups -----------------------------------------------------------------------------
// Parsing pgBackRest / WAL-G output and reading dump folders: tests/unit/sources/
// backup_reader_test.cpp. Here the checks judge hand-built BackupFacts.

constexpr int64_t kFullBackupStop = 1763600400;

// A pgBackRest stanza "crm" with one full and one newer incremental backup.
BackupSourceFacts PgBackRestStanza(const std::string& cipher) {
  BackupSourceFacts stanza;
  stanza.kind = "pgbackrest";
  stanza.name = "crm";
  stanza.readable = true;
  stanza.cipher = cipher;
  stanza.backups = {{"20261120-010000F", "full", kFullBackupStop, false},
                    {"20261120-010000F_20261121-010000I", "incr", kFullBackupStop + 90000, false}};
  return stanza;
}

// A dump folder with `plain` dumps readable without a key among `files`, the newest written at
// `newest`.
BackupSourceFacts DumpFolder(uint64_t files, uint64_t plain, int64_t newest) {
  BackupSourceFacts folder;
  folder.kind = "dump-folder";
  folder.name = "/var/backups/crm";
  folder.readable = true;
  folder.files = files;
  folder.unencrypted_files = plain;
  for (uint64_t i = 0; i < plain; ++i) {
    folder.unencrypted_names.push_back("crm-" + std::to_string(i) + ".sql");
  }
  for (uint64_t i = 0; i < files; ++i) {
    folder.backups.push_back(
        {"dump-" + std::to_string(i), "full", newest - static_cast<int64_t>(i) * 86400, false});
  }
  return folder;
}

std::vector<Finding> BackupFindings(const BackupFacts& facts, const DatabaseControls& controls,
                                    int64_t now, std::vector<ControlResult>* results = nullptr) {
  std::vector<ControlOutcome> outcomes;
  CheckBackups(facts, controls, kContext, now, &outcomes);
  return Judged(outcomes, controls.checks, results);
}

TEST(BackupChecks, Bak02ThresholdFromPackHours) {
  BackupFacts facts;
  facts.sources = {PgBackRestStanza("none")};
  DatabaseControls controls = ShippedDatabaseControls();
  controls.backup_max_age_hours = 26;
  // 10 hours after the full backup: fresh. The incremental one does not count as full.
  std::vector<ControlResult> results;
  std::vector<Finding> findings =
      BackupFindings(facts, controls, kFullBackupStop + 10 * 3600, &results);
  EXPECT_TRUE(ByRule(findings, "BAK-02").empty());
  ASSERT_EQ(ByRule(findings, "BAK-03").size(), 1u) << "cipher none";
  EXPECT_EQ(ByRule(findings, "BAK-03")[0]->title, "pgBackRest repository is not encrypted");
  ASSERT_NE(ControlResultOf(results, "BAK-02"), nullptr);
  EXPECT_EQ(ControlResultOf(results, "BAK-02")->status, OutcomeStatus::kPass);
  findings = BackupFindings(facts, controls, kFullBackupStop + 27 * 3600);
  auto stale = ByRule(findings, "BAK-02");
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0]->title, "Newest good full backup is 27.0 h old (policy: 26.0 h)");
  EXPECT_EQ(stale[0]->evidence.facts.at("age_hours"), "27.0");
  EXPECT_EQ(stale[0]->category, FindingCategory::kBackup);
  EXPECT_EQ(stale[0]->severity, Severity::kHigh);
  EXPECT_EQ(stale[0]->location.extra.at("backup"), "pgbackrest:crm");
  EXPECT_EQ(stale[0]->remediation,
            "Schedule full backups more often than every 26.0 h: pgbackrest --stanza=crm "
            "--type=full backup");

  // Only a backup marked bad: no good full backup at all.
  facts.sources[0].backups[0].error = true;
  findings = BackupFindings(facts, controls, kFullBackupStop + 3600);
  ASSERT_EQ(ByRule(findings, "BAK-02").size(), 1u);
  EXPECT_EQ(ByRule(findings, "BAK-02")[0]->title, "No good full backup exists");
}

TEST(BackupChecks, WalgListAndUnreadableSource) {
  BackupSourceFacts walg;
  walg.kind = "wal-g";
  walg.name = "walg.json";
  walg.readable = true;
  walg.backups = {{"base_000000010000000000000004", "full", 1795514700, false}};
  BackupSourceFacts broken;
  broken.kind = "pgbackrest";
  broken.name = "x";
  broken.reason = "pgbackrest info failed";
  BackupFacts facts;
  facts.sources = {walg, broken};
  std::vector<Finding> findings =
      BackupFindings(facts, ShippedDatabaseControls(), 1795514700 + 3600);
  EXPECT_TRUE(ByRule(findings, "BAK-02").empty());
  auto unknown = ByRule(findings, "BAK-03", FindingStatus::kNotAssessed);
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0]->status_reason, "not assessed: WAL-G backup-list does not show encryption");
  EXPECT_THAT(unknown[0]->remediation, HasSubstr("WALG_LIBSODIUM_KEY"));
  auto unreadable = ByRule(findings, "BAK-02", FindingStatus::kNotAssessed);
  ASSERT_EQ(unreadable.size(), 1u);
  EXPECT_EQ(unreadable[0]->status_reason, "not assessed: pgbackrest info failed");
  EXPECT_EQ(unreadable[0]->location.extra.at("backup"), "pgbackrest:x");
  EXPECT_EQ(unreadable[0]->title, "Backups could not be assessed");
}

TEST(BackupChecks, DumpFolderFreshnessAndPlainDumps) {
  const int64_t now = 1795000000;
  BackupFacts facts;
  facts.sources = {DumpFolder(2, 1, now - 60)};
  std::vector<Finding> findings = BackupFindings(facts, ShippedDatabaseControls(), now);
  EXPECT_TRUE(ByRule(findings, "BAK-02").empty()) << "written a minute ago";
  auto plain = ByRule(findings, "BAK-03");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0]->title, "Database dumps are stored unencrypted");
  EXPECT_EQ(plain[0]->evidence.count, 1u);
  EXPECT_EQ(plain[0]->evidence.scanned, 2u);
  EXPECT_EQ(plain[0]->location.extra.at("backup"), "dump-folder:/var/backups/crm");
  findings = BackupFindings(facts, ShippedDatabaseControls(), now + 27 * 3600);
  auto stale = ByRule(findings, "BAK-02");
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0]->remediation, "Schedule full backups more often than every 26.0 h.");

  // Encryption not required by the packs: BAK-03 is not judged at all.
  DatabaseControls lenient = ShippedDatabaseControls();
  lenient.backup_require_encryption = false;
  std::vector<ControlResult> results;
  findings = BackupFindings(facts, lenient, now, &results);
  EXPECT_TRUE(ByRule(findings, "BAK-03").empty());
  EXPECT_EQ(ControlResultOf(results, "BAK-03"), nullptr);
}

TEST(BackupChecks, PlainDumpsNameFilesAndCiteTheFrameworks) {
  BackupSourceFacts folder = DumpFolder(12, 6, 1795000000);
  folder.unrecognised_files = 1;
  BackupFacts facts;
  facts.sources = {folder};
  std::vector<ControlOutcome> outcomes;
  CheckBackups(facts, ShippedDatabaseControls(), kContext, 1795000000, &outcomes);
  std::vector<Finding> findings = Judged(outcomes, FrameworkPackSettings());
  auto plain = ByRule(findings, "BAK-03");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0]->evidence.count, 6u);
  EXPECT_EQ(plain[0]->evidence.facts.at("unrecognised_files"), "1");
  EXPECT_EQ(plain[0]->evidence.facts.at("files"),
            "crm-0.sql, crm-1.sql, crm-2.sql, crm-3.sql, crm-4.sql, …");
  EXPECT_THAT(plain[0]->remediation, HasSubstr("age"));
  EXPECT_THAT(plain[0]->frameworks.at("GDPR"), ::testing::Contains("Art. 32(1)(a)"));
  EXPECT_THAT(plain[0]->frameworks.at("PIPL"), ::testing::Contains("Art. 51"));

  // The fixed folder: only encrypted dumps.
  facts.sources = {DumpFolder(6, 0, 1795000000)};
  findings = BackupFindings(facts, ShippedDatabaseControls(), 1795000000);
  EXPECT_TRUE(ByRule(findings, "BAK-03").empty());
}

TEST(BackupChecks, PassesAreRecordedPerBackupSource) {
  BackupFacts facts;
  facts.sources = {PgBackRestStanza("aes-256-cbc"), DumpFolder(3, 0, kFullBackupStop)};
  std::vector<ControlResult> results;
  std::vector<Finding> findings =
      BackupFindings(facts, ShippedDatabaseControls(), kFullBackupStop + 3600, &results);
  EXPECT_TRUE(findings.empty());
  for (const char* rule : {"BAK-02", "BAK-03"}) {
    const ControlResult* result = ControlResultOf(results, rule);
    ASSERT_NE(result, nullptr) << rule;
    EXPECT_EQ(result->status, OutcomeStatus::kPass) << rule;
    EXPECT_EQ(result->passed, 2u) << rule;
    EXPECT_EQ(result->target, "t1");
    ASSERT_EQ(result->objects.size(), 2u);
    EXPECT_EQ(result->objects[0].name, "backup pgbackrest:crm");
    EXPECT_EQ(result->objects[1].name, "backup dump-folder:/var/backups/crm");
  }
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
  std::vector<ControlOutcome> outcomes;
  CheckRetention(facts, ShippedDatabaseControls(), kContext, &outcomes);
  std::vector<ControlResult> results;
  const std::vector<Finding> findings = Judged(outcomes, FrameworkPackSettings(), &results);
  auto ret02 = ByRule(findings, "RET-02");
  ASSERT_EQ(ret02.size(), 2u) << "a flag with no flagged row is quiet";
  EXPECT_EQ(ret02[0]->location.column, "is_archived");
  EXPECT_EQ(ret02[0]->title, "Soft-deleted rows kept past the 30 days grace period");
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
    EXPECT_THAT(f->frameworks.at("GDPR"), ::testing::Contains("Art. 17"));
    EXPECT_THAT(f->frameworks.at("PIPL"), ::testing::Contains("Art. 47"));
  }
  // The quiet flag is still evidence: three tables judged, one passed.
  const ControlResult* result = ControlResultOf(results, "RET-02");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->passed, 1u);
  EXPECT_EQ(result->failed, 2u);
  EXPECT_EQ(result->objects.at(2).name, "table crm.accounts");
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
  // Severities are the catalog's: the framework packs only map checks to articles.
  EXPECT_FALSE(ac03.severity_set);
  EXPECT_EQ(CheckSeverity(*ShippedCatalog().Find("AC-03"), controls.checks), Severity::kCritical);
  EXPECT_THAT(ac03.frameworks.at("GDPR"), ::testing::Contains("Art. 25(2)"));
  EXPECT_THAT(ac03.frameworks.at("PIPL"), ::testing::Contains("Art. 51"));
  // Every check of the catalog is mapped by both framework packs (the export checks' settings
  // are the export controls').
  const ControlPolicy both = ControlPolicyFromPacks({gdpr, pipl});
  for (const CheckDefinition& check : ShippedCatalog().checks()) {
    const auto& settings =
        both.database.checks.count(check.id) ? both.database.checks : both.exports.checks;
    ASSERT_TRUE(settings.count(check.id)) << check.id;
    EXPECT_TRUE(settings.at(check.id).frameworks.count("GDPR")) << check.id;
    EXPECT_TRUE(settings.at(check.id).frameworks.count("PIPL")) << check.id;
  }
  EXPECT_EQ(RetentionFor(controls, "crm", "leads").column, "last_activity_at");
  // The packs do not restate the column-name lists: the one default table applies.
  EXPECT_EQ(controls.retention_candidate_columns,
            ShippedDatabaseControls().retention_candidate_columns);
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
