// The SQLite reader on real database files: what it hands to the matchers (TEXT, numbers,
// readable BLOBs; not binary BLOBs or NULLs), repaired invalid UTF-8, sampling, and the look
// before opening (not SQLite, encrypted, empty, truncated, locked by a writer, a -wal or a hot
// journal beside it) — all without writing a byte in the database's folder. Garbage after a valid
// header must end in a reason, never a crash.
#include "scanner/sources/sqlite/sqlite_database.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "scanner/model/sql_identifier.h"
#include "tests/support/sqlite_fixture.h"
#include "tests/support/temp_folder.h"

namespace crmaudit {
namespace {

using testing::ExecSql;
using testing::FolderState;
using testing::SqliteWriter;

// A fresh folder per test, removed afterwards.
class Folder : public testing::TempFolder {
 public:
  Folder() : TempFolder("crmaudit-sqlite") {}
};

// Keeps every value it is given, per column name.
class RecordingSink : public RecordSink {
 public:
  size_t DeclareColumn(std::string_view name) override {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return i;
    }
    names.emplace_back(name);
    values.emplace_back();
    return names.size() - 1;
  }
  void Field(size_t column, std::string_view value) override { values[column].emplace_back(value); }
  void EndRecord() override { ++records; }
  std::vector<std::string> Column(const std::string& name) const {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return values[i];
    }
    return {};
  }
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> values;
  size_t records = 0;
};

std::unique_ptr<SqliteDatabase> OpenOrFail(const std::filesystem::path& path) {
  std::string reason;
  auto db = SqliteDatabase::Open(path, &reason);
  EXPECT_NE(db, nullptr) << reason;
  return db;
}

TEST(SqliteDatabase, ListsTablesAndViewsButNotSqlitesOwn) {
  Folder folder;
  ExecSql(folder / "crm.db", testing::kCrmSql);
  ExecSql(folder / "crm.db",
          "CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, x); ANALYZE;");  // sqlite_*
  auto db = OpenOrFail(folder / "crm.db");
  ASSERT_NE(db, nullptr);
  std::vector<SqliteRelation> relations;
  std::string reason;
  ASSERT_TRUE(db->ListRelations(&relations, &reason)) << reason;
  std::vector<std::string> names;
  for (const auto& r : relations) names.push_back(r.name + (r.view ? " (view)" : ""));
  EXPECT_EQ(names,
            (std::vector<std::string>{"account", "active_contact (view)", "contact",
                                      "email_address", "lead", "phone_number", "product", "seq"}));
}

TEST(SqliteDatabase, HandsOverTextNumbersAndReadableBlobsNotBinaryOrNull) {
  Folder folder;
  ExecSql(folder / "t.db",
          "CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n TEXT);"
          "INSERT INTO t VALUES (13800138000, 2.5, 'jane@example.com', X'00FF10203040', NULL);"
          "INSERT INTO t VALUES (NULL, NULL, '', CAST('note: call +44 20 7946 0958' AS BLOB), "
          "NULL);"
          // A TEXT value with an invalid byte (0xC3 cut short) and a lone 0xFF.
          "INSERT INTO t VALUES (1, 0.0, CAST(X'4D65657420696E20C3' AS TEXT), NULL, "
          "CAST(X'41FF42' AS TEXT));");
  auto db = OpenOrFail(folder / "t.db");
  ASSERT_NE(db, nullptr);
  RecordingSink sink;
  SqliteReadOptions options;
  options.full = true;
  const SqliteRelationRead read = db->ReadRelation({"t", false, ""}, options, sink);
  EXPECT_EQ(read.status, CoverageStatus::kScanned) << read.reason;
  EXPECT_EQ(read.rows, 3u);
  EXPECT_EQ(sink.records, 3u);
  EXPECT_EQ(sink.Column("i"), (std::vector<std::string>{"13800138000", "1"}));
  EXPECT_EQ(sink.Column("r"), (std::vector<std::string>{"2.5", "0.0"}));
  EXPECT_EQ(sink.Column("s"),
            (std::vector<std::string>{"jane@example.com", "Meet in \xEF\xBF\xBD"}));
  EXPECT_EQ(sink.Column("b"), (std::vector<std::string>{"note: call +44 20 7946 0958"}));
  EXPECT_EQ(sink.Column("n"), (std::vector<std::string>{"A\xEF\xBF\xBD"
                                                        "B"}));
  EXPECT_EQ(read.binary_values, 1u) << "the binary BLOB is counted, not examined";
  EXPECT_EQ(read.invalid_bytes, 2u);
}

