// DatabaseFacts: what crmaudit learned about one PostgreSQL database's server settings, roles,
// authentication, sessions, privileges, archiving and data ages. Only facts, no judgement:
// checks/ decides what is a finding.
//
// Invariant: every group that needs a privilege carries `assessed` and, when false,
// `missing_privilege` naming what the auditor role lacked, so checks report not_assessed
// instead of passing. Nothing here holds personal data: role and table names, settings,
// counts and timestamps only.
//
// For a second database engine: the groups are engine-neutral concepts, though today's
// fields and reasons use PostgreSQL's words. Another engine's reader fills the same groups
// (mapping its own catalog) and leaves a group not assessed, naming why, when it has no
// equivalent; the checks then need no change.
// - TLS: `settings` ssl / ssl_min_protocol_version, `sessions` (other clients' transport),
//   own_session_* (crmaudit's own connection).
// - Accounts: `roles` (login, expiry, verifier kind), `verifiers_assessment`.
// - Privileges: RoleFacts::powerful_memberships and superuser/create_role/bypass_rls,
//   `relations` (what PUBLIC may read, row security, policies), `schemas_public_create`.
// - Exposure: `hba_rules` (who may connect from where, by which method), `settings`
//   listen_addresses.
// - Logging: `settings` log_* and pgaudit.log.
// - Backups: `archiver` (continuous archiving), `settings` archive_* and wal_level; backup
//   repositories are BackupFacts, collected apart.
// - Retention: `ages` (rows past a period, soft-deleted rows past the grace period) and
//   `column_values` (what the readers noticed about stored values).
// The PostgreSQL-only parts are the setting names themselves, `server_version`'s encoding
// (e.g. 150018) and RelationAccessFacts::relkind's letters.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scanner/facts/column_value_facts.h"

