#include "scanner/sources/postgres/roles_reader.h"

#include <map>

#include "scanner/sources/postgres/catalog_pass.h"

namespace crmaudit {
namespace {

const char* kPowerfulRoles =
    "'pg_read_all_data','pg_write_all_data','pg_execute_server_program',"
    "'pg_read_server_files','pg_write_server_files'";

}  // namespace

void ReadRoles(CatalogPass& pass, DatabaseFacts& facts) {
  pass.Read(facts.roles_assessment, "SELECT on pg_roles", [&](pqxx::read_transaction& tx) {
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
  });
}

void ReadVerifiers(CatalogPass& pass, DatabaseFacts& facts) {
  std::map<std::string, std::string> verifiers;
  auto read_verifiers = [&](const std::string& query) {
    pass.Read(facts.verifiers_assessment, "superuser (pg_authid)", [&](pqxx::read_transaction& tx) {
      for (const auto& row : tx.exec(query)) {
        verifiers[row[0].as<std::string>()] = row[1].as<std::string>();
      }
    });
  };
  bool helper = false;
  if (!facts.current_user_superuser) {
    pass.Try([&](pqxx::read_transaction& tx) {
      helper = tx.exec1(
                     "SELECT to_regprocedure('crmaudit_helper.role_verifiers()') IS NOT NULL"
                     " AND has_function_privilege("
                     "'crmaudit_helper.role_verifiers()', 'EXECUTE')")[0]
                   .as<bool>();
    });
  }
  if (facts.current_user_superuser) {
    read_verifiers(
        "SELECT rolname::text, CASE WHEN rolpassword IS NULL THEN 'none'"
        " WHEN rolpassword LIKE 'md5%' THEN 'md5'"
        " WHEN rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'scram-sha-256'"
        " ELSE 'plaintext' END FROM pg_authid");
  } else if (helper) {
    read_verifiers("SELECT rolname::text, verifier::text FROM crmaudit_helper.role_verifiers()");
  } else if (pass.stopped()) {
    // Whether the helper exists could not be asked: the stop is the reason, not a grant.
    pass.Mark(facts.verifiers_assessment, CatalogPass::Result::kLost, "");
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

}  // namespace crmaudit
