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
#include "scanner/scan/scan_plan.h"
#include "scanner/scan/target_scan_output.h"

namespace crmaudit {

TargetScanOutput ScanPostgresTarget(const PlannedTarget& target, const ScanPlan& plan,
                                    std::shared_ptr<const CompiledPolicy> policy);

}  // namespace crmaudit
