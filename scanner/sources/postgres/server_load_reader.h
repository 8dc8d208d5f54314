// Server load reader: how busy a PostgreSQL server is, as the auditor role can see it, for the
// scan's back-off (scan/busy_backoff.h).
//
// Active sessions: client backends of pg_stat_activity in state 'active', the reading session
// and `own_backend_pids` (crmaudit's readers) left out. Other roles' sessions show a state only
// to a role with pg_read_all_stats (pg_monitor includes it) or a superuser; without it only the
// auditor role's own sessions are counted, and `sees_all_sessions` says so. Replication lag:
// on a standby, how long ago the last replayed transaction committed on the primary (0 when
// everything received is replayed, so an idle primary does not read as lag); nullopt on a
// primary. One short read-only statement, under the session's timeouts.
#pragma once

#include <vector>

#include "scanner/sources/postgres/pg_session.h"
#include "scanner/sources/server_load.h"

namespace crmaudit {

// `load.known` is false (and *failure filled, when given) when the statement failed.
ServerLoad ReadServerLoad(PgSession& session, const std::vector<int>& own_backend_pids,
                          PgFailure* failure = nullptr);

}  // namespace crmaudit
