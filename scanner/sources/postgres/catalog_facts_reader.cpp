#include "scanner/sources/postgres/catalog_facts_reader.h"

#include "scanner/sources/postgres/age_reader.h"
#include "scanner/sources/postgres/archiver_reader.h"
#include "scanner/sources/postgres/catalog_pass.h"
#include "scanner/sources/postgres/hardening_facts_reader.h"
#include "scanner/sources/postgres/hba_reader.h"
#include "scanner/sources/postgres/relation_access_reader.h"
#include "scanner/sources/postgres/roles_reader.h"
#include "scanner/sources/postgres/sessions_reader.h"
#include "scanner/sources/postgres/settings_reader.h"

namespace crmaudit {

FactsOutcome CollectDatabaseFacts(const std::string& polite_conninfo, const FactsRequest& request) {
  PgFailure failure;
  std::unique_ptr<PgSession> session = PgSession::Open(polite_conninfo, &failure, request.session);
  return CollectDatabaseFacts(session.get(), failure, request);
}

FactsOutcome CollectDatabaseFacts(PgSession* session, const PgFailure& failure,
                                  const FactsRequest& request) {
  FactsOutcome outcome;
  DatabaseFacts& facts = outcome.facts;
  // Without a session the pass is stopped from the start: every reader below still runs and
  // marks its group not assessed, naming why.
  CatalogPass pass = session
                         ? CatalogPass(*session)
                         : CatalogPass::Unavailable("could not connect to collect server facts: " +
                                                    failure.Describe());
  if (session) {
    facts.server_version = session->server_version();
    facts.database = session->database();
  }

  // One reader per fact group, in this order (a lost connection or the deadline leaves every
  // later group not assessed).
  const bool read_all_stats = ReadOwnSession(pass, facts);
  ReadSettings(pass, facts);
  ReadRoles(pass, facts);
  ReadVerifiers(pass, facts);  // after ReadOwnSession (superuser?) and ReadRoles
  ReadHba(pass, facts);
  ReadSessions(pass, request.own_backend_pids, read_all_stats, facts);
  ReadRelationAccess(pass, facts);
  ReadSchemaCreate(pass, facts);
  ReadArchiver(pass, facts);
  ReadHardeningFacts(pass, facts);  // after ReadHba: adds the netmasks of its lines
  ReadAges(pass, request.age_probes, request.estimate_large_ages, request.session.lock_timeout_ms,
           facts);

  outcome.error = pass.error();
  return outcome;
}

}  // namespace crmaudit
