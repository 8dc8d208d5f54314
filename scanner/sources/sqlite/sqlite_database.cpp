#include "scanner/sources/sqlite/sqlite_database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "scanner/model/sql_identifier.h"
#include "scanner/model/unique_fd.h"
#include "scanner/model/utf8.h"
#include "scanner/sources/sql/value_sniffer.h"

namespace crmaudit {

namespace {

constexpr std::string_view kMagic("SQLite format 3\0", 16);

// SQLite's POSIX lock bytes (os_unix.c): PENDING at 1 GiB, RESERVED after it, then the
// 510-byte SHARED range. A writer holds a write lock on one of them; readers only read locks.
constexpr off_t kPendingByte = 0x40000000;
constexpr off_t kLockBytes = 2 + 510;

uint32_t BigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

uint64_t FileSize(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<uint64_t>(st.st_size);
}

// A rollback journal still holding a transaction starts with SQLite's journal magic; one
// left empty (journal_mode=TRUNCATE) or with its header zeroed (PERSIST) is not hot.
bool IsHotJournal(const std::string& journal) {
  static constexpr unsigned char kJournalMagic[] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};
  const int fd = ::open(journal.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return false;
  unsigned char head[sizeof kJournalMagic] = {};
  struct stat st {};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  const bool hot = regular && ::pread(fd, head, sizeof head, 0) == sizeof head &&
                   std::memcmp(head, kJournalMagic, sizeof head) == 0;
  ::close(fd);
  return hot;
}

// Interrupts a statement that runs past its limit (SQLITE_INTERRUPT), so that a view over a
// runaway query or a huge table cannot hold the scan past --statement-timeout-ms / --timeout.
struct StatementLimit {
  std::optional<std::chrono::steady_clock::time_point> at;
  bool scan_deadline = false;  // the limit is the scan's --timeout, not the statement's
  bool reached = false;

  static int Check(void* self) {
    auto* limit = static_cast<StatementLimit*>(self);
    if (limit->at && std::chrono::steady_clock::now() >= *limit->at) {
      limit->reached = true;
      return 1;
    }
    return 0;
  }
};

StatementLimit LimitFor(const SqliteReadOptions& options) {
  StatementLimit limit;
  if (options.statement_timeout_ms > 0) {
    limit.at =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options.statement_timeout_ms);
  }
  if (options.deadline && (!limit.at || *options.deadline <= *limit.at)) {
    limit.at = options.deadline;
    limit.scan_deadline = true;
  }
  return limit;
}

std::string Describe(const SqliteRelation& relation) {
  return (relation.view ? "view " : "table ") +
         QuoteSqlIdent(relation.shown.empty() ? relation.name : relation.shown);
}

}  // namespace

bool HasSqliteHeader(std::string_view head) { return head.substr(0, kMagic.size()) == kMagic; }

std::string SqliteReadOnlyUri(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) absolute = path;
  // Everything but unreserved characters and '/' is percent-encoded: '?', '#' and '%' would
  // otherwise start the query, a fragment or an escape.
  static const char* kHex = "0123456789ABCDEF";
  std::string uri = "file:";
  for (unsigned char c : absolute.string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri + "?mode=ro&immutable=1";
}

