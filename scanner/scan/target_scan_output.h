// TargetScanOutput: what scanning one database target produced, whatever its engine.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "scanner/model/coverage.h"
#include "scanner/model/finding.h"
#include "scanner/model/inventory.h"

namespace crmaudit {

struct TargetScanOutput {
  std::vector<CoverageEntry> coverage;
  std::vector<InventoryEntry> inventory;
  std::vector<Finding> findings;
  std::vector<ControlResult> controls;  // every control check evaluated, passes included
  bool complete = true;  // false when anything could not be read or assessed completely
  std::string error;     // a one-line reason when the target failed as a whole (safe to print)
  // Lines for stderr that are not findings about the target: crmaudit's own connection used
  // no TLS (the operator's sslmode, so not ENC-02 about the server).
  std::vector<std::string> warnings;
  // Time the scan waited while the server was busy (scan/busy_backoff.h), and whether its busy
  // check saw every role's sessions (nullopt: no load was read).
  std::chrono::milliseconds backed_off{0};
  std::optional<bool> busy_check_sees_all_sessions;
};

}  // namespace crmaudit
