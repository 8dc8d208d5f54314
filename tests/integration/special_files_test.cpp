// Files the CLI opens by name (audit file, key, baseline, suppressions, chain link, diff and
// baseline inputs, a report to verify) that are not regular files: a FIFO would block the
// read forever and /dev/zero never ends. Each is refused at once with an error naming the
// file (exit 2, or 4 for verify), never a hang or unbounded memory.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/cli_harness.h"

namespace crmaudit::testing {
namespace {

namespace fs = std::filesystem;

class SpecialFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_.Write("data/contacts.csv", "email\nann@example.com\n");
    fifo_ = scratch_.path() / "named.fifo";
    ASSERT_EQ(::mkfifo(fifo_.c_str(), 0600), 0);
    zero_ = scratch_.path() / "zero.json";
    fs::create_symlink("/dev/zero", zero_);
  }

  CliRun Run(const std::vector<std::string>& args) {
    return RunCrmauditDirect(args, scratch_.path(), /*timeout_seconds=*/20);
  }

  void ExpectRefused(const CliRun& run, int exit_code, const fs::path& file,
                     const std::string& what) {
    EXPECT_FALSE(run.timed_out) << what << " hung";
    EXPECT_EQ(run.exit_code, exit_code) << what << "\n" << run.err;
    EXPECT_NE(run.err.find(file.filename().string()), std::string::npos) << what << "\n" << run.err;
    EXPECT_NE(run.err.find("not a regular file"), std::string::npos) << what << "\n" << run.err;
    if (kMemoryBoundsApply) {
      EXPECT_LT(run.max_rss_kib, 200 * 1024) << what;
    }
  }

  ScratchDir scratch_;
  fs::path fifo_, zero_;
};

TEST_F(SpecialFiles, ScanInputsThatAreNotRegularFilesAreRefusedAtOnce) {
  for (const fs::path& file : {fifo_, zero_}) {
    const std::string data = (scratch_.path() / "data").string();
    const std::string out = (scratch_.path() / "out").string();
    ExpectRefused(Run({"scan", "--config", file.string()}), 2, file, "--config");
    ExpectRefused(Run({"scan", data, "--out", out, "--baseline", file.string()}), 2, file,
                  "--baseline");
    ExpectRefused(Run({"scan", data, "--out", out, "--suppressions", file.string()}), 2, file,
                  "--suppressions");
    ExpectRefused(Run({"scan", data, "--out", out, "--chain-from", file.string()}), 2, file,
                  "--chain-from");
    ExpectRefused(Run({"scan", data, "--out", out, "--sign-key", file.string()}), 2, file,
                  "--sign-key");
    ExpectRefused(Run({"scan", data, "--out", out, "--policy", file.string()}), 2, file,
                  "--policy");
    ExpectRefused(Run({"diff", file.string(), file.string()}), 2, file, "diff");
    ExpectRefused(Run({"baseline", file.string()}), 2, file, "baseline");
  }
}

TEST_F(SpecialFiles, VerifyRefusesAReportOrSignatureThatIsNotARegularFile) {
  const fs::path keys = scratch_.path() / "k";
  ASSERT_EQ(Run({"keygen", "--out", keys.string()}).exit_code, 0);
  const fs::path out = scratch_.path() / "out";
  CliRun scan = Run({"scan", (scratch_.path() / "data").string(), "--out", out.string(),
                     "--sign-key", keys.string() + ".key", "--fail-on", "never"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  // The report replaced by a symbolic link to /dev/zero, then its signature by a FIFO.
  fs::remove(out / "report.json");
  fs::create_symlink("/dev/zero", out / "report.json");
  CliRun zero = Run({"verify", out.string(), "--key", keys.string() + ".pub"});
  EXPECT_FALSE(zero.timed_out);
  EXPECT_EQ(zero.exit_code, 4) << zero.out << zero.err;
  if (kMemoryBoundsApply) {
    EXPECT_LT(zero.max_rss_kib, 200 * 1024);
  }
  fs::remove(out / "report.json");
  ASSERT_EQ(::mkfifo((out / "report.json").c_str(), 0600), 0);
  CliRun fifo = Run({"verify", out.string(), "--key", keys.string() + ".pub"});
  EXPECT_FALSE(fifo.timed_out);
  EXPECT_EQ(fifo.exit_code, 4) << fifo.out << fifo.err;
}

}  // namespace
}  // namespace crmaudit::testing
