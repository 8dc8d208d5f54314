// Fixture runner (check_fixtures.h). The fact readers come first, one function per fact struct
// so that a new fact group is one more function and one more line in DatabaseFacts' reader;
// then the fixture itself: build the inputs, run the check's family, compare, render.
#include "scanner/checks/check_fixtures.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <utility>

#include "scanner/checks/backup_checks.h"
#include "scanner/checks/database_checks.h"
#include "scanner/checks/export_checks.h"
#include "scanner/checks/mysql_checks.h"
#include "scanner/checks/outcome_findings.h"
#include "scanner/model/text_template.h"
#include "scanner/policy/json_fields.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

using nlohmann::json;

// Names the file and the JSON path of what it refuses.
class FactReader {
 public:
  explicit FactReader(std::string file) : file_(std::move(file)) {}
  [[noreturn]] void Fail(const std::string& path, const std::string& message) const {
    throw PolicyError(file_, path, message);
  }

 private:
  std::string file_;
};

std::string Item(const std::string& at, size_t index) {
  return at + "[" + std::to_string(index) + "]";
}

// Scalars.
void Read(const FactReader& r, const json& j, const std::string& at, std::string* out) {
  if (!j.is_string()) r.Fail(at, "expected a string");
  *out = j.get<std::string>();
}
void Read(const FactReader& r, const json& j, const std::string& at, bool* out) {
  if (!j.is_boolean()) r.Fail(at, "expected true or false");
  *out = j.get<bool>();
}
void Read(const FactReader& r, const json& j, const std::string& at, int* out) {
  if (!j.is_number_integer()) r.Fail(at, "expected a whole number");
  *out = j.get<int>();
}
void Read(const FactReader& r, const json& j, const std::string& at, int64_t* out) {
  if (!j.is_number_integer()) r.Fail(at, "expected a whole number");
  *out = j.get<int64_t>();
}
void Read(const FactReader& r, const json& j, const std::string& at, uint64_t* out) {
  if (!j.is_number_integer() || j.get<int64_t>() < 0) r.Fail(at, "expected a count (0 or more)");
  *out = j.get<uint64_t>();
}
void Read(const FactReader& r, const json& j, const std::string& at, double* out) {
  if (!j.is_number()) r.Fail(at, "expected a number");
  *out = j.get<double>();
}
// RelationAccessFacts::relkind: a one-letter string ("r", "v"...).
void Read(const FactReader& r, const json& j, const std::string& at, char* out) {
  if (!j.is_string() || j.get<std::string>().size() != 1) r.Fail(at, "expected one letter");
  *out = j.get<std::string>()[0];
}
// A (schema, table) pair: ["crm", "contacts"].
void Read(const FactReader& r, const json& j, const std::string& at,
          std::pair<std::string, std::string>* out) {
  if (!j.is_array() || j.size() != 2) r.Fail(at, "expected [\"schema\", \"table\"]");
  Read(r, j[0], Item(at, 0), &out->first);
  Read(r, j[1], Item(at, 1), &out->second);
}

// Structs: one reader each (declared here, defined below the field helper).
void Read(const FactReader&, const json&, const std::string&, Assessment*);
void Read(const FactReader&, const json&, const std::string&, RoleMembership*);
void Read(const FactReader&, const json&, const std::string&, RoleFacts*);
void Read(const FactReader&, const json&, const std::string&, HbaRuleFacts*);
void Read(const FactReader&, const json&, const std::string&, SessionFacts*);
void Read(const FactReader&, const json&, const std::string&, RelationAccessFacts*);
void Read(const FactReader&, const json&, const std::string&, ArchiverFacts*);
void Read(const FactReader&, const json&, const std::string&, AgeProbe*);
void Read(const FactReader&, const json&, const std::string&, AgeProbeResult*);
void Read(const FactReader&, const json&, const std::string&, ColumnValueFacts*);
void Read(const FactReader&, const json&, const std::string&, DatabaseFacts*);
void Read(const FactReader&, const json&, const std::string&, BackupSetFacts*);
void Read(const FactReader&, const json&, const std::string&, BackupSourceFacts*);
void Read(const FactReader&, const json&, const std::string&, BackupFacts*);
void Read(const FactReader&, const json&, const std::string&, FileFacts*);
void Read(const FactReader&, const json&, const std::string&, MysqlAccountFacts*);
void Read(const FactReader&, const json&, const std::string&, MysqlTableGrant*);
void Read(const FactReader&, const json&, const std::string&, MysqlSessionFacts*);
void Read(const FactReader&, const json&, const std::string&, MysqlTableEncryption*);
void Read(const FactReader&, const json&, const std::string&, MysqlServerFacts*);

