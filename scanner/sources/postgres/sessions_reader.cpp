#include "scanner/sources/postgres/sessions_reader.h"

#include "scanner/sources/postgres/catalog_pass.h"

namespace crmaudit {

bool ReadOwnSession(CatalogPass& pass, DatabaseFacts& facts) {
  bool read_all_stats = false;
  pass.Try([&](pqxx::read_transaction& tx) {
    auto row = tx.exec1(
        "SELECT current_user::text, r.rolsuper,"
        " pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER'),"
        " inet_client_addr() IS NOT NULL,"
        " coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)"
        " FROM pg_roles r WHERE r.rolname = current_user");
    facts.current_user = row[0].as<std::string>();
    facts.current_user_superuser = row[1].as<bool>();
    read_all_stats = facts.current_user_superuser || row[2].as<bool>();
    facts.own_session_tcp = row[3].as<bool>();
    facts.own_session_ssl = row[4].as<bool>();
  });
  return read_all_stats;
}

void ReadSessions(CatalogPass& pass, const std::vector<int>& own_backend_pids, bool read_all_stats,
                  DatabaseFacts& facts) {
  std::string own_pids = "{";
  for (int pid : own_backend_pids) {
    own_pids += (own_pids.size() > 1 ? "," : "") + std::to_string(pid);
  }
  own_pids += "}";
  pass.Read(facts.sessions_assessment, "pg_read_all_stats (or pg_monitor)",
            [&](pqxx::read_transaction& tx) {
              for (const auto& row : tx.exec_params(
                       "SELECT a.pid, coalesce(a.usename::text, ''),"
                       " coalesce(a.application_name, ''),"
                       " host(a.client_addr), coalesce(s.ssl, false), coalesce(s.version, '')"
                       " FROM pg_stat_activity a LEFT JOIN pg_stat_ssl s ON s.pid = a.pid"
                       " WHERE a.client_addr IS NOT NULL AND a.pid <> pg_backend_pid()"
                       " AND a.pid <> ALL($1::int[]) ORDER BY a.pid",
                       own_pids)) {
                SessionFacts session;
                session.pid = row[0].as<int>();
                session.user = row[1].as<std::string>();
                session.application = row[2].as<std::string>();
                session.client_address = row[3].as<std::string>();
                session.ssl = row[4].as<bool>();
                session.ssl_version = row[5].as<std::string>();
                facts.sessions.push_back(std::move(session));
              }
            });
  if (facts.sessions_assessment.assessed && !read_all_stats) {
    facts.sessions_assessment.assessed = false;
    facts.sessions_assessment.missing_privilege =
        "pg_read_all_stats (or pg_monitor) to see other users' sessions";
  }
}

}  // namespace crmaudit
