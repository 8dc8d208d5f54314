#include "scanner/sources/postgres/archiver_reader.h"

#include "scanner/sources/postgres/catalog_pass.h"

namespace crmaudit {

void ReadArchiver(CatalogPass& pass, DatabaseFacts& facts) {
  pass.Read(facts.archiver_assessment, "SELECT on pg_stat_archiver",
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
            });
}

}  // namespace crmaudit
