// ScanPlan: everything a scan needs to know, resolved from CLI flags (and later an audit
// file) before any target is touched. Holds no secrets except the in-memory connection
// strings of database targets, which are never printed (see TargetInfo::display).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/model/severity.h"

namespace crmaudit {

struct PlannedTarget {
  std::string id;        // "t1", "t2"...
  std::string kind;      // "file", "directory", "postgres", "mysql" or "sqlite"
  std::string location;  // path (sqlite: the database file's), or the full connection string
                         // (may hold a password)
  std::string display;   // safe to print: path, or the URI without password
};

struct ScanPlan {
  std::vector<PlannedTarget> targets;
  std::vector<std::string> policies;  // names or paths; empty = the default set
  std::filesystem::path out_dir = "out";
  std::vector<std::string> formats = {"json"};
  std::optional<Severity> fail_on = Severity::kHigh;  // nullopt = never
  uint64_t sample_rows = 1000;  // per table; ignored for files unless sample_files
  bool full = false;
  int jobs = 1;
  // Kept apart on purpose: a file glob such as "*.csv" must never silently filter out every
  // table of a database target in the same run.
  std::vector<std::string> include, exclude;              // file globs (file targets)
  std::vector<std::string> table_include, table_exclude;  // schema.table patterns (databases)
  // Folders a file walk never enters: this run's --out (and the folder of dated runs above it),
  // so `crmaudit scan .` never reads its own reports.
  std::vector<std::filesystem::path> own_output_folders;
  std::string forced_encoding;
  std::string default_region = "US";  // for phone numbers without a country prefix
  // Database politeness.
  int statement_timeout_ms = 30000;
  int lock_timeout_ms = 1000;
  bool all_databases = false;
  // Being gentle with a live database (docs/operations.md "Being gentle with a live
  // database"); these defaults are the one home of the documented ones. The throttle bounds
  // the whole scan's reads, every --jobs worker together (scan/read_throttle.h); 0 = no limit.
  double max_rows_per_second = 0;
  double max_mb_per_second = 0;  // MB of the rows' text form, 1 MB = 1,000,000 bytes
  // Back-off (scan/busy_backoff.h): before each table and during paced reads, wait while more
  // than this many other sessions are active, or a standby's replay lags more than this; 0 =
  // not checked. A busy spell longer than max_backoff leaves the table not (fully) read.
  int max_active_sessions = 10;
  double max_replication_lag_seconds = 60;
  std::chrono::milliseconds max_backoff{std::chrono::minutes(10)};
  // --timeout: when the whole scan must end. Whatever is not finished by then becomes a
  // coverage entry saying so, the report is still written, and the scan is incomplete.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::optional<std::filesystem::path> backup_info;  // pgBackRest/WAL-G json or dump folder
  std::optional<std::filesystem::path> baseline;
  std::optional<std::filesystem::path> chain_from;
  std::optional<std::filesystem::path> sign_key;
  // SARIF: the folder artifact URIs are relative to (%SRCROOT%); nullopt = the repository
  // around each target, found by walking up to a `.git` (none found: the target root).
  std::optional<std::filesystem::path> sarif_root;
  // Target id → the folder name finding ids of its files start from
  // (scan/finding_identity.h); RunScan fills it from `targets`.
  std::map<std::string, std::string> identity_roots;
  bool progress = false;  // a progress line on stderr (only when stderr is a TTY)
};

}  // namespace crmaudit
