#include "scanner/sources/postgres/pg_session.h"

#include <algorithm>
#include <chrono>

#include "scanner/sources/postgres/pg_session_impl.h"

namespace crmaudit {
namespace {

using Clock = std::chrono::steady_clock;

std::string CauseText(PgConnectCause cause) {
  switch (cause) {
    case PgConnectCause::kWrongPassword:
      return "wrong password (password authentication failed for the role)";
    case PgConnectCause::kNoPassword:
      return "the server asks for a password and none was given (URI, PGPASSWORD or ~/.pgpass)";
    case PgConnectCause::kUnknownHost:
      return "unknown host (the host name does not resolve)";
    case PgConnectCause::kRefused:
      return "connection refused (no server listening at that address, port or socket)";
    case PgConnectCause::kTimeout:
      return "timeout: the server did not answer within connect_timeout (10 s unless set in "
             "the URI or PGCONNECT_TIMEOUT)";
    case PgConnectCause::kNoConnectPrivilege:
      return "no CONNECT privilege on the database (GRANT CONNECT ON DATABASE … TO the role)";
    case PgConnectCause::kTlsRequired:
      return "TLS required by the server: no pg_hba.conf entry accepts this connection "
             "without TLS (hostssl only; connect with sslmode=verify-full or require)";
    case PgConnectCause::kNoHbaEntry:
      return "no pg_hba.conf entry allows this host, role and database";
    case PgConnectCause::kHbaRejects:
      return "pg_hba.conf rejects this host, role and database";
    case PgConnectCause::kServerWithoutTls:
      return "the server does not support TLS, but sslmode requires it";
    case PgConnectCause::kCertificateHostMismatch:
      return "server certificate problem: it does not match the host name connected to";
    case PgConnectCause::kNoRootCertificate:
      return "server certificate problem: no root certificate to verify it (set sslrootcert)";
    case PgConnectCause::kCertificateUntrusted:
      return "server certificate problem: it could not be verified against the trusted root "
             "certificate (sslrootcert)";
    case PgConnectCause::kNoSuchDatabase:
      return "the database does not exist";
    case PgConnectCause::kNoSuchRole:
      return "the role does not exist";
    case PgConnectCause::kPeerAuthentication:
      return "peer/ident authentication failed (the operating-system user does not match the "
             "role)";
    case PgConnectCause::kTooManyConnections:
      return "the server has no free connection slot (max_connections reached)";
    case PgConnectCause::kServerNotReady:
      return "the server is starting up, shutting down or in recovery";
    case PgConnectCause::kUnknown:
      break;
  }
  return "the server could not be reached or refused the connection (cause not recognised)";
}

bool Has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace

std::string PgFailure::Describe() const {
  std::string code = sqlstate.empty() ? std::string() : " (SQLSTATE " + sqlstate + ")";
  switch (kind) {
    case PgFailureKind::kNone:
      return {};
    case PgFailureKind::kPermission:
      return "permission denied" + code;
    case PgFailureKind::kMissing:
      return "the object no longer exists (dropped during the scan?)" + code;
    case PgFailureKind::kTimeout:
      return "statement_timeout reached" + code;
    case PgFailureKind::kLockTimeout:
      return "lock_timeout reached" + code;
    case PgFailureKind::kConnectionLost:
      return "the connection to the server was lost" + code;
    case PgFailureKind::kConnectFailed:
      return "could not connect: " + CauseText(cause);
    case PgFailureKind::kScanTimeout:
      return "the scan's --timeout expired";
    case PgFailureKind::kNotPopulated:
      return "materialized view has not been populated (REFRESH MATERIALIZED VIEW never ran): "
             "it holds no rows";
    case PgFailureKind::kServerBusy:
      return "the server stayed busy longer than the scan may back off (--max-backoff)";
    case PgFailureKind::kOther:
      return "the server reported an error" + code;
  }
  return {};
}

// libpq's messages in English (the client's and the server's); the order matters where one
// message holds several of these phrases.
PgConnectCause ClassifyConnectError(std::string_view m) {
  if (Has(m, "password authentication failed")) return PgConnectCause::kWrongPassword;
  if (Has(m, "no password supplied")) return PgConnectCause::kNoPassword;
  if (Has(m, "could not translate host name")) return PgConnectCause::kUnknownHost;
  if (Has(m, "timeout expired")) return PgConnectCause::kTimeout;
  if (Has(m, "Connection refused") || (Has(m, "socket") && Has(m, "No such file or directory"))) {
    return PgConnectCause::kRefused;
  }
  if (Has(m, "CONNECT privilege") || Has(m, "permission denied for database")) {
    return PgConnectCause::kNoConnectPrivilege;
  }
  if (Has(m, "no pg_hba.conf entry")) {
    // PostgreSQL 15 ends the message with "no encryption", older servers with "SSL off".
    return Has(m, "no encryption") || Has(m, "SSL off") ? PgConnectCause::kTlsRequired
                                                        : PgConnectCause::kNoHbaEntry;
  }
  if (Has(m, "pg_hba.conf rejects")) return PgConnectCause::kHbaRejects;
  if (Has(m, "server does not support SSL")) return PgConnectCause::kServerWithoutTls;
  if (Has(m, "does not match host name")) return PgConnectCause::kCertificateHostMismatch;
  if (Has(m, "root certificate file")) return PgConnectCause::kNoRootCertificate;
  if (Has(m, "certificate")) return PgConnectCause::kCertificateUntrusted;
  if (Has(m, "database \"") && Has(m, "does not exist")) return PgConnectCause::kNoSuchDatabase;
  if (Has(m, "role \"") && Has(m, "does not exist")) return PgConnectCause::kNoSuchRole;
  if (Has(m, "Peer authentication failed") || Has(m, "Ident authentication failed")) {
    return PgConnectCause::kPeerAuthentication;
  }
  if (Has(m, "too many clients") || Has(m, "connection slots are reserved")) {
    return PgConnectCause::kTooManyConnections;
  }
  if (Has(m, "the database system is")) return PgConnectCause::kServerNotReady;
  return PgConnectCause::kUnknown;
}

PgFailure ClassifyPgException(const std::exception& error) {
  PgFailure failure;
  if (dynamic_cast<const ScanTimeoutError*>(&error) != nullptr) {
    failure.kind = PgFailureKind::kScanTimeout;
    return failure;
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) {
    failure.kind = PgFailureKind::kConnectionLost;
    return failure;
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    failure.sqlstate = sql->sqlstate();
    const std::string& s = failure.sqlstate;
    // libpqxx 6.4 raises some SQLSTATE-specific classes without the SQLSTATE itself.
    if (dynamic_cast<const pqxx::insufficient_privilege*>(&error) != nullptr) {
      failure.kind = PgFailureKind::kPermission;
      return failure;
    }
    if (dynamic_cast<const pqxx::undefined_table*>(&error) != nullptr ||
        dynamic_cast<const pqxx::undefined_column*>(&error) != nullptr) {
      failure.kind = PgFailureKind::kMissing;
      return failure;
    }
    if (s == "42501") {
      failure.kind = PgFailureKind::kPermission;
    } else if (s == "42P01" || s == "3F000" || s == "42703" || s == "42883") {
      failure.kind = PgFailureKind::kMissing;
    } else if (s == "57014") {
      failure.kind = PgFailureKind::kTimeout;
    } else if (s == "55P03") {
      failure.kind = PgFailureKind::kLockTimeout;
    } else if (s.rfind("08", 0) == 0 || s == "57P01" || s == "57P02" || s == "57P03") {
      failure.kind = PgFailureKind::kConnectionLost;
    } else if (s.empty()) {
      // libpqxx reports a terminated backend as sql_error without SQLSTATE in some paths.
      failure.kind = PgFailureKind::kConnectionLost;
    } else {
      failure.kind = PgFailureKind::kOther;
    }
    return failure;
  }
  // A bare pqxx::failure (not an SQL error) is libpq losing the server mid-protocol, e.g.
  // "error reading data from server" after pg_terminate_backend during COPY.
  failure.kind = dynamic_cast<const pqxx::failure*>(&error) != nullptr
                     ? PgFailureKind::kConnectionLost
                     : PgFailureKind::kOther;
  return failure;
}

PgFailure ClassifyFailure(const PgSession& session, const std::exception& error) {
  PgFailure failure = ClassifyPgException(error);
  if (failure.kind == PgFailureKind::kTimeout &&
      (session.DeadlinePassed() || session.StatementBoundByDeadline())) {
    failure.kind = PgFailureKind::kScanTimeout;
  }
  return failure;
}

void BoundToDeadline(PgSession& session, pqxx::transaction_base& tx) {
  session.SetStatementBoundByDeadline(false);
  const auto& deadline = session.settings().deadline;
  if (!deadline) return;
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
  if (left <= 0) throw ScanTimeoutError();
  if (left < session.settings().statement_timeout_ms) {
    tx.exec("SET LOCAL statement_timeout = " + std::to_string(left));
    session.SetStatementBoundByDeadline(true);
  }
}

void LiftStatementTimeoutForPacedRead(PgSession& session, pqxx::transaction_base& tx) {
  const auto& deadline = session.settings().deadline;
  if (!deadline) {
    tx.exec("SET LOCAL statement_timeout = 0");
    session.SetStatementBoundByDeadline(false);
    return;
  }
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
  if (left <= 0) throw ScanTimeoutError();
  tx.exec("SET LOCAL statement_timeout = " + std::to_string(left));
  session.SetStatementBoundByDeadline(true);
}

void CancelRunningStatement(PgSession& session) noexcept {
  try {
    session.impl().connection.cancel_query();
  } catch (const std::exception&) {
    // Nothing to do: the statement ends by itself or by its statement_timeout.
  }
}

PgSession::PgSession(std::unique_ptr<Impl> impl, SessionSettings settings)
    : impl_(std::move(impl)), settings_(std::move(settings)) {}
PgSession::~PgSession() = default;

std::unique_ptr<PgSession> PgSession::Open(const std::string& polite_conninfo, PgFailure* failure,
                                           const SessionSettings& settings) {
  PgFailure ignored;
  PgFailure& out = failure != nullptr ? *failure : ignored;
  std::string conninfo = polite_conninfo;
  if (settings.deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::seconds>(*settings.deadline - Clock::now()).count();
    if (left <= 0) {
      out.kind = PgFailureKind::kScanTimeout;
      return nullptr;
    }
    // libpq rounds anything below 2 s up to 2 s: the scan may overrun its deadline by that.
    conninfo =
        WithConnectTimeoutAtMost(polite_conninfo, static_cast<int>(std::max<int64_t>(2, left)));
  }
  try {
    auto impl = std::make_unique<Impl>(conninfo);
    return std::unique_ptr<PgSession>(new PgSession(std::move(impl), settings));
  } catch (const std::exception& error) {
    // Connecting fails with libpq's text only (no SQLSTATE reaches libpqxx 6.4 here): its
    // cause is read from the text, which is then dropped.
    out = PgFailure{};
    out.kind = PgFailureKind::kConnectFailed;
    out.cause = ClassifyConnectError(error.what());
    return nullptr;
  }
}

bool PgSession::is_open() const { return impl_->connection.is_open(); }
int PgSession::backend_pid() const { return impl_->connection.backendpid(); }
int PgSession::server_version() const { return impl_->connection.server_version(); }
std::string PgSession::database() const {
  const char* name = impl_->connection.dbname();
  return name == nullptr ? std::string() : std::string(name);
}

bool PgSession::DeadlinePassed() const {
  return settings_.deadline && Clock::now() >= *settings_.deadline;
}

}  // namespace crmaudit
