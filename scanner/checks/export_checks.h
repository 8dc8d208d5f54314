// Export-file controls (pure): ENC-07 a PII export in plaintext or readable by others, and
// RET-03 an export kept past the retention period.
//
// Inputs are facts and parameters only (ExportControls, policy/control_policy.h); the function
// never touches the file system. A file that holds no personal data raises nothing; an encrypted
// container raises nothing (its contents are protected by design and were not read).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scanner/facts/file_facts.h"
#include "scanner/model/finding.h"
#include "scanner/policy/control_policy.h"

namespace crmaudit {

// `location` carries kind "file", target and path. `pii_columns` is how many columns of the
// file hold personal data; `now_epoch` is the scan time.
void CheckExportFile(const FileFacts& facts, const Location& location, uint64_t pii_columns,
                     const ExportControls& controls, int64_t now_epoch,
                     std::vector<Finding>* findings);

}  // namespace crmaudit
