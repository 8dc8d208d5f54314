// The backup reader: pgBackRest info and WAL-G lists parsed into BackupFacts, dump folders
// classified by their first bytes, and CollectBackupFacts telling the sources apart. The checks
// that judge these facts (BAK-02/BAK-03) are tested in tests/unit/checks/.
#include "scanner/sources/backups/backup_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/unit/sources/source_test_support.h"

namespace crmaudit {
namespace {

using testing::TempDir;

constexpr const char* kPgBackRestInfo = R"([{"backup":[
  {"error":false,"label":"20261120-010000F","timestamp":{"start":1763600000,"stop":1763600400},"type":"full"},
  {"error":false,"label":"20261120-010000F_20261121-010000I","timestamp":{"start":1763690000,"stop":1763690100},"type":"incr"}],
  "cipher":"none","name":"crm","repo":[{"cipher":"none","key":1,"status":{"code":0,"message":"ok"}}],
  "status":{"code":0,"message":"ok"}}])";

TEST(BackupReader, PgBackRestInfoParses) {
  auto sources = ParsePgBackRestInfo(kPgBackRestInfo);
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_TRUE(sources[0].readable);
  EXPECT_EQ(sources[0].kind, "pgbackrest");
  EXPECT_EQ(sources[0].name, "crm");
  ASSERT_EQ(sources[0].backups.size(), 2u);
  EXPECT_EQ(sources[0].backups[0].type, "full");
  EXPECT_EQ(sources[0].backups[0].stop_epoch, 1763600400);
  EXPECT_EQ(sources[0].backups[1].type, "incr");
  EXPECT_EQ(sources[0].cipher.value_or(""), "none");
  EXPECT_EQ(sources[0].status_code, 0);
  EXPECT_FALSE(ParsePgBackRestInfo("{not json").front().readable);
}

TEST(BackupReader, OneUnencryptedRepositoryMakesTheStanzaUnencrypted) {
  auto sources = ParsePgBackRestInfo(R"([{"name":"crm","backup":[],
      "repo":[{"cipher":"aes-256-cbc","key":1},{"cipher":"none","key":2}]}])");
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].cipher.value_or(""), "none");
}

// A repository's JSON with fields of unexpected types (a number for a name, text for a status
// code or a time) threw the JSON library's type_error out of the PostgreSQL target.
TEST(BackupReader, FieldsOfTheWrongTypeReadAsAbsent) {
  auto sources = ParsePgBackRestInfo(
      R"([{"name": 5, "status": {"code": "x", "message": 7}, "cipher": 1,
           "backup": [{"label": 1, "type": [], "timestamp": {"stop": "y"}, "error": "no"}]}])");
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].name, "(unnamed stanza)");
  EXPECT_EQ(sources[0].status_code, -1);
  ASSERT_EQ(sources[0].backups.size(), 1u);
  EXPECT_EQ(sources[0].backups[0].stop_epoch, 0);
  EXPECT_FALSE(sources[0].backups[0].error);
  auto walg = ParseWalgBackupList(R"([{"backup_name": 3, "finish_time": 4, "time": []}])", "s3");
  ASSERT_EQ(walg.backups.size(), 1u);
  EXPECT_EQ(walg.backups[0].stop_epoch, 0);
}

TEST(BackupReader, WalgListParses) {
  auto walg = ParseWalgBackupList(
      R"([{"backup_name":"base_000000010000000000000004","time":"2026-11-24T10:00:00Z",
          "finish_time":"2026-11-24T10:05:00Z"}])",
      "walg.json");
  ASSERT_TRUE(walg.readable);
  EXPECT_EQ(walg.kind, "wal-g");
  ASSERT_EQ(walg.backups.size(), 1u);
  EXPECT_EQ(walg.backups[0].stop_epoch, 1795514700);
  EXPECT_FALSE(walg.cipher.has_value()) << "WAL-G lists do not show encryption";
  EXPECT_FALSE(ParseWalgBackupList("{}", "walg.json").readable);
}

