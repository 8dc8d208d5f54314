#include "scanner/scan/sqlite_scan.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <exception>
#include <stdexcept>
#include <thread>

#include "scanner/checks/export_checks.h"
#include "scanner/checks/outcome_findings.h"
#include "scanner/checks/pii_findings.h"
#include "scanner/detect/value_names.h"
#include "scanner/model/sql_identifier.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/scan/finding_identity.h"
#include "scanner/scan/table_profiling.h"
#include "scanner/sources/files/export_file_facts.h"
#include "scanner/sources/sql/relation_filter.h"
#include "scanner/sources/sqlite/sqlite_database.h"

namespace crmaudit {

namespace {

// SQLite's one schema of a database file, as --tables patterns name it (`main.contacts`).
constexpr const char* kSchema = "main";

struct TableScan {
  SqliteRelationRead read;
  std::vector<ColumnProfile> profiles;
};

bool DeadlinePassed(const ScanPlan& plan) {
  return plan.deadline && std::chrono::steady_clock::now() >= *plan.deadline;
}

// Reads and profiles `relations` on up to `jobs` connections (the first is `db`, the others
// are opened by their worker); spare jobs match inside each read.
std::vector<TableScan> ReadRelations(SqliteDatabase& db, const std::filesystem::path& path,
                                     const std::vector<SqliteRelation>& relations,
                                     const ScanPlan& plan,
                                     const std::shared_ptr<const CompiledPolicy>& policy,
                                     int jobs) {
  std::vector<TableScan> scans(relations.size());
  SqliteReadOptions options;
  options.sample_rows = plan.sample_rows;
  options.full = plan.full;
  options.statement_timeout_ms = plan.statement_timeout_ms;
  options.deadline = plan.deadline;
  const int workers = std::max(1, std::min<int>(jobs, static_cast<int>(relations.size())));
  const int threads = std::max(1, jobs / workers);
  std::atomic<size_t> next{0};
  auto worker = [&](SqliteDatabase* given) {
    std::unique_ptr<SqliteDatabase> own;
    SqliteDatabase* connection = given;
    for (size_t i = next++; i < relations.size(); i = next++) {
      const SqliteRelation& relation = relations[i];
      SqliteRelationRead& read = scans[i].read;
      const std::string what = (relation.view ? "view " : "table ") + QuoteSqlIdent(relation.shown);
      if (DeadlinePassed(plan)) {
        read.status = CoverageStatus::kSkipped;
        read.reason = "not read: the scan's --timeout expired before " + what;
        continue;
      }
      if (connection == nullptr) {
        std::string reason;
        own = SqliteDatabase::Open(path, &reason);
        if (!own) {
          read.status = CoverageStatus::kError;
          read.reason = "could not read " + what + ": " + reason;
          continue;
        }
        connection = own.get();
      }
      // Nothing may escape a worker thread (std::terminate); a matcher failure is this
      // relation's coverage entry, and its message is not kept (it could quote data).
      try {
        const double estimated =
            plan.full ? static_cast<double>(connection->CountRows(relation, options)) : -1;
        scans[i].profiles = ProfileTableRead(
            policy, relation.name, ExpectedReadRows(estimated, plan.sample_rows, plan.full),
            threads,
            [&](RecordSink& sink) { read = connection->ReadRelation(relation, options, sink); });
      } catch (const std::exception&) {
        read = SqliteRelationRead{};
        read.status = CoverageStatus::kError;
        read.reason = "internal error while profiling " + what;
        scans[i].profiles.clear();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < workers; ++j) pool.emplace_back(worker, nullptr);
  worker(&db);
  for (auto& thread : pool) thread.join();
  return scans;
}

}  // namespace

SqliteFileRead ReadSqliteFile(const PlannedTarget& target, const std::filesystem::path& path,
                              const std::string& relative, const std::string& display,
                              const ScanPlan& plan,
                              const std::shared_ptr<const CompiledPolicy>& policy, int jobs) {
  SqliteFileRead out;
  out.relative = relative;
  // An entry for the file as a whole: why it could not be read, or what the read missed.
  auto file_entry = [&](CoverageStatus status, const std::string& reason, bool deliberate) {
    CoverageEntry c;
    c.target = target.id;
    c.dataset = relative;
    c.status = status;
    c.format = "sqlite";
    c.bytes = status == CoverageStatus::kScanned ? out.facts.size : 0;
    c.reason = reason;
    c.deliberate = deliberate;
    const bool tell = !reason.empty() && !deliberate && status != CoverageStatus::kScanned;
    out.coverage.push_back({std::move(c), tell ? display + ": " + reason : ""});
  };
  const SqliteFileInspection before = InspectSqliteFile(path);
  if (!before.problem.empty()) {
    file_entry(CoverageStatus::kError, before.problem, false);
    return out;
  }
  out.facts = CollectExportFileFacts(path, relative);
  std::string reason;
  std::unique_ptr<SqliteDatabase> db = SqliteDatabase::Open(path, &reason);
  std::vector<SqliteRelation> all;
  if (!db || !db->ListRelations(&all, &reason)) {
    file_entry(CoverageStatus::kError, reason, false);
    return out;
  }
  std::vector<SqliteRelation> relations;
  const RelationFilter filter{plan.table_include, plan.table_exclude};
  for (SqliteRelation& relation : all) {
    if (!filter.Accepts(kSchema, relation.name)) continue;
    // A table named after a person (a per-customer table) is shown masked, like a file name.
    relation.shown = MaskValuesInName(*policy, relation.name);
    relations.push_back(std::move(relation));
  }
  if (all.empty()) {
    file_entry(CoverageStatus::kScanned, "no tables or views: the database is empty", false);
  } else if (relations.empty()) {
    file_entry(CoverageStatus::kSkipped, "no table or view matches --tables / --exclude-tables",
               true);
  }
  std::vector<TableScan> scans = ReadRelations(*db, path, relations, plan, policy, jobs);
  db.reset();
  for (size_t i = 0; i < relations.size(); ++i) {
    const SqliteRelation& relation = relations[i];
    TableScan& scan = scans[i];
    const std::string& name = relation.shown;
    CoverageEntry c;
    c.target = target.id;
    c.dataset = relative + "#" + name;
    c.status = scan.read.status;
    c.rows = scan.read.rows;
    c.bytes = scan.read.bytes;
    c.sampled = scan.read.sampled;
    c.reason = scan.read.reason;
    c.format = relation.view ? "sqlite-view" : "sqlite-table";
    c.encoding = before.text_encoding;
    c.invalid_bytes = scan.read.invalid_bytes;
    // Replaced bytes mean some values were not examined as written (as for files).
    if (c.status == CoverageStatus::kScanned && c.invalid_bytes > 0) {
      c.status = CoverageStatus::kPartial;
      c.reason = std::to_string(c.invalid_bytes) +
                 " byte(s) of TEXT values were not valid UTF-8 and were replaced";
    }
    const bool read = scan.read.rows > 0 || c.status == CoverageStatus::kScanned;
    std::string warning;
    if (!c.reason.empty()) warning = display + "#" + name + ": " + c.reason;
    out.coverage.push_back({std::move(c), std::move(warning)});
    if (read) out.tables.push_back({name, relative + "#" + name, std::move(scan.profiles)});
  }
  // What the read could not see: changes kept beside the file, or made while it was read.
  std::vector<std::string> remarks = before.remarks;
  const SqliteFileInspection after = InspectSqliteFile(path);
  if (!after.problem.empty() || after.change_counter != before.change_counter) {
    remarks.push_back(
        "the database was written to while it was read (its change counter moved or a writer "
        "took its lock): rows read may mix old and new data; scan a copy, or scan again when "
        "the writer is done");
  }
  if (!remarks.empty()) {
    std::string joined;
    for (const std::string& remark : remarks) joined += (joined.empty() ? "" : "; ") + remark;
    file_entry(CoverageStatus::kPartial, joined, false);
  }
  return out;
}

void JudgeSqliteFile(SqliteFileRead read, const std::string& identity_path,
                     const PlannedTarget& target, const CompiledPolicy& policy,
                     const ExportControls& controls, TargetScanOutput* out) {
  if (read.tables.empty()) return;  // nothing was read: nothing to judge, the file included
  uint64_t pii_columns = 0;
  for (SqliteFileRead::Table& table : read.tables) {
    DatasetRef dataset;
    dataset.target = target.id;
    dataset.dataset = table.dataset;
    dataset.base.kind = "file";
    dataset.base.target = target.id;
    dataset.base.path = table.dataset;
    dataset.base.table = table.name;
    dataset.base.identity_path = identity_path + "#" + table.name;
    const size_t before = out->inventory.size();
    AddPiiResults(policy, dataset, table.profiles, &out->inventory, &out->findings);
    pii_columns += out->inventory.size() - before;
  }
  // The file at rest, judged as an export file is (ENC-07, RET-03); a file without personal
  // data records nothing.
  Location file;
  file.kind = "file";
  file.target = target.id;
  file.path = read.relative;
  file.identity_path = identity_path;
  std::vector<ControlOutcome> outcomes;
  CheckExportFile(read.facts, file, pii_columns, controls, std::time(nullptr), &outcomes);
  if (outcomes.empty()) return;
  const CheckCatalog* checks = policy.check_catalog();
  if (checks == nullptr) throw std::logic_error("no check catalog was compiled into the policy");
  JudgeOutcomes(outcomes, *checks, controls.checks, &out->findings, &out->controls);
}

TargetScanOutput ScanSqliteTarget(const PlannedTarget& target, const ScanPlan& plan,
                                  std::shared_ptr<const CompiledPolicy> policy,
                                  std::vector<std::string>& warnings) {
  TargetScanOutput out;
  try {
    const std::filesystem::path path = target.location;
    const std::string relative = MaskValuesInPath(*policy, path.filename().string());
    SqliteFileRead read = ReadSqliteFile(target, path, relative, target.display, plan, policy,
                                         std::max(1, plan.jobs));
    for (SqliteFileRead::Dataset& entry : read.coverage) {
      if (IsIncomplete(entry.coverage)) out.complete = false;
      if (!entry.warning.empty()) warnings.push_back(entry.warning);
      out.coverage.push_back(std::move(entry.coverage));
    }
    const auto root = plan.identity_roots.find(target.id);
    const std::map<std::string, std::string> identity =
        IdentityPaths(root == plan.identity_roots.end() ? std::string() : root->second, {relative});
    const ExportControls controls = ControlPolicyFromPacks(policy->packs()).exports;
    JudgeSqliteFile(std::move(read), identity.at(relative), target, *policy, controls, &out);
  } catch (const std::exception&) {
    // The contract: never throw for a target. The message is dropped on purpose.
    out.complete = false;
    out.error = "internal error while scanning " + target.display;
    warnings.push_back(out.error);
  }
  return out;
}

}  // namespace crmaudit
