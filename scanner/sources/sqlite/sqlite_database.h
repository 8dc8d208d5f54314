// SqliteDatabase: one SQLite database file, read without ever writing to it or beside it.
//
// The file is opened as `file:PATH?mode=ro&immutable=1` with SQLITE_OPEN_READONLY |
// SQLITE_OPEN_URI: SQLite then takes no lock and never creates a -journal, -wal or -shm file,
// so a scan leaves the folder and the file exactly as they were (bytes, mtime, listing). The
// price of `immutable` is that SQLite trusts the file not to change: InspectSqliteFile looks
// first (without writing either) at what would make such a read wrong or incomplete — a file
// that is not SQLite (encrypted by SQLCipher, another program's .db, empty), another process
// holding SQLite's write lock, a write-ahead log or a rollback journal beside it — and the
// caller reports those in coverage.
//
// Reading streams each table or view into a RecordSink (sources/record_sink.h): INTEGER and
// REAL values as SQLite renders them as text, TEXT as UTF-8 (invalid bytes repaired and
// counted), a BLOB only when it is readable UTF-8 text (sources/sql/value_sniffer.h), otherwise
// counted as binary and not examined, like a PostgreSQL bytea. NULLs are skipped. Failures
// never throw: a result carries a reason that names the table and SQLite's generic error
// text (sqlite3_errstr), never a value. The sqlite3 header stays in the .cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scanner/model/coverage.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

// What a look at the file (header bytes, SQLite's lock bytes, the files beside it) found.
struct SqliteFileInspection {
  // Non-empty when the file cannot be read as a database: not found, unreadable, empty, not
  // SQLite (encrypted or another format), locked by a writer. One sentence, no data.
  std::string problem;
  // Reasons the read may miss or mix changes although it can be done (a -wal file holding
  // changes not yet in the database file, a hot rollback journal).
  std::vector<std::string> remarks;
  uint32_t change_counter = 0;  // the header's file change counter (offset 24)
  std::string text_encoding;    // "UTF-8", "UTF-16le" or "UTF-16be"
};

// Looks at `path` without writing anything (open O_RDONLY, read the 100-byte header, query the
// POSIX locks SQLite uses with F_GETLK, stat the -wal and -journal files).
SqliteFileInspection InspectSqliteFile(const std::filesystem::path& path);

// True when `head` starts with SQLite's 16-byte magic "SQLite format 3\0".
bool HasSqliteHeader(std::string_view head);

struct SqliteRelation {
  std::string name;
  bool view = false;
  // How reasons name it: the name with any value in it masked (set by the caller, which has
  // the policy); the name itself when empty.
  std::string shown;
};

struct SqliteReadOptions {
  uint64_t sample_rows = 1000;  // the first N rows; ignored with `full`
  bool full = false;
  // A statement running past either is interrupted (the relation's result says so).
  int statement_timeout_ms = 0;  // 0: none
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

struct SqliteRelationRead {
  CoverageStatus status = CoverageStatus::kScanned;
  uint64_t rows = 0;
  uint64_t bytes = 0;  // bytes of the values read
  bool sampled = false;
  std::string reason;          // empty when read completely as asked
  uint64_t invalid_bytes = 0;  // TEXT bytes that were not UTF-8, replaced by U+FFFD
  uint64_t binary_values = 0;  // BLOBs that were not readable text: counted, not examined
};

class SqliteDatabase {
 public:
  // Opens `path` read-only and immutable; nullptr with *reason set (SQLite's generic text)
  // when that fails. Call InspectSqliteFile first: opening does not check the header.
  static std::unique_ptr<SqliteDatabase> Open(const std::filesystem::path& path,
                                              std::string* reason);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Tables and views of the main schema, SQLite's own (sqlite_*) left out, sorted by name.
  // False with *reason when the schema cannot be read (a corrupt file).
  bool ListRelations(std::vector<SqliteRelation>* out, std::string* reason);

  // Rows of a table (count(*)), or -1 when it cannot be counted in time.
  int64_t CountRows(const SqliteRelation& relation, const SqliteReadOptions& options);

  SqliteRelationRead ReadRelation(const SqliteRelation& relation, const SqliteReadOptions& options,
                                  RecordSink& sink);

 private:
  struct Impl;
  explicit SqliteDatabase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The URI the file is opened with: "file:" + the absolute path percent-encoded +
// "?mode=ro&immutable=1" (exposed for tests).
std::string SqliteReadOnlyUri(const std::filesystem::path& path);

}  // namespace crmaudit
