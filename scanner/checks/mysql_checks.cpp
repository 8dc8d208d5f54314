// MySQL/MariaDB control checks (mysql_checks.h). One function per catalog entry, in catalog
// order; the words of every outcome are policies/checks/mysql-*.json's. Where the SQL of a
// remediation differs between MariaDB and MySQL the catalog has one outcome per flavour (the
// MySQL one ends in "-mysql"); the check picks it by MysqlServerFacts::flavour.
#include "scanner/checks/mysql_checks.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scanner/checks/check_support.h"
#include "scanner/checks/outcome_recorder.h"
#include "scanner/checks/retention_checks.h"
#include "scanner/model/sql_identifier.h"

namespace crmaudit {

namespace {

using check_support::Contains;
using check_support::Join;
using check_support::PiiTables;
using check_support::RecordNotAssessed;
using check_support::TableLocation;

// A MySQL string literal: single quotes, quote and backslash escaped.
std::string Literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

std::string TableSql(const std::string& schema, const std::string& table) {
  return QuoteMysqlIdent(schema) + "." + QuoteMysqlIdent(table);
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Var(const MysqlServerFacts& facts, const std::string& name) {
  auto it = facts.variables.find(name);
  return it == facts.variables.end() ? std::string() : it->second;
}

bool HasVar(const MysqlServerFacts& facts, const std::string& name) {
  return facts.variables.count(name) > 0;
}

// ON, 1, YES, FORCE (innodb_encrypt_tables) and TRUE read as on; anything else as off.
bool VarOn(const MysqlServerFacts& facts, const std::string& name) {
  const std::string value = Lower(Var(facts, name));
  return value == "on" || value == "1" || value == "yes" || value == "force" || value == "true";
}

double VarNumber(const MysqlServerFacts& facts, const std::string& name) {
  try {
    return std::stod(Var(facts, name));
  } catch (const std::exception&) {
    return 0;
  }
}

bool IsMysql(const MysqlServerFacts& facts) { return facts.flavour == "mysql"; }

// The catalog outcome for this flavour: MySQL's variant ends in "-mysql".
std::string Flavoured(const MysqlServerFacts& facts, const std::string& outcome) {
  return IsMysql(facts) ? outcome + "-mysql" : outcome;
}

Location ServerLocation(const DatabaseCheckContext& context) {
  Location location;
  location.kind = "mysql";
  location.target = context.target;
  location.database = context.database;
  return location;
}

std::string AccountLabel(const MysqlAccountFacts& account) {
  return MysqlAccountName(account.user, account.host);
}

Location AccountLocation(const Location& base, const MysqlAccountFacts& account) {
  Location location = base;
  location.extra["account"] = AccountLabel(account);
  return location;
}

std::string AccountObject(const MysqlAccountFacts& account) {
  return "account " + AccountLabel(account);
}

ControlOutcome& FailAccount(OutcomeRecorder& record, const std::string& outcome,
                            const MysqlAccountFacts& account) {
  ControlOutcome& f =
      record.Fail(outcome, AccountObject(account), AccountLocation(record.base(), account));
  f.values["account"] = AccountLabel(account);
  f.values["user"] = Literal(account.user);
  f.evidence.facts["account"] = AccountLabel(account);
  f.evidence.count = 1;
  return f;
}

constexpr const char* kPasswordPlugins[] = {"mysql_native_password",
                                            "mysql_old_password",
                                            "caching_sha2_password",
                                            "sha256_password",
                                            "ed25519",
                                            "parsec"};

bool UsesPassword(const MysqlAccountFacts& account) {
  for (const auto& plugin : account.plugins) {
    for (const char* known : kPasswordPlugins) {
      if (plugin == known) return true;
    }
  }
  return account.empty_password || account.old_hash;
}

bool IsLocalHost(const std::string& host) {
  return host == "localhost" || host == "127.0.0.1" || host == "::1";
}

bool IsAdmin(const DatabaseControls& controls, const MysqlAccountFacts& account) {
  return !account.user.empty() && Contains(controls.admin_allow_list, account.user);
}

// MySQL's LIKE with `\` escapes, as mysql.db matches schema names.
bool LikeMatch(const std::string& pattern, size_t p, const std::string& text, size_t t) {
  while (p < pattern.size()) {
    const char c = pattern[p];
    if (c == '%') {
      for (size_t k = t; k <= text.size(); ++k) {
        if (LikeMatch(pattern, p + 1, text, k)) return true;
      }
      return false;
    }
    if (t >= text.size()) return false;
    if (c == '\\' && p + 1 < pattern.size()) {
      if (pattern[p + 1] != text[t]) return false;
      p += 2;
    } else {
      if (c != '_' && c != text[t]) return false;
      ++p;
    }
    ++t;
  }
  return t == text.size();
}

// ---- Encryption ----

void CheckServerTls(const MysqlServerFacts& facts, const DatabaseControls& controls,
                    const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-ENC-01", ServerLocation(context), outcomes);
  if (!facts.variables_assessment.assessed) {
    RecordNotAssessed(record, facts.variables_assessment, record.base());
    return;
  }
  // have_ssl (MariaDB, MySQL before 8.4): DISABLED = built with TLS but no certificate.
  if (HasVar(facts, "have_ssl") && Lower(Var(facts, "have_ssl")) != "yes") {
    Location location = record.base();
    location.extra["setting"] = "have_ssl";
    ControlOutcome& f = record.Fail("tls-unavailable", "server", location);
    f.values["min_tls_version"] = controls.min_tls_version;
    f.evidence.facts["have_ssl"] = Var(facts, "have_ssl");
    f.evidence.count = 1;
    return;
  }
  bool failed = false;
  if (!VarOn(facts, "require_secure_transport")) {
    Location location = record.base();
    location.extra["setting"] = "require_secure_transport";
    ControlOutcome& f = record.Fail("transport-optional", "server", location);
    f.evidence.facts["require_secure_transport"] = Var(facts, "require_secure_transport");
    f.evidence.count = 1;
    failed = true;
  }
  // tls_version lists the versions allowed ("TLSv1,TLSv1.1,TLSv1.2"); they sort as strings.
  std::vector<std::string> outdated, allowed;
  for (const auto& version : check_support::SplitList(Var(facts, "tls_version"))) {
    (version < controls.min_tls_version ? outdated : allowed).push_back(version);
  }
  if (!outdated.empty()) {
    if (allowed.empty()) allowed.push_back(controls.min_tls_version);
    Location location = record.base();
    location.extra["setting"] = "tls_version";
    ControlOutcome& f = record.Fail("outdated-tls", "server", location);
    f.values["outdated_versions"] = Join(outdated);
    f.values["allowed_versions"] = [&] {
      std::string out;
      for (const auto& version : allowed) out += (out.empty() ? "" : ",") + version;
      return out;
    }();
    f.values["min_tls_version"] = controls.min_tls_version;
    f.evidence.facts["tls_version"] = Var(facts, "tls_version");
    f.evidence.facts["required"] = controls.min_tls_version;
    f.evidence.count = outdated.size();
    failed = true;
  }
  if (failed) return;
  ControlOutcome& pass = record.Pass("server", record.base());
  pass.evidence.facts["require_secure_transport"] = Var(facts, "require_secure_transport");
  pass.evidence.facts["tls_version"] = Var(facts, "tls_version");
}

void CheckSessionTls(const MysqlServerFacts& facts, const DatabaseCheckContext& context,
                     std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-ENC-02", ServerLocation(context), outcomes);
  std::set<std::string> users;
  uint64_t clear = 0;
  for (const auto& session : facts.sessions) {
    if (session.connection_type != "TCP/IP") continue;
    ++clear;
    users.insert(session.user);
  }
  if (clear > 0) {
    ControlOutcome& f = record.Fail("clear-sessions", "server", record.base());
    f.evidence.count = clear;
    f.evidence.scanned = facts.sessions.size();
    f.evidence.facts["users"] = Join({users.begin(), users.end()});
    return;
  }
  if (!facts.sessions_assessment.assessed) {
    RecordNotAssessed(record, facts.sessions_assessment, record.base());
    return;
  }
  record.Pass("server", record.base()).evidence.scanned = facts.sessions.size();
}

void CheckEncryptionAtRest(const MysqlServerFacts& facts, const DatabaseCheckContext& context,
                           std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-ENC-03", ServerLocation(context), outcomes);
  if (!facts.variables_assessment.assessed) {
    RecordNotAssessed(record, facts.variables_assessment, record.base());
    return;
  }
  // (setting, outcome): MariaDB's and MySQL's names for the same three switches.
  const bool mysql = IsMysql(facts);
  const bool binlog = VarOn(facts, "log_bin");
  std::vector<std::pair<std::string, std::string>> switches = {
      {mysql ? "default_table_encryption" : "innodb_encrypt_tables", "tables-unencrypted"},
      {mysql ? "innodb_redo_log_encrypt" : "innodb_encrypt_log", "log-unencrypted"}};
  if (binlog)
    switches.emplace_back(mysql ? "binlog_encryption" : "encrypt_binlog", "binlog-unencrypted");
  bool failed = false;
  for (const auto& [setting, outcome] : switches) {
    if (VarOn(facts, setting)) continue;
    Location location = record.base();
    location.extra["setting"] = setting;
    ControlOutcome& f = record.Fail(Flavoured(facts, outcome), "server", location);
    f.values["setting"] = setting;
    f.evidence.facts[setting] = HasVar(facts, setting) ? Var(facts, setting) : "not available";
    f.evidence.count = 1;
    failed = true;
  }
  if (failed) return;
  ControlOutcome& pass = record.Pass("server", record.base());
  for (const auto& [setting, outcome] : switches)
    pass.evidence.facts[setting] = Var(facts, setting);
}

void CheckTableEncryption(const MysqlServerFacts& facts, const std::vector<PiiColumnRef>& pii,
                          const DatabaseCheckContext& context,
                          std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-ENC-04", ServerLocation(context), outcomes);
  std::set<std::pair<std::string, std::string>> tables;
  for (const auto& column : pii) {
    if (column.relkind != 'v') tables.insert({column.schema, column.table});
  }
  if (tables.empty()) {
    record.Pass("server", record.base()).evidence.facts["tables"] = "none with personal data";
    return;
  }
  if (!facts.table_encryption_assessment.assessed) {
    RecordNotAssessed(record, facts.table_encryption_assessment, record.base());
    return;
  }
  for (const auto& [schema, table] : tables) {
    const std::string object = "table " + schema + "." + table;
    const Location location = TableLocation(record.base(), schema, table);
    auto it = std::find_if(facts.table_encryption.begin(), facts.table_encryption.end(),
                           [&schema = schema, &table = table](const MysqlTableEncryption& t) {
                             return t.schema == schema && t.table == table;
                           });
    if (it != facts.table_encryption.end() && it->encrypted) {
      record.Pass(object, location);
      continue;
    }
    ControlOutcome& f = record.Fail(Flavoured(facts, "unencrypted-table"), object, location);
    f.values["table"] = TableSql(schema, table);
    f.evidence.facts["tablespace"] = it == facts.table_encryption.end()
                                         ? "no InnoDB tablespace listed (not InnoDB, or "
                                           "never encrypted)"
                                         : "not encrypted";
    f.evidence.count = 1;
  }
}

// ---- Accounts ----

// The account checks judge accounts that can log in; a group that could not be read is one
// not_assessed outcome. Returns false when the check cannot go on.
bool AccountsReadable(OutcomeRecorder& record, const MysqlServerFacts& facts) {
  if (facts.accounts_assessment.assessed) return true;
  RecordNotAssessed(record, facts.accounts_assessment, record.base());
  return false;
}

void CheckEmptyPasswords(const MysqlServerFacts& facts, const DatabaseCheckContext& context,
                         std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-AC-01", ServerLocation(context), outcomes);
  if (!AccountsReadable(record, facts)) return;
  for (const auto& account : facts.accounts) {
    if (account.locked || !UsesPassword(account)) continue;
    if (account.empty_password) {
      FailAccount(record, "empty-password", account);
    } else {
      record.Pass(AccountObject(account), AccountLocation(record.base(), account));
    }
  }
}

void CheckAnonymousAccounts(const MysqlServerFacts& facts, const DatabaseCheckContext& context,
                            std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-AC-02", ServerLocation(context), outcomes);
  if (!AccountsReadable(record, facts)) return;
  bool found = false;
  for (const auto& account : facts.accounts) {
    if (account.locked || !account.user.empty()) continue;
    FailAccount(record, "anonymous", account);
    found = true;
  }
  if (!found) record.Pass("server", record.base()).evidence.scanned = facts.accounts.size();
}

void CheckAnyHostAccounts(const MysqlServerFacts& facts, const DatabaseCheckContext& context,
                          std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-AC-03", ServerLocation(context), outcomes);
  if (!AccountsReadable(record, facts)) return;
  bool found = false;
  for (const auto& account : facts.accounts) {
    if (account.locked || account.host != "%") continue;
    FailAccount(record, "any-host", account);
    found = true;
  }
  if (!found) record.Pass("server", record.base()).evidence.scanned = facts.accounts.size();
}

void CheckRemoteRoot(const MysqlServerFacts& facts, const DatabaseCheckContext& context,
                     std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-AC-04", ServerLocation(context), outcomes);
  if (!AccountsReadable(record, facts)) return;
  bool found = false;
  for (const auto& account : facts.accounts) {
    if (account.locked || account.user != "root" || IsLocalHost(account.host)) continue;
    FailAccount(record, "root-remote", account).evidence.facts["host"] = account.host;
    found = true;
  }
  if (!found) record.Pass("server", record.base()).evidence.scanned = facts.accounts.size();
}

void CheckPasswordLifetime(const MysqlServerFacts& facts, const DatabaseControls& controls,
                           const DatabaseCheckContext& context,
                           std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-AC-05", ServerLocation(context), outcomes);
  if (!facts.variables_assessment.assessed) {
    RecordNotAssessed(record, facts.variables_assessment, record.base());
    return;
  }
  if (!AccountsReadable(record, facts)) return;
  const int server_default = static_cast<int>(VarNumber(facts, "default_password_lifetime"));
  const double max_days = controls.max_password_lifetime_days;
  const std::string max_text = std::to_string(static_cast<long long>(std::ceil(max_days)));
  bool judged = false;
  for (const auto& account : facts.accounts) {
    // Accounts without a password (unix_socket, gssapi) have nothing to expire.
    if (account.locked || !UsesPassword(account)) continue;
    if (Contains(controls.expiry_exempt_roles, account.user)) continue;
    judged = true;
    const int lifetime = account.password_lifetime_days.value_or(server_default);
    const std::string source = account.password_lifetime_days
                                   ? "the account's PASSWORD EXPIRE"
                                   : "the server's default_password_lifetime";
    if (lifetime == 0 || lifetime > max_days) {
      ControlOutcome& f =
          FailAccount(record, lifetime == 0 ? "never-expires" : "lifetime-too-long", account);
      f.values["max_days"] = max_text;
      f.values["lifetime_days"] = std::to_string(lifetime);
      f.evidence.facts["password_lifetime_days"] =
          lifetime == 0 ? "never" : std::to_string(lifetime);
      f.evidence.facts["decided_by"] = source;
      continue;
    }
    ControlOutcome& pass =
        record.Pass(AccountObject(account), AccountLocation(record.base(), account));
    pass.evidence.facts["password_lifetime_days"] = std::to_string(lifetime);
  }
  if (!judged)
    record.Pass("server", record.base()).evidence.facts["accounts"] = "none with a password";
}

void CheckAuthPlugins(const MysqlServerFacts& facts, const DatabaseCheckContext& context,
                      std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-AC-06", ServerLocation(context), outcomes);
  if (!AccountsReadable(record, facts)) return;
  for (const auto& account : facts.accounts) {
    if (account.locked || !UsesPassword(account)) continue;
    const bool old = account.old_hash || Contains(account.plugins, "mysql_old_password");
    const bool native = Contains(account.plugins, "mysql_native_password");
    if (!old && !native) {
      ControlOutcome& pass =
          record.Pass(AccountObject(account), AccountLocation(record.base(), account));
      pass.evidence.facts["plugins"] = Join(account.plugins);
      continue;
    }
    ControlOutcome& f =
        FailAccount(record, Flavoured(facts, old ? "old-hash" : "native-password"), account);
    f.evidence.facts["plugins"] = Join(account.plugins);
  }
}

void CheckAdminPrivileges(const MysqlServerFacts& facts, const DatabaseControls& controls,
                          const DatabaseCheckContext& context,
                          std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-AC-07", ServerLocation(context), outcomes);
  if (!facts.privileges_assessment.assessed) {
    RecordNotAssessed(record, facts.privileges_assessment, record.base());
    return;
  }
  static const std::vector<std::string> kAdmin = {"SUPER", "FILE", "PROCESS", "GRANT OPTION"};
  for (const auto& account : facts.accounts) {
    if (account.locked) continue;
    // The collecting account's own PROCESS is the one docs/auditor-role.md grants it (InnoDB
    // tablespace encryption is only visible with it): not a finding about the server.
    const bool auditor = facts.current_user == account.user + "@" + account.host;
    std::vector<std::string> held;
    for (const auto& privilege : kAdmin) {
      if (auditor && privilege == "PROCESS") continue;
      if (Contains(account.global_privileges, privilege)) held.push_back(privilege);
    }
    if (IsAdmin(controls, account) || (!account.all_privileges && held.empty())) {
      ControlOutcome& pass =
          record.Pass(AccountObject(account), AccountLocation(record.base(), account));
      if (IsAdmin(controls, account))
        pass.evidence.facts["allowed_by"] = "accounts.admin_allow_list";
      continue;
    }
    ControlOutcome& f =
        FailAccount(record, account.all_privileges ? "global-all" : "admin-privileges", account);
    f.values["privileges"] = account.all_privileges ? "ALL PRIVILEGES" : Join(held);
    f.evidence.facts["global_privileges"] =
        account.all_privileges ? "ALL PRIVILEGES" : Join(account.global_privileges);
    f.evidence.count = account.all_privileges ? 1 : held.size();
  }
}

void CheckBroadReaders(const MysqlServerFacts& facts, const std::vector<PiiColumnRef>& pii,
                       const DatabaseControls& controls, const DatabaseCheckContext& context,
                       std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-AC-08", ServerLocation(context), outcomes);
  const auto tables = PiiTables(pii);
  if (tables.empty()) {
    record.Pass("server", record.base()).evidence.facts["tables"] = "none with personal data";
    return;
  }
  for (const Assessment* needed : {&facts.privileges_assessment, &facts.table_grants_assessment}) {
    if (!needed->assessed) {
      RecordNotAssessed(record, *needed, record.base());
      return;
    }
  }
  // Broad: anyone who connects (anonymous accounts, MariaDB's PUBLIC) or an account outside
  // accounts.admin_allow_list that reads every table of the server (global SELECT).
  std::vector<std::pair<std::string, std::string>> global_readers;  // (account, why)
  for (const auto& account : facts.accounts) {
    if (account.locked) continue;
    if (!account.all_privileges && !Contains(account.global_privileges, "SELECT")) continue;
    if (account.user.empty() || !IsAdmin(controls, account)) {
      global_readers.emplace_back(AccountLabel(account),
                                  "SELECT ON *.* TO " + AccountLabel(account));
    }
  }
  for (const auto& [schema, table] : tables) {
    std::vector<std::string> readers, grants;
    for (const auto& [account, grant] : global_readers) {
      readers.push_back(account);
      grants.push_back(grant);
    }
    for (const auto& grant : facts.table_grants) {
      const bool broad = grant.user.empty() || grant.user == "PUBLIC";
      if (!broad) continue;
      const bool schema_level = grant.table.empty();
      const bool reaches = schema_level ? LikeMatch(grant.schema, 0, schema, 0)
                                        : grant.schema == schema && grant.table == table;
      if (!reaches) continue;
      const std::string who =
          grant.user == "PUBLIC" ? std::string("PUBLIC") : MysqlAccountName(grant.user, grant.host);
      readers.push_back(who);
      grants.push_back("SELECT ON " + QuoteMysqlIdent(grant.schema) + "." +
                       (schema_level ? std::string("*") : QuoteMysqlIdent(grant.table)) + " TO " +
                       who);
    }
    const std::string object = "table " + schema + "." + table;
    const Location location = TableLocation(record.base(), schema, table);
    if (readers.empty()) {
      record.Pass(object, location);
      continue;
    }
    ControlOutcome& f = record.Fail("broad-readers", object, location);
    f.values["table"] = TableSql(schema, table);
    f.values["readers"] = Join(readers);
    f.values["grants"] = Join(grants);
    f.evidence.facts["readers"] = Join(readers);
    f.evidence.count = readers.size();
  }
}

// ---- Server hardening ----

void CheckLocalInfile(const MysqlServerFacts& facts, const DatabaseCheckContext& context,
                      std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-CFG-01", ServerLocation(context), outcomes);
  if (!facts.variables_assessment.assessed) {
    RecordNotAssessed(record, facts.variables_assessment, record.base());
    return;
  }
  Location location = record.base();
  location.extra["setting"] = "local_infile";
  if (VarOn(facts, "local_infile")) {
    ControlOutcome& f = record.Fail("local-infile-on", "server", location);
    f.evidence.facts["local_infile"] = Var(facts, "local_infile");
    f.evidence.count = 1;
    return;
  }
  record.Pass("server", location).evidence.facts["local_infile"] = Var(facts, "local_infile");
}

void CheckSecureFilePriv(const MysqlServerFacts& facts, const DatabaseCheckContext& context,
                         std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-CFG-02", ServerLocation(context), outcomes);
  if (!facts.variables_assessment.assessed) {
    RecordNotAssessed(record, facts.variables_assessment, record.base());
    return;
  }
  Location location = record.base();
  location.extra["setting"] = "secure_file_priv";
  // Empty: the server reads and writes files anywhere its OS user can; NULL: never; a
  // directory: only there.
  if (HasVar(facts, "secure_file_priv") && Var(facts, "secure_file_priv").empty()) {
    ControlOutcome& f = record.Fail("unrestricted", "server", location);
    f.evidence.facts["secure_file_priv"] = "empty (any directory)";
    f.evidence.count = 1;
    return;
  }
  record.Pass("server", location).evidence.facts["secure_file_priv"] =
      Var(facts, "secure_file_priv");
}

// ---- Audit ----

void CheckGeneralLog(const MysqlServerFacts& facts, const std::vector<PiiColumnRef>& pii,
                     const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-AUD-01", ServerLocation(context), outcomes);
  if (!facts.variables_assessment.assessed) {
    RecordNotAssessed(record, facts.variables_assessment, record.base());
    return;
  }
  Location location = record.base();
  location.extra["setting"] = "general_log";
  const auto tables = PiiTables(pii);
  // log_output NONE: general_log ON writes nothing.
  const bool writes = VarOn(facts, "general_log") && Lower(Var(facts, "log_output")) != "none";
  if (writes && !tables.empty()) {
    ControlOutcome& f = record.Fail("general-log-on", "server", location);
    f.values["general_log_file"] = Var(facts, "general_log_file");
    f.values["log_output"] = Var(facts, "log_output");
    f.evidence.facts["general_log"] = Var(facts, "general_log");
    f.evidence.facts["log_output"] = Var(facts, "log_output");
    f.evidence.facts["tables_with_personal_data"] = std::to_string(tables.size());
    f.evidence.count = tables.size();
    return;
  }
  ControlOutcome& pass = record.Pass("server", location);
  pass.evidence.facts["general_log"] = Var(facts, "general_log");
}

void CheckAuditPlugin(const MysqlServerFacts& facts, const DatabaseCheckContext& context,
                      std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-AUD-02", ServerLocation(context), outcomes);
  if (!facts.plugins_assessment.assessed) {
    RecordNotAssessed(record, facts.plugins_assessment, record.base());
    return;
  }
  if (Contains(facts.plugins, "server_audit")) {
    if (!facts.variables_assessment.assessed) {
      RecordNotAssessed(record, facts.variables_assessment, record.base());
      return;
    }
    if (!VarOn(facts, "server_audit_logging")) {
      ControlOutcome& f = record.Fail("logging-off", "server", record.base());
      f.evidence.facts["plugin"] = "server_audit";
      f.evidence.facts["server_audit_logging"] = Var(facts, "server_audit_logging");
      f.evidence.count = 1;
      return;
    }
    ControlOutcome& pass = record.Pass("server", record.base());
    pass.evidence.facts["plugin"] = "server_audit";
    pass.evidence.facts["server_audit_events"] = Var(facts, "server_audit_events");
    return;
  }
  for (const char* plugin : {"audit_log", "audit_log_filter"}) {
    if (Contains(facts.plugins, plugin)) {
      record.Pass("server", record.base()).evidence.facts["plugin"] = plugin;
      return;
    }
  }
  ControlOutcome& f = record.Fail(Flavoured(facts, "no-audit-plugin"), "server", record.base());
  f.evidence.facts["plugins_checked"] = "server_audit, audit_log, audit_log_filter";
  f.evidence.count = 1;
}

// ---- Backups ----

void CheckBinlogRetention(const MysqlServerFacts& facts, const DatabaseControls& controls,
                          const DatabaseCheckContext& context,
                          std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("MY-BAK-01", ServerLocation(context), outcomes);
  if (!facts.variables_assessment.assessed) {
    RecordNotAssessed(record, facts.variables_assessment, record.base());
    return;
  }
  Location location = record.base();
  location.extra["setting"] = "log_bin";
  if (!VarOn(facts, "log_bin")) {
    ControlOutcome& f = record.Fail("binlog-off", "server", location);
    f.evidence.facts["log_bin"] = Var(facts, "log_bin");
    f.evidence.count = 1;
    return;
  }
  // binlog_expire_logs_seconds wins where set (MySQL 8, MariaDB 10.6+); else expire_logs_days.
  double seconds = VarNumber(facts, "binlog_expire_logs_seconds");
  if (seconds <= 0) seconds = VarNumber(facts, "expire_logs_days") * 86400;
  const double required = controls.backup_max_age_hours * 3600;
  if (seconds > 0 && seconds < required) {
    location.extra["setting"] = "binlog_expire_logs_seconds";
    ControlOutcome& f = record.Fail("short-retention", "server", location);
    const auto hours = static_cast<long long>(std::floor(seconds / 3600));
    f.values["expire_hours"] = std::to_string(hours);
    f.values["max_age_hours"] =
        std::to_string(static_cast<long long>(std::ceil(controls.backup_max_age_hours)));
    f.values["required_seconds"] = std::to_string(static_cast<long long>(std::ceil(required)));
    f.values["required_days"] = std::to_string(static_cast<long long>(std::ceil(required / 86400)));
    f.evidence.facts["binlog_expire_seconds"] = std::to_string(static_cast<long long>(seconds));
    f.evidence.facts["backup.max_age_hours"] = f.values["max_age_hours"];
    f.evidence.count = 1;
    return;
  }
  ControlOutcome& pass = record.Pass("server", location);
  pass.evidence.facts["binlog_expire_seconds"] =
      seconds > 0 ? std::to_string(static_cast<long long>(seconds)) : "never purged automatically";
}

}  // namespace

std::string MysqlAccountName(const std::string& user, const std::string& host) {
  return Literal(user) + "@" + Literal(host);
}

void RunMysqlChecks(const MysqlServerFacts& facts, const std::vector<PiiColumnRef>& pii,
                    const DatabaseControls& controls, const DatabaseCheckContext& context,
                    std::vector<ControlOutcome>* outcomes) {
  CheckServerTls(facts, controls, context, outcomes);
  CheckSessionTls(facts, context, outcomes);
  CheckEncryptionAtRest(facts, context, outcomes);
  CheckTableEncryption(facts, pii, context, outcomes);
  CheckEmptyPasswords(facts, context, outcomes);
  CheckAnonymousAccounts(facts, context, outcomes);
  CheckAnyHostAccounts(facts, context, outcomes);
  CheckRemoteRoot(facts, context, outcomes);
  CheckPasswordLifetime(facts, controls, context, outcomes);
  CheckAuthPlugins(facts, context, outcomes);
  CheckAdminPrivileges(facts, controls, context, outcomes);
  CheckBroadReaders(facts, pii, controls, context, outcomes);
  CheckLocalInfile(facts, context, outcomes);
  CheckSecureFilePriv(facts, context, outcomes);
  CheckGeneralLog(facts, pii, context, outcomes);
  CheckAuditPlugin(facts, context, outcomes);
  CheckBinlogRetention(facts, controls, context, outcomes);
  CheckAges(facts.ages, kMysqlRetention, ServerLocation(context), outcomes);
}

}  // namespace crmaudit
