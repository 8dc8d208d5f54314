#include "scanner/sources/mysql/mysql_session.h"

#include <mysql.h>
#include <mysqld_error.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace crmaudit {

struct MysqlSession::Impl {
  MYSQL* mysql = nullptr;
  bool open = false;
  ~Impl() {
    if (mysql != nullptr) mysql_close(mysql);
  }
};

namespace {

using Clock = std::chrono::steady_clock;

// Client library error numbers (errmsg.h), spelled out to keep that header out.
constexpr unsigned kCrConnectionError = 2002;  // socket: nothing listening
constexpr unsigned kCrConnHostError = 2003;    // TCP: refused or timed out
constexpr unsigned kCrUnknownHost = 2005;
constexpr unsigned kCrServerGone = 2006;
constexpr unsigned kCrServerLost = 2013;
constexpr unsigned kCrNetPacketTooLarge = 2020;
constexpr unsigned kCrSslConnectionError = 2026;
constexpr unsigned kCrAuthPluginCannotLoad = 2059;
constexpr unsigned kCrServerLostExtended = 2055;
// Server error numbers that differ between MariaDB and MySQL.
constexpr unsigned kErMariaStatementTimeout = 1969;
constexpr unsigned kErMysqlQueryTimeout = 3024;
constexpr unsigned kErConnectionKilled = 1927;
constexpr unsigned kErClientIdleTimeout = 4031;

MysqlFailureKind Classify(unsigned code) {
  switch (code) {
    case ER_DBACCESS_DENIED_ERROR:
    case ER_TABLEACCESS_DENIED_ERROR:
    case ER_COLUMNACCESS_DENIED_ERROR:
    case ER_SPECIFIC_ACCESS_DENIED_ERROR:
    case ER_ACCESS_DENIED_ERROR:
    case ER_PROCACCESS_DENIED_ERROR:
    case ER_VIEW_NO_EXPLAIN:
      return MysqlFailureKind::kPermission;
    case ER_NO_SUCH_TABLE:
    case ER_BAD_DB_ERROR:
    case ER_VIEW_INVALID:
      return MysqlFailureKind::kMissing;
    case ER_LOCK_WAIT_TIMEOUT:
      return MysqlFailureKind::kLockTimeout;
    case kErMariaStatementTimeout:
    case kErMysqlQueryTimeout:
    case ER_QUERY_INTERRUPTED:
      return MysqlFailureKind::kTimeout;
    case kCrServerGone:
    case kCrServerLost:
    case kCrServerLostExtended:
    case kErConnectionKilled:
    case ER_SERVER_SHUTDOWN:
    case kErClientIdleTimeout:
      return MysqlFailureKind::kConnectionLost;
    case kCrNetPacketTooLarge:
    case ER_NET_PACKET_TOO_LARGE:
      return MysqlFailureKind::kRowTooLarge;
    default:
      return MysqlFailureKind::kOther;
  }
}

std::string ConnectCause(const MysqlFailure& f) {
  const std::string account = f.user.empty() ? "the account" : "user '" + f.user + "'";
  switch (f.code) {
    case ER_ACCESS_DENIED_ERROR:
      return "access denied for " + account + " (wrong password, or no such account for this host)";
    case ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
      return "access denied for " + account +
             " (the account authenticates otherwise, e.g. by Unix socket peer)";
    case ER_DBACCESS_DENIED_ERROR:
      return account + " may not use the database named in the URI";
    case ER_BAD_DB_ERROR:
      return "the database named in the URI does not exist";
    case kCrConnectionError:
      return "no server listening (socket missing, or connection refused)";
    case kCrConnHostError:
      return "the server cannot be reached (connection refused or timed out)";
    case kCrUnknownHost:
      return "unknown host";
    case kCrServerLost:
    case kCrServerGone:
      return "the server closed the connection during the handshake (connect timeout, or a "
             "proxy/TLS mismatch)";
    case kCrSslConnectionError:
      return "TLS could not be established (the server offers no TLS, or its certificate was "
             "not accepted by the ssl-mode)";
    case kCrAuthPluginCannotLoad:
      return "the account's authentication plugin is not available in this client";
    case ER_CON_COUNT_ERROR:
    case ER_TOO_MANY_USER_CONNECTIONS:
      return "too many connections";
    case ER_HOST_IS_BLOCKED:
      return "this host is blocked by the server (max_connect_errors)";
    case ER_HOST_NOT_PRIVILEGED:
      return "this host may not connect to the server";
    default:
      return "error " + std::to_string(f.code);
  }
}

std::string Code(unsigned code) {
  return code == 0 ? std::string() : " (error " + std::to_string(code) + ")";
}

unsigned SecondsUp(int ms) { return static_cast<unsigned>(std::max(1, (ms + 999) / 1000)); }

// Milliseconds left before the deadline (at least 1), or nullopt without one.
std::optional<int> MillisLeft(const MysqlSessionSettings& settings) {
  if (!settings.deadline) return std::nullopt;
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(*settings.deadline - Clock::now())
          .count();
  return static_cast<int>(std::clamp<long long>(left, 1, 24LL * 3600 * 1000));
}

}  // namespace

