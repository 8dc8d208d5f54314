// Scanning SQLite database files: every table and view is a dataset, read and profiled as a
// PostgreSQL table is, named after the file (`crm.db#contacts`, `exports/app.sqlite#leads`).
//
// A SQLite file is a `sqlite` target (`sqlite:///path`, or a path ending in .sqlite, .sqlite3,
// .db or .db3), or a file met while walking a folder (a name like those, or SQLite's header
// under another name). Either way it is opened read-only and immutable
// (sources/sqlite/sqlite_database.h): nothing is ever written to it or beside it. Tables are
// sampled (the first --sample-rows rows) or read in full (--full), filtered by --tables /
// --exclude-tables as schema "main" (`main.contacts`, `*.lead*`), on up to --jobs connections,
// and profiled by the same pipeline as PostgreSQL tables (scan/table_profiling.h).
//
// Coverage: one entry per table or view ("sqlite-table", "sqlite-view"); a file that cannot be
// read as a database (not found, not SQLite, encrypted, empty, locked by a writer, a corrupt
// schema) is one error entry naming it, so the scan is incomplete (exit 3) and the other
// targets are still scanned; changes the read could not see (a -wal file, a hot journal, the
// file changing during the read) make a partial entry for the file. Findings are file
// locations (kind "file", path `crm.db#contacts`, table and column), and the file itself is
// judged as an export at rest is (ENC-07 plaintext / readable by others, RET-03 age), since a
// SQLite copy of CRM data sits outside the CRM's access controls just as a CSV does.
// Never throws for a bad file.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "scanner/detect/column_profiler.h"
#include "scanner/detect/compiled_policy.h"
#include "scanner/facts/file_facts.h"
#include "scanner/policy/control_policy.h"
#include "scanner/scan/postgres_scan.h"  // TargetScanOutput
#include "scanner/scan/scan_plan.h"

namespace crmaudit {

// One SQLite file read, its findings not yet judged: a file met in a folder walk is judged with
// the other files of its target once their identity paths are known (finding_identity.h).
struct SqliteFileRead {
  std::string relative;  // the file below its target root, values masked, '/'-separated
  FileFacts facts;
  struct Dataset {
    CoverageEntry coverage;
    std::string warning;  // a line for stderr when the entry has a reason; may be empty
  };
  std::vector<Dataset> coverage;  // in the order to report
  struct Table {
    std::string name;     // as shown: values in the name masked
    std::string dataset;  // relative + "#" + name
    std::vector<ColumnProfile> profiles;
  };
  std::vector<Table> tables;  // those read (fully or partly)
};

// Reads the SQLite file at `path`: `display` names it in warnings, `jobs` is how many
// connections (and matcher threads) it may use.
SqliteFileRead ReadSqliteFile(const PlannedTarget& target, const std::filesystem::path& path,
                              const std::string& relative, const std::string& display,
                              const ScanPlan& plan,
                              const std::shared_ptr<const CompiledPolicy>& policy, int jobs);

// Inventory, PII findings and the file's ENC-07 / RET-03 outcomes for one file read, with
// finding ids computed from `identity_path` (the file's; each table adds "#table").
void JudgeSqliteFile(SqliteFileRead read, const std::string& identity_path,
                     const PlannedTarget& target, const CompiledPolicy& policy,
                     const ExportControls& controls, TargetScanOutput* out);

// A `sqlite` target; `target.location` is the file's path. Warning lines go to `warnings`.
TargetScanOutput ScanSqliteTarget(const PlannedTarget& target, const ScanPlan& plan,
                                  std::shared_ptr<const CompiledPolicy> policy,
                                  std::vector<std::string>& warnings);

}  // namespace crmaudit