template <typename T>
void Read(const FactReader& r, const json& j, const std::string& at, std::optional<T>* out) {
  if (j.is_null()) {
    out->reset();
    return;
  }
  T value{};
  Read(r, j, at, &value);
  *out = std::move(value);
}

template <typename T>
void Read(const FactReader& r, const json& j, const std::string& at, std::vector<T>* out) {
  if (!j.is_array()) r.Fail(at, "expected a list");
  out->clear();
  for (size_t i = 0; i < j.size(); ++i) {
    T value{};
    Read(r, j[i], Item(at, i), &value);
    out->push_back(std::move(value));
  }
}

template <typename T>
void Read(const FactReader& r, const json& j, const std::string& at,
          std::map<std::string, T>* out) {
  if (!j.is_object()) r.Fail(at, "expected an object");
  out->clear();
  for (const auto& [key, value] : j.items()) Read(r, value, at + "." + key, &(*out)[key]);
}

// Reads an object field by field: each call names one member; Done() refuses the rest.
class Fields {
 public:
  Fields(const FactReader& reader, const json& object, std::string at)
      : reader_(reader), object_(object), at_(std::move(at)) {
    if (!object_.is_object()) reader_.Fail(at_, "expected an object");
  }

  template <typename T>
  Fields& operator()(const char* key, T* out) {
    known_.push_back(key);
    auto it = object_.find(key);
    if (it != object_.end()) Read(reader_, *it, Path(key), out);
    return *this;
  }

  // A field the caller reads itself (its JSON form is not the member's): only named here.
  Fields& Known(const char* key) {
    known_.push_back(key);
    return *this;
  }

  void Done() const {
    if (auto unknown = FindUnknownField(object_, known_)) {
      reader_.Fail(Path(unknown->key), unknown->message);
    }
  }

 private:
  std::string Path(const std::string& key) const { return at_.empty() ? key : at_ + "." + key; }

  const FactReader& reader_;
  const json& object_;
  std::string at_;
  std::vector<std::string> known_;
};

void Read(const FactReader& r, const json& j, const std::string& at, Assessment* out) {
  Fields(r, j, at)("assessed", &out->assessed)("missing_privilege", &out->missing_privilege).Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, RoleMembership* out) {
  Fields(r, j, at)("role", &out->role)("via", &out->via).Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, RoleFacts* out) {
  Fields(r, j, at)("name", &out->name)("can_login", &out->can_login)("superuser", &out->superuser)(
      "create_role", &out->create_role)("bypass_rls", &out->bypass_rls)(
      "replication", &out->replication)("valid_until", &out->valid_until)("expired", &out->expired)(
      "member_of", &out->member_of)("powerful_memberships", &out->powerful_memberships)(
      "verifier", &out->verifier)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, HbaRuleFacts* out) {
  Fields(r, j, at)("line", &out->line)("type", &out->type)("databases", &out->databases)(
      "users", &out->users)("address", &out->address)("method", &out->method)("error", &out->error)(
      "netmask", &out->netmask)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, DefinerFunctionFacts* out) {
  Fields(r, j, at)("schema", &out->schema)("name", &out->name)("arguments", &out->arguments)(
      "owner", &out->owner)("owner_superuser", &out->owner_superuser)(
      "sets_search_path", &out->sets_search_path)("public_execute", &out->public_execute)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, ExtensionFacts* out) {
  Fields(r, j, at)("name", &out->name)("version", &out->version)("schema", &out->schema).Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, LanguageFacts* out) {
  Fields(r, j, at)("name", &out->name)("trusted", &out->trusted).Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, SessionFacts* out) {
  Fields(r, j, at)("pid", &out->pid)("user", &out->user)("application", &out->application)(
      "client_address", &out->client_address)("ssl", &out->ssl)("ssl_version", &out->ssl_version)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, RelationAccessFacts* out) {
  Fields(r, j, at)("schema", &out->schema)("table", &out->table)("relkind", &out->relkind)(
      "reads_from", &out->reads_from)("public_select", &out->public_select)(
      "public_column_select", &out->public_column_select)(
      "public_schema_usage", &out->public_schema_usage)("row_security", &out->row_security)(
      "force_row_security", &out->force_row_security)(
      "always_true_public_policies", &out->always_true_public_policies)("policies", &out->policies)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, ArchiverFacts* out) {
  Fields(r, j, at)("archived_count", &out->archived_count)("failed_count", &out->failed_count)(
      "seconds_since_archive", &out->seconds_since_archive)(
      "seconds_since_failure", &out->seconds_since_failure)("failed_after_last_success",
                                                            &out->failed_after_last_success)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, AgeProbe* out) {
  Fields(r, j, at)("schema", &out->schema)("table", &out->table)("column", &out->column)(
      "period", &out->period)("soft_delete", &out->soft_delete)("source", &out->source)(
      "flag_column", &out->flag_column)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, AgeProbeResult* out) {
  Fields(r, j, at)("probe", &out->probe)("assessed", &out->assessed)("reason", &out->reason)(
      "rows_past", &out->rows_past)("rows_total", &out->rows_total)("oldest", &out->oldest)(
      "estimated", &out->estimated)("sample_rows", &out->sample_rows)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, ColumnValueFacts* out) {
  Fields(r, j, at)("column", &out->column)("type", &out->type)("values", &out->values)(
      "ciphertext", &out->ciphertext)("readable_text", &out->readable_text)(
      "other_binary", &out->other_binary)("password_column", &out->password_column)(
      "strong_hashes", &out->strong_hashes)("fast_unsalted", &out->fast_unsalted)(
      "plaintext_passwords", &out->plaintext_passwords)
      .Done();
}