std::string MysqlFailure::Describe() const {
  switch (kind) {
    case MysqlFailureKind::kNone:
      return {};
    case MysqlFailureKind::kConnectFailed:
      return "could not connect to " + endpoint + ": " + ConnectCause(*this);
    case MysqlFailureKind::kPermission:
      return "permission denied" + Code(code);
    case MysqlFailureKind::kMissing:
      return "the object no longer exists (dropped during the scan?)" + Code(code);
    case MysqlFailureKind::kTimeout:
      return "the statement time limit was reached (--statement-timeout-ms)" + Code(code);
    case MysqlFailureKind::kLockTimeout:
      return "lock_wait_timeout reached" + Code(code);
    case MysqlFailureKind::kConnectionLost:
      return "the connection to the server was lost (killed, or the server went away)" + Code(code);
    case MysqlFailureKind::kRowTooLarge:
      return "a row is larger than the reader's limit of " + std::to_string(kMaxRowBytes >> 20) +
             " MiB" + Code(code);
    case MysqlFailureKind::kScanTimeout:
      return "the scan's --timeout expired";
    case MysqlFailureKind::kOther:
      return "the server reported an error" + Code(code);
  }
  return {};
}

MysqlSession::MysqlSession(std::unique_ptr<Impl> impl, MysqlSessionSettings settings)
    : impl_(std::move(impl)), settings_(std::move(settings)) {}

MysqlSession::~MysqlSession() = default;

