// Scanning one PostgreSQL target: PII inventory of its tables plus the control checks.
//
// Collects (sources/postgres reads rows into ColumnProfilers, facts/ reads catalog and server
// facts), then judges (checks/ turns facts and profiles into findings). Never throws for a
// database problem: connection failures, missing privileges, timeouts and dropped tables
// become coverage entries (status error/partial/skipped with a reason naming the table or the
// privilege) and `not_assessed` findings. The password in the connection string never appears
// in any output. Every connection has a connect_timeout and every statement a statement_timeout
// and lock_timeout; with plan.deadline (--timeout) nothing waits past it, and the relations not
// read by then are coverage entries naming the timeout.
//
// Gentle with a live server (plan.max_rows_per_second/max_mb_per_second, max_active_sessions,
// max_replication_lag_seconds): one ReadThrottle paces every worker's reads together, and
// before each relation (and every few seconds of a paced read) the scan backs off while the
// server is busy, read on one extra short-lived connection; time backed off is reported.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/model/coverage.h"
#include "scanner/model/finding.h"
#include "scanner/model/inventory.h"
#include "scanner/scan/scan_plan.h"

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

TargetScanOutput ScanPostgresTarget(const PlannedTarget& target, const ScanPlan& plan,
                                    std::shared_ptr<const CompiledPolicy> policy);

}  // namespace crmaudit