// DatabaseFacts::column_values is keyed by (schema, table): in JSON an object keyed
// "schema.table" (split at the first dot).
void ReadColumnValues(
    const FactReader& r, const json& j, const std::string& at,
    std::map<std::pair<std::string, std::string>, std::vector<ColumnValueFacts>>* out) {
  std::map<std::string, std::vector<ColumnValueFacts>> by_name;
  Read(r, j, at, &by_name);
  out->clear();
  for (auto& [name, columns] : by_name) {
    const size_t dot = name.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) {
      r.Fail(at + "." + name, "expected a \"schema.table\" key");
    }
    (*out)[{name.substr(0, dot), name.substr(dot + 1)}] = std::move(columns);
  }
}

void Read(const FactReader& r, const json& j, const std::string& at, DatabaseFacts* out) {
  Fields fields(r, j, at);
  fields("database", &out->database)("server_version", &out->server_version)(
      "current_user", &out->current_user)("current_user_superuser", &out->current_user_superuser)(
      "settings", &out->settings)("settings_assessment", &out->settings_assessment)(
      "roles", &out->roles)("roles_assessment", &out->roles_assessment)(
      "verifiers_assessment", &out->verifiers_assessment)("hba_rules", &out->hba_rules)(
      "hba_assessment", &out->hba_assessment)("sessions", &out->sessions)(
      "sessions_assessment", &out->sessions_assessment)("own_session_ssl", &out->own_session_ssl)(
      "own_session_tcp", &out->own_session_tcp)("relations", &out->relations)(
      "relations_assessment", &out->relations_assessment)("schemas_public_create",
                                                          &out->schemas_public_create)(
      "schemas_assessment", &out->schemas_assessment)("archiver", &out->archiver)(
      "archiver_assessment", &out->archiver_assessment)("ages", &out->ages)(
      "definer_functions", &out->definer_functions)(
      "functions_assessment", &out->functions_assessment)("extensions", &out->extensions)(
      "extensions_assessment", &out->extensions_assessment)("languages", &out->languages)(
      "languages_assessment", &out->languages_assessment)("server_date", &out->server_date);
  fields.Known("column_values");
  if (j.contains("column_values")) {
    ReadColumnValues(r, j.at("column_values"), at.empty() ? "column_values" : at + ".column_values",
                     &out->column_values);
  }
  fields.Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, BackupSetFacts* out) {
  Fields(r, j, at)("label", &out->label)("type", &out->type)("stop_epoch", &out->stop_epoch)(
      "error", &out->error)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, BackupSourceFacts* out) {
  Fields(r, j, at)("kind", &out->kind)("name", &out->name)("readable", &out->readable)(
      "reason", &out->reason)("status_code", &out->status_code)(
      "status_message", &out->status_message)("backups", &out->backups)("cipher", &out->cipher)(
      "files", &out->files)("unencrypted_files", &out->unencrypted_files)(
      "unrecognised_files", &out->unrecognised_files)("unencrypted_names", &out->unencrypted_names)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, BackupFacts* out) {
  Fields(r, j, at)("sources", &out->sources).Done();
}

