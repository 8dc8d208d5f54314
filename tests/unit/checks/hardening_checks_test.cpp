// The hardening and exposure checks (AC-06, EXT-01, CFG-01, CFG-02, AUTH-01, AUD-03, NET-01) as
// pure functions over hand-built facts, judged by the shipped catalog: what a user reads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scanner/checks/exposure_checks.h"
#include "scanner/checks/hardening_checks.h"
#include "tests/unit/checks/check_harness.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;

DatabaseCheckContext Context() { return {"t1", "crm", &ShippedReleases()}; }

// A server where every hardening aspect is right.
DatabaseFacts Hardened() {
  DatabaseFacts facts;
  facts.database = "crm";
  const Assessment ok{true, ""};
  facts.settings_assessment = facts.hba_assessment = ok;
  facts.functions_assessment = facts.extensions_assessment = facts.languages_assessment = ok;
  facts.server_version = 150099;
  facts.server_date = "2026-12-01";
  facts.settings = {{"listen_addresses", "localhost"},
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
  facts.hba_rules = {
      {1, "local", "all", "postgres", "", "peer", ""},
      {2, "hostssl", "crm", "crm_app", "10.0.0.0", "scram-sha-256", "", "255.0.0.0"}};
  facts.extensions = {{"plpgsql", "1.0", "pg_catalog"}, {"pgcrypto", "1.3", "public"}};
  facts.languages = {{"plpgsql", true}};
  facts.definer_functions = {{"crm", "safe", "integer", "postgres", true, true, true}};
  return facts;
}

std::vector<ControlOutcome> All(const DatabaseFacts& facts) {
  std::vector<ControlOutcome> outcomes;
  CheckNetworkExposure(facts, Context(), &outcomes);
  RunHardeningChecks(facts, ShippedDatabaseControls(), Context(), &outcomes);
  return outcomes;
}

std::vector<const Finding*> Of(const std::vector<Finding>& findings, const std::string& rule) {
  std::vector<const Finding*> out;
  for (const auto& f : findings) {
    if (f.rule == rule) out.push_back(&f);
  }
  return out;
}

TEST(HardeningChecks, HardenedServerPassesEveryCheckWithEvidence) {
  std::vector<ControlResult> results;
  const auto findings = Judged(All(Hardened()), {}, &results);
  for (const auto& f : findings)
    ADD_FAILURE() << f.rule << ": " << f.title << " " << f.status_reason;
  std::set<std::string> passed;
  for (const auto& result : results) {
    EXPECT_EQ(result.status, OutcomeStatus::kPass) << result.rule;
    EXPECT_GT(result.passed, 0u) << result.rule;
    passed.insert(result.rule);
  }
  EXPECT_EQ(passed, (std::set<std::string>{"NET-01", "AC-06", "EXT-01", "CFG-01", "CFG-02",
                                           "AUTH-01", "AUD-03"}));
}

TEST(HardeningChecks, Ac06FailsOnlyForSuperuserDefinerWithoutSearchPathExecutableByPublic) {
  DatabaseFacts facts = Hardened();
  facts.definer_functions = {
      {"public", "f", "integer", "postgres", true, false, true},  // all three: fails
      {"public", "g", "", "postgres", true, false, false},        // not PUBLIC's
      {"public", "h", "text", "crm_owner", false, false, true}};  // not a superuser's
  std::vector<ControlOutcome> outcomes;
  CheckDefinerFunctions(facts, Context(), &outcomes);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].object, "function public.f(integer)");
  const auto findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_EQ(findings[0].location.schema, "public");
  EXPECT_EQ(findings[0].location.extra.at("function"), "f(integer)");
  EXPECT_THAT(findings[0].title, HasSubstr("\"public\".\"f\"(integer)"));
  EXPECT_THAT(
      findings[0].remediation,
      HasSubstr("ALTER FUNCTION \"public\".\"f\"(integer) SET search_path = pg_catalog, "
                "pg_temp; REVOKE EXECUTE ON FUNCTION \"public\".\"f\"(integer) FROM PUBLIC;"));
  EXPECT_EQ(findings[0].frameworks.at("CIS").at(0), "PostgreSQL 16 Benchmark v1.0.0 4.3");
}

