// PgSessionPool: the connections one database scan shares, so that it opens no more of them
// than it needs at the same time. Every connection costs the server a backend process (a fork,
// authentication, its own catalog caches warmed from cold); a sampled scan of one database used
// to open four (catalog, busy check, table reader, server facts) one after the other, about
// half of what the scan cost the server. Now the catalog pass, the busy checks, the table
// readers and the facts collection each Take() a session when they start and Give() it back
// when they are done: one scan with one reader uses one connection, --jobs N readers at most N
// plus the busy check's while they read.
//
// Contract: a taken session is used by one thread until given back (PgSession is single
// threaded); a session given back must be between transactions (every reader ends its own
// `BEGIN READ ONLY`), and one that lost its connection is dropped, not kept. Thread safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "scanner/sources/postgres/pg_session.h"

namespace crmaudit {

class PgSessionPool {
 public:
  // `polite_conninfo` from PoliteConnInfo; `settings` as PgSession::Open takes them.
  PgSessionPool(std::string polite_conninfo, SessionSettings settings);

  // An idle session (the one given back last), or a new connection; null when it cannot
  // connect, with *failure filled (may be null).
  std::unique_ptr<PgSession> Take(PgFailure* failure);
  // Keeps the session for the next Take, unless its connection is gone.
  void Give(std::unique_ptr<PgSession> session);

  // The backends of every connection this pool opened, in order: crmaudit's own sessions,
  // which the server facts leave out of the other clients' sessions (ENC-02).
  std::vector<int> backend_pids() const;
  // How many connections it opened (a test's and a benchmark's figure).
  int opened() const;

 private:
  const std::string polite_conninfo_;
  const SessionSettings settings_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<PgSession>> idle_;
  std::vector<int> backend_pids_;
};

}  // namespace crmaudit
