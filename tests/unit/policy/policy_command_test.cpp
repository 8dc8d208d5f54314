// `crmaudit policy ...` as a user runs it: output and exit codes. Runs the built binary; the
// suite is skipped (not passed) when the binary has not been built yet.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

using ::testing::HasSubstr;

const std::filesystem::path kFixtures = std::filesystem::path(CRMAUDIT_TEST_FIXTURES) / "policy";

struct CommandRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

CommandRun RunCrmaudit(const std::string& arguments) {
  const std::string command =
      std::string("CRMAUDIT_POLICY_DIR= '") + CRMAUDIT_BINARY + "' " + arguments + " 2>&1";
  CommandRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer;
  size_t read = 0;
  while ((read = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.output.append(buffer.data(), read);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

class PolicyCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(CRMAUDIT_BINARY)) GTEST_SKIP() << "crmaudit is not built";
  }
};

TEST_F(PolicyCommandTest, TestPassesForTheShippedCorePack) {
  const CommandRun run = RunCrmaudit("policy test pii-core");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("ok    pii-core/email-address"));
  EXPECT_THAT(run.output, HasSubstr("ok    pii-core/iban-code"));
}

TEST_F(PolicyCommandTest, TestNamesTheFailingDetectorAndExample) {
  const CommandRun run =
      RunCrmaudit("policy test " + (kFixtures / "broken-examples.json").string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.output, HasSubstr("FAIL  broken-examples/fixture-email"));
  EXPECT_THAT(run.output, HasSubstr("examples.match[1]"));
  EXPECT_THAT(run.output, HasSubstr("examples.no_match[1]"));
  EXPECT_THAT(run.output, HasSubstr("ok    broken-examples/fixture-good"));
}

TEST_F(PolicyCommandTest, MalformedPackAndUnknownNameExitTwoWithTheReason) {
  const CommandRun malformed =
      RunCrmaudit("policy test " + (kFixtures / "bad-severity.json").string());
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_THAT(malformed.output,
              HasSubstr("bad-severity.json: detectors[2].severity: expected one of"));
  const CommandRun unknown = RunCrmaudit("policy show no-such-pack");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.output, HasSubstr("no-such-pack: unknown policy pack"));
}

TEST_F(PolicyCommandTest, ListAndShowDescribeThePacks) {
  const CommandRun list = RunCrmaudit("policy list");
  EXPECT_THAT(list.output,
              ::testing::ContainsRegex("pii-core\t[0-9]+\\.[0-9]+\\.[0-9]+\t8 detectors\t"));
  const CommandRun show = RunCrmaudit("policy show pii-core");
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_THAT(show.output, HasSubstr("credit-card-number"));
  EXPECT_THAT(show.output, HasSubstr("validator:    credit_card"));
  EXPECT_THAT(show.output, HasSubstr("Art. 32(1)(a)"));
}

// A control parameter of the wrong type is found by `policy test` and stops a scan before it
// reads anything: exit 2 naming the file and the field, no report written.
TEST_F(PolicyCommandTest, BadControlParameterIsAnErrorForPolicyTestAndScan) {
  const std::string pack = (kFixtures / "soon-backup.json").string();
  const CommandRun test = RunCrmaudit("policy test " + pack);
  EXPECT_EQ(test.exit_code, 2) << test.output;
  EXPECT_THAT(test.output, HasSubstr("soon-backup.json: controls.backup.max_age_hours"));

  const auto dir = std::filesystem::temp_directory_path() /
                   ("crmaudit-badcontrols-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "contacts.csv") << "email\njane@example.com\n";
  const CommandRun scan =
      RunCrmaudit("scan '" + (dir / "contacts.csv").string() + "' --policy pii-core --policy " +
                  pack + " --out '" + (dir / "out").string() + "'");
  EXPECT_EQ(scan.exit_code, 2) << scan.output;
  EXPECT_THAT(scan.output, HasSubstr("controls.backup.max_age_hours"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "report.json"));

  // The audit file's "controls" goes through the same reader: a misspelt key is an error.
  std::ofstream(dir / "audit.json") << R"({"targets": ["contacts.csv"], "out": "out2",
      "policies": ["pii-core"], "controls": {"backup": {"max_age_dayz": 2}}})";
  const CommandRun audit = RunCrmaudit("scan --config '" + (dir / "audit.json").string() + "'");
  EXPECT_EQ(audit.exit_code, 2) << audit.output;
  EXPECT_THAT(audit.output,
              HasSubstr("audit.json:2:57: controls.backup.max_age_dayz: unknown field"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out2"));
  std::filesystem::remove_all(dir);
}

// `policy test` runs the check catalog's fixtures too: a line per check; a failing fixture,
// a check without fixtures or a malformed catalog folder is exit 2 naming what failed.
TEST_F(PolicyCommandTest, TestRunsTheCheckFixtures) {
  const CommandRun shipped = RunCrmaudit("policy test pii-core");
  EXPECT_EQ(shipped.exit_code, 0) << shipped.output;
  EXPECT_THAT(shipped.output, ::testing::ContainsRegex("ok    ENC-01 \\([0-9]+ fixtures\\)"));
  EXPECT_THAT(shipped.output, HasSubstr("all examples and check fixtures passed"));

  const std::filesystem::path checks =
      std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "checks";
  const auto dir = std::filesystem::temp_directory_path() /
                   ("crmaudit-catalog-cli-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(checks / "parameters.json", dir / "parameters.json");
  auto write_check = [&](const std::string& extra, const std::string& fixtures) {
    std::ofstream(dir / "encryption.json") << R"({"checks": [{"id": "ENC-01", "title": "t",
        "category": "encryption", "severity": "high", "engines": ["postgres"], "risk": "r",
        "outcomes": {"ssl-off": {"title": "off", "remediation": "on"},
                     "outdated-tls": {"title": "old", "remediation": "new"},
                     "not-assessed": {"title": "n/a", "remediation": "grant"}})" +
                                                  extra + R"(, "fixtures": )" + fixtures + "}]}";
  };
  write_check("", R"([{"name": "off passes?", "facts": {"settings": {"ssl": "off"}},
                       "expect": [{"status": "pass"}]}])");
  const CommandRun failing = RunCrmaudit("policy test '" + dir.string() + "'");
  EXPECT_EQ(failing.exit_code, 2) << failing.output;
  EXPECT_THAT(failing.output, HasSubstr("FAIL  ENC-01 (0 of 1 fixtures passed)"));
  EXPECT_THAT(failing.output,
              HasSubstr("\"off passes?\": expect[0]: expected pass, found fail ssl-off (server)"));
  EXPECT_THAT(failing.output, ::testing::Not(HasSubstr("pii-core")));  // only the folder named

  write_check("", "[]");
  const CommandRun none = RunCrmaudit("policy test '" + dir.string() + "'");
  EXPECT_EQ(none.exit_code, 2) << none.output;
  EXPECT_THAT(none.output, HasSubstr("no fixtures"));

  write_check(R"(, "parameters": ["tls.min_protocol_versoin"])", "[]");
  const CommandRun malformed = RunCrmaudit("policy test '" + dir.string() + "'");
  EXPECT_EQ(malformed.exit_code, 2) << malformed.output;
  EXPECT_THAT(malformed.output, HasSubstr((dir / "encryption.json").string() +
                                          ": checks[0].parameters[0]: unknown control parameter"));
  std::filesystem::remove_all(dir);
}

}  // namespace