TEST(SqliteDatabase, SamplesTheFirstRowsUnlessFull) {
  Folder folder;
  ExecSql(folder / "big.db",
          "CREATE TABLE t(v TEXT);"
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) "
          "INSERT INTO t SELECT 'row ' || i FROM n;");
  auto db = OpenOrFail(folder / "big.db");
  ASSERT_NE(db, nullptr);
  SqliteReadOptions options;
  options.sample_rows = 1000;
  RecordingSink sample;
  SqliteRelationRead read = db->ReadRelation({"t", false, ""}, options, sample);
  EXPECT_EQ(read.rows, 1000u);
  EXPECT_TRUE(read.sampled);
  options.full = true;
  RecordingSink all;
  read = db->ReadRelation({"t", false, ""}, options, all);
  EXPECT_EQ(read.rows, 2500u);
  EXPECT_FALSE(read.sampled);
  EXPECT_EQ(db->CountRows({"t", false, ""}, options), 2500);
}

TEST(SqliteDatabase, StatementTimeoutStopsARunawayView) {
  Folder folder;
  ExecSql(folder / "loop.db",
          "CREATE VIEW forever AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
          "SELECT count(*) AS c FROM n;");
  auto db = OpenOrFail(folder / "loop.db");
  ASSERT_NE(db, nullptr);
  SqliteReadOptions options;
  options.statement_timeout_ms = 200;
  RecordingSink sink;
  const SqliteRelationRead read = db->ReadRelation({"forever", true, ""}, options, sink);
  EXPECT_EQ(read.status, CoverageStatus::kError);
  EXPECT_NE(read.reason.find("--statement-timeout-ms (200 ms) expired while reading view "
                             "\"forever\""),
            std::string::npos)
      << read.reason;
}

