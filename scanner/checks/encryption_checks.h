// Encryption checks (pure): ENC-01..ENC-06 over DatabaseFacts, the PII columns found by
// profiling and the packs' DatabaseControls. No I/O, no clock.
//
// Each check appends ControlOutcomes for one rule (model/control_outcome.h): a pass or a fail
// for every object it evaluated (the server's settings, each hba line, each login role, each
// PII or password column), or one not_assessed outcome naming the missing privilege when its
// facts could not be collected. Titles, remediation and severities are the check catalog's
// (policies/checks/encryption.json); the outcomes carry the names, settings and counts that
// fill them, never a scanned value. Fail locations are the finding locations of earlier
// releases, so finding ids (and users' baselines) stay the same.
#pragma once

#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/database_controls.h"
#include "scanner/facts/database_facts.h"
#include "scanner/model/control_outcome.h"

namespace crmaudit {

// ENC-01: ssl on, and no TLS version older than tls.min_protocol_version. Object: the server.
void CheckServerTls(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                    std::vector<ControlOutcome>*);

// ENC-02: live TCP sessions of the server's other clients without TLS (crmaudit's own session
// is the operator's choice of sslmode, not the server's). Object: the server.
void CheckSessionTls(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                     std::vector<ControlOutcome>*);

// ENC-03: pg_hba.conf lines that let TCP in without TLS, or authenticate with trust, password
// or md5. Objects: each line; a trust line reachable over TCP is at least critical.
void CheckHbaRules(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                   std::vector<ControlOutcome>*);

// ENC-04: password_encryption = md5 (object: the server), and login roles whose password
// verifier is md5 or plaintext (objects: each login role).
void CheckPasswordVerifiers(const DatabaseFacts&, const DatabaseControls&,
                            const DatabaseCheckContext&, std::vector<ControlOutcome>*);

// ENC-05: columns of tables and materialized views holding entities of
// encryption.sensitive_entities in clear; a view is judged where its rows are stored and is
// named there, or on its own as exposure when its stored side was not judged. Objects: each
// PII column (the server when profiling found none).
void CheckClearSensitiveColumns(const DatabaseFacts&, const std::vector<PiiColumnRef>&,
                                const DatabaseControls&, const DatabaseCheckContext&,
                                std::vector<ControlOutcome>*);

// ENC-06: password columns holding plaintext or unsalted fast hashes, and columns the detectors
// classified as plaintext passwords; always at least critical. Objects: each password column
// (the server when there is none).
void CheckPasswordStorage(const DatabaseFacts&, const std::vector<PiiColumnRef>&,
                          const DatabaseControls&, const DatabaseCheckContext&,
                          std::vector<ControlOutcome>*);

}  // namespace crmaudit