TEST(HardeningChecks, Net01FlagsOpenAddressesEveryUserRemotelyIdentAndListenAll) {
  DatabaseFacts facts = Hardened();
  facts.settings["listen_addresses"] = "*";
  facts.hba_rules = {
      {3, "hostssl", "all", "all", "0.0.0.0", "scram-sha-256", "", "0.0.0.0"},
      {4, "host", "all", "all", "::", "scram-sha-256", "", "::"},
      {5, "hostssl", "crm", "crm_app", "10.0.0.0", "ident", "", "255.0.0.0"},
      {6, "hostssl", "all", "all", "127.0.0.1", "scram-sha-256", "", "255.255.255.255"},
      {7, "host", "all", "all", "all", "reject", ""},
      {8, "host", "crm", "crm_app", "10.0.0.0", "md5", "", "255.0.0.0"}};
  std::vector<ControlOutcome> outcomes;
  CheckNetworkExposure(facts, Context(), &outcomes);
  const auto findings = Judged(outcomes);
  std::vector<std::string> got;
  for (const auto& f : findings)
    got.push_back(f.location.extra.count("aspect") ? f.location.extra.at("aspect")
                                                   : f.location.extra.at("setting"));
  EXPECT_EQ(got, (std::vector<std::string>{"listen_addresses", "open-address", "all-users-remote",
                                           "open-address", "all-users-remote", "ident-tcp"}));
  EXPECT_THAT(findings[1].title, HasSubstr("line 3"));
  EXPECT_THAT(findings[1].title, HasSubstr("0.0.0.0/0.0.0.0"));
  // Ids stay distinct per line and aspect.
  std::set<std::string> ids;
  for (const auto& f : findings) ids.insert(f.id);
  EXPECT_EQ(ids.size(), findings.size());
  // Loopback, reject and an md5 line (ENC-03's) pass here.
  std::set<std::string> passed;
  for (const auto& o : outcomes) {
    if (o.status == OutcomeStatus::kPass) passed.insert(o.object);
  }
  EXPECT_EQ(passed, (std::set<std::string>{"pg_hba.conf line 6", "pg_hba.conf line 7",
                                           "pg_hba.conf line 8"}));
}

TEST(HardeningChecks, Net01NotAssessedNamesTheHbaGrant) {
  DatabaseFacts facts = Hardened();
  facts.hba_assessment = {false, "superuser, or SELECT on pg_hba_file_rules"};
  std::vector<ControlOutcome> outcomes;
  CheckNetworkExposure(facts, Context(), &outcomes);
  const auto findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kNotAssessed);
  EXPECT_THAT(findings[0].status_reason, HasSubstr("pg_hba_file_rules"));
  EXPECT_THAT(findings[0].remediation, HasSubstr("GRANT SELECT ON pg_hba_file_rules TO auditor"));
}

TEST(HardeningChecks, Ext01FlagsRiskyExtensionsAndUntrustedLanguagesOnce) {
  DatabaseFacts facts = Hardened();
  facts.extensions.push_back({"dblink", "1.2", "public"});
  facts.extensions.push_back({"plperlu", "1.0", "pg_catalog"});
  facts.languages.push_back({"plperlu", false});
  const auto findings = Judged(All(facts));
  const auto ext = Of(findings, "EXT-01");
  ASSERT_EQ(ext.size(), 2u);
  EXPECT_EQ(ext[0]->title, "Extension dblink is installed");
  EXPECT_EQ(ext[0]->location.extra.at("extension"), "dblink");
  EXPECT_THAT(ext[0]->remediation, HasSubstr("DROP EXTENSION \"dblink\";"));
  EXPECT_EQ(ext[1]->title, "Untrusted procedural language plperlu is installed");
  EXPECT_EQ(ext[1]->location.extra.at("language"), "plperlu");
}

TEST(HardeningChecks, Cfg01AndAuth01ReadSettings) {
  DatabaseFacts facts = Hardened();
  facts.settings["data_checksums"] = "off";
  facts.settings["shared_preload_libraries"] = "pg_stat_statements";
  facts.settings.erase("auth_delay.milliseconds");
  const auto findings = Judged(All(facts));
  ASSERT_EQ(Of(findings, "CFG-01").size(), 1u);
  EXPECT_THAT(Of(findings, "CFG-01")[0]->remediation, HasSubstr("pg_checksums --enable"));
  const auto auth = Of(findings, "AUTH-01");
  ASSERT_EQ(auth.size(), 2u);
  EXPECT_THAT(auth[0]->remediation,
              HasSubstr("shared_preload_libraries = 'pg_stat_statements,passwordcheck'"));
  EXPECT_THAT(auth[1]->remediation,
              HasSubstr("shared_preload_libraries = 'pg_stat_statements,auth_delay'"));
  EXPECT_NE(auth[0]->id, auth[1]->id);
  facts.settings["shared_preload_libraries"] = "credcheck, auth_delay";
  facts.settings["auth_delay.milliseconds"] = "0";
  const auto judged = Judged(All(facts));
  const auto zero = Of(judged, "AUTH-01");
  ASSERT_EQ(zero.size(), 1u);
  EXPECT_EQ(zero[0]->title, "auth_delay is loaded but auth_delay.milliseconds is 0");
}

