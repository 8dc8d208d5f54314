// PgSession: one polite, read-only connection to a PostgreSQL database.
//
// Opened from a string made by PoliteConnInfo (application_name=crmaudit, read-only by
// default, statement_timeout and lock_timeout set). Every read happens in its own
// `BEGIN READ ONLY` transaction. A session is used by one thread at a time. Failures surface as
// PgFailure values with a safe reason (SQLSTATE class and what we were doing), never the server
// message, which may quote data or the connection string.
#pragma once

#include <memory>
#include <string>

namespace crmaudit {

enum class PgFailureKind {
  kNone,
  kPermission,      // 42501 insufficient_privilege
  kMissing,         // 42P01/3F000 object or schema gone (dropped during the scan)
  kTimeout,         // 57014 statement_timeout / cancel
  kLockTimeout,     // 55P03 lock_not_available
  kConnectionLost,  // the server went away or our backend was terminated
  kOther,
};

struct PgFailure {
  PgFailureKind kind = PgFailureKind::kNone;
  std::string sqlstate;  // five characters when known
  // A sentence fit for a report: says what happened, names no value.
  std::string Describe() const;
};

class PgSession {
 public:
  // Connects; on failure returns nullptr and fills *failure (kConnectionLost or kPermission).
  static std::unique_ptr<PgSession> Open(const std::string& polite_conninfo, PgFailure* failure);
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  bool is_open() const;
  int backend_pid() const;
  int server_version() const;  // e.g. 150018
  std::string database() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit PgSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace crmaudit