std::unique_ptr<MysqlSession> MysqlSession::Open(const MysqlConnectOptions& options,
                                                 const MysqlSessionSettings& settings,
                                                 MysqlFailure* failure) {
  *failure = {};
  failure->endpoint = DescribeEndpoint(options);
  failure->user = options.user;
  std::optional<int> left = MillisLeft(settings);
  if (settings.deadline && Clock::now() >= *settings.deadline) {
    failure->kind = MysqlFailureKind::kScanTimeout;
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  impl->mysql = mysql_init(nullptr);
  if (impl->mysql == nullptr) {
    failure->kind = MysqlFailureKind::kConnectFailed;
    failure->code = 2008;  // CR_OUT_OF_MEMORY
    return nullptr;
  }
  MYSQL* m = impl->mysql;
  // Option files first (the [client] group of ~/.my.cnf, or the one file named): values the
  // URI gives are passed to mysql_real_connect below and win over them.
  if (!options.defaults_file.empty()) {
    mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, options.defaults_file.c_str());
  }
  mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, "client");
  unsigned connect_timeout = static_cast<unsigned>(std::max(1, options.connect_timeout_s));
  if (left) connect_timeout = std::min(connect_timeout, SecondsUp(*left));
  // The read timeout only guards against a server that stops answering: the statement time
  // limit ends slow statements on the server first.
  unsigned read_timeout =
      settings.statement_timeout_ms > 0 ? SecondsUp(settings.statement_timeout_ms) + 30 : 3600;
  if (left) read_timeout = std::min(read_timeout, SecondsUp(*left) + 5);
  const unsigned write_timeout = 60;
  mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout);
  mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  unsigned int no_local_infile = 0;
  mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &no_local_infile);
  unsigned long max_packet = kMaxRowBytes;
  mysql_optionsv(m, MYSQL_OPT_MAX_ALLOWED_PACKET, &max_packet);
  mysql_optionsv(m, MYSQL_OPT_CONNECT_ATTR_ADD, "program_name", "crmaudit");
  my_bool yes = 1, no = 0;
  switch (options.ssl_mode) {
    case MysqlSslMode::kDefault:
    case MysqlSslMode::kDisabled:
      break;
    case MysqlSslMode::kPreferred:
      // Connector/C then uses TLS when the server offers it, and plain text otherwise.
      mysql_ssl_set(m, nullptr, nullptr, nullptr, nullptr, nullptr);
      break;
    case MysqlSslMode::kRequired:
      mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &yes);
      mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &no);
      break;
    case MysqlSslMode::kVerifyCa:
    case MysqlSslMode::kVerifyIdentity:
      // Connector/C verifies the chain and the host name together: VERIFY_CA is as strict as
      // VERIFY_IDENTITY here.
      mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &yes);
      mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
      break;
  }
  if (!options.ssl_ca.empty()) mysql_optionsv(m, MYSQL_OPT_SSL_CA, options.ssl_ca.c_str());
  if (!options.ssl_capath.empty()) {
    mysql_optionsv(m, MYSQL_OPT_SSL_CAPATH, options.ssl_capath.c_str());
  }
  if (!options.ssl_cert.empty()) mysql_optionsv(m, MYSQL_OPT_SSL_CERT, options.ssl_cert.c_str());
  if (!options.ssl_key.empty()) mysql_optionsv(m, MYSQL_OPT_SSL_KEY, options.ssl_key.c_str());
  if (options.ssl_mode == MysqlSslMode::kDisabled) {
    // Also against an option file that asks for TLS.
    mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &no);
  }
  auto or_null = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
  const char* password = options.password ? options.password->c_str() : nullptr;
  if (mysql_real_connect(m, or_null(options.host), or_null(options.user), password,
                         or_null(options.database), options.port, or_null(options.socket),
                         0) == nullptr) {
    failure->kind = MysqlFailureKind::kConnectFailed;
    failure->code = mysql_errno(m);
    if (settings.deadline && Clock::now() >= *settings.deadline) {
      failure->kind = MysqlFailureKind::kScanTimeout;
    }
    return nullptr;
  }
  impl->open = true;
  std::unique_ptr<MysqlSession> session(new MysqlSession(std::move(impl), settings));
  session->endpoint_ = failure->endpoint;
  session->mariadb_ = std::string(mysql_get_server_info(m)).find("MariaDB") != std::string::npos;
  // Connector/C enforces TLS before authenticating only when it verifies the certificate; with
  // REQUIRED against a server without TLS it carries on in clear. Refused here instead (the
  // password itself was not sent: the usual plugins send a scramble).
  if (options.ssl_mode == MysqlSslMode::kRequired && session->over_tcp() && !session->uses_tls()) {
    failure->kind = MysqlFailureKind::kConnectFailed;
    failure->code = kCrSslConnectionError;
    return nullptr;
  }
  // An option file's default-character-set could have replaced ours.
  if (std::string(mysql_character_set_name(m)) != "utf8mb4" &&
      mysql_set_character_set(m, "utf8mb4") != 0) {
    *failure = session->LastFailure();
    return nullptr;
  }
  const unsigned lock_s = SecondsUp(settings.lock_timeout_ms);
  std::string setup = "SET SESSION lock_wait_timeout = " + std::to_string(lock_s);
  setup += ", SESSION innodb_lock_wait_timeout = " + std::to_string(lock_s);
  // A slow reader (matching big rows) must not make the server give up on sending them.
  setup += ", SESSION net_write_timeout = 600";
  if (session->mariadb_) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", settings.statement_timeout_ms / 1000.0);
    setup += std::string(", SESSION max_statement_time = ") + seconds;
  } else {
    setup += ", SESSION max_execution_time = " + std::to_string(settings.statement_timeout_ms);
  }
  // SET SESSION TRANSACTION is its own statement in MySQL's grammar.
  if (!session->Execute("SET SESSION TRANSACTION READ ONLY", failure) ||
      !session->Execute(setup, failure)) {
    if (failure->kind == MysqlFailureKind::kConnectionLost ||
        failure->kind == MysqlFailureKind::kNone) {
      failure->kind = MysqlFailureKind::kConnectFailed;
    }
    failure->endpoint = session->endpoint_;
    failure->user = options.user;
    return nullptr;
  }
  *failure = {};
  return session;
}

MysqlFailure MysqlSession::LastFailure() const {
  MysqlFailure failure;
  failure.code = mysql_errno(impl_->mysql);
  failure.kind = Classify(failure.code);
  if (failure.code == 0) failure.kind = MysqlFailureKind::kOther;
  if (failure.kind == MysqlFailureKind::kConnectionLost) impl_->open = false;
  if (settings_.deadline && Clock::now() >= *settings_.deadline &&
      (failure.kind == MysqlFailureKind::kTimeout ||
       failure.kind == MysqlFailureKind::kConnectionLost)) {
    failure.kind = MysqlFailureKind::kScanTimeout;
  }
  return failure;
}

bool MysqlSession::Execute(const std::string& sql, MysqlFailure* failure) {
  if (!impl_->open) {
    failure->kind = MysqlFailureKind::kConnectionLost;
    return false;
  }
  if (mysql_real_query(impl_->mysql, sql.data(), sql.size()) != 0) {
    *failure = LastFailure();
    return false;
  }
  // A statement that unexpectedly returns rows: drained and dropped.
  if (MYSQL_RES* result = mysql_store_result(impl_->mysql)) mysql_free_result(result);
  return true;
}

