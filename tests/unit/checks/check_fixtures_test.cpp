// The check fixture runner: a fixture passes when the check's outcomes are the expected ones,
// and fails naming what it expected and what it found; malformed fixtures name file and field;
// an unfilled template placeholder fails; the fact readers take every member by its name.
#include "scanner/checks/check_fixtures.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>

#include "scanner/policy/policy_pack.h"
#include "tests/unit/checks/check_harness.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kShipped = std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies";

// A catalog folder holding the shipped parameters.json and one checks file with ENC-01 as
// shipped except its fixtures (and, when given, its outcomes' texts).
class CatalogFolder {
 public:
  explicit CatalogFolder(const std::string& fixtures, const std::string& ssl_off_title =
                                                          "Server accepts connections without "
                                                          "TLS (ssl = off)") {
    dir_ = std::filesystem::temp_directory_path() /
           ("crmaudit-fixtures-" + std::to_string(::getpid()) + "-" + std::to_string(++count_));
    std::filesystem::create_directories(dir_);
    std::filesystem::copy_file(kShipped / "checks" / "parameters.json", dir_ / "parameters.json");
    std::ofstream(dir_ / "encryption.json") << R"js({"checks": [{
      "id": "ENC-01", "title": "TLS", "category": "encryption", "severity": "high",
      "engines": ["postgres"], "risk": "r", "parameters": ["tls.min_protocol_version"],
      "outcomes": {
        "ssl-off": {"title": ")js" + ssl_off_title +
                                                   R"js(", "remediation": "set ssl = on"},
        "outdated-tls": {"title": "old ({ssl_min_protocol_version})", "remediation": "x"},
        "not-assessed": {"title": "n/a", "remediation": "grant"}},
      "fixtures": )js" + fixtures + "}]}";
  }
  ~CatalogFolder() { std::filesystem::remove_all(dir_); }
  CheckCatalog Load() const { return LoadCheckCatalog(dir_); }
  std::filesystem::path file() const { return dir_ / "encryption.json"; }

 private:
  static inline int count_ = 0;
  std::filesystem::path dir_;
};

CheckFixtureResult RunEnc01(const CatalogFolder& folder) {
  const CheckCatalog catalog = folder.Load();
  return RunCheckFixtures(*catalog.Find("ENC-01"), catalog);
}

std::string Problems(const CheckFixtureResult& result) {
  std::string out;
  for (const auto& failure : result.failures) {
    for (const auto& problem : failure.problems) out += failure.fixture + ": " + problem + "\n";
  }
  return out;
}

TEST(CheckFixtures, EveryShippedCheckPassesItsFixtures) {
  for (const auto& result : RunCatalogFixtures(ShippedCatalog())) {
    EXPECT_TRUE(result.ok()) << result.check << "\n" << Problems(result);
    EXPECT_GT(result.fixtures, 0u) << result.check;
  }
}

TEST(CheckFixtures, PassingFixturesAreCounted) {
  const CatalogFolder folder(R"([
      {"name": "on", "facts": {"settings": {"ssl": "on"}}, "expect": [{"status": "pass", "object": "server"}]},
      {"name": "off", "facts": {"settings": {"ssl": "off"}},
       "expect": [{"status": "fail", "outcome": "ssl-off", "object": "server"}]}])");
  const CheckFixtureResult result = RunEnc01(folder);
  EXPECT_TRUE(result.ok()) << Problems(result);
  EXPECT_EQ(result.fixtures, 2u);
  EXPECT_EQ(result.passed, 2u);
}

TEST(CheckFixtures, AWrongExpectationNamesWhatWasFound) {
  const CatalogFolder folder(R"([
      {"name": "off claimed to pass", "facts": {"settings": {"ssl": "off"}},
       "expect": [{"status": "pass"}]},
      {"name": "one outcome too many", "facts": {},
       "expect": [{"status": "pass"}, {"status": "fail"}]},
      {"name": "wrong outcome key", "facts": {"settings": {"ssl_min_protocol_version": "TLSv1"}},
       "expect": [{"status": "fail", "outcome": "ssl-off"}]}])");
  const CheckFixtureResult result = RunEnc01(folder);
  ASSERT_EQ(result.failures.size(), 3u);
  EXPECT_EQ(result.passed, 0u);
  EXPECT_EQ(result.failures[0].fixture, "off claimed to pass");
  EXPECT_THAT(result.failures[0].problems.at(0),
              HasSubstr("expect[0]: expected pass, found fail ssl-off (server)"));
  EXPECT_THAT(result.failures[1].problems.at(0),
              HasSubstr("expect[1]: expected fail, found no further outcome"));
  EXPECT_THAT(result.failures[2].problems.at(0),
              HasSubstr("expected fail ssl-off, found fail outdated-tls (server)"));
}

TEST(CheckFixtures, ControlsAreReadAsAPackAndMergedOverTheDefaults) {
  // TLSv1.2 passes by default and fails when the pack asks for TLSv1.3.
  const CatalogFolder folder(R"([
      {"name": "strict pack", "facts": {}, "controls": {"tls": {"min_protocol_version": "TLSv1.3"}},
       "expect": [{"status": "fail", "outcome": "outdated-tls"}]}])");
  const CheckFixtureResult result = RunEnc01(folder);
  EXPECT_TRUE(result.ok()) << Problems(result);
}

