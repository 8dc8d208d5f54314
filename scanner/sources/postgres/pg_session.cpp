#include "scanner/sources/postgres/pg_session.h"

#include "scanner/sources/postgres/pg_session_impl.h"

namespace crmaudit {

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
    case PgFailureKind::kOther:
      return "the server reported an error" + code;
  }
  return {};
}

PgFailure ClassifyPgException(const std::exception& error) {
  PgFailure failure;
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

std::string QuoteIdent(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

PgSession::PgSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgSession::~PgSession() = default;

std::unique_ptr<PgSession> PgSession::Open(const std::string& polite_conninfo, PgFailure* failure) {
  try {
    auto impl = std::make_unique<Impl>(polite_conninfo);
    return std::unique_ptr<PgSession>(new PgSession(std::move(impl)));
  } catch (const std::exception& error) {
    PgFailure f = ClassifyPgException(error);
    if (f.kind == PgFailureKind::kOther) f.kind = PgFailureKind::kConnectionLost;
    if (failure != nullptr) *failure = f;
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

}  // namespace crmaudit