SqlRows MysqlSession::Run(std::string_view sql) {
  SqlRows rows;
  if (!impl_->open) {
    rows.error_code = kCrServerGone;
    rows.error = "the connection to the server was lost";
    return rows;
  }
  MYSQL* m = impl_->mysql;
  if (mysql_real_query(m, sql.data(), sql.size()) != 0) {
    rows.error_code = mysql_errno(m);
    rows.error = mysql_error(m);
    LastFailure();  // marks the session closed when the connection is gone
    return rows;
  }
  MYSQL_RES* result = mysql_store_result(m);
  if (result == nullptr) {
    if (mysql_field_count(m) != 0) {
      rows.error_code = mysql_errno(m);
      rows.error = mysql_error(m);
      return rows;
    }
    rows.ok = true;  // a statement without a result set
    return rows;
  }
  const unsigned fields = mysql_num_fields(result);
  MYSQL_FIELD* meta = mysql_fetch_fields(result);
  for (unsigned i = 0; i < fields; ++i) rows.columns.emplace_back(meta[i].name);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    const unsigned long* lengths = mysql_fetch_lengths(result);
    std::vector<std::optional<std::string>>& out = rows.rows.emplace_back();
    out.reserve(fields);
    for (unsigned i = 0; i < fields; ++i) {
      if (row[i] == nullptr) {
        out.emplace_back(std::nullopt);
      } else {
        out.emplace_back(std::string(row[i], lengths[i]));
      }
    }
  }
  mysql_free_result(result);
  rows.ok = true;
  return rows;
}

bool MysqlSession::Stream(const std::string& select, const RowCallback& on_row, uint64_t* bytes,
                          MysqlFailure* failure, bool paced) {
  if (!impl_->open) {
    failure->kind = MysqlFailureKind::kConnectionLost;
    return false;
  }
  if (settings_.deadline && Clock::now() >= *settings_.deadline) {
    failure->kind = MysqlFailureKind::kScanTimeout;
    return false;
  }
  std::string sql = select;
  // This one statement's time limit, when it differs from the session's: the time left before
  // the deadline when that comes first; for a paced read, only that (0: none).
  std::optional<int> limit_ms;
  const std::optional<int> left = MillisLeft(settings_);
  if (paced) {
    limit_ms = left ? *left : 0;
  } else if (left &&
             (settings_.statement_timeout_ms == 0 || *left < settings_.statement_timeout_ms)) {
    limit_ms = *left;
  }
  if (limit_ms) {
    if (mariadb_) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.3f", *limit_ms / 1000.0);
      sql = std::string("SET STATEMENT max_statement_time = ") + seconds + " FOR " + select;
    } else if (select.rfind("SELECT ", 0) == 0) {
      // MySQL reads a hint of 0 as "the session's limit applies": no limit (a paced read without
      // a deadline) is the largest one, and no time left is 1 ms.
      const long long hint = paced && !left ? 2147483647LL : std::max(1, *limit_ms);
      sql = "SELECT /*+ MAX_EXECUTION_TIME(" + std::to_string(hint) + ") */ " + select.substr(7);
    }
  }
  MYSQL* m = impl_->mysql;
  if (mysql_real_query(m, sql.data(), sql.size()) != 0) {
    *failure = LastFailure();
    return false;
  }
  MYSQL_RES* result = mysql_use_result(m);
  if (result == nullptr) {
    *failure = LastFailure();
    return false;
  }
  const unsigned fields = mysql_num_fields(result);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    const unsigned long* lengths = mysql_fetch_lengths(result);
    for (unsigned i = 0; i < fields; ++i) *bytes += lengths[i] + 1;
    on_row(row, lengths);
  }
  const bool failed = mysql_errno(m) != 0;
  if (failed) *failure = LastFailure();
  mysql_free_result(result);
  return !failed;
}

bool MysqlSession::is_open() const { return impl_->open; }

unsigned long MysqlSession::connection_id() const { return mysql_thread_id(impl_->mysql); }

std::string MysqlSession::server_version() const { return mysql_get_server_info(impl_->mysql); }

bool MysqlSession::uses_tls() const { return mysql_get_ssl_cipher(impl_->mysql) != nullptr; }

bool MysqlSession::over_tcp() const {
  const char* info = mysql_get_host_info(impl_->mysql);
  return info != nullptr && std::string(info).find("TCP/IP") != std::string::npos;
}

std::string MysqlSession::current_database() const {
  const char* db = impl_->mysql->db;
  return db == nullptr ? std::string() : std::string(db);
}

}  // namespace crmaudit
