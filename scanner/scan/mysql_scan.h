// Scanning one MySQL or MariaDB target: PII inventory of its tables plus the server checks.
//
// A `mysql://` or `mariadb://` URI (sources/mysql/mysql_uri.h). Without a database in the URI
// (or with --all-databases) every database the account can see is read, except the system
// schemas; with one, only that database. --tables/--exclude-tables filter "database.table".
// Reads are polite and read-only (sources/mysql/mysql_session.h): one connection per --jobs
// worker plus one for the catalog, each table in a READ ONLY transaction, statement and lock
// time limits from --statement-timeout-ms / --lock-timeout-ms, a sample per table unless
// --full. Never throws for a database problem: a failed connection, a missing privilege, a
// locked table, a lost connection become coverage entries naming the target and the table,
// and the scan is incomplete (exit 3). The password never appears in any output.
#pragma once

#include <memory>

#include "scanner/detect/compiled_policy.h"
#include "scanner/scan/scan_plan.h"
#include "scanner/scan/target_scan_output.h"

namespace crmaudit {

TargetScanOutput ScanMysqlTarget(const PlannedTarget& target, const ScanPlan& plan,
                                 std::shared_ptr<const CompiledPolicy> policy);

}  // namespace crmaudit