namespace crmaudit {

struct Assessment {
  bool assessed = false;
  std::string missing_privilege;  // when not assessed: e.g. "superuser or SELECT on pg_authid"
};

// A role this role is a member of, directly or through other roles (pg_auth_members, followed
// recursively). `via` is the role granted directly to this one on the way (== role when the
// grant is direct): REVOKE via FROM this role is what removes the membership.
struct RoleMembership {
  std::string role;
  std::string via;
};

struct RoleFacts {
  std::string name;
  bool can_login = false;
  bool superuser = false, create_role = false, bypass_rls = false, replication = false;
  std::optional<std::string> valid_until;  // nullopt = no expiry; "infinity" also means none
  bool expired = false;                    // valid_until is in the past
  // Real memberships only (pg_auth_members): never pg_has_role, which is true for every role
  // when the member is a superuser.
  std::vector<RoleMembership> member_of;             // every role reached, for pg_hba +group
  std::vector<RoleMembership> powerful_memberships;  // of those: pg_read_all_data, superusers...
  std::string verifier;  // "scram-sha-256", "md5", "none", "plaintext"; empty when unknown
};

struct HbaRuleFacts {
  int line = 0;
  std::string type;  // local, host, hostssl, hostnossl, hostgssenc, hostnogssenc
  std::string databases, users, address, method;
  std::string error;
  // The address's netmask as pg_hba_file_rules prints it ("0.0.0.0" for 0.0.0.0/0); empty for
  // keywords (all, samehost, samenet), host names and local lines. NET-01 reads it.
  std::string netmask = {};
};

// A client session over TCP seen in pg_stat_activity. crmaudit's own sessions are left out by
// the reader (they are the operator's choice of sslmode, not a fact about the server): see
// DatabaseFacts::own_session_*.
struct SessionFacts {
  int pid = 0;
  std::string user, application, client_address;
  bool ssl = false;
  std::string ssl_version;
};

struct RelationAccessFacts {
  std::string schema, table;
  char relkind = 'r';  // r table, p partitioned, v view, m materialized view, f foreign
  // For a view: the tables, views and materialized views it reads (pg_rewrite dependencies).
  std::vector<std::pair<std::string, std::string>> reads_from;
  bool public_select = false;         // has_table_privilege('public', oid, 'SELECT')
  bool public_column_select = false;  // has_any_column_privilege('public', oid, 'SELECT')
  bool public_schema_usage = false;
  bool row_security = false, force_row_security = false;
  std::vector<std::string> always_true_public_policies;  // policy names
  std::vector<std::string> policies;                     // all policy names
};

struct ArchiverFacts {
  uint64_t archived_count = 0, failed_count = 0;
  std::optional<double> seconds_since_archive;  // now - last_archived_time
  std::optional<double> seconds_since_failure;
  bool failed_after_last_success = false;
};

// RET-01 / RET-02 probe results: rows of a table older than a period.
struct AgeProbe {
  std::string schema, table, column;
  std::string period;        // PostgreSQL interval text, e.g. "2 years"
  bool soft_delete = false;  // RET-02: column marks deletion (deleted_at)
  std::string source;        // "pack mapping" or "automatic"
  // RET-02 with a boolean flag (is_deleted, is_archived...): rows where the flag is true are
  // the deleted ones. `column` is then the row's modification timestamp (updated_at...) that
  // dates the deletion, or empty when the table has none: every flagged row is counted and
  // its deletion date is unknown.
  std::string flag_column = {};
};

struct AgeProbeResult {
  AgeProbe probe;
  bool assessed = false;
  std::string reason;  // when not assessed: privilege, timeout...
  uint64_t rows_past = 0;
  uint64_t rows_total = 0;
  std::string oldest;  // ISO date of the oldest value past the period; empty if none
  // A sampled scan's estimate (sources/postgres/age_reader.h): rows_past and rows_total are
  // scaled from a sample of `sample_rows` rows, and `oldest` is the oldest such row in the
  // sample. false: every row was counted. rows_past > 0 still means rows past the period
  // exist (the sample's rows are real rows); 0 means none in the sample.
  bool estimated = false;
  uint64_t sample_rows = 0;
};

// A SECURITY DEFINER function outside pg_catalog and information_schema (AC-06): it runs with
// its owner's privileges, whoever calls it.
struct DefinerFunctionFacts {
  std::string schema, name;
  std::string arguments;  // pg_get_function_identity_arguments: "integer, text"
  std::string owner;
  bool owner_superuser = false;
  bool sets_search_path = false;  // proconfig has search_path=...
  bool public_execute = false;    // has_function_privilege('public', oid, 'EXECUTE')
};

// An installed extension (pg_extension), for EXT-01.
struct ExtensionFacts {
  std::string name, version, schema;
};

// A procedural language (pg_language) other than internal and c, for EXT-01.
struct LanguageFacts {
  std::string name;
  bool trusted = true;  // lanpltrusted: false = functions run unchecked as the server's OS user
};

struct DatabaseFacts {
  std::string database;
  int server_version = 0;
  std::string current_user;
  bool current_user_superuser = false;

  std::map<std::string, std::string> settings;  // name → value as SHOW prints it
  Assessment settings_assessment;

  std::vector<RoleFacts> roles;
  Assessment roles_assessment;
  Assessment verifiers_assessment;  // RoleFacts::verifier filled when assessed

  std::vector<HbaRuleFacts> hba_rules;
  Assessment hba_assessment;

  std::vector<SessionFacts> sessions;  // other TCP sessions (client_address set), not ours
  Assessment sessions_assessment;      // assessed = every user's sessions were visible
  // crmaudit's own connection (the one collecting these facts; the readers' are alike).
  bool own_session_ssl = false;
  bool own_session_tcp = false;

  std::vector<RelationAccessFacts> relations;
  Assessment relations_assessment;
  std::vector<std::string> schemas_public_create;
  Assessment schemas_assessment;

  ArchiverFacts archiver;
  Assessment archiver_assessment;

  std::vector<AgeProbeResult> ages;

  // Hardening (sources/postgres/hardening_facts_reader.h). Server settings they need (logging,
  // data_checksums, auth_delay, shared_preload_libraries) are in `settings`.
  std::vector<DefinerFunctionFacts> definer_functions;
  Assessment functions_assessment;
  std::vector<ExtensionFacts> extensions;
  Assessment extensions_assessment;
  std::vector<LanguageFacts> languages;
  Assessment languages_assessment;
  // The server's current_date (ISO), read with the hardening facts: CFG-02 compares a major
  // version's end-of-life date with it. Empty when it could not be read.
  std::string server_date;

  // Per table (schema, table): what readers noticed about value forms.
  std::map<std::pair<std::string, std::string>, std::vector<ColumnValueFacts>> column_values;
};

}  // namespace crmaudit
