// Age reader: the RET-01 / RET-02 counts the server is asked for (rows of a table past a
// period, or flagged as deleted longer than the grace period), one pass per probe so a table
// the auditor may not read, a lock or a statement_timeout costs only that probe.
//
// Each probe gives one AgeProbeResult, in the probes' order, assessed or with a reason: the
// missing SELECT, the timeout met, or why collection stopped. Counts and an ISO date only:
// never a row's values.
#pragma once

#include <vector>

#include "scanner/facts/database_facts.h"

namespace crmaudit {

class CatalogPass;

// Appends one result per probe to facts.ages. `lock_timeout_ms` is named in a lock's reason.
void ReadAges(CatalogPass& pass, const std::vector<AgeProbe>& probes, int lock_timeout_ms,
              DatabaseFacts& facts);

}  // namespace crmaudit
