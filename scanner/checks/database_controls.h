// Database control parameters as the checks use them. The parameters themselves, their
// defaults and how packs and the audit file merge are ControlPolicy's (policy/control_policy.h):
// checks read the merged, typed DatabaseControls and never parse a pack.
#pragma once

#include <string>

#include "scanner/policy/control_policy.h"

namespace crmaudit {

// The retention period and column for a table: the first matching rule of
// controls.retention_rules (audit file's first, then the packs'), else the default period.
// Column empty = choose automatically.
RetentionRule RetentionFor(const DatabaseControls& controls, const std::string& schema,
                           const std::string& table);

}  // namespace crmaudit
