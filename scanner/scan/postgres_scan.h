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
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/scan/scan_plan.h"
#include "scanner/scan/target_scan_output.h"

namespace crmaudit {

TargetScanOutput ScanPostgresTarget(const PlannedTarget& target, const ScanPlan& plan,
                                    std::shared_ptr<const CompiledPolicy> policy);

}  // namespace crmaudit
