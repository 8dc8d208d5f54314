#include "scanner/sources/postgres/hba_reader.h"

#include "scanner/sources/postgres/catalog_pass.h"

namespace crmaudit {

void ReadHba(CatalogPass& pass, DatabaseFacts& facts) {
  pass.Read(facts.hba_assessment,
            "superuser, or SELECT on pg_hba_file_rules and EXECUTE on pg_hba_file_rules()",
            [&](pqxx::read_transaction& tx) {
              for (const auto& row : tx.exec(
                       "SELECT line_number, coalesce(type, ''), coalesce(array_to_string(database, "
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
            });
}

}  // namespace crmaudit
