// MysqlSession: one polite, read-only connection to a MySQL or MariaDB server.
//
// Opened through MariaDB Connector/C with: the connection character set utf8mb4 (the server
// converts latin1, gbk… columns, so every text value arrives as UTF-8), the connect attribute
// program_name=crmaudit (visible in performance_schema.session_connect_attrs), connect, read
// and write timeouts (no unbounded wait), LOCAL INFILE off, a packet limit that bounds the
// memory one row may take (kMaxRowBytes), and, once connected: `SET SESSION TRANSACTION READ
// ONLY`, the statement time limit (max_statement_time on MariaDB, max_execution_time on MySQL)
// from statement_timeout_ms, and lock_wait_timeout / innodb_lock_wait_timeout from
// lock_timeout_ms. Nothing is ever written: every table is read inside `START TRANSACTION READ
// ONLY`, and the session itself refuses writes.
//
// Failures are MysqlFailure values whose Describe() names the endpoint, the account or the
// error class, never a value, never the password. With a scan deadline no wait outlives it.
// A session is used by one thread at a time. libmariadb's header stays in the .cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "scanner/model/sql_identifier.h"  // QuoteMysqlIdent, for statements on a session
#include "scanner/sources/mysql/mysql_uri.h"
#include "scanner/sources/mysql/sql_query.h"

namespace crmaudit {

enum class MysqlFailureKind {
  kNone,
  kConnectFailed,   // no connection at all: `code` and the endpoint say why
  kPermission,      // 1142, 1143, 1044, 1227…
  kMissing,         // 1146, 1049: dropped during the scan
  kTimeout,         // the statement time limit
  kLockTimeout,     // 1205 lock_wait_timeout
  kConnectionLost,  // 2006, 2013, killed, server shutdown
  kRowTooLarge,     // a row bigger than kMaxRowBytes
  kScanTimeout,     // the whole scan's --timeout expired
  kOther,
};

struct MysqlFailure {
  MysqlFailureKind kind = MysqlFailureKind::kNone;
  unsigned code = 0;     // the server's or the client library's error number
  std::string endpoint;  // with kConnectFailed: DescribeEndpoint()
  std::string user;      // with kConnectFailed: the account tried (no password)
  // A sentence fit for a report and stderr: what happened, never a value or the password.
  std::string Describe() const;
};

struct MysqlSessionSettings {
  int statement_timeout_ms = 30000;  // 0: none
  int lock_timeout_ms = 1000;
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

// A row the reader will take at most (the client's max_allowed_packet): a bigger one ends the
// table's read with kRowTooLarge instead of growing memory.
constexpr unsigned long kMaxRowBytes = 64ul << 20;

class MysqlSession : public SqlQuery {
 public:
  static std::unique_ptr<MysqlSession> Open(const MysqlConnectOptions& options,
                                            const MysqlSessionSettings& settings,
                                            MysqlFailure* failure);
  ~MysqlSession() override;
  MysqlSession(const MysqlSession&) = delete;
  MysqlSession& operator=(const MysqlSession&) = delete;

  // SqlQuery: one statement, all rows buffered (small fact queries).
  SqlRows Run(std::string_view sql) override;

  // One statement without rows ("START TRANSACTION READ ONLY", "COMMIT").
  bool Execute(const std::string& sql, MysqlFailure* failure);

  // Streams the rows of one SELECT unbuffered (mysql_use_result): memory holds one row at a
  // time. `on_row` gets the row's values (nullptr = SQL NULL) and their byte lengths. When a
  // deadline is near, the statement's time limit is cut to the time left. *bytes counts the
  // bytes received (each value plus one separator), a row's before `on_row` gets it. False on
  // failure (*failure filled; rows already delivered stay delivered).
  // `paced`: the caller waits between rows (a throttle), so the read lasts as long as its pace
  // makes it: the statement time limit does not apply, only the scan's deadline (the time left).
  using RowCallback = std::function<void(const char* const* values, const unsigned long* lengths)>;
  bool Stream(const std::string& select, const RowCallback& on_row, uint64_t* bytes,
              MysqlFailure* failure, bool paced = false);

  bool is_open() const;
  unsigned long connection_id() const;
  bool is_mariadb() const { return mariadb_; }
  std::string server_version() const;
  // Whether this connection itself is encrypted, and whether it goes over TCP.
  bool uses_tls() const;
  bool over_tcp() const;
  std::string current_database() const;
  const MysqlSessionSettings& settings() const { return settings_; }
  const std::string& endpoint() const { return endpoint_; }

  struct Impl;

 private:
  MysqlSession(std::unique_ptr<Impl> impl, MysqlSessionSettings settings);
  MysqlFailure LastFailure() const;
  std::unique_ptr<Impl> impl_;
  MysqlSessionSettings settings_;
  std::string endpoint_;
  bool mariadb_ = true;
};

}  // namespace crmaudit
