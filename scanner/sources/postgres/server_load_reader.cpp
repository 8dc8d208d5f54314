#include "scanner/sources/postgres/server_load_reader.h"

#include <string>

#include "scanner/sources/postgres/pg_session_impl.h"

namespace crmaudit {

ServerLoad ReadServerLoad(PgSession& session, const std::vector<int>& own_backend_pids,
                          PgFailure* failure) {
  // Pids are integers the scan got from libpq: safe to write into the statement.
  std::string own = "{";
  for (size_t i = 0; i < own_backend_pids.size(); ++i) {
    own += (i ? "," : "") + std::to_string(own_backend_pids[i]);
  }
  own += "}";
  const std::string query =
      "SELECT (SELECT count(*) FROM pg_stat_activity"
      "         WHERE state = 'active' AND backend_type = 'client backend'"
      "           AND pid <> pg_backend_pid() AND pid <> ALL ('" +
      own +
      "'::int[])),"
      "       pg_has_role('pg_read_all_stats', 'USAGE'),"
      "       CASE WHEN pg_is_in_recovery() THEN"
      "         CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()"
      "              THEN 0"
      "              ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
      "         END::float8"
      "       END";
  ServerLoad load;
  InReadOnlyTransaction(session, failure, [&](pqxx::transaction_base& tx) {
    const pqxx::row row = tx.exec1(query);
    load.active_sessions = row[0].as<int64_t>();
    load.sees_all_sessions = row[1].as<bool>();
    if (!row[2].is_null()) load.replication_lag_seconds = row[2].as<double>();
    load.known = true;
  });
  return load;
}

}  // namespace crmaudit