SqliteFileInspection InspectSqliteFile(const std::filesystem::path& path) {
  SqliteFileInspection out;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    out.problem = errno == ENOENT ? "target not found"
                                  : std::string("cannot read the file: ") + std::strerror(errno);
    return out;
  }
  if (!S_ISREG(st.st_mode)) {
    out.problem = "not a regular file, so not a SQLite database";
    return out;
  }
  // O_NONBLOCK and the type check: a file swapped for a FIFO since the stat must not block.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  struct stat opened {};
  if (fd.get() < 0) {
    out.problem = errno == EACCES ? "permission denied: cannot open the database file for reading"
                                  : std::string("cannot open the file: ") + std::strerror(errno);
    return out;
  }
  if (::fstat(fd.get(), &opened) != 0 || !S_ISREG(opened.st_mode)) {
    out.problem = "not a regular file, so not a SQLite database";
    return out;
  }
  unsigned char head[4096];
  const ssize_t n = ::pread(fd.get(), head, sizeof head, 0);
  if (n < 0) {
    out.problem = std::string("cannot read the file: ") + std::strerror(errno);
    return out;
  }
  const std::string_view bytes(reinterpret_cast<const char*>(head), static_cast<size_t>(n));
  if (bytes.empty()) {
    out.problem = "empty file (0 bytes): no SQLite database in it";
    return out;
  }
  if (!HasSqliteHeader(bytes)) {
    // SQLCipher and its kind encrypt the whole file, header included: random bytes.
    if (bytes.size() >= 512 && ByteEntropy(bytes) >= 7.0) {
      out.problem =
          "not readable as SQLite: the file does not start with SQLite's header and its bytes "
          "look random, as a database encrypted by SQLCipher (or a similar extension) does; "
          "its contents were not scanned";
    } else {
      out.problem =
          "not a SQLite database: the file does not start with SQLite's header (\"SQLite format "
          "3\"): another program's file, or a damaged one";
    }
    return out;
  }
  if (bytes.size() < 100) {
    out.problem = "truncated: shorter than SQLite's 100-byte header";
    return out;
  }
  out.change_counter = BigEndian32(head + 24);
  switch (BigEndian32(head + 56)) {
    case 2:
      out.text_encoding = "UTF-16le";
      break;
    case 3:
      out.text_encoding = "UTF-16be";
      break;
    default:
      out.text_encoding = "UTF-8";
  }
  // Asks, without taking it, whether a read lock on SQLite's lock bytes would be refused:
  // only a writer's lock (RESERVED, PENDING or EXCLUSIVE) conflicts with it. Locks held by
  // this process are not seen, which is fine: crmaudit itself never writes.
  struct flock lock {};
  lock.l_type = F_RDLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = kPendingByte;
  lock.l_len = kLockBytes;
  const bool locked = ::fcntl(fd.get(), F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  const std::string name = path.filename().string();
  if (locked) {
    out.problem =
        "locked: another process is writing to the database (it holds SQLite's write lock); "
        "not read, since a read during the write could mix old and new pages: scan again when "
        "the writer is done, or scan a copy";
    return out;
  }
  if (FileSize(path.string() + "-wal") > 0) {
    out.remarks.push_back("the write-ahead log " + name +
                          "-wal beside the database holds changes not yet copied into it (a "
                          "connection has it open, or one ended without a checkpoint): they "
                          "were not read, since reading the log would write beside the database");
  }
  if (IsHotJournal(path.string() + "-journal")) {
    out.remarks.push_back("a rollback journal " + name +
                          "-journal is beside the database: a write was interrupted and not "
                          "rolled back, so pages read may hold part of that write");
  }
  return out;
}

struct SqliteDatabase::Impl {
  sqlite3* db = nullptr;
  ~Impl() { sqlite3_close(db); }

  // Prepares `sql` with `limit` watching it; nullptr with *reason on failure.
  sqlite3_stmt* Prepare(const std::string& sql, StatementLimit* limit, int* rc) {
    sqlite3_progress_handler(db, 1000, &StatementLimit::Check, limit);
    sqlite3_stmt* statement = nullptr;
    *rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &statement, nullptr);
    if (*rc != SQLITE_OK) {
      Done(statement);
      return nullptr;
    }
    return statement;
  }
  void Done(sqlite3_stmt* statement) {
    sqlite3_finalize(statement);
    sqlite3_progress_handler(db, 0, nullptr, nullptr);
  }
};

