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
#include "scanner/scan/busy_backoff.h"
#include "scanner/scan/read_throttle.h"
#include "scanner/scan/scan_plan.h"
#include "scanner/scan/target_scan_output.h"
#include "scanner/sources/read_pace.h"

namespace crmaudit {

TargetScanOutput ScanPostgresTarget(const PlannedTarget& target, const ScanPlan& plan,
                                    std::shared_ptr<const CompiledPolicy> policy);

// The pace of one relation's read (`what` names it in back-off notes): the scan's throttle
// after every row, and the busy check once kBusyCheckDuringRead (2 s) has passed. Empty (read
// as fast as the server sends, under statement_timeout) when neither applies: no throttle, and
// a sample (short enough to be judged before it starts). An unthrottled read looks at the clock
// only once per 256 rows; a throttled one after every row. Exposed for its tests.
ReadPace PaceForRead(ReadThrottle& throttle, BusyBackoff& backoff, bool full,
                     const std::string& what);

}  // namespace crmaudit
