// Backup checks (pure): BAK-01 WAL archiving works (from the server's facts); BAK-02 the newest
// good full backup is younger than the packs' threshold (backup.max_age_hours); BAK-03 backups
// are encrypted (backup.require_encryption). Inputs are DatabaseFacts / BackupFacts (collected
// by sources/backups/backup_reader.h), the packs' DatabaseControls and the scan time; no I/O.
//
// BAK-02/BAK-03 judge each backup source as one object, "backup <kind>:<name>" (a pgBackRest
// stanza, a WAL-G list, a dump folder). A source that could not be read is not_assessed for
// both, naming why; WAL-G lists do not show encryption, so BAK-03 is not_assessed for them.
#pragma once

#include <cstdint>
#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/database_controls.h"
#include "scanner/facts/backup_facts.h"
#include "scanner/facts/database_facts.h"
#include "scanner/model/control_outcome.h"

namespace crmaudit {

void CheckWalArchiving(const DatabaseFacts&, const DatabaseControls&, const DatabaseCheckContext&,
                       std::vector<ControlOutcome>*);  // BAK-01

// BAK-02 and BAK-03; `now_epoch` is the scan time.
void CheckBackups(const BackupFacts& facts, const DatabaseControls& controls,
                  const DatabaseCheckContext& context, int64_t now_epoch,
                  std::vector<ControlOutcome>* outcomes);

}  // namespace crmaudit