// FileFacts::mode: a number, or an octal string as ls and chmod write it ("0644").
void ReadMode(const FactReader& r, const json& j, const std::string& at, uint32_t* out) {
  if (j.is_number_unsigned() && j.get<uint64_t>() <= 07777) {
    *out = j.get<uint32_t>();
    return;
  }
  if (j.is_string()) {
    const std::string text = j.get<std::string>();
    if (!text.empty() && text.size() <= 5 &&
        text.find_first_not_of("01234567") == std::string::npos) {
      *out = static_cast<uint32_t>(std::stoul(text, nullptr, 8));
      return;
    }
  }
  r.Fail(at, "expected permission bits: an octal string such as \"0644\" or a number");
}

void Read(const FactReader& r, const json& j, const std::string& at, FileFacts* out) {
  Fields fields(r, j, at);
  fields("relative", &out->relative)("modified_epoch", &out->modified_epoch)("size", &out->size)(
      "container", &out->container)("encrypted", &out->encrypted);
  fields.Known("mode");
  if (j.contains("mode")) ReadMode(r, j.at("mode"), at.empty() ? "mode" : at + ".mode", &out->mode);
  fields.Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, MysqlAccountFacts* out) {
  Fields(r, j, at)("user", &out->user)("host", &out->host)("plugins", &out->plugins)(
      "empty_password", &out->empty_password)("old_hash", &out->old_hash)("locked", &out->locked)(
      "password_lifetime_days", &out->password_lifetime_days)(
      "global_privileges", &out->global_privileges)("all_privileges", &out->all_privileges)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, MysqlTableGrant* out) {
  Fields(r, j, at)("user", &out->user)("host", &out->host)("schema", &out->schema)("table",
                                                                                   &out->table)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, MysqlSessionFacts* out) {
  Fields(r, j, at)("user", &out->user)("host", &out->host)("connection_type", &out->connection_type)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, MysqlTableEncryption* out) {
  Fields(r, j, at)("schema", &out->schema)("table", &out->table)("encrypted", &out->encrypted)
      .Done();
}

void Read(const FactReader& r, const json& j, const std::string& at, MysqlServerFacts* out) {
  Fields(r, j, at)("flavour", &out->flavour)("version", &out->version)(
      "current_user", &out->current_user)("variables", &out->variables)(
      "variables_assessment", &out->variables_assessment)("accounts", &out->accounts)(
      "accounts_assessment", &out->accounts_assessment)(
      "privileges_assessment", &out->privileges_assessment)("table_grants", &out->table_grants)(
      "table_grants_assessment", &out->table_grants_assessment)("sessions", &out->sessions)(
      "sessions_assessment", &out->sessions_assessment)("plugins", &out->plugins)(
      "plugins_assessment", &out->plugins_assessment)("table_encryption", &out->table_encryption)(
      "table_encryption_assessment", &out->table_encryption_assessment)("ages", &out->ages)
      .Done();
}

template <typename Facts>
Facts ReadFactsText(const std::string& text, const std::string& file) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (doc.is_discarded()) throw PolicyError(file, "", "not JSON");
  FactReader reader(file);
  Facts facts{};
  Read(reader, doc, "", &facts);
  return facts;
}

