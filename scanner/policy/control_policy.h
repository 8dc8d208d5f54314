// ControlPolicy: the typed parameters of the control checks (database, backup, retention and
// export checks), read from the "controls" object of policy packs and of the audit file.
//
// Reading is strict and happens when the pack or audit file is loaded, before anything is
// scanned: an unknown key, a wrong type or an impossible value is a PolicyError naming the file
// and the JSON path of the field (e.g. `controls.backup.max_age_hours`), which `crmaudit scan`
// and `crmaudit policy test` report with exit 2. Checks read the merged ControlPolicy and never
// see JSON.
//
// Parameters: every one, with its type, default and meaning, is listed in
// policies/checks/parameters.json, the ONE home of the defaults (docs/policy-packs.md "Control
// parameters" shows the same table). Every key is optional; a parameter that no pack and no
// audit file sets has its default from that file. The defaults are read by ReadControlLayer
// like a pack's "controls", so they obey the same types. The member initialisers of
// DatabaseControls and ExportControls are neutral (empty, zero, false): a ControlPolicy comes
// from MergeControlPolicy, never from a default-constructed struct.
//   checks.<RULE>.severity / frameworks / enabled: per check; <RULE> is a check id of the
//   catalog (ENC-07 and RET-03 take their severities from exports.*_severity instead).
// Periods are "<n> day(s)|week(s)|month(s)|year(s)" with n >= 1.
//
// Merge rule (one for every parameter): the audit file overrides the packs; among packs, the
// stricter value wins. Packs are frameworks and company policies that all apply at once, so no
// pack can loosen another (a GDPR pack and a PIPL pack loaded together must both be met); the
// audit file is the operator's decision for this one audit (an allow-listed break-glass role, a
// backup schedule agreed with the auditor), so it has the last word and is recorded in the
// report as the "audit-file" pack. "Stricter" per type:
//   severity: the higher; frameworks: the union; enabled: true if any pack enables;
//   TLS version, boolean requirements: the higher / true; ages, periods, factors: the shorter;
//   allow-lists and exemptions: the intersection; sensitive entities and column-name lists: the
//   union (more names recognised = more tables and columns assessed); retention.tables: all
//   rules, the shorter period where two packs map the same table pattern and column.
// A pack value replaces the default (it does not merge with it), looser or stricter: the
// defaults are not a pack. The audit file's value replaces the merged pack value; its
// retention.tables rules are tried before the packs' (the first matching rule applies), so they
// override the packs' for the tables they name.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scanner/model/severity.h"

namespace crmaudit {

struct CheckMeta {
  Severity severity = Severity::kMedium;
  std::map<std::string, std::vector<std::string>> frameworks;  // "GDPR" -> {"Art. 32(1)(a)"}
  bool enabled = true;
  bool severity_set = false;  // false: the check's built-in severity applies
};

struct RetentionRule {
  std::string table_pattern;  // glob over "schema.table"
  std::string column;
  std::string period;  // "2 years", "90 days"...
  std::string origin;  // "FILE: controls.retention.tables[0]", for messages about the rule
};

struct DatabaseControls {
  std::map<std::string, CheckMeta> checks;  // by rule id; missing = built-in default
  // Neutral initialisers: the values come from policies/checks/parameters.json through
  // MergeControlPolicy (see the header comment).
  std::string min_tls_version;
  std::vector<std::string> superuser_allow_list;
  std::vector<std::string> powerful_allow_list;
  std::vector<std::string> expiry_exempt_roles;
  // MySQL/MariaDB (MY-AC-05, MY-AC-07, MY-AC-08): user names allowed global administrative
  // privileges, and the longest password lifetime accepted.
  std::vector<std::string> admin_allow_list;
  double max_password_lifetime_days = 0;
  std::vector<std::string> sensitive_entities;
  std::vector<std::string> risky_extensions;  // EXT-01
  double backup_max_age_hours = 0;
  bool backup_require_encryption = false;
  double archive_max_age_hours = 0;
  double archive_timeout_factor = 0;  // stale when last archive > factor × archive_timeout
  std::string default_retention;
  std::vector<std::string> retention_candidate_columns;
  std::vector<RetentionRule> retention_rules;
  std::vector<std::string> soft_delete_columns;
  std::string soft_delete_grace;
  // Boolean soft-delete flags, and the modification timestamps that date a flagged row.
  std::vector<std::string> soft_delete_flag_columns;
  std::vector<std::string> modification_columns;

