#include "scanner/sources/postgres/catalog_facts_reader.h"
#include "scanner/sources/postgres/pg_session_impl.h"

#include <functional>
#include <pqxx/pqxx>

namespace crmaudit {
namespace {

enum class PassResult { kOk, kDenied, kLost, kFailed };

// Runs one catalog pass in its own read-only transaction. Server messages are dropped: they
// may quote values; the SQLSTATE is enough to tell a missing privilege from the rest.
PassResult RunPass(pqxx::connection& connection,
                   const std::function<void(pqxx::read_transaction&)>& body,
                   std::string* sqlstate = nullptr) {
  try {
    pqxx::read_transaction tx(connection);
    body(tx);
    tx.commit();
    return PassResult::kOk;
  } catch (const pqxx::broken_connection&) {
    return PassResult::kLost;
  } catch (const pqxx::sql_error& error) {
    const std::string state = error.sqlstate();
    if (sqlstate != nullptr) *sqlstate = state;
    // libpqxx 6.4 raises insufficient_privilege without filling in the SQLSTATE.
    if (state == "42501" || dynamic_cast<const pqxx::insufficient_privilege*>(&error) != nullptr) {
      return PassResult::kDenied;
    }
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || !connection.is_open()) {
      return PassResult::kLost;
    }
    return PassResult::kFailed;
  } catch (const pqxx::failure&) {
    return PassResult::kLost;  // libpq lost the server mid-protocol
  } catch (const std::exception&) {
    return PassResult::kFailed;
  }
}

const char* kSettingNames =
    "'ssl','ssl_min_protocol_version','password_encryption','log_connections',"
    "'log_disconnections','log_statement','log_min_duration_statement','archive_mode',"
    "'archive_command','archive_library','archive_timeout','shared_preload_libraries',"
    "'listen_addresses','wal_level','log_min_error_statement','log_destination'";

const char* kPowerfulRoles =
    "'pg_read_all_data','pg_write_all_data','pg_execute_server_program',"
    "'pg_read_server_files','pg_write_server_files'";

}  // namespace

