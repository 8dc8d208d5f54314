// Finding: one judged problem, the unit a report lists, a baseline accepts and a gate fails on.
//
// Invariants every producer must keep:
//  - `evidence.samples` hold masked values only (see detect/masking.h); never a raw value.
//  - `id` is a stable fingerprint of rule + logical location (no row numbers, no absolute
//    paths), computed by model/fingerprint.h, so baselines survive re-exports and moves.
//  - one finding per (rule, column) for personal data, never one per cell.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/model/severity.h"

namespace crmaudit {

// kConfiguration: server hygiene that is none of the others (supported version, data
// checksums, risky extensions).
enum class FindingCategory {
  kPii,
  kSecret,
  kEncryption,
  kAccess,
  kAudit,
  kBackup,
  kRetention,
  kConfiguration
};
enum class FindingStatus { kOpen, kSuppressed, kBaselined, kNotAssessed };

std::string_view CategoryName(FindingCategory category);
std::optional<FindingCategory> ParseCategory(std::string_view text);
std::string_view StatusName(FindingStatus status);

// Where a finding is. Files: kind "file" with `path` relative to the target root. Databases:
// kind "postgres" with database/schema/table/column, or kind "mysql" (MySQL/MariaDB) with
// database/table/column (a MySQL database is what other engines call a schema; `schema` stays
// empty). Optional fields stay empty when unknown.
struct Location {
  std::string kind;    // "file", "postgres" or "mysql"
  std::string target;  // the target id this location belongs to (report.targets[].id)
  std::string path;    // file: path relative to the target root, '/'-separated
  std::string database, schema, table, column;
  std::optional<uint64_t> row;  // first row where seen (1-based data row); not part of the id
  // The text line of `row` in the file on disk (a header row counts), only when the reader
  // knows it for certain; not part of the id.
  std::optional<uint64_t> line;
  // Files: what the id is computed from instead of `path` when set (scan/finding_identity.h
  // sets it: the target's folder name and the relative path, date stamps normalised only
  // where that keeps every file of the scan apart). Not written to reports.
  std::string identity_path;
  std::map<std::string, std::string> extra;  // e.g. {"setting": "ssl"} or {"role": "crm_admin"}
};

// True for the kinds whose location is database.schema.table.column rather than a path.
inline bool IsDatabaseLocationKind(std::string_view kind) {
  return kind == "postgres" || kind == "mysql";
}

struct Evidence {
  uint64_t count = 0;                        // matching values / rows / objects
  uint64_t scanned = 0;                      // how many were examined
  std::vector<std::string> samples;          // masked; at most three
  std::map<std::string, std::string> facts;  // non-personal facts: settings, role names...
};

struct Finding {
  std::string id;
  std::string rule;  // detector or check id, e.g. "email-address" or "ENC-01"
  std::string title;
  Severity severity = Severity::kMedium;
  FindingCategory category = FindingCategory::kPii;
  FindingStatus status = FindingStatus::kOpen;
  std::string status_reason;  // why suppressed / baselined / not assessed
  Location location;
  Evidence evidence;
  std::map<std::string, std::vector<std::string>> frameworks;  // "GDPR" -> {"Art. 32(1)(a)"}
  std::string remediation;
  std::string entity;  // entity type for pii/secret findings, e.g. "EMAIL_ADDRESS"
  int confidence = 0;  // 0-100 for detector findings; 0 when not applicable
};

}  // namespace crmaudit