TEST(BackupReader, CollectTellsTheSourcesApart) {
  TempDir dir;
  dir.Write("walg.json", R"([{"backup_name":"base_1","finish_time":"2026-11-24T10:05:00Z"}])");
  dir.Write("info.json", kPgBackRestInfo);
  dir.Write("other.json", R"({"not": "a backup list"})");
  std::filesystem::create_directory(dir.path() / "dumps");
  dir.Write("dumps/crm.sql", "--\n-- PostgreSQL database dump\n--\n");

  BackupFacts walg = CollectBackupFacts((dir.path() / "walg.json").string());
  ASSERT_EQ(walg.sources.size(), 1u);
  EXPECT_EQ(walg.sources[0].kind, "wal-g");
  BackupFacts info = CollectBackupFacts((dir.path() / "info.json").string());
  ASSERT_EQ(info.sources.size(), 1u);
  EXPECT_EQ(info.sources[0].kind, "pgbackrest");
  EXPECT_EQ(info.sources[0].name, "crm");
  BackupFacts folder = CollectBackupFacts((dir.path() / "dumps").string());
  ASSERT_EQ(folder.sources.size(), 1u);
  EXPECT_EQ(folder.sources[0].kind, "dump-folder");

  BackupFacts other = CollectBackupFacts((dir.path() / "other.json").string());
  ASSERT_EQ(other.sources.size(), 1u);
  EXPECT_FALSE(other.sources[0].readable);
  EXPECT_EQ(other.sources[0].reason, "neither pgBackRest info nor WAL-G backup-list JSON");
  BackupFacts missing = CollectBackupFacts((dir.path() / "missing.json").string());
  ASSERT_EQ(missing.sources.size(), 1u);
  EXPECT_FALSE(missing.sources[0].readable);
  EXPECT_EQ(missing.sources[0].reason, "the file could not be read");
}

TEST(BackupReader, DumpFolderCountsDumpsAndDatesThem) {
  TempDir dir;
  dir.Write("crm-2026-11-24.sql", "--\n-- PostgreSQL database dump\n--\n");
  dir.Write("crm-2026-11-23.sql.enc", "Salted__" + std::string(32, 'x'));
  dir.Write("README.txt", "not a dump");
  BackupFacts facts = CollectBackupFacts(dir.path().string());
  ASSERT_EQ(facts.sources.size(), 1u);
  const BackupSourceFacts& folder = facts.sources[0];
  EXPECT_TRUE(folder.readable);
  EXPECT_EQ(folder.files, 2u);
  EXPECT_EQ(folder.unencrypted_files, 1u);
  EXPECT_EQ(folder.unencrypted_names, std::vector<std::string>{"crm-2026-11-24.sql"});
  ASSERT_EQ(folder.backups.size(), 2u) << "every dump is a full backup, dated by its mtime";
  EXPECT_EQ(folder.backups[0].type, "full");
  EXPECT_GT(folder.backups[0].stop_epoch, 0);
}

TEST(BackupReader, DumpFolderTellsReadableDumpsFromEncryptedContainers) {
  TempDir dir;
  auto write = [&](const std::string& name, const std::string& bytes) { dir.Write(name, bytes); };
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

  BackupSourceFacts source = ScanDumpFolder(dir.path().string());
  EXPECT_TRUE(source.readable);
  EXPECT_EQ(source.files, 12u);
  EXPECT_EQ(source.unencrypted_files, 6u);
  EXPECT_EQ(source.unrecognised_files, 1u);
  EXPECT_EQ(source.unencrypted_names,
            (std::vector<std::string>{"a-plain.sql", "b-create.sql", "c-custom.dump", "d-plain.zip",
                                      "e-plain.sql.gz", "f-archive.tar"}));

  // The fixed folder: only encrypted dumps (and the unknown one).
  for (const char* name : {"a-plain.sql", "b-create.sql", "c-custom.dump", "d-plain.zip",
                           "e-plain.sql.gz", "f-archive.tar"}) {
    std::filesystem::remove(dir.path() / name);
  }
  BackupSourceFacts fixed = ScanDumpFolder(dir.path().string());
  EXPECT_EQ(fixed.files, 6u);
  EXPECT_EQ(fixed.unencrypted_files, 0u);
  EXPECT_TRUE(fixed.unencrypted_names.empty());
  EXPECT_FALSE(ScanDumpFolder((dir.path() / "nope").string()).readable);
}

}  // namespace
}  // namespace crmaudit