// The baseline server (check_fixtures.h): CleanFacts() of tests/unit/checks as data.
constexpr const char* kBaseline = R"({
  "database": "crm",
  "server_version": 150099,
  "server_date": "2026-12-01",
  "settings": {"ssl": "on", "ssl_min_protocol_version": "TLSv1.2",
               "password_encryption": "scram-sha-256", "log_connections": "on",
               "log_disconnections": "on", "log_statement": "ddl",
               "log_min_duration_statement": "-1", "archive_mode": "on",
               "archive_timeout": "300", "pgaudit.log": "ddl,role",
               "listen_addresses": "localhost", "logging_collector": "on",
               "log_destination": "stderr", "log_file_mode": "0600",
               "log_line_prefix": "%m [%p] %q%u@%d %r ", "debug_print_parse": "off",
               "debug_print_rewritten": "off", "debug_print_plan": "off",
               "data_checksums": "on", "shared_preload_libraries": "passwordcheck,auth_delay",
               "auth_delay.milliseconds": "500"},
  "settings_assessment": {"assessed": true},
  "roles": [
    {"name": "crm_app", "can_login": true, "valid_until": "2030-01-01 00:00:00+00",
     "verifier": "scram-sha-256"},
    {"name": "postgres", "can_login": true, "superuser": true, "verifier": "scram-sha-256"}],
  "roles_assessment": {"assessed": true},
  "verifiers_assessment": {"assessed": true},
  "hba_rules": [
    {"line": 1, "type": "local", "databases": "all", "users": "postgres", "method": "peer"},
    {"line": 2, "type": "hostssl", "databases": "crm", "users": "crm_app", "address": "10.0.0.0/8",
     "method": "scram-sha-256"}],
  "hba_assessment": {"assessed": true},
  "sessions_assessment": {"assessed": true},
  "relations": [{"schema": "crm", "table": "contacts", "row_security": true,
                 "policies": ["tenant_rows"]}],
  "relations_assessment": {"assessed": true},
  "schemas_assessment": {"assessed": true},
  "archiver": {"archived_count": 100, "seconds_since_archive": 60},
  "archiver_assessment": {"assessed": true},
  "functions_assessment": {"assessed": true},
  "extensions_assessment": {"assessed": true},
  "languages": [{"name": "plpgsql", "trusted": true}],
  "languages_assessment": {"assessed": true}
})";

// The baseline MariaDB server (check_fixtures.h): TLS required, encryption at rest with a key
// plugin, binlogs kept a week, the audit plugin logging, root on unix_socket only, the CRM
// application account on ed25519 from its subnet, the auditor with PROCESS.
constexpr const char* kMysqlBaseline = R"({
  "flavour": "mariadb",
  "version": "10.11.6-MariaDB",
  "current_user": "auditor@localhost",
  "variables": {"have_ssl": "YES", "require_secure_transport": "ON",
                "tls_version": "TLSv1.2,TLSv1.3", "innodb_encrypt_tables": "ON",
                "innodb_encrypt_log": "ON", "encrypt_binlog": "ON", "log_bin": "ON",
                "binlog_expire_logs_seconds": "604800", "expire_logs_days": "7.000000",
                "default_password_lifetime": "180", "local_infile": "OFF",
                "secure_file_priv": "/var/lib/mysql-files/", "general_log": "OFF",
                "general_log_file": "db.log", "log_output": "FILE",
                "server_audit_logging": "ON", "server_audit_events": "CONNECT,QUERY_DDL,QUERY_DCL",
                "performance_schema": "ON"},
  "variables_assessment": {"assessed": true},
  "accounts": [
    {"user": "root", "host": "localhost", "plugins": ["unix_socket"], "all_privileges": true,
     "global_privileges": ["SELECT", "SUPER", "FILE", "PROCESS", "GRANT OPTION"]},
    {"user": "mariadb.sys", "host": "localhost", "plugins": ["mysql_native_password"],
     "empty_password": true, "locked": true},
    {"user": "crm_app", "host": "10.0.0.%", "plugins": ["ed25519"]},
    {"user": "auditor", "host": "localhost", "plugins": ["ed25519"],
     "global_privileges": ["PROCESS"]}],
  "accounts_assessment": {"assessed": true},
  "privileges_assessment": {"assessed": true},
  "table_grants": [{"user": "crm_app", "host": "10.0.0.%", "schema": "crm", "table": ""},
                   {"user": "auditor", "host": "localhost", "schema": "crm", "table": ""}],
  "table_grants_assessment": {"assessed": true},
  "sessions": [{"user": "crm_app", "host": "10.0.0.5", "connection_type": "SSL/TLS"}],
  "sessions_assessment": {"assessed": true},
  "plugins": ["server_audit", "file_key_management", "ed25519", "unix_socket"],
  "plugins_assessment": {"assessed": true},
  "table_encryption": [{"schema": "crm", "table": "contacts", "encrypted": true}],
  "table_encryption_assessment": {"assessed": true}
})";

// ---- Fixtures ----

constexpr const char* kFixtureFields[] = {"name",    "facts", "mysql",       "pii",  "controls",
                                          "backups", "now",   "pii_columns", "file", "expect"};
constexpr const char* kExpectFields[] = {"status", "outcome", "object"};
constexpr const char* kPiiFields[] = {"schema", "table", "column", "entities", "relkind"};

// The family a fixture exercises, by the inputs it gives.
enum class Family { kDatabase, kMysql, kBackups, kExportFile };

