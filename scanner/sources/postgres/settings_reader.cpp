#include "scanner/sources/postgres/settings_reader.h"

#include "scanner/sources/postgres/catalog_pass.h"

namespace crmaudit {
namespace {

// Every setting a check reads, in one list: a check needing another adds its name here.
const char* kSettingNames =
    "'ssl','ssl_min_protocol_version','password_encryption','log_connections',"
    "'log_disconnections','log_statement','log_min_duration_statement','archive_mode',"
    "'archive_command','archive_library','archive_timeout','shared_preload_libraries',"
    "'listen_addresses','wal_level','log_min_error_statement','log_destination',"
    "'logging_collector','log_file_mode','log_line_prefix','debug_print_parse',"
    "'debug_print_rewritten','debug_print_plan','data_checksums','auth_delay.milliseconds'";

}  // namespace

void ReadSettings(CatalogPass& pass, DatabaseFacts& facts) {
  pass.Read(facts.settings_assessment, "SELECT on pg_settings", [&](pqxx::read_transaction& tx) {
    for (const auto& row :
         tx.exec(std::string("SELECT name, setting FROM pg_settings WHERE name IN (") +
                 kSettingNames + ")")) {
      facts.settings[row[0].as<std::string>()] = row[1].is_null() ? "" : row[1].as<std::string>();
    }
    auto pgaudit = tx.exec1("SELECT current_setting('pgaudit.log', true)");
    if (!pgaudit[0].is_null()) facts.settings["pgaudit.log"] = pgaudit[0].as<std::string>();
  });
}

}  // namespace crmaudit
