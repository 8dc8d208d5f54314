#include "scanner/sources/postgres/catalog_facts_reader.h"
#include "scanner/sources/postgres/hardening_facts_reader.h"
#include "scanner/sources/postgres/pg_session_impl.h"

#include <functional>
#include <pqxx/pqxx>

namespace crmaudit {
namespace {

enum class PassResult { kOk, kDenied, kLost, kFailed, kScanTimeout };

// Runs one catalog pass in its own read-only transaction. Server messages are dropped: they
// may quote values; the SQLSTATE is enough to tell a missing privilege from the rest.
PassResult RunPass(PgSession& session, const std::function<void(pqxx::read_transaction&)>& body,
                   std::string* sqlstate = nullptr) {
  try {
    pqxx::read_transaction tx(session.impl().connection);
    BoundToDeadline(session, tx);
    body(tx);
    tx.commit();
    return PassResult::kOk;
  } catch (const std::exception& error) {
    const PgFailure failure = ClassifyFailure(session, error);
    if (sqlstate != nullptr) *sqlstate = failure.sqlstate;
    switch (failure.kind) {
      case PgFailureKind::kPermission:
        return PassResult::kDenied;
      case PgFailureKind::kConnectionLost:
        return PassResult::kLost;
      case PgFailureKind::kScanTimeout:
        return PassResult::kScanTimeout;
      default:
        return session.is_open() ? PassResult::kFailed : PassResult::kLost;
    }
  }
}

// Every group not yet assessed is marked with `reason` (a lost connection, the deadline).
void NotAssessedBecause(DatabaseFacts& facts, const std::string& reason) {
  for (Assessment* assessment :
       {&facts.settings_assessment, &facts.roles_assessment, &facts.verifiers_assessment,
        &facts.hba_assessment, &facts.sessions_assessment, &facts.relations_assessment,
        &facts.schemas_assessment, &facts.archiver_assessment}) {
    if (assessment->assessed || !assessment->missing_privilege.empty()) continue;
    assessment->missing_privilege = reason;
  }
}

constexpr const char* kLostReason = "the connection was lost before this could be read";
constexpr const char* kDeadlineReason = "the scan's --timeout expired before this could be read";

const char* kSettingNames =
    "'ssl','ssl_min_protocol_version','password_encryption','log_connections',"
    "'log_disconnections','log_statement','log_min_duration_statement','archive_mode',"
    "'archive_command','archive_library','archive_timeout','shared_preload_libraries',"
    "'listen_addresses','wal_level','log_min_error_statement','log_destination',"
    "'logging_collector','log_file_mode','log_line_prefix','debug_print_parse',"
    "'debug_print_rewritten','debug_print_plan','data_checksums','auth_delay.milliseconds'";

const char* kPowerfulRoles =
    "'pg_read_all_data','pg_write_all_data','pg_execute_server_program',"
    "'pg_read_server_files','pg_write_server_files'";

}  // namespace

FactsOutcome CollectDatabaseFacts(const std::string& polite_conninfo, const FactsRequest& request) {
  FactsOutcome outcome;
  DatabaseFacts& facts = outcome.facts;
  PgFailure failure;
  std::unique_ptr<PgSession> session = PgSession::Open(polite_conninfo, &failure, request.session);
  if (!session) {
    outcome.error = "could not connect to collect server facts: " + failure.Describe();
    NotAssessedBecause(facts, outcome.error);
    HardeningNotAssessed(facts, outcome.error);
    for (const auto& probe : request.age_probes) {
      facts.ages.push_back(AgeProbeResult{probe, false, outcome.error, 0, 0, {}});
    }
    return outcome;
  }
  pqxx::connection& conn = session->impl().connection;
  facts.server_version = conn.server_version();
  facts.database = conn.dbname() == nullptr ? "" : conn.dbname();
  // Set once collection cannot go on: every later group is not assessed for this reason.
  std::string stopped;
  auto stop = [&](PassResult result) {
    if (!stopped.empty()) return;
    if (result == PassResult::kLost) {
      stopped = kLostReason;
      outcome.error = "the connection to the server was lost while collecting facts";
    } else if (result == PassResult::kScanTimeout) {
      stopped = kDeadlineReason;
      outcome.error = "the scan's --timeout expired while collecting server facts";
    }
  };
  auto pass = [&](const std::function<void(pqxx::read_transaction&)>& body, Assessment* assessment,
                  const std::string& privilege) {
    PassResult result = stopped.empty() ? RunPass(*session, body) : PassResult::kLost;
    stop(result);
    if (assessment != nullptr) {
      assessment->assessed = result == PassResult::kOk;
      if (result == PassResult::kDenied) {
        assessment->missing_privilege = privilege;
      } else if (result == PassResult::kLost || result == PassResult::kScanTimeout) {
        assessment->missing_privilege = stopped;
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
        // Real memberships, followed through pg_auth_members. Not pg_has_role(): it is true
        // for every role when the member is a superuser, which would list memberships the
        // role does not have and advise REVOKEs that do nothing.
        for (const auto& row :
             tx.exec(std::string("WITH RECURSIVE m(member, roleid, via) AS ("
                                 " SELECT a.member, a.roleid, a.roleid FROM pg_auth_members a"
                                 " UNION"
                                 " SELECT m.member, a.roleid, m.via FROM m"
                                 " JOIN pg_auth_members a ON a.member = m.roleid)"
                                 " SELECT DISTINCT ON (r.rolname, p.rolname)"
                                 " r.rolname::text, p.rolname::text, v.rolname::text,"
                                 " p.rolsuper OR p.rolcreaterole OR p.rolbypassrls"
                                 " OR p.rolreplication OR p.rolname IN (") +
                     kPowerfulRoles +
                     ") FROM m JOIN pg_roles r ON r.oid = m.member"
                     " JOIN pg_roles p ON p.oid = m.roleid JOIN pg_roles v ON v.oid = m.via"
                     " WHERE r.rolname !~ '^pg_' AND p.oid <> r.oid"
                     " ORDER BY r.rolname, p.rolname, (m.via = m.roleid) DESC, v.rolname")) {
          auto it = index.find(row[0].as<std::string>());
          if (it == index.end()) continue;
          RoleMembership membership{row[1].as<std::string>(), row[2].as<std::string>()};
          RoleFacts& role = facts.roles[it->second];
          if (row[3].as<bool>()) role.powerful_memberships.push_back(membership);
          role.member_of.push_back(std::move(membership));
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

  ReadHardeningFacts(pass, facts);

  std::string own_pids = "{";
  for (int pid : request.own_backend_pids) {
    own_pids += (own_pids.size() > 1 ? "," : "") + std::to_string(pid);
  }
  own_pids += "}";
  pass(
      [&](pqxx::read_transaction& tx) {
        // crmaudit's own sessions (this one and the readers') are not the server's clients:
        // whether they use TLS is the operator's sslmode, reported apart (own_session_*).
        for (const auto& row : tx.exec_params(
                 "SELECT a.pid, coalesce(a.usename::text, ''), coalesce(a.application_name, ''),"
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
        // What each view reads: its rewrite rule's dependencies on relations.
        for (const auto& row :
             tx.exec("SELECT DISTINCT vn.nspname::text, v.relname::text, tn.nspname::text,"
                     " t.relname::text FROM pg_rewrite w"
                     " JOIN pg_class v ON v.oid = w.ev_class"
                     " JOIN pg_namespace vn ON vn.oid = v.relnamespace"
                     " JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid"
                     " AND d.refclassid = 'pg_class'::regclass"
                     " JOIN pg_class t ON t.oid = d.refobjid"
                     " JOIN pg_namespace tn ON tn.oid = t.relnamespace"
                     " WHERE v.relkind = 'v' AND t.oid <> v.oid"
                     " AND t.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1, 2, 3, 4")) {
          auto it = index.find({row[0].as<std::string>(), row[1].as<std::string>()});
          if (it == index.end()) continue;
          facts.relations[it->second].reads_from.emplace_back(row[2].as<std::string>(),
                                                              row[3].as<std::string>());
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
    if (stopped.empty()) {
      outcome_of_probe = RunPass(
          *session,
          [&](pqxx::read_transaction& tx) {
            auto row = tx.exec_params1(query, probe.period);
            result.rows_past = row[0].as<uint64_t>();
            result.rows_total = row[1].as<uint64_t>();
            if (!row[2].is_null()) result.oldest = row[2].as<std::string>();
          },
          &sqlstate);
      stop(outcome_of_probe);
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
      case PassResult::kScanTimeout:
        result.reason = stopped;
        break;
      case PassResult::kFailed:
        result.reason = sqlstate == "57014" ? "statement_timeout reached while counting rows"
                        : sqlstate == "55P03"
                            ? "locked: lock_timeout after " +
                                  std::to_string(request.session.lock_timeout_ms) +
                                  " ms while counting rows"
                            : "the count failed (SQLSTATE " + sqlstate + ")";
        break;
    }
    facts.ages.push_back(std::move(result));
  }
  return outcome;
}

}  // namespace crmaudit
