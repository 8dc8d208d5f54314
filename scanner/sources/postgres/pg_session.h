// PgSession: one polite, read-only connection to a PostgreSQL database.
//
// Opened from a string made by PoliteConnInfo (application_name=crmaudit, read-only by
// default, connect_timeout, statement_timeout and lock_timeout set). Every read happens in its
// own `BEGIN READ ONLY` transaction. A session is used by one thread at a time. Failures surface
// as PgFailure values with a safe reason (SQLSTATE class, the cause of a failed connection, what
// we were doing), never the server message, which may quote data or the connection string.
//
// With a scan deadline (SessionSettings::deadline, from `--timeout`), no wait outlives it: the
// connection attempt's connect_timeout is cut to the time left, every transaction's
// statement_timeout too (BoundToDeadline), and a session opened after it fails at once with
// kScanTimeout.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "scanner/sources/postgres/conninfo.h"

namespace crmaudit {

enum class PgFailureKind {
  kNone,
  kPermission,      // 42501 insufficient_privilege
  kMissing,         // 42P01/3F000 object or schema gone (dropped during the scan)
  kTimeout,         // 57014 statement_timeout / cancel
  kLockTimeout,     // 55P03 lock_not_available
  kConnectionLost,  // the server went away or our backend was terminated
  kConnectFailed,   // no connection at all: `cause` says why
  kScanTimeout,     // the whole scan's --timeout expired
  kNotPopulated,    // 55000 on a materialized view never refreshed: it holds no rows
  kServerBusy,      // the scan backed off from a busy server longer than it may (--max-backoff)
  kOther,
};

// Why a connection could not be made, from libpq's error text (ClassifyConnectError).
enum class PgConnectCause {
  kUnknown,
  kWrongPassword,
  kNoPassword,
  kUnknownHost,
  kRefused,
  kTimeout,
  kNoConnectPrivilege,
  kTlsRequired,  // no pg_hba.conf line accepts a connection without TLS (hostssl only)
  kNoHbaEntry,
  kHbaRejects,
  kServerWithoutTls,
  kCertificateHostMismatch,
  kNoRootCertificate,
  kCertificateUntrusted,
  kNoSuchDatabase,
  kNoSuchRole,
  kPeerAuthentication,
  kTooManyConnections,
  kServerNotReady,
};

struct PgFailure {
  PgFailureKind kind = PgFailureKind::kNone;
  std::string sqlstate;                             // five characters when known
  PgConnectCause cause = PgConnectCause::kUnknown;  // with kConnectFailed
  // A sentence fit for a report and for stderr: says what happened, names no value and never
  // the password.
  std::string Describe() const;
};

// The one place where libpq's connection error text becomes a cause. The text is only
// matched, never kept.
PgConnectCause ClassifyConnectError(std::string_view libpq_message);

class PgSession {
 public:
  // Connects; on failure returns nullptr and fills *failure (kConnectFailed with its cause, or
  // kScanTimeout when `settings.deadline` has passed). `settings` gives the deadline and the
  // statement_timeout it bounds; the other settings are already in `polite_conninfo`.
  static std::unique_ptr<PgSession> Open(const std::string& polite_conninfo, PgFailure* failure,
                                         const SessionSettings& settings = {});
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  bool is_open() const;
  int backend_pid() const;
  int server_version() const;  // e.g. 150018
  std::string database() const;
  const SessionSettings& settings() const { return settings_; }
  bool DeadlinePassed() const;
  // Whether the current transaction's statement_timeout was shortened to the time left before
  // the scan's deadline (BoundToDeadline): a statement_timeout there is the --timeout expiring,
  // whichever of the server's and this process's clocks noticed first.
  bool StatementBoundByDeadline() const { return bound_by_deadline_; }
  void SetStatementBoundByDeadline(bool bound) { bound_by_deadline_ = bound; }

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  PgSession(std::unique_ptr<Impl> impl, SessionSettings settings);
  std::unique_ptr<Impl> impl_;
  SessionSettings settings_;
  bool bound_by_deadline_ = false;
};

}  // namespace crmaudit
