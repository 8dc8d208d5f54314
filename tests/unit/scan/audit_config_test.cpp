#include "scanner/scan/audit_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "scanner/sources/mysql/mysql_uri.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;

class AuditConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("crmaudit-config-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path Write(const std::string& name, const std::string& text) {
    auto path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }

  // Loads and returns the error's message, or "" when it loaded.
  std::string ErrorOf(const std::string& text) {
    try {
      LoadAuditConfig(Write("audit.json", text));
      return "";
    } catch (const AuditConfigError& e) {
      return e.what();
    }
  }

  std::filesystem::path dir_;
};

TEST_F(AuditConfigTest, ReadsEveryFieldAndResolvesPathsAgainstTheFile) {
  ::setenv("CRMAUDIT_TEST_DB_PASSWORD", "pw-from-env", 1);
  auto path = Write("audit.json", R"({
    // a nightly audit
    "targets": ["exports", {"postgres": "postgresql://auditor@db/crm", "password_env": "CRMAUDIT_TEST_DB_PASSWORD"}],
    "policies": ["pii-core", "packs/own.json"],
    "fail_on": "medium",
    "out": {"dir": "reports", "dated_subfolder": true, "chain": true},
    "formats": ["json", "sarif"],
    "sign_key": "keys/audit.key",
    "sample_rows": 500, "jobs": 2,
    "controls": {"exports": {"max_age_days": 30}}
  })");
  AuditConfig config = LoadAuditConfig(path);
  ASSERT_EQ(config.plan.targets.size(), 2u);
  EXPECT_EQ(config.plan.targets[0].location, (dir_ / "exports").string());
  EXPECT_EQ(config.plan.targets[1].kind, "postgres");
  EXPECT_EQ(config.plan.targets[1].display, "postgresql://auditor@db/crm");
  EXPECT_NE(config.plan.targets[1].location.find("pw-from-env"), std::string::npos);
  EXPECT_EQ(config.plan.policies[0], "pii-core");
  EXPECT_EQ(config.plan.policies[1], (dir_ / "packs/own.json").string());
  EXPECT_EQ(config.plan.fail_on, Severity::kMedium);
  EXPECT_EQ(config.plan.out_dir, dir_ / "reports");
  EXPECT_TRUE(config.dated_subfolder);
  EXPECT_TRUE(config.chain);
  EXPECT_EQ(config.plan.sample_rows, 500u);
  EXPECT_EQ(config.plan.jobs, 2);
  EXPECT_EQ(config.controls.numbers.at("exports.max_age_days"), 30);
}

