// The Mariabackup / XtraBackup reader: the key = value metadata the tools write (old
// xtrabackup_* and MariaDB 11 mariadb_backup_* names), full and incremental backups, Percona's
// encryption and compression, and backups whose time cannot be read. The real tool's own
// backups are read in tests/unit/mysql/mariabackup_test.cpp.
#include "scanner/sources/backups/mariabackup_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "scanner/sources/backups/backup_reader.h"
#include "tests/unit/sources/source_test_support.h"

namespace crmaudit {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

// As mariadb-backup 10.11 writes them (tool_command and LSNs shortened).
constexpr const char* kMariaDbInfo = R"(uuid = a0f3c360-ec6d-11f1-bbb4-02fc00000001
name = 
tool_name = mariadb-backup
tool_command = --backup --target-dir=/backups/2026-11-30
tool_version = 10.11.6-MariaDB
ibbackup_version = 10.11.6-MariaDB
server_version = 10.11.6-MariaDB-0+deb12u1
start_time = 2026-11-30 03:10:00
end_time = 2026-11-30 03:12:30
lock_time = 0
binlog_pos = 
partial = N
incremental = N
format = file
compressed = N
)";
constexpr const char* kFullCheckpoints =
    "backup_type = full-backuped\nfrom_lsn = 0\nto_lsn = 44864\nlast_lsn = 44880\n";
constexpr const char* kIncrementalCheckpoints =
    "backup_type = incremental\nfrom_lsn = 44864\nto_lsn = 50000\nlast_lsn = 50010\n";
// Percona XtraBackup 8.0 with --encrypt and --compress.
constexpr const char* kPerconaInfo = R"(tool_name = xtrabackup
tool_version = 8.0.35-30
start_time = 2026-11-29 23:00:00
end_time = 2026-11-29 23:40:00
incremental = N
format = xbstream
compressed = compressed
encrypted = Y
)";