TEST(CheckFixtures, MalformedFixturesNameFileAndField) {
  const CatalogFolder folder(R"([
      {"name": "typo in facts", "facts": {"settings_assesment": {"assessed": false}}, "expect": []},
      {"name": "typo in a role", "facts": {"roles": [{"name": "x", "superusr": true}]}, "expect": []},
      {"name": "typo in the fixture", "facts": {}, "expected": []},
      {"name": "bad control", "facts": {}, "controls": {"backup": {"max_age_hours": "soon"}},
       "expect": []}])");
  const CheckFixtureResult result = RunEnc01(folder);
  ASSERT_EQ(result.failures.size(), 4u);
  const std::string file = folder.file().string();
  EXPECT_THAT(result.failures[0].problems.at(0),
              HasSubstr(file + ": checks[0].fixtures[0].facts.settings_assesment: unknown field"));
  EXPECT_THAT(result.failures[1].problems.at(0),
              HasSubstr("checks[0].fixtures[1].facts.roles[0].superusr: unknown field"));
  EXPECT_THAT(result.failures[2].problems.at(0),
              HasSubstr("checks[0].fixtures[2].expected: unknown field"));
  EXPECT_THAT(result.failures[3].problems.at(0),
              HasSubstr("checks[0].fixtures[3].controls.backup.max_age_hours: expected a number"));
}

TEST(CheckFixtures, APlaceholderWithoutValueFailsTheFixture) {
  const CatalogFolder folder(R"([
      {"name": "off", "facts": {"settings": {"ssl": "off"}},
       "expect": [{"status": "fail", "outcome": "ssl-off"}]}])",
                             "Server accepts connections without TLS ({no_such_value})");
  const CheckFixtureResult result = RunEnc01(folder);
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_THAT(result.failures[0].problems.at(0),
              HasSubstr("title placeholder {no_such_value} has no value"));
}

TEST(CheckFixtures, ACheckWithoutFixturesFails) {
  const CatalogFolder folder("[]");
  const CheckFixtureResult result = RunEnc01(folder);
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_EQ(result.failures[0].problems.at(0), "no fixtures");
}

TEST(CheckFixtures, TheBaselineIsTheCleanServer) {
  const DatabaseFacts facts = ReadDatabaseFactsJson(BaselineFactsJson(), "baseline");
  EXPECT_TRUE(facts.settings_assessment.assessed);
  EXPECT_TRUE(facts.archiver_assessment.assessed);
  EXPECT_EQ(facts.roles.size(), 2u);
  EXPECT_EQ(facts.hba_rules.at(1).method, "scram-sha-256");
  std::vector<ControlOutcome> outcomes;
  RunDatabaseChecks(facts, {}, ShippedDatabaseControls(), {"t1", "crm", &ShippedReleases()},
                    &outcomes);
  for (const auto& outcome : outcomes) {
    EXPECT_EQ(outcome.status, OutcomeStatus::kPass) << outcome.rule << " " << outcome.outcome;
  }
}

TEST(CheckFixtures, FactReadersTakeEveryMemberByName) {
  const DatabaseFacts facts = ReadDatabaseFactsJson(R"({
      "database": "crm", "server_version": 160004, "current_user": "auditor",
      "current_user_superuser": true, "own_session_ssl": true, "own_session_tcp": true,
      "roles": [{"name": "a", "valid_until": null, "member_of": [{"role": "r", "via": "g"}],
                 "powerful_memberships": [{"role": "pg_read_all_data", "via": "g"}]}],
      "sessions": [{"pid": 7, "user": "u", "application": "psql", "client_address": "10.0.0.1",
                    "ssl": true, "ssl_version": "TLSv1.3"}],
      "relations": [{"schema": "crm", "table": "v", "relkind": "v",
                     "reads_from": [["crm", "contacts"]], "public_select": true}],
      "schemas_public_create": ["public"],
      "archiver": {"failed_count": 2, "seconds_since_failure": 5.5,
                   "failed_after_last_success": true},
      "ages": [{"probe": {"schema": "crm", "table": "leads", "column": "c", "period": "2 years",
                          "flag_column": "is_deleted"}, "assessed": true, "rows_past": 3}],
      "column_values": {"crm.users": [{"column": "password", "password_column": true,
                                       "fast_unsalted": 4}]}})",
                                                    "facts.json");
  EXPECT_EQ(facts.server_version, 160004);
  EXPECT_FALSE(facts.roles.at(0).valid_until.has_value());
  EXPECT_EQ(facts.roles.at(0).member_of.at(0).via, "g");
  EXPECT_EQ(facts.sessions.at(0).ssl_version, "TLSv1.3");
  EXPECT_EQ(facts.relations.at(0).relkind, 'v');
  EXPECT_EQ(facts.relations.at(0).reads_from.at(0).second, "contacts");
  EXPECT_EQ(facts.archiver.seconds_since_failure.value_or(0), 5.5);
  EXPECT_EQ(facts.ages.at(0).probe.flag_column, "is_deleted");
  EXPECT_EQ(facts.column_values.at({"crm", "users"}).at(0).fast_unsalted, 4u);

  const BackupFacts backups = ReadBackupFactsJson(R"({"sources": [{"kind": "pgbackrest",
      "name": "main", "readable": true, "cipher": "none",
      "backups": [{"label": "b1", "type": "full", "stop_epoch": 1763600400}]}]})",
                                                  "backups.json");
  EXPECT_EQ(backups.sources.at(0).cipher.value_or(""), "none");
  EXPECT_EQ(backups.sources.at(0).backups.at(0).stop_epoch, 1763600400);

  const FileFacts file = ReadFileFactsJson(
      R"({"relative": "exports/c.csv", "mode": "0644", "modified_epoch": 5, "container": "zip"})",
      "file.json");
  EXPECT_EQ(file.mode, 0644u);
  EXPECT_TRUE(file.readable_by_group_or_others());

  try {
    ReadFileFactsJson(R"({"relative": "x", "mode": "rw-r--r--"})", "file.json");
    FAIL() << "expected PolicyError";
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.file(), "file.json");
    EXPECT_EQ(error.field(), "mode");
  }
}

}  // namespace
}  // namespace crmaudit