FactsOutcome CollectDatabaseFacts(const std::string& polite_conninfo, const FactsRequest& request) {
  FactsOutcome outcome;
  DatabaseFacts& facts = outcome.facts;
  std::unique_ptr<pqxx::connection> connection;
  try {
    connection = std::make_unique<pqxx::connection>(polite_conninfo);
  } catch (const std::exception&) {
    outcome.error = "could not connect to collect server facts";
    return outcome;
  }
  pqxx::connection& conn = *connection;
  facts.server_version = conn.server_version();
  facts.database = conn.dbname() == nullptr ? "" : conn.dbname();
  bool lost = false;
  auto pass = [&](const std::function<void(pqxx::read_transaction&)>& body, Assessment* assessment,
                  const std::string& privilege) {
    if (lost) {
      if (assessment != nullptr) {
        assessment->assessed = false;
        assessment->missing_privilege = "the connection was lost before this could be read";
      }
      return PassResult::kLost;
    }
    PassResult result = RunPass(conn, body);
    if (result == PassResult::kLost) {
      lost = true;
      outcome.error = "the connection to the server was lost while collecting facts";
    }
    if (assessment != nullptr) {
      assessment->assessed = result == PassResult::kOk;
      if (result == PassResult::kDenied) {
        assessment->missing_privilege = privilege;
      } else if (result == PassResult::kLost) {
        assessment->missing_privilege = "the connection was lost before this could be read";
      } else if (result == PassResult::kFailed) {
        assessment->missing_privilege = "the catalog query failed";
      }
    }
    return result;
  };

  bool read_all_stats = false;
  pass(
      [&](pqxx::read_transaction& tx) {
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
      },
      nullptr, "");

  pass(
      [&](pqxx::read_transaction& tx) {
        for (const auto& row :
             tx.exec(std::string("SELECT name, setting FROM pg_settings WHERE name IN (") +
                     kSettingNames + ")")) {
          facts.settings[row[0].as<std::string>()] =
              row[1].is_null() ? "" : row[1].as<std::string>();
        }
        auto pgaudit = tx.exec1("SELECT current_setting('pgaudit.log', true)");
        if (!pgaudit[0].is_null()) facts.settings["pgaudit.log"] = pgaudit[0].as<std::string>();
      },
      &facts.settings_assessment, "SELECT on pg_settings");

  pass(
      [&](pqxx::read_transaction& tx) {
        std::map<std::string, size_t> index;
        for (const auto& row :
             tx.exec("SELECT rolname::text, rolcanlogin, rolsuper, rolcreaterole, rolbypassrls,"
                     " rolreplication, rolvaliduntil::text, coalesce(rolvaliduntil < now(), false)"
                     " FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname")) {
          RoleFacts role;
          role.name = row[0].as<std::string>();
          role.can_login = row[1].as<bool>();
          role.superuser = row[2].as<bool>();
          role.create_role = row[3].as<bool>();
          role.bypass_rls = row[4].as<bool>();
          role.replication = row[5].as<bool>();
          if (!row[6].is_null()) role.valid_until = row[6].as<std::string>();
          role.expired = row[7].as<bool>();
          index[role.name] = facts.roles.size();
          facts.roles.push_back(std::move(role));
        }
        for (const auto& row : tx.exec(
                 std::string("SELECT r.rolname::text, p.rolname::text FROM pg_roles r, pg_roles p"
                             " WHERE r.rolname !~ '^pg_' AND p.oid <> r.oid"
                             " AND (p.rolsuper OR p.rolcreaterole OR p.rolbypassrls"
                             " OR p.rolreplication OR p.rolname IN (") +
                 kPowerfulRoles + ")) AND pg_has_role(r.oid, p.oid, 'MEMBER') ORDER BY 1, 2")) {
          auto it = index.find(row[0].as<std::string>());
          if (it != index.end()) {
            facts.roles[it->second].powerful_memberships.push_back(row[1].as<std::string>());
          }
        }
      },
      &facts.roles_assessment, "SELECT on pg_roles");

  // Password verifiers live in pg_authid (superuser only) or behind a DBA-installed helper.
  {
    std::map<std::string, std::string> verifiers;
    auto read_verifiers = [&](const std::string& query) {
      return pass(
          [&](pqxx::read_transaction& tx) {
            for (const auto& row : tx.exec(query)) {
              verifiers[row[0].as<std::string>()] = row[1].as<std::string>();
            }
          },
          &facts.verifiers_assessment, "superuser (pg_authid)");
    };
    bool helper = false;
    if (!facts.current_user_superuser) {
      pass(
          [&](pqxx::read_transaction& tx) {
            helper = tx.exec1(
                           "SELECT to_regprocedure('crmaudit_helper.role_verifiers()') IS NOT NULL"
                           " AND has_function_privilege("
                           "'crmaudit_helper.role_verifiers()', 'EXECUTE')")[0]
                         .as<bool>();
          },
          nullptr, "");
    }
    if (facts.current_user_superuser) {
      read_verifiers(
          "SELECT rolname::text, CASE WHEN rolpassword IS NULL THEN 'none'"
          " WHEN rolpassword LIKE 'md5%' THEN 'md5'"
          " WHEN rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'scram-sha-256'"
          " ELSE 'plaintext' END FROM pg_authid");
    } else if (helper) {
      read_verifiers("SELECT rolname::text, verifier::text FROM crmaudit_helper.role_verifiers()");
    } else {
      facts.verifiers_assessment.assessed = false;
      facts.verifiers_assessment.missing_privilege =
          "superuser, or EXECUTE on crmaudit_helper.role_verifiers() (docs/auditor-role.md)";
    }
    if (facts.verifiers_assessment.assessed) {
      for (auto& role : facts.roles) {
        auto it = verifiers.find(role.name);
        if (it != verifiers.end()) role.verifier = it->second;
      }
    }
  }

  pass(
      [&](pqxx::read_transaction& tx) {
        for (const auto& row :
             tx.exec("SELECT line_number, coalesce(type, ''), coalesce(array_to_string(database, "
                     "','), ''),"
                     " coalesce(array_to_string(user_name, ','), ''), coalesce(address, ''),"
                     " coalesce(auth_method, ''), coalesce(error, '') FROM pg_hba_file_rules"
                     " ORDER BY line_number")) {
          HbaRuleFacts rule;
          rule.line = row[0].as<int>();
          rule.type = row[1].as<std::string>();
          rule.databases = row[2].as<std::string>();
          rule.users = row[3].as<std::string>();
          rule.address = row[4].as<std::string>();
          rule.method = row[5].as<std::string>();
          rule.error = row[6].as<std::string>().empty() ? "" : "invalid line";
          facts.hba_rules.push_back(std::move(rule));
        }
      },
      &facts.hba_assessment,
      "superuser, or SELECT on pg_hba_file_rules and EXECUTE on pg_hba_file_rules()");

  pass(
      [&](pqxx::read_transaction& tx) {
        for (const auto& row : tx.exec(
                 "SELECT a.pid, coalesce(a.usename::text, ''), coalesce(a.application_name, ''),"
                 " host(a.client_addr), coalesce(s.ssl, false), coalesce(s.version, ''),"
                 " a.pid = pg_backend_pid() FROM pg_stat_activity a"
                 " LEFT JOIN pg_stat_ssl s ON s.pid = a.pid"
                 " WHERE a.client_addr IS NOT NULL ORDER BY a.pid")) {
          SessionFacts session;
          session.pid = row[0].as<int>();
          session.user = row[1].as<std::string>();
          session.application = row[2].as<std::string>();
          session.client_address = row[3].as<std::string>();
          session.ssl = row[4].as<bool>();
          session.ssl_version = row[5].as<std::string>();
          session.is_self = row[6].as<bool>();
          facts.sessions.push_back(std::move(session));
        }
      },
      &facts.sessions_assessment, "pg_read_all_stats (or pg_monitor)");
  if (facts.sessions_assessment.assessed && !read_all_stats) {
    facts.sessions_assessment.assessed = false;
    facts.sessions_assessment.missing_privilege =
        "pg_read_all_stats (or pg_monitor) to see other users' sessions";
  }

  pass(
      [&](pqxx::read_transaction& tx) {
        std::map<std::pair<std::string, std::string>, size_t> index;
        for (const auto& row :
             tx.exec("SELECT n.nspname::text, c.relname::text,"
                     " has_table_privilege('public', c.oid, 'SELECT'),"
                     " has_any_column_privilege('public', c.oid, 'SELECT'),"
                     " has_schema_privilege('public', n.oid, 'USAGE'),"
                     " c.relrowsecurity, c.relforcerowsecurity, c.relkind::text"
                     " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                     " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition"
                     " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                     " AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1, 2")) {
          RelationAccessFacts relation;
          relation.schema = row[0].as<std::string>();
          relation.table = row[1].as<std::string>();
          relation.public_select = row[2].as<bool>();
          relation.public_column_select = row[3].as<bool>();
          relation.public_schema_usage = row[4].as<bool>();
          relation.row_security = row[5].as<bool>();
          relation.force_row_security = row[6].as<bool>();
          relation.relkind = row[7].as<std::string>().at(0);
          index[{relation.schema, relation.table}] = facts.relations.size();
          facts.relations.push_back(std::move(relation));
        }
        for (const auto& row :
             tx.exec("SELECT n.nspname::text, c.relname::text, p.polname::text,"
                     " coalesce(pg_get_expr(p.polqual, p.polrelid), ''),"
                     " p.polroles = '{0}'::oid[], p.polpermissive"
                     " FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid"
                     " JOIN pg_namespace n ON n.oid = c.relnamespace ORDER BY 1, 2, 3")) {
          auto it = index.find({row[0].as<std::string>(), row[1].as<std::string>()});
          if (it == index.end()) continue;
          RelationAccessFacts& relation = facts.relations[it->second];
          const std::string name = row[2].as<std::string>();
          relation.policies.push_back(name);
          const std::string qual = row[3].as<std::string>();
          if (row[4].as<bool>() && row[5].as<bool>() && (qual == "true" || qual.empty())) {
            relation.always_true_public_policies.push_back(name);
          }
        }
      },
      &facts.relations_assessment, "SELECT on pg_class and pg_policy");

  pass(
      [&](pqxx::read_transaction& tx) {
        for (const auto& row :
             tx.exec("SELECT n.nspname::text FROM pg_namespace n,"
                     " aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a"
                     " WHERE a.grantee = 0 AND a.privilege_type = 'CREATE'"
                     " AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
                     " ORDER BY 1")) {
          facts.schemas_public_create.push_back(row[0].as<std::string>());
        }
      },
      &facts.schemas_assessment, "SELECT on pg_namespace");

  pass(
      [&](pqxx::read_transaction& tx) {
        auto row = tx.exec1(
            "SELECT archived_count, failed_count,"
            " extract(epoch FROM now() - last_archived_time)::float8,"
            " extract(epoch FROM now() - last_failed_time)::float8,"
            " coalesce(last_failed_time > last_archived_time"
            " OR (last_failed_time IS NOT NULL AND last_archived_time IS NULL), false)"
            " FROM pg_stat_archiver");
        facts.archiver.archived_count = row[0].as<uint64_t>();
        facts.archiver.failed_count = row[1].as<uint64_t>();
        if (!row[2].is_null()) facts.archiver.seconds_since_archive = row[2].as<double>();
        if (!row[3].is_null()) facts.archiver.seconds_since_failure = row[3].as<double>();
        facts.archiver.failed_after_last_success = row[4].as<bool>();
      },
      &facts.archiver_assessment, "SELECT on pg_stat_archiver");

  for (const auto& probe : request.age_probes) {
    AgeProbeResult result;
    result.probe = probe;
    const std::string table = QuoteIdent(probe.schema) + "." + QuoteIdent(probe.table);
    std::string query;
    if (!probe.flag_column.empty() && probe.column.empty()) {
      // No timestamp dates the deletion: every flagged row counts as kept. $1 is still bound
      // (and ignored) so both shapes share the call below.
      const std::string flag = QuoteIdent(probe.flag_column);
      query = "SELECT count(*) FILTER (WHERE " + flag + "), count(*), NULL::text FROM " + table +
              " WHERE $1::interval IS NOT NULL";
    } else {
      const std::string column = QuoteIdent(probe.column);
      const std::string flagged =
          probe.flag_column.empty() ? std::string() : QuoteIdent(probe.flag_column) + " AND ";
      // The cutoff as a scalar subquery: computed once (an InitPlan), not for every row (the
      // calendar arithmetic of timestamptz - interval per row doubled the cost of the count).
      const std::string past = flagged + column + " < (SELECT now() - $1::interval)";
      const std::string counted =
          probe.flag_column.empty()
              ? "count(" + column + ")"
              : "count(*) FILTER (WHERE " + QuoteIdent(probe.flag_column) + ")";
      query = "SELECT count(*) FILTER (WHERE " + past + "), " + counted + ", to_char(min(" +
              column + ") FILTER (WHERE " + past + "), 'YYYY-MM-DD') FROM " + table;
    }
    std::string sqlstate;
    PassResult outcome_of_probe = PassResult::kLost;
    if (!lost) {
      outcome_of_probe = RunPass(
          conn,
          [&](pqxx::read_transaction& tx) {
            auto row = tx.exec_params1(query, probe.period);
            result.rows_past = row[0].as<uint64_t>();
            result.rows_total = row[1].as<uint64_t>();
            if (!row[2].is_null()) result.oldest = row[2].as<std::string>();
          },
          &sqlstate);
    }
    switch (outcome_of_probe) {
      case PassResult::kOk:
        result.assessed = true;
        break;
      case PassResult::kDenied:
        result.reason = "permission denied: needs SELECT on " + QuoteIdent(probe.schema) + "." +
                        QuoteIdent(probe.table);
        break;
      case PassResult::kLost:
        if (!lost) outcome.error = "the connection to the server was lost while collecting facts";
        lost = true;
        result.reason = "the connection to the server was lost";
        break;
      case PassResult::kFailed:
        result.reason = sqlstate == "57014"   ? "statement_timeout reached while counting rows"
                        : sqlstate == "55P03" ? "lock_timeout reached while counting rows"
                                              : "the count failed (SQLSTATE " + sqlstate + ")";
        break;
    }
    facts.ages.push_back(std::move(result));
  }
  return outcome;
}

}  // namespace crmaudit
