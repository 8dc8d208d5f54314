// CatalogPass: the one way a fact reader runs a catalog query during CollectDatabaseFacts.
// Room-private (it exposes libpqxx): include only from sources/postgres .cpp files.
//
// Contract:
// - Every pass runs in its own `BEGIN READ ONLY` transaction (InReadOnlyTransaction, so the
//   scan's deadline bounds it), and its failure is classified once, by ClassifyFailure: a
//   missing privilege in one pass (pg_authid, pg_hba_file_rules...) marks only that pass's
//   group not assessed, naming the grant it lacked.
// - Once the connection is lost or the scan's --timeout expires, nothing more is sent: every
//   later pass returns at once and its group is not assessed for that reason. A CatalogPass
//   made without a session (the connection failed) is stopped from the start, so every
//   reader still runs and marks its group with the connection's error.
// - Server messages are dropped (they may quote values); the SQLSTATE is kept where a reader
//   needs to tell a statement_timeout from a lock_timeout.
#pragma once

#include <functional>
#include <string>

#include "scanner/facts/database_facts.h"
#include "scanner/sources/postgres/pg_session_impl.h"

namespace crmaudit {

class CatalogPass {
 public:
  enum class Result { kOk, kDenied, kLost, kFailed, kScanTimeout };
  using Body = std::function<void(pqxx::read_transaction&)>;

  // Passes over an open session.
  explicit CatalogPass(PgSession& session) : session_(&session) {}
  // No session: every pass is not assessed because of `reason`, which is also error().
  static CatalogPass Unavailable(const std::string& reason);

  // Runs `body` and marks `assessment`: assessed when it succeeded, otherwise not assessed
  // naming `privilege` (denied), the stop reason (lost, deadline) or a failed query.
  Result Read(Assessment& assessment, const std::string& privilege, const Body& body);
  // Runs `body` without a group to mark (the reader judges the result itself). `sqlstate`,
  // when given, receives the failed statement's SQLSTATE.
  Result Try(const Body& body, std::string* sqlstate = nullptr);
  // Marks `assessment` as Read does for `result`.
  void Mark(Assessment& assessment, Result result, const std::string& privilege) const;

  // Whether collection has stopped, and why (a sentence for a group not assessed).
  bool stopped() const { return !stopped_.empty(); }
  const std::string& stopped_reason() const { return stopped_; }
  // A safe one-line reason when collection stopped early (FactsOutcome::error); empty if not.
  const std::string& error() const { return error_; }

 private:
  CatalogPass() = default;
  void StopOn(Result result);

  PgSession* session_ = nullptr;
  std::string stopped_;
  std::string error_;
};

}  // namespace crmaudit