struct Expectation {
  std::string status;
  std::optional<std::string> outcome, object;
};

struct Fixture {
  std::string name;
  Family family = Family::kDatabase;
  DatabaseFacts facts;
  MysqlServerFacts mysql;
  std::vector<PiiColumnRef> pii;
  ControlPolicy controls;
  BackupFacts backups;
  FileFacts file;
  uint64_t pii_columns = 0;
  int64_t now = 0;
  std::vector<Expectation> expect;
};

void Read(const FactReader& r, const json& j, const std::string& at, PiiColumnRef* out) {
  if (!j.is_object()) r.Fail(at, "expected an object");
  if (auto unknown = FindUnknownField(j, kPiiFields)) {
    r.Fail(at + "." + unknown->key, unknown->message);
  }
  for (const char* key : {"schema", "table", "column"}) {
    if (!j.contains(key)) r.Fail(at + "." + key, "missing");
  }
  Read(r, j.at("schema"), at + ".schema", &out->schema);
  Read(r, j.at("table"), at + ".table", &out->table);
  Read(r, j.at("column"), at + ".column", &out->column);
  if (j.contains("entities")) Read(r, j.at("entities"), at + ".entities", &out->entities);
  if (j.contains("relkind")) Read(r, j.at("relkind"), at + ".relkind", &out->relkind);
}

Fixture ReadFixture(const json& j, const std::string& at, const std::string& file,
                    const CheckCatalog& catalog) {
  const FactReader r(file);
  if (!j.is_object()) r.Fail(at, "expected an object");
  if (auto unknown = FindUnknownField(j, kFixtureFields)) {
    r.Fail(at + "." + unknown->key, unknown->message);
  }
  Fixture fixture;
  if (!j.contains("name")) r.Fail(at + ".name", "missing (what the fixture shows)");
  Read(r, j.at("name"), at + ".name", &fixture.name);
  const bool has_facts = j.contains("facts"), has_mysql = j.contains("mysql"),
             has_backups = j.contains("backups"), has_file = j.contains("file");
  if (has_facts + has_mysql + has_backups + has_file > 1) {
    r.Fail(at, "give one of \"facts\", \"mysql\", \"backups\" or \"file\"");
  }
  fixture.family = has_backups ? Family::kBackups
                   : has_file  ? Family::kExportFile
                   : has_mysql ? Family::kMysql
                               : Family::kDatabase;
  const bool server = fixture.family == Family::kDatabase || fixture.family == Family::kMysql;
  if (!server && !j.contains("now")) {
    r.Fail(at + ".now", "missing (the scan time, epoch seconds)");
  }
  if (server && j.contains("now")) {
    r.Fail(at + ".now", "only with \"backups\" or \"file\"");
  }
  if (fixture.family != Family::kExportFile && j.contains("pii_columns")) {
    r.Fail(at + ".pii_columns", "only with \"file\"");
  }
  if (!server && j.contains("pii")) {
    r.Fail(at + ".pii", "only with database facts");
  }

  if (fixture.family == Family::kDatabase) {
    json facts = json::parse(kBaseline);
    if (has_facts) {
      const json& given = j.at("facts");
      if (!given.is_object()) r.Fail(at + ".facts", "expected an object");
      for (const auto& [key, value] : given.items()) {
        if (key == "settings" && value.is_object()) {
          for (const auto& [name, setting] : value.items()) facts["settings"][name] = setting;
        } else {
          facts[key] = value;
        }
      }
    }
    Read(r, facts, at + ".facts", &fixture.facts);
    if (j.contains("pii")) Read(r, j.at("pii"), at + ".pii", &fixture.pii);
  } else if (fixture.family == Family::kMysql) {
    // Like "facts": over the MariaDB baseline, "variables" merged name by name.
    json facts = json::parse(kMysqlBaseline);
    const json& given = j.at("mysql");
    if (!given.is_object()) r.Fail(at + ".mysql", "expected an object");
    for (const auto& [key, value] : given.items()) {
      if (key == "variables" && value.is_object()) {
        for (const auto& [name, setting] : value.items()) facts["variables"][name] = setting;
      } else {
        facts[key] = value;
      }
    }
    Read(r, facts, at + ".mysql", &fixture.mysql);
    if (j.contains("pii")) Read(r, j.at("pii"), at + ".pii", &fixture.pii);
  } else if (fixture.family == Family::kBackups) {
    Read(r, j.at("backups"), at + ".backups", &fixture.backups);
  } else {
    Read(r, j.at("file"), at + ".file", &fixture.file);
    if (j.contains("pii_columns")) {
      Read(r, j.at("pii_columns"), at + ".pii_columns", &fixture.pii_columns);
    }
  }
  if (j.contains("now")) Read(r, j.at("now"), at + ".now", &fixture.now);

  ControlLayer layer;
  if (j.contains("controls")) {
    try {
      layer = ReadControlLayer(j.at("controls"), file);
    } catch (const PolicyError& error) {
      r.Fail(at + "." + error.field(), error.message());
    }
  }
  fixture.controls = MergeControlPolicy(catalog.parameters().defaults, {&layer}, nullptr);

  if (!j.contains("expect") || !j.at("expect").is_array()) {
    r.Fail(at + ".expect", "expected a list of the check's outcomes, in order");
  }
  const json& expect = j.at("expect");
  for (size_t i = 0; i < expect.size(); ++i) {
    const std::string where = Item(at + ".expect", i);
    const json& item = expect[i];
    if (!item.is_object()) r.Fail(where, "expected an object");
    if (auto unknown = FindUnknownField(item, kExpectFields)) {
      r.Fail(where + "." + unknown->key, unknown->message);
    }
    Expectation expectation;
    if (!item.contains("status")) r.Fail(where + ".status", "missing");
    Read(r, item.at("status"), where + ".status", &expectation.status);
    if (expectation.status != "pass" && expectation.status != "fail" &&
        expectation.status != "not_assessed") {
      r.Fail(where + ".status", "expected pass, fail or not_assessed");
    }
    if (item.contains("outcome")) {
      std::string outcome;
      Read(r, item.at("outcome"), where + ".outcome", &outcome);
      expectation.outcome = outcome;
    }
    if (item.contains("object")) {
      std::string object;
      Read(r, item.at("object"), where + ".object", &object);
      expectation.object = object;
    }
    fixture.expect.push_back(std::move(expectation));
  }
  return fixture;
}

