// Backup controls (pure): BAK-02 newest good full backup older than the pack's threshold (or
// none at all), BAK-03 backups not encrypted. Inputs are BackupFacts, the packs'
// DatabaseControls and the scan time; no I/O.
//
// A source that could not be read gives not_assessed findings naming why; WAL-G lists do not
// show encryption, so BAK-03 is not_assessed for them.
#pragma once

#include <cstdint>
#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/database_controls.h"
#include "scanner/facts/backup_facts.h"
#include "scanner/model/finding.h"

namespace crmaudit {

void CheckBackups(const BackupFacts& facts, const DatabaseControls& controls,
                  const DatabaseCheckContext& context, int64_t now_epoch,
                  std::vector<Finding>* findings);

}  // namespace crmaudit