class MariabackupReader : public ::testing::Test {
 protected:
  // The tools write local time: the tests pin the zone so the expected epochs are exact.
  void SetUp() override {
    const char* zone = std::getenv("TZ");
    saved_ = zone ? std::optional<std::string>(zone) : std::nullopt;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  // Other tests of the suite's process see the zone they started with.
  void TearDown() override {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> saved_;
};

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

TEST_F(MariabackupReader, AFullMariaDbBackupIsDatedByItsEndTime) {
  const MariabackupBackup backup = ParseMariabackupMetadata(kMariaDbInfo, kFullCheckpoints, "b/");
  EXPECT_EQ(backup.set.label, "b/");
  EXPECT_EQ(backup.set.type, "full");
  EXPECT_EQ(backup.set.stop_epoch, 1796008350);  // 2026-11-30 03:12:30 UTC
  EXPECT_EQ(backup.tool, "mariadb-backup 10.11.6-MariaDB");
  EXPECT_FALSE(backup.encrypted);
  EXPECT_FALSE(backup.compressed);
  EXPECT_TRUE(backup.undated_reason.empty());
}

TEST_F(MariabackupReader, IncrementalBackupsAreNotFullOnes) {
  EXPECT_EQ(ParseMariabackupMetadata(kMariaDbInfo, kIncrementalCheckpoints, "i/").set.type, "incr");
  // Without the checkpoints file the info's `incremental` says it.
  std::string info = kMariaDbInfo;
  info.replace(info.find("incremental = N"), 15, "incremental = Y");
  EXPECT_EQ(ParseMariabackupMetadata(info, "", "i/").set.type, "incr");
  // A prepared full backup is still a full one.
  EXPECT_EQ(ParseMariabackupMetadata(kMariaDbInfo, "backup_type = full-prepared\n", "p/").set.type,
            "full");
}

TEST_F(MariabackupReader, PerconaEncryptionAndCompressionAreRead) {
  const MariabackupBackup backup = ParseMariabackupMetadata(kPerconaInfo, kFullCheckpoints, "x/");
  EXPECT_TRUE(backup.encrypted);
  EXPECT_TRUE(backup.compressed);
  EXPECT_EQ(backup.tool, "xtrabackup 8.0.35-30");
  EXPECT_EQ(backup.set.stop_epoch, 1795995600);  // 2026-11-29 23:40:00 UTC
}

TEST_F(MariabackupReader, WithoutEndTimeTheStartTimeDatesItAndWithoutEitherItIsUndated) {
  std::string info = kMariaDbInfo;
  info.erase(info.find("end_time"),
             info.find('\n', info.find("end_time")) + 1 - info.find("end_time"));
  EXPECT_EQ(ParseMariabackupMetadata(info, kFullCheckpoints, "b/").set.stop_epoch,
            1796008200);  // start_time, 03:10:00
  info.erase(info.find("start_time"),
             info.find('\n', info.find("start_time")) + 1 - info.find("start_time"));
  const MariabackupBackup undated = ParseMariabackupMetadata(info, kFullCheckpoints, "b/");
  EXPECT_EQ(undated.set.stop_epoch, 0);
  EXPECT_EQ(undated.undated_reason,
            "mariabackup backup b/: the info file has no end_time or start_time");
  const MariabackupBackup garbled =
      ParseMariabackupMetadata("end_time = yesterday\n", kFullCheckpoints, "g/");
  EXPECT_EQ(garbled.set.stop_epoch, 0);
  EXPECT_EQ(garbled.undated_reason,
            "mariabackup backup g/: the info file's end_time is not a date");
}

TEST_F(MariabackupReader, AFolderOfBackupDirectoriesWithOldAndNewFileNames) {
  TempDir dir;
  Write(dir.path() / "2026-11-29" / "xtrabackup_checkpoints", kFullCheckpoints);
  Write(dir.path() / "2026-11-29" / "xtrabackup_info", kMariaDbInfo);
  Write(dir.path() / "2026-11-30" / "mariadb_backup_checkpoints", kIncrementalCheckpoints);
  Write(dir.path() / "2026-11-30" / "mariadb_backup_info", kMariaDbInfo);
  Write(dir.path() / "not-a-backup" / "notes.txt", "x");
  const BackupFacts facts = CollectBackupFacts(dir.path().string());
  ASSERT_EQ(facts.sources.size(), 1u);
  const BackupSourceFacts& source = facts.sources[0];
  ASSERT_TRUE(source.readable) << source.reason;
  EXPECT_EQ(source.kind, "dump-folder");
  ASSERT_EQ(source.backups.size(), 2u);
  EXPECT_EQ(source.files, 2u);
  EXPECT_EQ(source.unencrypted_names, (std::vector<std::string>{"2026-11-29/", "2026-11-30/"}));
  int full = 0, incr = 0;
  for (const auto& set : source.backups) (set.type == "full" ? full : incr) += 1;
  EXPECT_EQ(full, 1);
  EXPECT_EQ(incr, 1);
  // One backup directory given by itself is its own source.
  const BackupFacts one = CollectBackupFacts((dir.path() / "2026-11-30").string());
  ASSERT_EQ(one.sources[0].backups.size(), 1u);
  EXPECT_EQ(one.sources[0].backups[0].label, "2026-11-30/");
  EXPECT_EQ(one.sources[0].backups[0].type, "incr");
}

TEST_F(MariabackupReader, AnEncryptedPerconaDirectoryIsDatedByItsCheckpointsFile) {
  TempDir dir;
  const fs::path backup = dir.path() / "enc";
  Write(backup / "xtrabackup_checkpoints", kFullCheckpoints);
  Write(backup / "xtrabackup_info.xbcrypt", std::string("XBCRYP03\x01\x02", 10));
  Write(backup / "ibdata1.qp.xbcrypt", std::string("XBCRYP03\x01\x02", 10));
  Write(backup / "ibdata1.zst.xbcrypt", std::string("XBCRYP03\x01\x02", 10));
  struct timespec times[2] = {{1796000000, 0}, {1796000000, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, (backup / "xtrabackup_checkpoints").c_str(), times, 0), 0);
  const MariabackupBackup read = ReadMariabackupDirectory(backup.string());
  EXPECT_TRUE(read.encrypted);
  EXPECT_EQ(read.set.stop_epoch, 1796000000);
  const BackupSourceFacts source = CollectBackupFacts(dir.path().string()).sources[0];
  ASSERT_TRUE(source.readable) << source.reason;
  EXPECT_EQ(source.files, 1u);
  EXPECT_EQ(
      source.unencrypted_files,
      0u);  // Given by itself, its encrypted data files are parts of the one backup, not dumps.
  const BackupSourceFacts alone = CollectBackupFacts(backup.string()).sources[0];
  EXPECT_EQ(alone.files, 1u);
  EXPECT_EQ(alone.backups.size(), 1u);
  EXPECT_EQ(alone.unencrypted_files, 0u);
}

TEST_F(MariabackupReader, AFolderWhoseOnlyBackupsAreUndatedIsNotAssessedWithTheReason) {
  TempDir dir;
  Write(dir.path() / "b1" / "xtrabackup_checkpoints", kFullCheckpoints);
  Write(dir.path() / "b1" / "xtrabackup_info", "tool_name = mariadb-backup\n");
  BackupSourceFacts source = CollectBackupFacts(dir.path().string()).sources[0];
  EXPECT_FALSE(source.readable);
  EXPECT_EQ(source.reason, "mariabackup backup b1/: the info file has no end_time or start_time");
  // Beside a dated full backup the undated one only stays out of the age.
  Write(dir.path() / "b2" / "xtrabackup_checkpoints", kFullCheckpoints);
  Write(dir.path() / "b2" / "xtrabackup_info", kMariaDbInfo);
  source = CollectBackupFacts(dir.path().string()).sources[0];
  EXPECT_TRUE(source.readable);
  EXPECT_EQ(source.backups.size(), 2u);
  // No info file at all: undated, and said so.
  TempDir bare;
  Write(bare.path() / "xtrabackup_checkpoints", kFullCheckpoints);
  source = CollectBackupFacts(bare.path().string()).sources[0];
  EXPECT_FALSE(source.readable);
  EXPECT_NE(source.reason.find("has no readable xtrabackup_info / mariadb_backup_info"),
            std::string::npos)
      << source.reason;
}

// An xbstream chunk header: magic, flags, type 'P' (payload), path length (LE), path.
std::string XbstreamHead(const std::string& path) {
  std::string head = "XBSTCK01";
  head += '\0';
  head += 'P';
  const auto length = static_cast<uint32_t>(path.size());
  for (int i = 0; i < 4; ++i) head += static_cast<char>((length >> (8 * i)) & 0xff);
  return head + path + std::string(32, '\0');
}

TEST(MariabackupStreams, XbstreamFilesAreEncryptedOnlyWithXbcrypt) {
  TempDir dir;
  Write(dir.path() / "plain.xbstream", XbstreamHead("ibdata1"));
  Write(dir.path() / "percona-encrypt.xbstream", XbstreamHead("ibdata1.qp.xbcrypt"));
  Write(dir.path() / "piped.xbstream.xbcrypt", std::string("XBCRYP03\x00\x01", 10));
  const BackupSourceFacts source = CollectBackupFacts(dir.path().string()).sources[0];
  ASSERT_TRUE(source.readable);
  EXPECT_EQ(source.files, 3u);
  EXPECT_EQ(source.unencrypted_names, (std::vector<std::string>{"plain.xbstream"}));
  EXPECT_EQ(source.unrecognised_files, 0u);
  EXPECT_EQ(source.backups.size(), 3u);
}

}  // namespace
}  // namespace crmaudit