std::string Describe(const ControlOutcome& outcome) {
  std::string text(OutcomeStatusName(outcome.status));
  if (!outcome.outcome.empty()) text += " " + outcome.outcome;
  if (!outcome.object.empty()) text += " (" + outcome.object + ")";
  return text;
}

std::string Describe(const Expectation& expectation) {
  std::string text = expectation.status;
  if (expectation.outcome) text += " " + *expectation.outcome;
  if (expectation.object) text += " (" + *expectation.object + ")";
  return text;
}

// The problems of one fixture: unmet expectations, templates left unfilled.
std::vector<std::string> RunFixture(const CheckDefinition& check, const Fixture& fixture,
                                    const CheckCatalog& catalog) {
  // CFG-02 judges the server's version against the shipped release list, as a scan does.
  static const PostgresReleases releases = LoadShippedPostgresReleases(DefaultPolicySearchDirs());
  const DatabaseCheckContext context{"t1", "crm", &releases};
  std::vector<ControlOutcome> all;
  switch (fixture.family) {
    case Family::kDatabase:
      RunDatabaseChecks(fixture.facts, fixture.pii, fixture.controls.database, context, &all);
      break;
    case Family::kMysql:
      RunMysqlChecks(fixture.mysql, fixture.pii, fixture.controls.database, context, &all);
      break;
    case Family::kBackups:
      CheckBackups(fixture.backups, fixture.controls.database, context, fixture.now, &all);
      break;
    case Family::kExportFile: {
      Location location;
      location.kind = "file";
      location.target = context.target;
      location.path = fixture.file.relative;
      CheckExportFile(fixture.file, location, fixture.pii_columns, fixture.controls.exports,
                      fixture.now, &all);
      break;
    }
  }
  std::vector<ControlOutcome> outcomes;
  for (const auto& outcome : all) {
    if (outcome.rule == check.id) outcomes.push_back(outcome);
  }

  std::vector<std::string> problems;
  const size_t common = std::min(outcomes.size(), fixture.expect.size());
  for (size_t i = 0; i < common; ++i) {
    const Expectation& want = fixture.expect[i];
    const ControlOutcome& got = outcomes[i];
    const bool same = want.status == OutcomeStatusName(got.status) &&
                      (!want.outcome || *want.outcome == got.outcome) &&
                      (!want.object || *want.object == got.object);
    if (!same) {
      problems.push_back("expect[" + std::to_string(i) + "]: expected " + Describe(want) +
                         ", found " + Describe(got));
    }
  }
  for (size_t i = common; i < fixture.expect.size(); ++i) {
    problems.push_back("expect[" + std::to_string(i) + "]: expected " +
                       Describe(fixture.expect[i]) + ", found no further outcome");
  }
  for (size_t i = common; i < outcomes.size(); ++i) {
    problems.push_back("outcome " + std::to_string(i) + " not expected: " + Describe(outcomes[i]));
  }

  // Rendered as a scan renders them: an unknown outcome key fails here.
  try {
    std::vector<Finding> findings;
    std::vector<ControlResult> results;
    JudgeOutcomes(outcomes, catalog, {}, &findings, &results);
  } catch (const std::logic_error& error) {
    problems.push_back(std::string("rendering: ") + error.what());
    return problems;
  }
  // Every template of the outcome, in every locale, filled.
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const ControlOutcome& outcome = outcomes[i];
    if (outcome.status == OutcomeStatus::kPass) continue;
    std::vector<std::pair<std::string, std::string>> templates;
    const OutcomeText& english = check.outcomes.at(outcome.outcome);
    templates.emplace_back("title", english.title);
    templates.emplace_back("remediation", english.remediation);
    for (const auto& [locale, texts] : check.texts) {
      auto localized = texts.outcomes.find(outcome.outcome);
      if (localized == texts.outcomes.end()) continue;
      templates.emplace_back("texts." + locale + " title", localized->second.title);
      templates.emplace_back("texts." + locale + " remediation", localized->second.remediation);
    }
    for (const auto& [what, text] : templates) {
      std::vector<std::string> missing;
      FillTemplate(text, outcome.values, &missing);
      for (const auto& name : missing) {
        problems.push_back("outcome " + std::to_string(i) + " (" + outcome.outcome + "): " + what +
                           " placeholder {" + name + "} has no value");
      }
    }
  }
  return problems;
}

}  // namespace

