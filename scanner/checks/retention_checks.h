// Retention checks (pure): RET-01 rows kept longer than their table's retention period, RET-02
// soft-deleted (or flagged) rows kept past the grace period. Judged from the age probes
// (DatabaseFacts::ages) the scan ran: one outcome per probe, about "table schema.table": a pass
// when no row is past the period, a fail counting the rows that are, not_assessed when the
// probe could not run (its reason: the missing SELECT, the --timeout).
#pragma once

#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/database_controls.h"
#include "scanner/facts/database_facts.h"
#include "scanner/model/control_outcome.h"

namespace crmaudit {

void CheckRetention(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                    std::vector<ControlOutcome>*);  // RET-01 and RET-02 (from the age probes)

}  // namespace crmaudit
