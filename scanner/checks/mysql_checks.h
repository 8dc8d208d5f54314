// MySQL/MariaDB control checks (pure): the MY-* entries of the check catalog
// (policies/checks/mysql-*.json) over MysqlServerFacts, the PII columns profiling found and the
// packs' DatabaseControls. No I/O, no clock: everything time-dependent is already a fact.
//
//   MY-ENC-01 server requires TLS, no TLS version older than tls.min_protocol_version
//   MY-ENC-02 other clients' TCP sessions use TLS (performance_schema.threads)
//   MY-ENC-03 encryption at rest switched on: InnoDB tables and redo log, binary log
//   MY-ENC-04 each table with personal data is in an encrypted tablespace
//   MY-AC-01  no account logs in with an empty password
//   MY-AC-02  no anonymous account
//   MY-AC-03  no account reachable from any host ('%')
//   MY-AC-04  root reachable from localhost only
//   MY-AC-05  passwords expire (default_password_lifetime, per-account password_lifetime)
//   MY-AC-06  accounts use caching_sha2_password / ed25519, not mysql_native_password or old hashes
//   MY-AC-07  global ALL, SUPER, FILE, PROCESS, GRANT OPTION only for accounts.admin_allow_list
//   MY-AC-08  tables with personal data not readable by anonymous, PUBLIC or global-SELECT accounts
//   MY-CFG-01 local_infile OFF;  MY-CFG-02 secure_file_priv set
//   MY-AUD-01 general_log OFF while tables hold personal data
//   MY-AUD-02 an audit plugin (server_audit, audit_log) loaded and logging
//   MY-BAK-01 binary log on and kept at least backup.max_age_hours
//   MY-RET-01/MY-RET-02 retention and soft deletes (the shared retention check, MySQL SQL)
//
// Objects: "server", "account 'user'@'host'", "table schema.table". Locked accounts cannot log
// in and are not judged by the account checks. A group the auditor account could not read
// gives each check that needs it ONE not_assessed outcome whose reason names the missing grant.
// Backup repositories (mysqldump folders) are BAK-02/BAK-03 (checks/backup_checks.h).
#pragma once

#include <string>
#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/database_controls.h"
#include "scanner/facts/mysql_facts.h"
#include "scanner/model/control_outcome.h"

namespace crmaudit {

// Runs every MySQL/MariaDB check and appends their outcomes; findings are made from them in
// one place (checks/outcome_findings.h JudgeOutcomes). `context.database` is left empty for a
// MySQL server (its schemas are the databases); locations have kind "mysql".
void RunMysqlChecks(const MysqlServerFacts& facts, const std::vector<PiiColumnRef>& pii,
                    const DatabaseControls& controls, const DatabaseCheckContext& context,
                    std::vector<ControlOutcome>* outcomes);

// 'user'@'host' as GRANT and ALTER USER write it (quotes doubled).
std::string MysqlAccountName(const std::string& user, const std::string& host);

}  // namespace crmaudit
