// Reading DatabaseFacts (catalog, settings, roles, archiver) from a live server over one polite,
// read-only connection: a source adapter, so it lives in sources/postgres; checks/ judges the
// facts without ever opening a database.
//
// CollectDatabaseFacts is a list of readers, one per fact group (settings_reader,
// roles_reader, hba_reader, sessions_reader, relation_access_reader, archiver_reader,
// age_reader), all on one CatalogPass (catalog_pass.h): each catalog pass runs in its own
// `BEGIN READ ONLY` transaction, so a missing privilege in one (pg_authid, pg_hba_file_rules,
// another user's pg_stat_activity rows) marks only that group not assessed. Never throws for
// a database problem; a lost connection ends collection with the remaining groups not
// assessed and `error` set.
#pragma once

#include <string>
#include <vector>

#include "scanner/facts/database_facts.h"
#include "scanner/sources/postgres/conninfo.h"
#include "scanner/sources/postgres/pg_session.h"

namespace crmaudit {

struct FactsRequest {
  std::vector<AgeProbe> age_probes;  // RET-01 / RET-02 counts to take
  // A sampled scan (not --full): large tables' counts are estimated (age_reader.h).
  bool estimate_large_ages = false;
  // Backends of crmaudit's other sessions in this scan (the table readers): left out of the
  // sessions fact like the collecting session itself.
  std::vector<int> own_backend_pids;
  // The deadline and timeouts the session runs under (also in the polite string).
  SessionSettings session;
};

struct FactsOutcome {
  DatabaseFacts facts;
  std::string error;  // a safe one-line reason when collection stopped early
};

// `polite_conninfo` comes from PoliteConnInfo (sources/postgres/conninfo.h). When it cannot
// connect, `error` names the cause (PgFailure::Describe) and every group is not assessed.
FactsOutcome CollectDatabaseFacts(const std::string& polite_conninfo, const FactsRequest& request);

// The same on a session the caller holds (a scan's, see pg_session_pool.h), between
// transactions; null when it could not connect, `failure` saying why.
FactsOutcome CollectDatabaseFacts(PgSession* session, const PgFailure& failure,
                                  const FactsRequest& request);

}  // namespace crmaudit
