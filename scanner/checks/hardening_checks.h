// Hardening checks a CIS-style PostgreSQL audit expects, as outcomes (pure: facts in, outcomes
// out, no I/O and no clock: the server's date is a fact):
//   AC-06  SECURITY DEFINER functions owned by a superuser, without SET search_path and
//          executable by PUBLIC (per function)
//   EXT-01 risky extensions and untrusted procedural languages (per extension / language)
//   CFG-01 data checksums (server)
//   CFG-02 the server's minor version against the shipped release list (server)
//   AUTH-01 password complexity and brute-force delay modules (server, one outcome per aspect)
//   AUD-03 logs kept and attributable (server, one outcome per aspect)
// NET-01 (network exposure) is checks/exposure_checks.h. Words, severities and references are
// the catalog's (policies/checks/hardening.json, exposure.json).
#pragma once

#include <vector>

#include "scanner/checks/database_checks.h"

namespace crmaudit {

// Runs every check of this header.
void RunHardeningChecks(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                        std::vector<ControlOutcome>*);

void CheckDefinerFunctions(const DatabaseFacts&, const DatabaseCheckContext&,
                           std::vector<ControlOutcome>*);  // AC-06
void CheckExtensions(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                     std::vector<ControlOutcome>*);  // EXT-01
void CheckDataChecksums(const DatabaseFacts&, const DatabaseCheckContext&,
                        std::vector<ControlOutcome>*);  // CFG-01
void CheckServerVersion(const DatabaseFacts&, const DatabaseCheckContext&,
                        std::vector<ControlOutcome>*);  // CFG-02
void CheckAuthenticationModules(const DatabaseFacts&, const DatabaseCheckContext&,
                                std::vector<ControlOutcome>*);  // AUTH-01
void CheckLogAttribution(const DatabaseFacts&, const DatabaseCheckContext&,
                         std::vector<ControlOutcome>*);  // AUD-03

}  // namespace crmaudit
