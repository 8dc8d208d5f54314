// Export-file checks (pure): ENC-07 a personal-data export stored in plaintext (worse: readable
// by other users), RET-03 a personal-data export kept past the retention period.
//
// Inputs are facts and parameters only (ExportControls, policy/control_policy.h); the function
// never touches the file system. Each check records one outcome about the file ("file
// <path>"): ENC-07 passes for an encrypted container; RET-03 passes for an export younger than
// exports.max_age_days and is not_assessed when the file's modification time is unknown. Their
// severities are parameters (exports.readable_severity, plaintext_severity, stale_severity), so
// they travel in ControlOutcome::severity. A file that holds no personal data records nothing:
// the checks do not apply to it. An encrypted container is not judged for RET-03 (its contents
// were not read, so whether it still holds personal data is not known).
#pragma once

#include <cstdint>
#include <vector>

#include "scanner/facts/file_facts.h"
#include "scanner/model/control_outcome.h"
#include "scanner/model/finding.h"
#include "scanner/policy/control_policy.h"

namespace crmaudit {

// `location` carries kind "file", target and path (and identity_path); the outcomes' locations
// are it without column or row. `pii_columns` is how many columns of the file hold personal
// data; `now_epoch` is the scan time.
void CheckExportFile(const FileFacts& facts, const Location& location, uint64_t pii_columns,
                     const ExportControls& controls, int64_t now_epoch,
                     std::vector<ControlOutcome>* outcomes);

}  // namespace crmaudit
