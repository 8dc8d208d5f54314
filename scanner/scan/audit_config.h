// Audit file: a scheduled audit described once (`crmaudit scan --config audit.json`).
//
// Holds targets, packs, thresholds, control parameters (retention mapping, backup freshness,
// export age), output folder (a date-stamped subfolder per run), signing key, fail-on,
// baseline and suppressions. Database credentials never sit in the file: a `postgres` target
// takes its password from `password_env` (an environment variable) or `password_file` (a file
// readable only by its owner), or from libpq's own PGPASSWORD/.pgpass. Every problem raises
// AuditConfigError naming the file, the line and column, and the JSON path of the field
// ("audit.json:12:7: out.dir: expected a non-empty string"), like a compiler does.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "scanner/policy/control_policy.h"
#include "scanner/scan/scan_plan.h"

namespace crmaudit {

class AuditConfigError : public std::runtime_error {
 public:
  AuditConfigError(const std::string& file, const std::string& field, const std::string& message)
      : std::runtime_error(file + ": " + field + ": " + message) {}
  // `position` is "LINE:COLUMN", or empty when unknown.
  AuditConfigError(const std::string& file, const std::string& position, const std::string& field,
                   const std::string& message)
      : std::runtime_error(file + (position.empty() ? "" : ":" + position) + ": " + field + ": " +
                           message) {}
};

struct AuditConfig {
  ScanPlan plan;                // targets, policies, formats, fail-on, sampling...
  ControlLayer controls;        // "controls", read by the packs' reader (policy/control_policy.h)
  bool dated_subfolder = true;  // write into OUT/YYYY-MM-DDTHHMMSSZ/
  bool chain = false;           // chain from the newest earlier run in OUT
  std::optional<std::filesystem::path> suppressions;
  // "lang": the language of report.html and the terminal summary ("en" or "zh-CN").
  std::optional<std::string> lang;
};

AuditConfig LoadAuditConfig(const std::filesystem::path& file);

// "LINE:COLUMN" of the member or element at `field` ("controls.exports.max_age_days",
// "targets[2].path") in the JSON `text` (comments allowed), or of the nearest enclosing one
// found; "" when not even the top level parses. For errors found later in the audit file's
// sections (the controls are checked with the policy packs).
std::string JsonFieldPosition(const std::string& text, const std::string& field);

// The newest earlier run folder under `out_dir` holding a report.json (by name, which sorts
// by date for dated subfolders), or nullopt.
std::optional<std::filesystem::path> LatestReportIn(const std::filesystem::path& out_dir);

// "2026-11-24T185959Z": a folder name that sorts by time and is valid on every file system.
// A second run started in the same second gets "...Z-02" when its folder is put in place
// (reports/output/report_writer.h), so no run folder is ever overwritten.
std::string DatedFolderName();

}  // namespace crmaudit
