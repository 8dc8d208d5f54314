// Mariabackup physical backups of a real MariaDB (the sandbox), taken with the real
// `mariadb-backup` tool and read by the backup reader as `--backup-info` gets them: a folder of
// backup directories (full and incremental), one backup directory, and an xbstream file; then
// through the binary, where BAK-02 and BAK-03 judge them. A missing mariadb-backup is a loud
// failure (scripts/setup installs it), never a skip.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

#include "scanner/sources/backups/backup_reader.h"
#include "scanner/sources/backups/mariabackup_reader.h"
#include "tests/unit/mysql/sandbox.h"
#include "tests/unit/postgres/cli_run.h"

namespace crmaudit {
namespace {

class Mariabackup : public testing::SharedMariaSandboxTest<Mariabackup> {
 protected:
  // Runs mariadb-backup --backup as the sandbox's root over its socket; `extra` adds options
  // and may redirect the output. 0 on success.
  static int Backup(const std::string& extra) {
    const std::string command =
        "mariadb-backup --defaults-file=" + sandbox_->Env("MARIADB_ADMIN_DEFAULTS_FILE") +
        " --backup --socket=" + sandbox_->socket() + " --datadir=" + sandbox_->dir() + "/data " +
        extra;
    return testing::MariaSandbox::Run(command);
  }
  static int64_t Now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

TEST_F(Mariabackup, AFolderOfRealBackupsIsReadFullAndIncrementalDatedAndUnencrypted) {
  const std::string folder = sandbox_->dir() + "/mariabackups";
  const std::string log = " > " + sandbox_->dir() + "/mariabackup.log 2>&1";
  std::filesystem::create_directories(folder);
  ASSERT_EQ(Backup("--target-dir=" + folder + "/2026-11-30-full" + log), 0)
      << "mariadb-backup failed or is not installed (scripts/setup): see " << sandbox_->dir()
      << "/mariabackup.log";
  ASSERT_EQ(Backup("--target-dir=" + folder + "/2026-11-30-incr --incremental-basedir=" + folder +
                   "/2026-11-30-full" + log),
            0);
  const int64_t now = Now();

  const BackupFacts facts = CollectBackupFacts(folder);
  ASSERT_EQ(facts.sources.size(), 1u);
  const BackupSourceFacts& source = facts.sources[0];
  ASSERT_TRUE(source.readable) << source.reason;
  EXPECT_EQ(source.kind, "dump-folder");
  ASSERT_EQ(source.backups.size(), 2u);
  std::map<std::string, BackupSetFacts> by_label;
  for (const auto& set : source.backups) by_label[set.label] = set;
  const BackupSetFacts& full = by_label["2026-11-30-full/"];
  EXPECT_EQ(full.type, "full");
  EXPECT_NEAR(static_cast<double>(full.stop_epoch), static_cast<double>(now), 60.0);
  const std::string tool = ReadMariabackupDirectory(folder + "/2026-11-30-full").tool;
  EXPECT_EQ(tool.rfind("mariadb-backup 1", 0), 0u) << tool;
  EXPECT_EQ(by_label["2026-11-30-incr/"].type, "incr");
  // Neither is encrypted: both count as readable without a key, by name.
  EXPECT_EQ(source.files, 2u);
  EXPECT_EQ(source.unencrypted_files, 2u);
  EXPECT_EQ(source.unencrypted_names,
            (std::vector<std::string>{"2026-11-30-full/", "2026-11-30-incr/"}));

  // One backup directory given by itself.
  const BackupFacts one = CollectBackupFacts(folder + "/2026-11-30-full");
  ASSERT_EQ(one.sources.size(), 1u);
  ASSERT_TRUE(one.sources[0].readable) << one.sources[0].reason;
  ASSERT_EQ(one.sources[0].backups.size(), 1u);
  EXPECT_EQ(one.sources[0].backups[0].type, "full");
  EXPECT_EQ(one.sources[0].unencrypted_files, 1u);
}

TEST_F(Mariabackup, ARealXbstreamFileIsADumpReadableWithoutAKey) {
  const std::string folder = sandbox_->dir() + "/streams";
  std::filesystem::create_directories(folder);
  ASSERT_EQ(Backup("--stream=xbstream > " + folder + "/crm.xbstream 2> " + sandbox_->dir() +
                   "/mariabackup-stream.log"),
            0);
  ASSERT_EQ(testing::MariaSandbox::Run("gzip -c " + folder + "/crm.xbstream > " + folder +
                                       "/crm-older.xbstream.gz"),
            0);
  const BackupFacts facts = CollectBackupFacts(folder);
  ASSERT_EQ(facts.sources.size(), 1u);
  const BackupSourceFacts& source = facts.sources[0];
  ASSERT_TRUE(source.readable);
  EXPECT_EQ(source.files, 2u);
  EXPECT_EQ(source.unencrypted_names,
            (std::vector<std::string>{"crm-older.xbstream.gz", "crm.xbstream"}));
  ASSERT_EQ(source.backups.size(), 2u);
  EXPECT_NEAR(static_cast<double>(source.backups[0].stop_epoch), static_cast<double>(Now()), 60.0);
}

// As a user runs it: `--backup-info` with the folder of real backups; the fresh full backup
// passes BAK-02 and the unencrypted backups fail BAK-03.
TEST_F(Mariabackup, TheScanJudgesRealBackupsWithBak02AndBak03) {
  const std::string folder = sandbox_->dir() + "/scan-backups";
  std::filesystem::create_directories(folder);
  ASSERT_EQ(Backup("--target-dir=" + folder + "/nightly > " + sandbox_->dir() +
                   "/mariabackup-scan.log 2>&1"),
            0);
  const testing::CliRun run = testing::RunScan(
      sandbox_->dir(), {sandbox_->Uri("crm"), "--backup-info", folder, "--fail-on", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  ASSERT_TRUE(run.report.is_object());
  std::map<std::string, std::string> status;
  for (const auto& c : run.report["controls"]) {
    status[c["rule"].get<std::string>()] = c["status"].get<std::string>();
  }
  EXPECT_EQ(status["BAK-02"], "pass");
  EXPECT_EQ(status["BAK-03"], "fail");
  bool named = false;
  for (const auto& f : run.report["findings"]) {
    if (f["rule"] == "BAK-03") named = f.dump().find("nightly/") != std::string::npos;
  }
  EXPECT_TRUE(named) << "the BAK-03 finding names the unencrypted backup directory";
}

}  // namespace
}  // namespace crmaudit
