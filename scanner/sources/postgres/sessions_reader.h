// Sessions reader: who crmaudit is connected as and how (its own session), and the server's
// other client sessions over TCP with whether each uses TLS (pg_stat_activity, pg_stat_ssl).
//
// crmaudit's own sessions (the collecting one and the table readers') are left out of the
// sessions fact: whether they use TLS is the operator's sslmode, reported apart as
// own_session_*. Seeing other users' sessions needs pg_read_all_stats (or pg_monitor):
// without it the group is not assessed even though the query succeeded.
#pragma once

#include <vector>

#include "scanner/facts/database_facts.h"

namespace crmaudit {

class CatalogPass;

// Fills facts.current_user, current_user_superuser, own_session_tcp and own_session_ssl.
// Returns whether the role sees every user's sessions (superuser or pg_read_all_stats); false
// when this could not be read.
bool ReadOwnSession(CatalogPass& pass, DatabaseFacts& facts);

// Fills facts.sessions and facts.sessions_assessment, leaving out `own_backend_pids` and the
// collecting session. `read_all_stats` comes from ReadOwnSession.
void ReadSessions(CatalogPass& pass, const std::vector<int>& own_backend_pids, bool read_all_stats,
                  DatabaseFacts& facts);

}  // namespace crmaudit
