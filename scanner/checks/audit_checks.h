// Audit-logging checks (pure): AUD-01 the server logs connections, disconnections and
// statements (pgaudit or log_statement); AUD-02 the server logs do not record every statement
// where personal data is stored (the values of INSERTs and WHEREs end up in the log files).
//
// Outcomes about the object "server"; a pass when the settings are as required. AUD-02 applies
// only to a database where profiling found personal data: with none it records nothing.
// Settings that could not be read give one not_assessed outcome naming the missing privilege.
#pragma once

#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/database_controls.h"
#include "scanner/facts/database_facts.h"
#include "scanner/model/control_outcome.h"

namespace crmaudit {

void CheckLogging(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                  std::vector<ControlOutcome>*);  // AUD-01
void CheckLoggedPersonalData(const DatabaseFacts&, const std::vector<PiiColumnRef>&,
                             const DatabaseControls&, const DatabaseCheckContext&,
                             std::vector<ControlOutcome>*);  // AUD-02

}  // namespace crmaudit