SqliteDatabase::SqliteDatabase(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteDatabase::~SqliteDatabase() = default;

std::unique_ptr<SqliteDatabase> SqliteDatabase::Open(const std::filesystem::path& path,
                                                     std::string* reason) {
  auto impl = std::make_unique<Impl>();
  const std::string uri = SqliteReadOnlyUri(path);
  const int rc =
      sqlite3_open_v2(uri.c_str(), &impl->db,
                      SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    *reason = std::string("cannot open the database: ") + sqlite3_errstr(rc);
    return nullptr;
  }
  sqlite3_extended_result_codes(impl->db, 1);
  // A database from an untrusted folder must not run anything but its own plain SQL: no
  // functions with side effects from its schema, no corruption-prone writes to its schema.
  sqlite3_db_config(impl->db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA
  sqlite3_db_config(impl->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
#endif
  sqlite3_exec(impl->db, "PRAGMA cell_size_check=ON", nullptr, nullptr, nullptr);
  return std::unique_ptr<SqliteDatabase>(new SqliteDatabase(std::move(impl)));
}

bool SqliteDatabase::ListRelations(std::vector<SqliteRelation>* out, std::string* reason) {
  StatementLimit none;
  int rc = SQLITE_OK;
  sqlite3_stmt* statement = impl_->Prepare(
      "SELECT name, type FROM main.sqlite_master WHERE type IN ('table', 'view') AND name NOT "
      "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
      &none, &rc);
  if (statement == nullptr) {
    *reason = std::string("cannot read the database's schema: ") + sqlite3_errstr(rc);
    return false;
  }
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    SqliteRelation relation;
    const auto* name = sqlite3_column_text(statement, 0);
    const auto* type = sqlite3_column_text(statement, 1);
    if (name == nullptr) continue;
    relation.name.assign(reinterpret_cast<const char*>(name),
                         static_cast<size_t>(sqlite3_column_bytes(statement, 0)));
    relation.view =
        type != nullptr && std::strcmp(reinterpret_cast<const char*>(type), "view") == 0;
    out->push_back(std::move(relation));
  }
  impl_->Done(statement);
  if (rc != SQLITE_DONE) {
    *reason = std::string("cannot read the database's schema: ") + sqlite3_errstr(rc);
    return false;
  }
  return true;
}

int64_t SqliteDatabase::CountRows(const SqliteRelation& relation,
                                  const SqliteReadOptions& options) {
  if (relation.view) return -1;  // a view may be any query: counting it could cost a full read
  StatementLimit limit = LimitFor(options);
  int rc = SQLITE_OK;
  sqlite3_stmt* statement =
      impl_->Prepare("SELECT count(*) FROM main." + QuoteSqlIdent(relation.name), &limit, &rc);
  if (statement == nullptr) return -1;
  int64_t rows = -1;
  if (sqlite3_step(statement) == SQLITE_ROW) rows = sqlite3_column_int64(statement, 0);
  impl_->Done(statement);
  return rows;
}

SqliteRelationRead SqliteDatabase::ReadRelation(const SqliteRelation& relation,
                                                const SqliteReadOptions& options,
                                                RecordSink& sink) {
  SqliteRelationRead result;
  const std::string what = Describe(relation);
  std::string sql = "SELECT * FROM main." + QuoteSqlIdent(relation.name);
  if (!options.full) sql += " LIMIT " + std::to_string(options.sample_rows);
  StatementLimit limit = LimitFor(options);
  int rc = SQLITE_OK;
  sqlite3_stmt* statement = impl_->Prepare(sql, &limit, &rc);
  if (statement == nullptr) {
    result.status = CoverageStatus::kError;
    result.reason = "could not read " + what + ": " + sqlite3_errstr(rc);
    return result;
  }
  const int columns = sqlite3_column_count(statement);
  std::vector<size_t> indexes;
  for (int i = 0; i < columns; ++i) {
    const char* name = sqlite3_column_name(statement, i);
    indexes.push_back(sink.DeclareColumn(name != nullptr ? std::string_view(name)
                                                         : "column_" + std::to_string(i + 1)));
  }
  std::string repaired;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    for (int i = 0; i < columns; ++i) {
      const int type = sqlite3_column_type(statement, i);
      if (type == SQLITE_NULL) continue;
      if (type == SQLITE_BLOB) {
        const void* blob = sqlite3_column_blob(statement, i);
        const auto size = static_cast<size_t>(sqlite3_column_bytes(statement, i));
        result.bytes += size;
        const std::string_view value(static_cast<const char*>(blob), blob ? size : 0);
        // Like a bytea: readable UTF-8 text is examined, anything else is binary data.
        if (SniffBinary(value) == BinaryForm::kReadableText) {
          sink.Field(indexes[static_cast<size_t>(i)], value);
        } else if (!value.empty()) {
          ++result.binary_values;
        }
        continue;
      }
      // INTEGER and REAL come out as SQLite renders them; TEXT as UTF-8.
      const auto* text = sqlite3_column_text(statement, i);
      const auto size = static_cast<size_t>(sqlite3_column_bytes(statement, i));
      if (text == nullptr || size == 0) continue;
      result.bytes += size;
      const std::string_view value(reinterpret_cast<const char*>(text), size);
      if (IsValidUtf8(value)) {
        sink.Field(indexes[static_cast<size_t>(i)], value);
      } else {
        repaired = RepairUtf8(value, &result.invalid_bytes);
        sink.Field(indexes[static_cast<size_t>(i)], repaired);
      }
    }
    sink.EndRecord();
    ++result.rows;
  }
  impl_->Done(statement);
  if (rc != SQLITE_DONE) {
    result.status = result.rows > 0 ? CoverageStatus::kPartial : CoverageStatus::kError;
    const std::string after = " after " + std::to_string(result.rows) + " rows";
    if (limit.reached && limit.scan_deadline) {
      result.reason = "stopped: the scan's --timeout expired while reading " + what + after;
    } else if (limit.reached) {
      result.reason = "stopped: --statement-timeout-ms (" +
                      std::to_string(options.statement_timeout_ms) + " ms) expired while reading " +
                      what + after;
    } else {
      result.reason = std::string(sqlite3_errstr(rc)) + " while reading " + what + after;
    }
    return result;
  }
  if (!options.full && result.rows >= options.sample_rows) result.sampled = true;
  return result;
}

}  // namespace crmaudit
