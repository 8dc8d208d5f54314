// Reading MysqlServerFacts (facts/mysql_facts.h) from a live MySQL or MariaDB server through
// the narrow SqlQuery interface (sql_query.h): only SQL text and the parsing of its rows, no
// connection handling and no libmariadb header. checks/mysql_checks.h judges what it returns.
//
// One statement per fact group, each read-only and small. A statement the auditor account may
// not run (server errors 1142/1143 table or column denied, 1227 needs PROCESS, 1044 database
// denied) marks only its group not assessed, naming the grant docs/auditor-role.md gives
// ("SELECT on mysql.global_priv", "PROCESS"); any other failure names the statement's object
// and the server error number. Never throws for a server error.
//
// Engine differences, decided from VERSION() (MariaDB's contains "MariaDB"):
//  - accounts: MariaDB reads mysql.global_priv's JSON (plugin, auth_or alternatives,
//    account_locked, password_lifetime; roles left out), MySQL reads mysql.user. Hashes are
//    compared in SQL (empty, 'invalid', 16 characters) and never fetched.
//  - tablespace encryption: MariaDB INNODB_TABLESPACES_ENCRYPTION (ENCRYPTION_SCHEME), MySQL
//    INNODB_TABLESPACES (ENCRYPTION = 'Y'); both need PROCESS.
//  - secure_file_priv: SHOW VARIABLES prints NULL and '' alike; it is re-read with
//    SELECT @@GLOBAL.secure_file_priv so that NULL (file access disabled) reads "NULL".
#pragma once

#include <vector>

#include "scanner/facts/mysql_facts.h"
#include "scanner/sources/mysql/mysql_catalog.h"
#include "scanner/sources/mysql/sql_query.h"

namespace crmaudit {

MysqlServerFacts ReadMysqlServerFacts(SqlQuery& query);

// Counts the retention probes (MY-RET-01/MY-RET-02) the scan planned for the tables holding
// personal data (checks/retention_plan.h, the same plan as PostgreSQL's): one COUNT statement
// per probe. A table the auditor may not read gives a result not assessed naming the missing
// SELECT; the cutoff is the server's NOW() minus the probe's period.
//
// `estimate_large` (a sampled scan): a probe's table among `tables` that is read in key ranges
// (key_range_sample.h: an integer key, kKeyRangeSampleFromRows estimated rows or more) is
// counted over about kEstimateSampleRows rows of such ranges and scaled to its TABLE_ROWS
// (sources/sql/age_estimate.h: the result says it is estimated); every other probe, and every
// probe of a --full scan, counts every row. An empty sample is counted exactly.
std::vector<AgeProbeResult> ReadMysqlAges(SqlQuery& query, const std::vector<AgeProbe>& probes,
                                          const std::vector<MysqlTable>& tables = {},
                                          bool estimate_large = false);

}  // namespace crmaudit
