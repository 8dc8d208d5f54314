// Database control parameters: what the packs' "controls" objects say about database checks.
//
// Packs hold thresholds, allow-lists, retention periods, severities and framework references;
// C++ holds the checks. Several packs merge so that the stricter one wins: severities take the
// maximum, framework references the union, ages and retention periods the shortest,
// allow-lists the intersection of the packs that define one. Format of a pack's "controls"
// (every key optional; policies/controls-gdpr.json is the full example):
//   "checks": {"ENC-01": {"severity": "high", "frameworks": {"GDPR": [...], "PIPL": [...]},
//                         "enabled": true}, ...}
//   "tls": {"min_protocol_version": "TLSv1.2"}
//   "roles": {"superuser_allow_list": [...], "powerful_allow_list": [...],
//             "expiry_exempt": [...]}
//   "encryption": {"sensitive_entities": ["CN_RESIDENT_ID", ...]}        (ENC-05)
//   "backup": {"max_age_hours": 26, "require_encryption": true}          (BAK-02, BAK-03)
//   "archive": {"max_age_hours": 24, "archive_timeout_factor": 4}        (BAK-01)
//   "retention": {"default_period": "3 years", "candidate_columns": [...],
//                 "soft_delete_columns": ["deleted_at"], "soft_delete_grace": "30 days",
//                 "soft_delete_flag_columns": ["is_deleted"], "modification_columns": [...],
//                 "tables": [{"table": "*.leads", "column": "last_activity_at",
//                             "period": "2 years"}]}                        (RET-01, RET-02)
// Other keys (e.g. "exports", read by export_checks.h) are ignored here.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "scanner/model/severity.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {

struct CheckMeta {
  Severity severity = Severity::kMedium;
  std::map<std::string, std::vector<std::string>> frameworks;  // "GDPR" -> {"Art. 32(1)(a)"}
  bool enabled = true;
};

struct RetentionRule {
  std::string table_pattern;  // glob over "schema.table"
  std::string column;
  std::string period;  // "2 years", "90 days"...
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

  // The metadata of a rule, or the built-in default severity when no pack names it.
  CheckMeta Meta(const std::string& rule, Severity default_severity) const;
};

// Reads and merges the "controls" objects of `packs` (PolicyPack::controls_json). Throws
// PolicyError naming the pack file and the field on a wrong type or value.
DatabaseControls DatabaseControlsFromPacks(const std::vector<PolicyPack>& packs);

// Approximate length of an interval text in days ("2 years" = 730); -1 when not understood.
// Accepted: "<n> day(s)|week(s)|month(s)|year(s)".
double PeriodDays(const std::string& period);

// The retention period and column for a table: the pack's explicit mapping first (first
// matching rule), else the default period. Column empty = choose automatically.
RetentionRule RetentionFor(const DatabaseControls& controls, const std::string& schema,
                           const std::string& table);

}  // namespace crmaudit
