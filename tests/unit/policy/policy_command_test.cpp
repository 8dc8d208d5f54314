// `crmaudit policy ...` as a user runs it: output and exit codes. Runs the built binary; the
// suite is skipped (not passed) when the binary has not been built yet.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
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

}  // namespace