TEST_F(AuditConfigTest, SqliteUrisAreFilesRelativeToTheAuditFile) {
  AuditConfig config = LoadAuditConfig(Write(
      "audit.json", R"({"targets": ["sqlite:data/crm.db", "sqlite:///srv/app/crm%20live.db"]})"));
  ASSERT_EQ(config.plan.targets.size(), 2u);
  EXPECT_EQ(config.plan.targets[0].kind, "sqlite");
  EXPECT_EQ(config.plan.targets[0].location, (dir_ / "data/crm.db").string());
  EXPECT_EQ(config.plan.targets[1].kind, "sqlite");
  EXPECT_EQ(config.plan.targets[1].location, "/srv/app/crm live.db");
}

TEST_F(AuditConfigTest, MysqlTargetsTakeThePasswordFromTheTargetAndPathsFromTheFile) {
  ::setenv("CRMAUDIT_TEST_MY_PASSWORD", "my:pw@&#?", 1);
  auto secret = Write("maria.pass", "from-file\n");
  ::chmod(secret.c_str(), 0600);
  AuditConfig config = LoadAuditConfig(Write("audit.json", R"({"targets": [
    {"mysql": "mariadb://auditor@db:3307/crm?defaults-file=conf/scan.cnf&ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ca.pem",
     "password_env": "CRMAUDIT_TEST_MY_PASSWORD"},
    {"mysql": "mysql://localhost/?socket=run/mysqld.sock", "password_file": "maria.pass"},
    {"mysql": "mysql://auditor@localhost/crm"}]})"));
  ASSERT_EQ(config.plan.targets.size(), 3u);
  const PlannedTarget& first = config.plan.targets[0];
  EXPECT_EQ(first.kind, "mysql");
  EXPECT_EQ(first.location.rfind("mariadb://", 0), 0u) << "the scheme the user wrote";
  EXPECT_THAT(first.display, ::testing::Not(HasSubstr("my:pw")));
  const MysqlConnectOptions options = ParseMysqlUri(first.location);
  EXPECT_EQ(options.user, "auditor");
  EXPECT_EQ(options.password.value_or(""), "my:pw@&#?");
  EXPECT_EQ(options.host, "db");
  EXPECT_EQ(options.port, 3307u);
  EXPECT_EQ(options.database, "crm");
  EXPECT_EQ(options.defaults_file, (dir_ / "conf/scan.cnf").string());
  EXPECT_EQ(options.ssl_mode, MysqlSslMode::kVerifyIdentity);
  EXPECT_EQ(options.ssl_ca, "/etc/ca.pem");
  const MysqlConnectOptions second = ParseMysqlUri(config.plan.targets[1].location);
  EXPECT_EQ(second.socket, (dir_ / "run/mysqld.sock").string());
  EXPECT_EQ(second.password.value_or(""), "from-file");
  EXPECT_FALSE(ParseMysqlUri(config.plan.targets[2].location).password.has_value())
      << "no password given: the option files' (~/.my.cnf)";
}

TEST_F(AuditConfigTest, MysqlTargetsAreObjectsWithoutAnInlinePassword) {
  EXPECT_THAT(ErrorOf(R"({"targets": ["mysql://auditor@db/crm"]})"), HasSubstr("{\"mysql\": "));
  const std::string inline_password =
      ErrorOf(R"({"targets": [{"mysql": "mysql://a:hunter2@db/crm"}]})");
  EXPECT_THAT(inline_password, HasSubstr("targets[0].mysql"));
  EXPECT_THAT(inline_password, HasSubstr("password_env"));
  EXPECT_THAT(inline_password, ::testing::Not(HasSubstr("hunter2")));
  EXPECT_THAT(ErrorOf(R"({"targets": [{"mysql": "mysql://a:hunter2@db:hunter2/crm"}]})"),
              ::testing::AllOf(HasSubstr("port"), ::testing::Not(HasSubstr("hunter2"))));
  EXPECT_THAT(ErrorOf(R"({"targets": [{"mysql": "postgresql://db/crm"}]})"),
              HasSubstr("expected a mysql:// or mariadb:// URI"));
  EXPECT_THAT(ErrorOf(R"({"targets": [{"postgres": "mysql://db/crm"}]})"),
              HasSubstr("{\"mysql\": "));
  EXPECT_THAT(ErrorOf(R"({"targets": [{"mysql": "mysql://db/crm", "path": "x"}]})"),
              HasSubstr("exactly one of"));
}

TEST_F(AuditConfigTest, ErrorsNameTheField) {
  EXPECT_NE(ErrorOf(R"({"targets": []})").find("targets"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"targets": ["x"], "fail_on": "sometimes"})").find("fail_on"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"targets": ["x"], "jobs": 0})").find("jobs"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"targets": ["x"], "formats": ["pdf"]})").find("formats[0]"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"targets": ["x"], "sample_row": 5})").find("sample_row: unknown field"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(R"({"targets": [{"path": "a", "postgres": "postgresql://db"}]})").find("targets[0]"),
      std::string::npos);
  EXPECT_NE(ErrorOf("{not json").find("invalid JSON"), std::string::npos);
  // A number beyond double range is the parser's out_of_range, not a parse_error: still a
  // clear error (exit 2), never an abort.
  EXPECT_NE(ErrorOf(R"({"targets": ["x"], "jobs": 99E999})").find("invalid JSON"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(R"({"targets": ["x"], "jobs": 99E999})").find("99E999"), std::string::npos);
}

// The audit file's "controls" goes through the packs' reader: a misspelt key or a bad value is
// an error naming this file, the line and column of the field, and the field, as documented
// in docs/operations.md.
TEST_F(AuditConfigTest, ControlsAreReadStrictlyNamingFileAndField) {
  const std::string base = R"({"targets": ["x.csv"], "controls": )";
  EXPECT_EQ(
      ErrorOf(base + R"({"backup": {"max_age_dayz": 2}}})"),
      (dir_ / "audit.json").string() +
          ":1:48: controls.backup.max_age_dayz: unknown field (expected one of: max_age_hours, "
          "require_encryption)");
  EXPECT_THAT(ErrorOf(base + R"({"retension": {}}})"), HasSubstr(": controls.retension: unknown"));
  EXPECT_THAT(ErrorOf(base + R"({"backup": {"max_age_hours": -1}}})"),
              HasSubstr(": controls.backup.max_age_hours: expected a number greater than 0"));
  EXPECT_EQ(ErrorOf(base + R"({"backup": {"max_age_hours": 48}}})"), "");
}

TEST_F(AuditConfigTest, InlineDatabasePasswordsAreRefused) {
  std::string error = ErrorOf(R"({"targets": [{"postgres": "postgresql://a:hunter2@db/crm"}]})");
  EXPECT_NE(error.find("targets[0].postgres"), std::string::npos);
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << "the error repeated the password";
  error = ErrorOf(R"({"targets": [{"postgres": "host=db password=hunter2"}]})");
  EXPECT_NE(error.find("password_env"), std::string::npos);
  EXPECT_NE(
      ErrorOf(
          R"({"targets": [{"postgres": "postgresql://db/crm", "password_env": "CRMAUDIT_UNSET_VAR_X"}]})")
          .find("not set"),
      std::string::npos);
}

TEST_F(AuditConfigTest, PasswordFileMustBeOwnerOnly) {
  auto secret = Write("db.pass", "from-file\n");
  ::chmod(secret.c_str(), 0644);
  std::string text =
      R"({"targets": [{"postgres": "postgresql://db/crm", "password_file": "db.pass"}]})";
  EXPECT_NE(ErrorOf(text).find("chmod 600"), std::string::npos);
  ::chmod(secret.c_str(), 0600);
  AuditConfig config = LoadAuditConfig(Write("audit.json", text));
  EXPECT_NE(config.plan.targets[0].location.find("password=from-file"), std::string::npos);
  EXPECT_EQ(config.plan.targets[0].display.find("from-file"), std::string::npos);
}

TEST_F(AuditConfigTest, LatestReportIsTheNewestDatedRun) {
  std::filesystem::create_directories(dir_ / "out/2026-01-01T000000Z");
  std::filesystem::create_directories(dir_ / "out/2026-02-01T000000Z");
  std::filesystem::create_directories(dir_ / "out/2026-03-01T000000Z");  // no report: ignored
  std::ofstream(dir_ / "out/2026-01-01T000000Z/report.json") << "{}";
  std::ofstream(dir_ / "out/2026-02-01T000000Z/report.json") << "{}";
  auto latest = LatestReportIn(dir_ / "out");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->parent_path().filename(), "2026-02-01T000000Z");
  EXPECT_FALSE(LatestReportIn(dir_ / "nothing-here"));
}

TEST_F(AuditConfigTest, ErrorsNameLineAndColumnOfTheField) {
  std::string text =
      "{\n  \"targets\": [\"a\", {\"path\": \"\"}],\n  /* out */ \"out\": {\"dir\": \"r\", "
      "\"chain\": true, \"dated_subfolder\": false}\n}\n";
  EXPECT_NE(ErrorOf(text).find("audit.json:2:21: targets[1].path:"), std::string::npos)
      << ErrorOf(text);
  std::string chain =
      "{\"targets\": [\"a\"],\n \"out\": {\"dir\": \"r\", \"chain\": true, "
      "\"dated_subfolder\": false}}";
  EXPECT_NE(ErrorOf(chain).find("audit.json:2:22: out.chain: needs dated_subfolder"),
            std::string::npos)
      << ErrorOf(chain);
  EXPECT_NE(ErrorOf("{\"targets\": [\"a\"],\n\n   \"x\" 1}").find("audit.json:3:8: (syntax)"),
            std::string::npos)
      << ErrorOf("{\"targets\": [\"a\"],\n\n   \"x\" 1}");
}

TEST_F(AuditConfigTest, EncodingAndRegionAreCheckedWhenLoaded) {
  EXPECT_NE(ErrorOf(R"({"targets": ["a"], "encoding": "klingon"})").find("encoding: 'klingon'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"targets": ["a"], "region": "XX"})").find("region: 'XX'"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(R"({"targets": ["a"], "region": "de", "encoding": "GBK"})"), "");
}

TEST(JsonFieldPosition, FindsNestedMembersAndElementsPastCommentsAndStrings) {
  std::string text =
      "{\n  \"a\": \"}, {\\\"b\\\": [\",  // a string that looks like JSON\n"
      "  \"b\": [1, {\"c\": 2}, [3]],\n  \"controls\": {\"exports\": {\"max_age_days\": 0}}\n}";
  EXPECT_EQ(JsonFieldPosition(text, "b"), "3:3");
  EXPECT_EQ(JsonFieldPosition(text, "b[1].c"), "3:13");
  EXPECT_EQ(JsonFieldPosition(text, "b[2]"), "3:22");
  EXPECT_EQ(JsonFieldPosition(text, "controls.exports.max_age_days"), "4:28");
  // A field that is not there: the nearest enclosing one.
  EXPECT_EQ(JsonFieldPosition(text, "controls.exports.nope"), "4:16");
}

}  // namespace
}  // namespace crmaudit

namespace crmaudit {
namespace {

class AuditConfigLiveDatabaseTest : public ::testing::Test {
 protected:
  std::filesystem::path Write(const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("crmaudit-live-db-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << text;
    return path;
  }
};

TEST_F(AuditConfigLiveDatabaseTest, ReadsTheThrottleAndBackOffLimits) {
  const auto path = Write(R"({"targets": ["exports"],
    "max_rows_per_second": 20000, "max_mb_per_second": 2.5, "max_active_sessions": 6,
    "max_replication_lag_seconds": 30, "max_backoff_seconds": 120})");
  const AuditConfig config = LoadAuditConfig(path);
  std::filesystem::remove(path);
  EXPECT_EQ(config.plan.max_rows_per_second, 20000);
  EXPECT_EQ(config.plan.max_mb_per_second, 2.5);
  EXPECT_EQ(config.plan.max_active_sessions, 6);
  EXPECT_EQ(config.plan.max_replication_lag_seconds, 30);
  EXPECT_EQ(config.plan.max_backoff, std::chrono::seconds(120));
}

TEST_F(AuditConfigLiveDatabaseTest, DefaultsBackOffButDoNotThrottle) {
  const auto path = Write(R"({"targets": ["exports"]})");
  const AuditConfig config = LoadAuditConfig(path);
  std::filesystem::remove(path);
  EXPECT_EQ(config.plan.max_rows_per_second, 0);
  EXPECT_EQ(config.plan.max_mb_per_second, 0);
  EXPECT_EQ(config.plan.max_active_sessions, 10);
  EXPECT_EQ(config.plan.max_replication_lag_seconds, 60);
  EXPECT_EQ(config.plan.max_backoff, std::chrono::minutes(10));
}

TEST_F(AuditConfigLiveDatabaseTest, ANegativeOrMistypedLimitIsAnErrorNamingTheField) {
  for (const std::string field : {R"("max_rows_per_second": -1)", R"("max_mb_per_second": "5")",
                                  R"("max_active_sessions": 2.5)", R"("max_backoff_seconds": 0)"}) {
    const auto path = Write(R"({"targets": ["exports"], )" + field + "}");
    std::string error;
    try {
      LoadAuditConfig(path);
    } catch (const AuditConfigError& e) {
      error = e.what();
    }
    std::filesystem::remove(path);
    const std::string name = field.substr(1, field.find('"', 1) - 1);
    EXPECT_THAT(error, HasSubstr(": " + name + ": expected a")) << field;
  }
}

}  // namespace
}  // namespace crmaudit