TEST(SqliteDatabase, QuotesIdentifiersAndEscapesTheUri) {
  EXPECT_EQ(QuoteSqlIdent("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(SqliteReadOnlyUri("/tmp/a b/c?d#e%.db"),
            "file:/tmp/a%20b/c%3Fd%23e%25.db?mode=ro&immutable=1");
  Folder folder;
  ExecSql(folder / "odd ?#% name.db",
          "CREATE TABLE \"we\"\"ird\"(\"e-mail\" TEXT);"
          "INSERT INTO \"we\"\"ird\" VALUES ('x@example.com');");
  auto db = OpenOrFail(folder / "odd ?#% name.db");
  ASSERT_NE(db, nullptr);
  RecordingSink sink;
  const auto read = db->ReadRelation({"we\"ird", false, ""}, SqliteReadOptions{}, sink);
  EXPECT_EQ(read.status, CoverageStatus::kScanned) << read.reason;
  EXPECT_EQ(sink.Column("e-mail"), (std::vector<std::string>{"x@example.com"}));
}

TEST(SqliteInspection, NamesWhatIsNotADatabase) {
  Folder folder;
  folder.Write("empty.db", "");
  folder.Write("notes.db", "id,name\n1,Jane\n");
  std::string random(8192, '\0');
  std::mt19937 generator(7);
  for (char& c : random) c = static_cast<char>(generator() & 0xFF);
  folder.Write("cipher.db", random);  // what SQLCipher's output looks like
  folder.Write("short.db", std::string("SQLite format 3\0", 16) + "xx");
  auto problem = [&](const std::string& name) { return InspectSqliteFile(folder / name).problem; };
  EXPECT_EQ(problem("missing.db"), "target not found");
  EXPECT_NE(problem("empty.db").find("empty file"), std::string::npos);
  EXPECT_NE(problem("notes.db").find("not a SQLite database"), std::string::npos);
  EXPECT_NE(problem("cipher.db").find("SQLCipher"), std::string::npos) << problem("cipher.db");
  EXPECT_NE(problem("short.db").find("truncated"), std::string::npos);
  ExecSql(folder / "ok.db", "CREATE TABLE t(x);");
  const SqliteFileInspection ok = InspectSqliteFile(folder / "ok.db");
  EXPECT_EQ(ok.problem, "");
  EXPECT_TRUE(ok.remarks.empty());
  EXPECT_EQ(ok.text_encoding, "UTF-8");
  EXPECT_TRUE(HasSqliteHeader(std::string("SQLite format 3\0", 16)));
}

TEST(SqliteInspection, SeesAnotherProcesssWriteLockAndItsLog) {
  Folder folder;
  ExecSql(folder / "crm.db", testing::kCrmSql);
  {
    SqliteWriter writer(folder / "crm.db", SqliteWriter::Mode::kExclusiveLock);
    const auto state = FolderState(folder.path());
    const SqliteFileInspection locked = InspectSqliteFile(folder / "crm.db");
    EXPECT_NE(locked.problem.find("locked: another process is writing"), std::string::npos)
        << locked.problem;
    EXPECT_EQ(FolderState(folder.path()), state);
  }
  // The writer was killed before committing: its journal's header is still zero (the database
  // file was not touched yet), so it is no hot journal, as SQLite itself judges.
  ASSERT_TRUE(std::filesystem::exists(folder / "crm.db-journal"));
  EXPECT_TRUE(InspectSqliteFile(folder / "crm.db").remarks.empty());
  // Killed during the commit: the journal carries its magic, the database file may be half
  // written, and the read says so.
  auto write_header = [&](const std::string& bytes) {
    std::fstream journal(folder / "crm.db-journal",
                         std::ios::in | std::ios::out | std::ios::binary);
    journal.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  };
  write_header("\xd9\xd5\x05\xf9\x20\xa1\x63\xd7");
  const SqliteFileInspection crashed = InspectSqliteFile(folder / "crm.db");
  EXPECT_EQ(crashed.problem, "");
  ASSERT_EQ(crashed.remarks.size(), 1u);
  EXPECT_NE(crashed.remarks[0].find("crm.db-journal"), std::string::npos);
  write_header(std::string(8, '\0'));  // journal_mode=PERSIST after a commit: not hot
  EXPECT_TRUE(InspectSqliteFile(folder / "crm.db").remarks.empty());
  ExecSql(folder / "wal.db", testing::kCrmSql);
  SqliteWriter writer(folder / "wal.db", SqliteWriter::Mode::kOpenWal);
  const auto state = FolderState(folder.path());
  const SqliteFileInspection wal = InspectSqliteFile(folder / "wal.db");
  EXPECT_EQ(wal.problem, "");
  ASSERT_EQ(wal.remarks.size(), 1u);
  EXPECT_NE(wal.remarks[0].find("wal.db-wal"), std::string::npos);
  // Reading the database itself still works and writes nothing beside it.
  auto db = OpenOrFail(folder / "wal.db");
  ASSERT_NE(db, nullptr);
  RecordingSink sink;
  SqliteReadOptions options;
  options.full = true;
  const auto read = db->ReadRelation({"product", false, ""}, options, sink);
  EXPECT_EQ(read.status, CoverageStatus::kScanned) << read.reason;
  EXPECT_EQ(read.rows, 4u) << "the row only in the log is not seen";
  db.reset();
  EXPECT_EQ(FolderState(folder.path()), state);
}

// A valid header followed by garbage, and databases cut short: never a crash, always a reason.
TEST(SqliteDatabase, GarbageAndTruncationEndInAReason) {
  Folder folder;
  ExecSql(folder / "crm.db", testing::kCrmSql);
  std::ifstream in(folder / "crm.db", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 4096u);
  std::mt19937 generator(11);
  std::vector<std::string> variants;
  variants.push_back(bytes.substr(0, bytes.size() / 2));
  variants.push_back(bytes.substr(0, 150));
  for (int i = 0; i < 40; ++i) {
    std::string damaged = bytes;
    for (int j = 0; j < 64; ++j) {
      damaged[100 + generator() % (damaged.size() - 100)] = static_cast<char>(generator());
    }
    variants.push_back(std::move(damaged));
  }
  int failures = 0;
  for (size_t v = 0; v < variants.size(); ++v) {
    const std::string name = "damaged" + std::to_string(v) + ".db";
    folder.Write(name, variants[v]);
    ASSERT_EQ(InspectSqliteFile(folder / name).problem, "");
    std::string reason;
    auto db = SqliteDatabase::Open(folder / name, &reason);
    if (!db) continue;
    std::vector<SqliteRelation> relations;
    if (!db->ListRelations(&relations, &reason)) {
      EXPECT_FALSE(reason.empty());
      ++failures;
      continue;
    }
    SqliteReadOptions options;
    options.full = true;
    for (const auto& relation : relations) {
      RecordingSink sink;
      const auto read = db->ReadRelation(relation, options, sink);
      if (read.status != CoverageStatus::kScanned) {
        EXPECT_FALSE(read.reason.empty());
        ++failures;
      }
    }
  }
  EXPECT_GT(failures, 0) << "damage that SQLite notices is reported";
}

}  // namespace
}  // namespace crmaudit
