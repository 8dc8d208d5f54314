// MySQL/MariaDB fact reader (mysql_facts_reader.h): one function per fact group, each with its
// statement and the grant that docs/auditor-role.md gives for it.
#include "scanner/sources/mysql/mysql_facts_reader.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "scanner/model/sql_identifier.h"
#include "scanner/sources/mysql/key_range_sample.h"
#include "scanner/sources/sql/age_estimate.h"

namespace crmaudit {
namespace {

using Row = std::vector<std::optional<std::string>>;

std::string Text(const Row& row, size_t i) {
  return i < row.size() && row[i] ? *row[i] : std::string();
}

bool IsNull(const Row& row, size_t i) { return i >= row.size() || !row[i]; }

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Server errors that mean "this account may not": table or column access denied, a global
// privilege needed (PROCESS), database access denied, routine or command denied.
bool IsDenied(unsigned code) {
  return code == 1142 || code == 1143 || code == 1227 || code == 1044 || code == 1370 ||
         code == 1045;
}

// Marks `assessment` from a statement's result: assessed when it ran; otherwise the grant
// (when denied) or the object and the server's error number.
bool Judge(const SqlRows& rows, const std::string& grant, const std::string& object,
           Assessment* assessment) {
  assessment->assessed = rows.ok;
  if (rows.ok) return true;
  assessment->missing_privilege =
      IsDenied(rows.error_code)
          ? grant
          : "a readable " + object + " (server error " + std::to_string(rows.error_code) + ")";
  return false;
}

// ---- Server, variables ----

void ReadVariables(SqlQuery& query, MysqlServerFacts* facts) {
  const SqlRows rows = query.Run("SHOW GLOBAL VARIABLES");
  if (!Judge(rows, "the server variables (SHOW GLOBAL VARIABLES)", "SHOW GLOBAL VARIABLES",
             &facts->variables_assessment)) {
    return;
  }
  for (const Row& row : rows.rows) facts->variables[Lower(Text(row, 0))] = Text(row, 1);
  // SHOW prints NULL as an empty value: ask again where NULL and '' mean opposite things.
  const SqlRows file_priv = query.Run("SELECT @@GLOBAL.secure_file_priv");
  if (file_priv.ok && !file_priv.rows.empty() && IsNull(file_priv.rows[0], 0)) {
    facts->variables["secure_file_priv"] = "NULL";
  }
}

// ---- Accounts ----

// MariaDB's alternatives: auth_or[i] (an empty object means the top-level plugin and hash),
// else the top level alone. Up to four alternatives are read; more are not seen in practice.
constexpr int kAlternatives = 4;

std::string HashState(const std::string& expression) {
  return "CASE WHEN " + expression + " IS NULL OR " + expression + " = '' THEN 'empty' WHEN " +
         expression + " = 'invalid' THEN 'invalid' WHEN LENGTH(" + expression +
         ") = 16 THEN 'old' ELSE 'set' END";
}

std::string MariadbAccountsSql() {
  std::string sql =
      "SELECT User, Host, IFNULL(JSON_VALUE(Priv, '$.account_locked'), '0'), "
      "JSON_VALUE(Priv, '$.password_lifetime'), JSON_VALUE(Priv, '$.plugin'), " +
      HashState("JSON_VALUE(Priv, '$.authentication_string')");
  for (int i = 0; i < kAlternatives; ++i) {
    const std::string at = "'$.auth_or[" + std::to_string(i) + "]";
    const std::string empty = "JSON_LENGTH(Priv, " + at + "') = 0";
    sql += ", IF(JSON_EXISTS(Priv, " + at + "'), IF(" + empty +
           ", JSON_VALUE(Priv, '$.plugin'), JSON_VALUE(Priv, " + at + ".plugin')), NULL)";
    sql += ", " + HashState("IF(" + empty +
                            ", JSON_VALUE(Priv, '$.authentication_string'), "
                            "JSON_VALUE(Priv, " +
                            at + ".authentication_string'))");
  }
  return sql +
         " FROM mysql.global_priv WHERE IFNULL(JSON_VALUE(Priv, '$.is_role'), '0') NOT IN ('1', "
         "'true')";
}

const std::set<std::string>& PasswordPlugins() {
  static const std::set<std::string> plugins = {"mysql_native_password",
                                                "mysql_old_password",
                                                "caching_sha2_password",
                                                "sha256_password",
                                                "ed25519",
                                                "parsec"};
  return plugins;
}

// Adds one way to log in: a password plugin with an unusable hash cannot, and is left out.
void AddAlternative(MysqlAccountFacts* account, const std::string& plugin,
                    const std::string& state) {
  if (plugin.empty()) return;
  const bool password = PasswordPlugins().count(plugin) > 0;
  if (password && state == "invalid") return;
  if (password && state == "empty") account->empty_password = true;
  if (plugin == "mysql_native_password" && state == "old") account->old_hash = true;
  if (std::find(account->plugins.begin(), account->plugins.end(), plugin) ==
      account->plugins.end()) {
    account->plugins.push_back(plugin);
  }
}

std::optional<int> Lifetime(const Row& row, size_t i) {
  if (IsNull(row, i)) return std::nullopt;
  try {
    const int days = std::stoi(Text(row, i));
    if (days < 0) return std::nullopt;  // -1: the server default
    return days;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void ReadMariadbAccounts(SqlQuery& query, MysqlServerFacts* facts) {
  const SqlRows rows = query.Run(MariadbAccountsSql());
  if (!Judge(rows, "SELECT on mysql.global_priv", "mysql.global_priv",
             &facts->accounts_assessment)) {
    return;
  }
  for (const Row& row : rows.rows) {
    MysqlAccountFacts account;
    account.user = Text(row, 0);
    account.host = Text(row, 1);
    account.locked = Text(row, 2) == "1" || Text(row, 2) == "true";  // JSON true reads "1"
    account.password_lifetime_days = Lifetime(row, 3);
    bool alternatives = false;
    for (int i = 0; i < kAlternatives; ++i) {
      const size_t at = 6 + 2 * static_cast<size_t>(i);
      if (IsNull(row, at)) continue;
      alternatives = true;
      AddAlternative(&account, Text(row, at), Text(row, at + 1));
    }
    if (!alternatives) AddAlternative(&account, Text(row, 4), Text(row, 5));
    facts->accounts.push_back(std::move(account));
  }
}

void ReadMysqlAccounts(SqlQuery& query, MysqlServerFacts* facts) {
  const SqlRows rows = query.Run("SELECT User, Host, account_locked, password_lifetime, plugin, " +
                                 HashState("authentication_string") + " FROM mysql.user");
  if (!Judge(rows, "SELECT on mysql.user", "mysql.user", &facts->accounts_assessment)) return;
  for (const Row& row : rows.rows) {
    MysqlAccountFacts account;
    account.user = Text(row, 0);
    account.host = Text(row, 1);
    account.locked = Text(row, 2) == "Y";
    account.password_lifetime_days = Lifetime(row, 3);
    AddAlternative(&account, Text(row, 4), Text(row, 5));
    facts->accounts.push_back(std::move(account));
  }
}

// "Select_priv" → "SELECT", "Grant_priv" → "GRANT OPTION", "Create_tmp_table_priv" →
// "CREATE TMP TABLE" (close to GRANT's words; the checks compare the first four below).
std::string PrivilegeName(const std::string& column) {
  if (column == "Grant_priv") return "GRANT OPTION";
  if (column == "Repl_slave_priv") return "REPLICATION SLAVE";
  if (column == "Repl_client_priv") return "REPLICATION CLIENT";
  if (column == "Show_db_priv") return "SHOW DATABASES";
  std::string name = column.substr(0, column.size() - 5);  // without "_priv"
  for (char& c : name) {
    c = c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

// The *_priv columns of mysql.user (global privileges), by account. Accounts are matched to
// those read above; on a server where they could not be read, the privilege rows add them.
void ReadGlobalPrivileges(SqlQuery& query, MysqlServerFacts* facts) {
  const SqlRows columns = query.Run(
      "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'mysql' AND "
      "TABLE_NAME = 'user' AND COLUMN_NAME LIKE '%\\_priv' ORDER BY ORDINAL_POSITION");
  std::vector<std::string> names;
  if (columns.ok) {
    for (const Row& row : columns.rows) names.push_back(Text(row, 0));
  }
  if (names.empty()) {
    // information_schema shows mysql.user's columns only to an account that may read it.
    facts->privileges_assessment.assessed = false;
    facts->privileges_assessment.missing_privilege = "SELECT on mysql.user";
    return;
  }
  std::string sql = "SELECT User, Host";
  for (const auto& name : names) sql += ", " + QuoteMysqlIdent(name);
  sql += " FROM mysql.user";
  if (facts->flavour == "mariadb") sql += " WHERE IFNULL(is_role, 'N') <> 'Y'";
  const SqlRows rows = query.Run(sql);
  if (!Judge(rows, "SELECT on mysql.user", "mysql.user", &facts->privileges_assessment)) return;
  for (const Row& row : rows.rows) {
    const std::string user = Text(row, 0), host = Text(row, 1);
    auto it =
        std::find_if(facts->accounts.begin(), facts->accounts.end(),
                     [&](const MysqlAccountFacts& a) { return a.user == user && a.host == host; });
    if (it == facts->accounts.end()) {
      MysqlAccountFacts added;
      added.user = user;
      added.host = host;
      facts->accounts.push_back(std::move(added));
      it = facts->accounts.end() - 1;
    }
    bool all = true;
    for (size_t i = 0; i < names.size(); ++i) {
      if (Text(row, 2 + i) == "Y") {
        it->global_privileges.push_back(PrivilegeName(names[i]));
      } else {
        all = false;
      }
    }
    it->all_privileges = all;
  }
}

void ReadTableGrants(SqlQuery& query, MysqlServerFacts* facts) {
  const SqlRows schemas = query.Run("SELECT User, Host, Db FROM mysql.db WHERE Select_priv = 'Y'");
  if (!Judge(schemas, "SELECT on mysql.db", "mysql.db", &facts->table_grants_assessment)) return;
  const SqlRows tables = query.Run(
      "SELECT User, Host, Db, Table_name FROM mysql.tables_priv WHERE "
      "FIND_IN_SET('Select', Table_priv) > 0");
  if (!Judge(tables, "SELECT on mysql.tables_priv", "mysql.tables_priv",
             &facts->table_grants_assessment)) {
    return;
  }
  for (const Row& row : schemas.rows) {
    facts->table_grants.push_back({Text(row, 0), Text(row, 1), Text(row, 2), ""});
  }
  for (const Row& row : tables.rows) {
    facts->table_grants.push_back({Text(row, 0), Text(row, 1), Text(row, 2), Text(row, 3)});
  }
}

// ---- Sessions, plugins, encryption ----

void ReadSessions(SqlQuery& query, MysqlServerFacts* facts) {
  // The auditor account's own sessions are crmaudit's (this one and the table readers).
  const SqlRows rows = query.Run(
      "SELECT PROCESSLIST_USER, PROCESSLIST_HOST, CONNECTION_TYPE FROM performance_schema.threads "
      "WHERE TYPE = 'FOREGROUND' AND PROCESSLIST_ID IS NOT NULL AND "
      "PROCESSLIST_ID <> CONNECTION_ID() AND "
      "IFNULL(PROCESSLIST_USER, '') <> SUBSTRING_INDEX(CURRENT_USER(), '@', 1)");
  // The grant first (the auditor's administrator can fix it), then the server setting: with
  // performance_schema OFF the table exists but stays empty, which proves nothing.
  if (!Judge(rows, "SELECT on performance_schema.threads", "performance_schema.threads",
             &facts->sessions_assessment)) {
    return;
  }
  auto ps = facts->variables.find("performance_schema");
  if (ps != facts->variables.end() && Lower(ps->second) != "on" && ps->second != "1") {
    facts->sessions_assessment.assessed = false;
    facts->sessions_assessment.missing_privilege = "performance_schema = ON (a server setting)";
    return;
  }
  for (const Row& row : rows.rows) {
    facts->sessions.push_back({Text(row, 0), Text(row, 1), Text(row, 2)});
  }
}

void ReadPlugins(SqlQuery& query, MysqlServerFacts* facts) {
  const SqlRows rows = query.Run(
      "SELECT LOWER(PLUGIN_NAME) FROM information_schema.PLUGINS WHERE PLUGIN_STATUS = 'ACTIVE'");
  if (!Judge(rows, "SELECT on information_schema.PLUGINS", "information_schema.PLUGINS",
             &facts->plugins_assessment)) {
    return;
  }
  for (const Row& row : rows.rows) facts->plugins.push_back(Text(row, 0));
}

// InnoDB names a tablespace "schema/table", characters outside [A-Za-z0-9_] written as @XXXX
// (hex); partitions and temporary tables carry '#' and are left out.
bool SplitTablespace(const std::string& name, std::string* schema, std::string* table) {
  const size_t slash = name.find('/');
  if (slash == std::string::npos || name.find('#') != std::string::npos) return false;
  auto decode = [](const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '@' && i + 5 <= text.size()) {
        try {
          const unsigned long code = std::stoul(text.substr(i + 1, 4), nullptr, 16);
          if (code < 0x80) {
            out += static_cast<char>(code);
            i += 4;
            continue;
          }
        } catch (const std::exception&) {
        }
      }
      out += text[i];
    }
    return out;
  };
  *schema = decode(name.substr(0, slash));
  *table = decode(name.substr(slash + 1));
  return true;
}

void ReadTableEncryption(SqlQuery& query, MysqlServerFacts* facts) {
  const bool mariadb = facts->flavour == "mariadb";
  const SqlRows rows = query.Run(
      mariadb ? "SELECT NAME, ENCRYPTION_SCHEME <> 0 FROM "
                "information_schema.INNODB_TABLESPACES_ENCRYPTION"
              : "SELECT NAME, ENCRYPTION = 'Y' FROM information_schema.INNODB_TABLESPACES");
  if (!Judge(rows, "PROCESS",
             mariadb ? "information_schema.INNODB_TABLESPACES_ENCRYPTION"
                     : "information_schema.INNODB_TABLESPACES",
             &facts->table_encryption_assessment)) {
    return;
  }
  for (const Row& row : rows.rows) {
    MysqlTableEncryption table;
    if (!SplitTablespace(Text(row, 0), &table.schema, &table.table)) continue;
    table.encrypted = Text(row, 1) == "1";
    facts->table_encryption.push_back(std::move(table));
  }
}

// ---- Retention ----

// The count of one probe over `from` (the table, or a sample of it as a derived table).
// Columns: rows past, rows counted, the oldest past date, and every row read (the sample's
// size).
std::string AgeProbeSql(const AgeProbe& probe, const std::string& from) {
  std::istringstream period(probe.period);
  std::string count, unit;
  period >> count >> unit;
  if (!unit.empty() && unit.back() == 's') unit.pop_back();
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string cutoff = "(NOW() - INTERVAL " + std::to_string(std::stol(count)) + " " +
                             (unit == "DAY" || unit == "WEEK" || unit == "MONTH" ? unit : "YEAR") +
                             ")";
  if (!probe.flag_column.empty() && probe.column.empty()) {
    const std::string flag = QuoteMysqlIdent(probe.flag_column);
    return "SELECT IFNULL(SUM(" + flag + " = 1), 0), IFNULL(SUM(" + flag +
           " = 1), 0), NULL, COUNT(*) FROM " + from;
  }
  const std::string column = QuoteMysqlIdent(probe.column);
  const std::string flagged =
      probe.flag_column.empty() ? std::string() : QuoteMysqlIdent(probe.flag_column) + " = 1 AND ";
  const std::string past = flagged + column + " < " + cutoff;
  const std::string counted =
      probe.flag_column.empty() ? "COUNT(" + column + ")"
                                : "IFNULL(SUM(" + QuoteMysqlIdent(probe.flag_column) + " = 1), 0)";
  return "SELECT IFNULL(SUM(" + past + "), 0), " + counted + ", DATE_FORMAT(MIN(CASE WHEN " + past +
         " THEN " + column + " END), '%Y-%m-%d'), COUNT(*) FROM " + from;
}

// Key ranges an estimate reads (key_range_sample.h): about kEstimateSampleRows rows in all.
constexpr int kEstimateRanges = 30;

// The probe's table as a sample of key ranges, when a sampled scan estimates it: the derived
// table of the columns the probe counts; empty when the table is counted exactly.
std::string EstimateSample(SqlQuery& query, const AgeProbe& probe,
                           const std::vector<MysqlTable>& tables, double* table_rows) {
  const auto table = std::find_if(tables.begin(), tables.end(), [&](const MysqlTable& t) {
    return t.schema == probe.schema && t.name == probe.table;
  });
  if (table == tables.end() || !UsesKeyRanges(*table)) return {};
  const std::optional<KeySpan> span = ReadKeySpan(query, *table);
  if (!span) return {};
  std::string columns;
  for (const std::string* name : {&probe.column, &probe.flag_column}) {
    if (name->empty()) continue;
    columns += (columns.empty() ? "" : ", ") + QuoteMysqlIdent(*name);
  }
  if (columns.empty()) return {};
  *table_rows = table->estimated_rows;
  const auto per_range = static_cast<uint64_t>(kEstimateSampleRows / kEstimateRanges);
  return "(" + KeyRangeSampleSql(*table, columns, *span, kEstimateRanges, per_range) +
         ") AS sample";
}

uint64_t Count(const Row& row, size_t i) {
  try {
    return std::stoull(Text(row, i));
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

MysqlServerFacts ReadMysqlServerFacts(SqlQuery& query) {
  MysqlServerFacts facts;
  const SqlRows server = query.Run("SELECT VERSION(), CURRENT_USER()");
  if (server.ok && !server.rows.empty()) {
    facts.version = Text(server.rows[0], 0);
    facts.current_user = Text(server.rows[0], 1);
  }
  facts.flavour = facts.version.find("MariaDB") != std::string::npos ? "mariadb" : "mysql";
  ReadVariables(query, &facts);
  if (facts.flavour == "mariadb") {
    ReadMariadbAccounts(query, &facts);
  } else {
    ReadMysqlAccounts(query, &facts);
  }
  ReadGlobalPrivileges(query, &facts);
  ReadTableGrants(query, &facts);
  ReadSessions(query, &facts);
  ReadPlugins(query, &facts);
  ReadTableEncryption(query, &facts);
  return facts;
}

std::vector<AgeProbeResult> ReadMysqlAges(SqlQuery& query, const std::vector<AgeProbe>& probes,
                                          const std::vector<MysqlTable>& tables,
                                          bool estimate_large) {
  std::vector<AgeProbeResult> results;
  for (const AgeProbe& probe : probes) {
    AgeProbeResult result;
    result.probe = probe;
    const std::string table = QuoteMysqlIdent(probe.schema) + "." + QuoteMysqlIdent(probe.table);
    double table_rows = 0;
    const std::string sample =
        estimate_large ? EstimateSample(query, probe, tables, &table_rows) : std::string();
    SqlRows counted;
    if (!sample.empty()) {
      counted = query.Run(AgeProbeSql(probe, sample));
      // An empty sample (TABLE_ROWS out of date, the table emptied since): count it all.
      if (counted.ok && (counted.rows.empty() || Count(counted.rows[0], 3) == 0)) {
        counted = SqlRows{};
      }
    }
    const bool estimated = counted.ok;
    if (!estimated) counted = query.Run(AgeProbeSql(probe, table));
    if (!counted.ok) {
      result.reason =
          IsDenied(counted.error_code)
              ? "missing SELECT on " + QuoteMysqlIdent(probe.schema) + "." +
                    QuoteMysqlIdent(probe.table)
              : "the count failed (server error " + std::to_string(counted.error_code) + ")";
    } else if (!counted.rows.empty()) {
      result.assessed = true;
      result.rows_past = Count(counted.rows[0], 0);
      result.rows_total = Count(counted.rows[0], 1);
      result.oldest = Text(counted.rows[0], 2);
      if (estimated) ScaleAgesToTable(table_rows, Count(counted.rows[0], 3), &result);
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace crmaudit
