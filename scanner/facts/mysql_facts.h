// MysqlServerFacts: what crmaudit learned about one MySQL or MariaDB server: its flavour and
// version, the global variables the controls read, accounts, global/schema/table privileges,
// other clients' transport, plugins, InnoDB tablespace encryption of the visible tables, and
// retention counts. Only facts, no judgement: checks/mysql_checks.h decides what is a finding.
//
// Invariants:
//  - every group that needs a grant carries an Assessment; when `assessed` is false,
//    `missing_privilege` names what the auditor account lacked ("SELECT on mysql.global_priv",
//    "PROCESS") or the server setting that hides the group ("performance_schema = ON"), so
//    the checks report ONE not_assessed outcome naming it instead of passing.
//  - nothing here is personal data or a secret: account and table names, settings, plugin
//    names, counts. Password hashes are never read: the reader asks the server whether a
//    hash is empty, unusable or of the pre-4.1 16-character form and keeps the answer only.
//
// Where the engines differ (sources/mysql/mysql_facts_reader.h reads each its own way):
//  - accounts: MariaDB 10.4+ keeps them in mysql.global_priv (JSON: plugin, auth_or
//    alternatives such as unix_socket, account_locked, password_lifetime); MySQL 8 in
//    mysql.user (plugin, account_locked, password_lifetime). Both have the mysql.user view /
//    table with the *_priv columns the privilege facts come from.
//  - encryption at rest: MariaDB innodb_encrypt_tables / innodb_encrypt_log / encrypt_binlog
//    and INNODB_TABLESPACES_ENCRYPTION; MySQL default_table_encryption / binlog_encryption /
//    innodb_redo_log_encrypt and INNODB_TABLESPACES.ENCRYPTION. Both I_S tables need PROCESS.
//  - binlog retention: MariaDB expire_logs_days (binlog_expire_logs_seconds too from 10.6),
//    MySQL binlog_expire_logs_seconds; both are in `variables` and the check reads either.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/facts/database_facts.h"  // Assessment, AgeProbeResult

namespace crmaudit {

// One account ('user'@'host'). Roles (MariaDB is_role) are not accounts and are left out.
struct MysqlAccountFacts {
  std::string user, host;
  // Authentication plugins that can log the account in: the main one first, then MariaDB's
  // auth_or alternatives ("mysql_native_password", "unix_socket"...). A password plugin whose
  // hash is unusable ("invalid", MariaDB's root@localhost) is left out.
  std::vector<std::string> plugins;
  bool empty_password = false;  // a password plugin with an empty hash: anyone may log in
  bool old_hash = false;        // pre-4.1 16-character hash (mysql_old_password)
  bool locked = false;          // ACCOUNT LOCK: cannot log in
  // The account's own PASSWORD EXPIRE INTERVAL in days: nullopt = the server's
  // default_password_lifetime applies; 0 = PASSWORD EXPIRE NEVER.
  std::optional<int> password_lifetime_days;
  // Global (*.*) privileges, as GRANT names them: "SELECT", "SUPER", "FILE", "PROCESS",
  // "GRANT OPTION"... `all_privileges` when every global privilege column is granted.
  std::vector<std::string> global_privileges;
  bool all_privileges = false;
};

// A schema- or table-level SELECT grant (mysql.db, mysql.tables_priv). `table` is empty for a
// schema-level grant, whose `schema` may hold LIKE wildcards (`crm%`, `crm\_db`).
struct MysqlTableGrant {
  std::string user, host, schema, table;
};

// A live client session seen in performance_schema.threads (not crmaudit's own).
struct MysqlSessionFacts {
  std::string user, host;
  std::string connection_type;  // "TCP/IP", "SSL/TLS", "Socket", ...
};

// The InnoDB encryption state of one table's tablespace.
struct MysqlTableEncryption {
  std::string schema, table;
  bool encrypted = false;
};

struct MysqlServerFacts {
  std::string flavour;       // "mariadb" or "mysql"
  std::string version;       // SELECT VERSION(): "10.11.6-MariaDB-0+deb12u1", "8.0.36"
  std::string current_user;  // CURRENT_USER() of the collecting session: "auditor@localhost"

  // SHOW GLOBAL VARIABLES: name (lower case) → value as the server prints it (ON/OFF, numbers);
  // a NULL value is "NULL" (secure_file_priv NULL = file import/export disabled).
  std::map<std::string, std::string> variables;
  Assessment variables_assessment;

  std::vector<MysqlAccountFacts> accounts;
  Assessment accounts_assessment;    // mysql.global_priv (MariaDB) / mysql.user (MySQL)
  Assessment privileges_assessment;  // the *_priv columns of mysql.user

  std::vector<MysqlTableGrant> table_grants;  // SELECT at schema or table level
  Assessment table_grants_assessment;         // mysql.db and mysql.tables_priv

  std::vector<MysqlSessionFacts> sessions;  // other clients only
  Assessment sessions_assessment;           // performance_schema.threads, performance_schema ON

  std::vector<std::string> plugins;  // ACTIVE plugins, lower case (information_schema.PLUGINS)
  Assessment plugins_assessment;

  std::vector<MysqlTableEncryption> table_encryption;  // every InnoDB table listed
  Assessment table_encryption_assessment;  // INNODB_TABLESPACES(_ENCRYPTION): needs PROCESS

  // RET-style age probes on tables with personal data (the same shape as PostgreSQL's).
  std::vector<AgeProbeResult> ages;
};

}  // namespace crmaudit
