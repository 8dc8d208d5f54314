// Access control checks (pure): AC-01..AC-05 over DatabaseFacts, the PII columns found by
// profiling and the packs' DatabaseControls. No I/O, no clock.
//
// Each check appends ControlOutcomes for one rule (model/control_outcome.h): a pass or a fail
// for every object it evaluated (each login role, each table holding personal data, each
// schema), or one not_assessed outcome naming the missing privilege when its facts could not
// be collected. Titles, remediation and severities are the check catalog's
// (policies/checks/access.json); the outcomes carry role, table and schema names (quoted for
// SQL where a remediation uses them), never a scanned value. Fail locations are the finding
// locations of earlier releases, so finding ids (and users' baselines) stay the same.
#pragma once

#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/database_controls.h"
#include "scanner/facts/database_facts.h"
#include "scanner/model/control_outcome.h"

namespace crmaudit {

// AC-01: login roles with SUPERUSER (outside roles.superuser_allow_list; at least critical),
// CREATEROLE, BYPASSRLS, REPLICATION or membership in a powerful predefined role (outside
// roles.powerful_allow_list). Objects: each login role.
void CheckPowerfulRoles(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                        std::vector<ControlOutcome>*);

// AC-02: login roles with no expiry (outside roles.expiry_exempt), expired but still LOGIN, or
// without a password where a trust line of pg_hba.conf lets them in. Objects: each login role.
void CheckLoginHygiene(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                       std::vector<ControlOutcome>*);

// AC-03: tables holding personal data that PUBLIC can read (a table or column SELECT, and
// USAGE on the schema). Objects: each PII table (the server when profiling found none).
void CheckPublicRead(const DatabaseFacts&, const std::vector<PiiColumnRef>&,
                     const DatabaseControls&, const DatabaseCheckContext&,
                     std::vector<ControlOutcome>*);

// AC-04: tables holding personal data without row-level security, or with a policy that lets
// everyone see every row. Objects: each PII table (the server when profiling found none).
void CheckRowSecurity(const DatabaseFacts&, const std::vector<PiiColumnRef>&,
                      const DatabaseControls&, const DatabaseCheckContext&,
                      std::vector<ControlOutcome>*);

// AC-05: schemas where PUBLIC may CREATE. Objects: each such schema; the facts list only
// those, so a server without any passes as one object, the server.
void CheckPublicCreate(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                       std::vector<ControlOutcome>*);

}  // namespace crmaudit
