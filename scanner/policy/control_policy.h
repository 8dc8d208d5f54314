// ControlPolicy: the typed parameters of the control checks (database, backup, retention and
// export checks), read from the "controls" object of policy packs and of the audit file.
//
// Reading is strict and happens when the pack or audit file is loaded, before anything is
// scanned: an unknown key, a wrong type or an impossible value is a PolicyError naming the file
// and the JSON path of the field (e.g. `controls.backup.max_age_hours`), which `crmaudit scan`
// and `crmaudit policy test` report with exit 2. Checks read the merged ControlPolicy and never
// see JSON.
//
// Parameters (every key optional; the default applies when no pack and no audit file sets it).
// The defaults are the member initialisers below: this header is their one place.
//   checks.<RULE>.severity         info|low|medium|high|critical   the check's built-in severity
//                                  (not for ENC-07/RET-03: exports.*_severity set theirs)
//   checks.<RULE>.frameworks       {"GDPR": ["Art. 32"], ...}        built-in references
//   checks.<RULE>.enabled          boolean                           true
//     <RULE> is a check id: ENC-01..07, AC-01..06, AUD-01..03, AUTH-01, BAK-01..03, CFG-01/02,
//     EXT-01, NET-01, RET-01..03.
//   tls.min_protocol_version       TLSv1|TLSv1.1|TLSv1.2|TLSv1.3     "TLSv1.2"       (ENC-01)
//   roles.superuser_allow_list     [role names]                      ["postgres"]    (AC-01)
//   roles.powerful_allow_list      [role names]                      []              (AC-01)
//   roles.expiry_exempt            [role names]                      ["postgres"]    (AC-05)
//   encryption.sensitive_entities  [entity types], non-empty         14 types below  (ENC-05)
//   backup.max_age_hours           number > 0                        26              (BAK-02)
//   backup.require_encryption      boolean                           true            (BAK-03)
//   archive.max_age_hours          number > 0                        24              (BAK-01)
//   archive.archive_timeout_factor number > 0                        4               (BAK-01)
//   retention.default_period       period ("90 days", "2 years")     "3 years"       (RET-01)
//   retention.candidate_columns    [column names], non-empty         11 names below  (RET-01)
//   retention.soft_delete_columns  [column names]                    2 names below   (RET-02)
//   retention.soft_delete_flag_columns [column names]                6 names below   (RET-02)
//   retention.modification_columns [column names]                   9 names below   (RET-02)
//   retention.soft_delete_grace    period                            "30 days"       (RET-02)
//   retention.tables               [{"table": "schema.table glob", "period": period,
//                                    "column": optional column name}]   []           (RET-01)
//   exports.max_age_days           integer 1..36500                  365             (RET-03)
//   exports.readable_severity      severity                          high            (ENC-07)
//   exports.plaintext_severity     severity                          medium          (ENC-07)
//   exports.stale_severity         severity                          low             (RET-03)
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
// A pack value replaces the default (it does not merge with it). The audit file's value replaces
// the merged pack value; its retention.tables rules are tried before the packs' (the first
// matching rule applies), so they override the packs' for the tables they name.
#pragma once

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
  std::string min_tls_version = "TLSv1.2";
  std::vector<std::string> superuser_allow_list = {"postgres"};
  std::vector<std::string> powerful_allow_list;
  std::vector<std::string> expiry_exempt_roles = {"postgres"};
  std::vector<std::string> sensitive_entities = {
      "CN_RESIDENT_ID", "CN_PASSPORT", "US_SSN",    "US_ITIN",         "CREDIT_CARD_NUMBER",
      "IBAN_CODE",      "UK_NINO",     "ES_DNI",    "ES_NIE",          "NL_BSN",
      "IT_FISCAL_CODE", "FR_NIR",      "DE_TAX_ID", "SPECIAL_CATEGORY"};
  double backup_max_age_hours = 26;
  bool backup_require_encryption = true;
  double archive_max_age_hours = 24;
  double archive_timeout_factor = 4;  // stale when last archive > factor × archive_timeout
  std::string default_retention = "3 years";
  std::vector<std::string> retention_candidate_columns = {
      "last_activity_at", "last_activity", "last_contact_at", "last_contact",
      "last_seen_at",     "updated_at",    "updated",         "modified_at",
      "closed_at",        "created_at",    "created"};
  std::vector<RetentionRule> retention_rules;
  std::vector<std::string> soft_delete_columns = {"deleted_at", "removed_at"};
  std::string soft_delete_grace = "30 days";
  // Boolean soft-delete flags, and the modification timestamps that date a flagged row.
  std::vector<std::string> soft_delete_flag_columns = {"is_deleted", "deleted",    "is_archived",
                                                       "archived",   "is_removed", "removed"};
  std::vector<std::string> modification_columns = {
      "updated_at", "modified_at", "last_modified", "last_modified_at", "updated",
      "modified",   "changed_at",  "last_updated",  "last_updated_at"};

  // The metadata of a rule, with the built-in default severity when no pack sets one.
  CheckMeta Meta(const std::string& rule, Severity default_severity) const;
};

struct ExportControls {
  // ENC-07 and RET-03 as the packs map them: frameworks (replacing the built-in references when
  // given) and enabled. Their severities are the *_severity fields below (checks.ENC-07.severity
  // and checks.RET-03.severity are refused when read, so there is one place for each).
  std::map<std::string, CheckMeta> checks;
  int max_age_days = 365;                           // RET-03: exports older than this
  Severity readable_severity = Severity::kHigh;     // ENC-07, plaintext and group/other-readable
  Severity plaintext_severity = Severity::kMedium;  // ENC-07, plaintext but owner-only
  Severity stale_severity = Severity::kLow;         // RET-03
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

// Merges the packs' layers (in load order) and the audit file's (may be null) by the rule above
// onto the defaults.
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