  // The metadata of a rule, with the built-in default severity when no pack sets one.
  CheckMeta Meta(const std::string& rule, Severity default_severity) const;
};

struct ExportControls {
  // ENC-07 and RET-03 as the packs map them: frameworks (replacing the built-in references when
  // given) and enabled. Their severities are the *_severity fields below (checks.ENC-07.severity
  // and checks.RET-03.severity are refused when read, so there is one place for each).
  std::map<std::string, CheckMeta> checks;
  int max_age_days = 0;                           // RET-03: exports older than this
  Severity readable_severity = Severity::kInfo;   // ENC-07, plaintext and group/other-readable
  Severity plaintext_severity = Severity::kInfo;  // ENC-07, plaintext but owner-only
  Severity stale_severity = Severity::kInfo;      // RET-03
};

struct ControlPolicy {
  DatabaseControls database;
  ExportControls exports;
};

// What one file says about one check: only the fields it sets.
struct CheckSetting {
  std::optional<Severity> severity;
  std::map<std::string, std::vector<std::string>> frameworks;
  std::optional<bool> enabled;
};

// One "controls" object as read from one file: only the parameters it sets, keyed by their
// path below "controls" (the parameter table above).
struct ControlLayer {
  std::string file;    // the pack or audit file, for messages
  std::string sha256;  // of the object as read (compact JSON), to record which one was used
  std::map<std::string, CheckSetting> checks;
  std::map<std::string, std::vector<std::string>> string_lists;  // "roles.expiry_exempt" -> ...
  std::map<std::string, double> numbers;                         // "backup.max_age_hours" -> 26
  std::map<std::string, bool> flags;                             // "backup.require_encryption"
  std::map<std::string, std::string> texts;    // "tls.min_protocol_version", periods
  std::map<std::string, Severity> severities;  // "exports.readable_severity"
  std::vector<RetentionRule> retention_rules;
  bool sets_retention_rules = false;

  bool empty() const;
};

// Reads a "controls" object. `file` names the pack or audit file in errors; fields are named
// from "controls." on. Throws PolicyError on an unknown key, a wrong type or an impossible value.
ControlLayer ReadControlLayer(const nlohmann::json& controls, const std::string& file);

// One parameter of policies/checks/parameters.json.
struct ControlParameter {
  std::string name;          // "backup.max_age_hours", or "checks.<ID>.severity"
  std::string type;          // "positive_number", "names", "period", ... (the file's words)
  std::string default_json;  // compact JSON; "null" when the catalog entry gives the default
  std::string description;
};

// The parameters file read: the list (in file order) and the defaults as a layer.
struct ControlParameters {
  std::string file;
  std::vector<ControlParameter> parameters;
  ControlLayer defaults;

  bool Has(const std::string& name) const;
};

// Reads a parameters file (the document, comments already removed). Throws PolicyError naming
// `file` and the field (`parameters[3].default`) on an unknown key, a duplicate or unknown
// parameter, a type that is not the parameter's, a default the type refuses, or a parameter
// of crmaudit missing from the file (every one needs its default there).
ControlParameters ReadControlParameters(const nlohmann::json& doc, const std::string& file);
ControlParameters LoadControlParameters(const std::filesystem::path& file);

// The defaults of the shipped parameters file (checks/parameters.json of the first policy
// directory that has a checks/ folder, as LoadShippedCheckCatalog), read once per process.
// Throws PolicyError when it is missing or invalid.
const ControlLayer& ShippedControlDefaults();

// Merges the packs' layers (in load order) and the audit file's (may be null) by the rule
// above onto `defaults`: the packs' merged value replaces the default, the audit file's
// replaces both.
ControlPolicy MergeControlPolicy(const ControlLayer& defaults,
                                 const std::vector<const ControlLayer*>& packs,
                                 const ControlLayer* audit_file);
// The same onto ShippedControlDefaults().
ControlPolicy MergeControlPolicy(const std::vector<const ControlLayer*>& packs,
                                 const ControlLayer* audit_file);

// Approximate length of an interval text in days ("2 years" = 730); -1 when not understood.
// Accepted: "<n> day(s)|week(s)|month(s)|year(s)".
double PeriodDays(const std::string& period);

// The retention rules of `controls` whose table pattern matches none of `tables`
// ("schema.table" names of the scanned database): rules that name a table that does not exist.
std::vector<RetentionRule> RetentionRulesMatchingNothing(const DatabaseControls& controls,
                                                         const std::vector<std::string>& tables);

}  // namespace crmaudit