TEST(HardeningChecks, Cfg02JudgesMinorAndEndOfLifeAgainstTheListWithItsDate) {
  const PostgresReleases& releases = ShippedReleases();
  DatabaseFacts facts = Hardened();
  const int latest15 = releases.majors.at(15).latest_minor;
  facts.server_version = 150000 + latest15 - 1;
  std::vector<Finding> judged = Judged(All(facts));
  auto findings = Of(judged, "CFG-02");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0]->title,
              HasSubstr("behind the latest minor release 15." + std::to_string(latest15)));
  EXPECT_EQ(findings[0]->evidence.facts.at("releases_as_of"), releases.as_of);
  EXPECT_EQ(findings[0]->location.extra.at("setting"), "server_version");

  facts.server_version = 150000 + latest15;  // current minor: pass
  judged = Judged(All(facts));
  EXPECT_TRUE(Of(judged, "CFG-02").empty());

  facts.server_version = 130000 + releases.majors.at(13).latest_minor;  // up to date, but EOL
  facts.server_date = "2026-01-01";
  judged = Judged(All(facts));
  findings = Of(judged, "CFG-02");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0]->title, HasSubstr("past its end of life (2025-11-13"));
  facts.server_version = 90624;  // 9.6, older than anything listed
  judged = Judged(All(facts));
  findings = Of(judged, "CFG-02");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0]->title, HasSubstr("PostgreSQL 9.6.24 is past its end of life"));

  std::vector<ControlOutcome> outcomes;
  CheckServerVersion(facts, DatabaseCheckContext{"t1", "crm"}, &outcomes);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].status, OutcomeStatus::kNotAssessed);
  EXPECT_EQ(outcomes[0].outcome, "no-release-list");
}

TEST(HardeningChecks, Aud03OneOutcomePerAspect) {
  DatabaseFacts facts = Hardened();
  facts.settings["logging_collector"] = "off";
  facts.settings["log_file_mode"] = "0644";
  facts.settings["log_line_prefix"] = "%m [%p] %u ";
  facts.settings["debug_print_plan"] = "on";
  std::vector<ControlOutcome> outcomes;
  CheckLogAttribution(facts, Context(), &outcomes);
  ASSERT_EQ(outcomes.size(), 4u);
  for (const auto& o : outcomes) EXPECT_EQ(o.object, "server");
  const auto findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_EQ(findings[2].title, "Log lines do not name %d (database), %h or %r (client)");
  EXPECT_EQ(findings[3].remediation,
            "ALTER SYSTEM SET debug_print_plan = off; SELECT pg_reload_conf();");
  // syslog keeps logs without the collector.
  facts.settings["log_destination"] = "syslog";
  outcomes.clear();
  CheckLogAttribution(facts, Context(), &outcomes);
  EXPECT_EQ(outcomes[0].status, OutcomeStatus::kPass);
}

TEST(HardeningChecks, UnreadableGroupsAreNotAssessedNamingTheGrant) {
  DatabaseFacts facts = Hardened();
  facts.settings_assessment = {false, "pg_read_all_settings"};
  facts.functions_assessment = {false, "SELECT on pg_proc"};
  facts.extensions_assessment = {false, "SELECT on pg_extension"};
  facts.languages_assessment = {false, "SELECT on pg_language"};
  const auto findings = Judged(All(facts));
  std::map<std::string, std::vector<std::string>> reasons;
  for (const auto& f : findings) {
    EXPECT_EQ(f.status, FindingStatus::kNotAssessed) << f.rule << ": " << f.title;
    EXPECT_FALSE(f.evidence.facts.at("missing_privilege").empty()) << f.rule;
    reasons[f.rule].push_back(f.status_reason);
  }
  EXPECT_THAT(reasons["AC-06"].at(0), HasSubstr("pg_proc"));
  EXPECT_THAT(reasons["EXT-01"].at(0), HasSubstr("pg_extension"));
  EXPECT_THAT(reasons["EXT-01"].at(1), HasSubstr("pg_language"));
  for (const char* rule : {"CFG-01", "AUTH-01", "AUD-03", "NET-01"}) {
    ASSERT_FALSE(reasons[rule].empty()) << rule;
    EXPECT_THAT(reasons[rule].at(0), HasSubstr("pg_read_all_settings")) << rule;
  }
  EXPECT_TRUE(reasons["CFG-02"].empty()) << "the version needs no grant";
}

}  // namespace
}  // namespace crmaudit
