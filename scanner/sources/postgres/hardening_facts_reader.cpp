#include "scanner/sources/postgres/hardening_facts_reader.h"

#include <map>

namespace crmaudit {

void ReadHardeningFacts(CatalogPass& pass, DatabaseFacts& facts) {
  pass.Read(facts.functions_assessment, "SELECT on pg_proc", [&](pqxx::read_transaction& tx) {
    facts.definer_functions.clear();
    for (const auto& row :
         tx.exec("SELECT n.nspname::text, p.proname::text,"
                 " pg_get_function_identity_arguments(p.oid), r.rolname::text, r.rolsuper,"
                 " coalesce(EXISTS (SELECT 1 FROM unnest(p.proconfig) c"
                 " WHERE c LIKE 'search\\_path=%'), false),"
                 " has_function_privilege('public', p.oid, 'EXECUTE')"
                 " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                 " JOIN pg_roles r ON r.oid = p.proowner"
                 " WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                 " ORDER BY 1, 2, 3")) {
      DefinerFunctionFacts function;
      function.schema = row[0].as<std::string>();
      function.name = row[1].as<std::string>();
      function.arguments = row[2].as<std::string>();
      function.owner = row[3].as<std::string>();
      function.owner_superuser = row[4].as<bool>();
      function.sets_search_path = row[5].as<bool>();
      function.public_execute = row[6].as<bool>();
      facts.definer_functions.push_back(std::move(function));
    }
    facts.server_date = tx.exec1("SELECT current_date::text")[0].as<std::string>();
  });

  pass.Read(facts.extensions_assessment, "SELECT on pg_extension", [&](pqxx::read_transaction& tx) {
    facts.extensions.clear();
    for (const auto& row :
         tx.exec("SELECT e.extname::text, e.extversion, n.nspname::text FROM pg_extension e"
                 " JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1")) {
      facts.extensions.push_back(
          {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>()});
    }
  });

  pass.Read(facts.languages_assessment, "SELECT on pg_language", [&](pqxx::read_transaction& tx) {
    facts.languages.clear();
    for (const auto& row : tx.exec("SELECT lanname::text, lanpltrusted FROM pg_language"
                                   " WHERE lanname NOT IN ('internal', 'c') ORDER BY 1")) {
      facts.languages.push_back({row[0].as<std::string>(), row[1].as<bool>()});
    }
  });

  // Netmasks of the pg_hba lines already read (0.0.0.0/0 reads as address 0.0.0.0, netmask
  // 0.0.0.0). Without them NET-01 would take 0.0.0.0/0 for a single host.
  if (facts.hba_assessment.assessed) {
    std::map<int, std::string> netmasks;
    pass.Read(facts.hba_assessment,
              "superuser, or SELECT on pg_hba_file_rules and EXECUTE on pg_hba_file_rules()",
              [&](pqxx::read_transaction& tx) {
                for (const auto& row :
                     tx.exec("SELECT line_number, coalesce(netmask, '') FROM pg_hba_file_rules"
                             " WHERE line_number IS NOT NULL")) {
                  netmasks[row[0].as<int>()] = row[1].as<std::string>();
                }
              });
    for (auto& rule : facts.hba_rules) {
      auto it = netmasks.find(rule.line);
      if (it != netmasks.end()) rule.netmask = it->second;
    }
  }
}

}  // namespace crmaudit