const char* BaselineFactsJson() { return kBaseline; }
const char* MysqlBaselineFactsJson() { return kMysqlBaseline; }

MysqlServerFacts ReadMysqlServerFactsJson(const std::string& json_text, const std::string& file) {
  return ReadFactsText<MysqlServerFacts>(json_text, file);
}

DatabaseFacts ReadDatabaseFactsJson(const std::string& json_text, const std::string& file) {
  return ReadFactsText<DatabaseFacts>(json_text, file);
}
BackupFacts ReadBackupFactsJson(const std::string& json_text, const std::string& file) {
  return ReadFactsText<BackupFacts>(json_text, file);
}
FileFacts ReadFileFactsJson(const std::string& json_text, const std::string& file) {
  return ReadFactsText<FileFacts>(json_text, file);
}

CheckFixtureResult RunCheckFixtures(const CheckDefinition& check, const CheckCatalog& catalog) {
  CheckFixtureResult result;
  result.check = check.id;
  const json fixtures = json::parse(check.fixtures_json, nullptr, /*allow_exceptions=*/false);
  if (!fixtures.is_array() || fixtures.empty()) {
    result.failures.push_back({"-", {"no fixtures"}});
    return result;
  }
  const std::string at = (check.field.empty() ? check.id : check.field) + ".fixtures";
  for (size_t i = 0; i < fixtures.size(); ++i) {
    ++result.fixtures;
    const std::string where = Item(at, i);
    std::string name = where;
    if (fixtures[i].is_object() && fixtures[i].contains("name") &&
        fixtures[i].at("name").is_string()) {
      name = fixtures[i].at("name").get<std::string>();
    }
    std::vector<std::string> problems;
    try {
      const Fixture fixture = ReadFixture(fixtures[i], where, check.file, catalog);
      problems = RunFixture(check, fixture, catalog);
    } catch (const PolicyError& error) {
      problems.push_back(error.what());
    } catch (const std::exception& error) {
      problems.push_back(std::string("the check threw: ") + error.what());
    }
    if (problems.empty()) {
      ++result.passed;
    } else {
      result.failures.push_back({name, std::move(problems)});
    }
  }
  return result;
}

std::vector<CheckFixtureResult> RunCatalogFixtures(const CheckCatalog& catalog) {
  std::vector<CheckFixtureResult> results;
  for (const auto& check : catalog.checks()) results.push_back(RunCheckFixtures(check, catalog));
  return results;
}

}  // namespace crmaudit
