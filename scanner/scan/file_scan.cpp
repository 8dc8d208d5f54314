#include "scanner/scan/file_scan.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <exception>
#include <memory>
#include <thread>

#include "scanner/checks/export_checks.h"
#include "scanner/checks/pii_findings.h"
#include "scanner/detect/column_profiler.h"
#include "scanner/detect/value_names.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/scan/finding_identity.h"
#include "scanner/scan/parallel_matcher.h"
#include "scanner/sources/files/export_file_facts.h"
#include "scanner/sources/files/file_reader.h"
#include "scanner/sources/files/file_walker.h"

namespace crmaudit {

namespace {

struct FileResult {
  CoverageEntry coverage;
  std::vector<InventoryEntry> inventory;
  std::vector<Finding> findings;
  std::string warning;
};

// Files from this size on are matched in batches (see ScanOneFile).
constexpr uint64_t kBatchedMatchMinBytes = 1 << 20;

CoverageStatus StatusFor(const FileReadOutcome& outcome) {
  switch (outcome.status) {
    case ReadStatus::kComplete:
      return CoverageStatus::kScanned;
    case ReadStatus::kPartial:
      return CoverageStatus::kPartial;
    case ReadStatus::kUnreadable:
      return CoverageStatus::kError;
    case ReadStatus::kEmpty:
      return CoverageStatus::kSkipped;
  }
  return CoverageStatus::kError;
}

FileResult ScanOneFile(const PlannedTarget& target, const WalkedFile& file, bool in_directory,
                       const ScanPlan& plan, const std::shared_ptr<const CompiledPolicy>& policy,
                       const ExportControls& controls, int threads,
                       const std::string& identity_path) {
  FileResult result;
  // A file name that holds a value (frank@example.com.csv) is shown masked, like a column name.
  const std::string relative = MaskValuesInPath(*policy, file.relative);
  std::string display_name = in_directory ? target.display + "/" + relative : target.display;
  FileFacts facts = CollectExportFileFacts(file.path, file.relative);
  if (facts.encrypted) {
    // Protected by design: reported so coverage stays honest, but not a gap in the scan.
    CoverageEntry& c = result.coverage;
    c.target = target.id;
    c.dataset = relative;
    c.status = CoverageStatus::kSkipped;
    c.deliberate = true;
    c.bytes = facts.size;
    c.format = facts.container;
    c.reason = "encrypted container (" + facts.container + "); contents are not inspected";
    return result;
  }
  ColumnProfiler profiler(policy, file.relative);
  FileReadOptions options;
  options.forced_encoding = plan.forced_encoding;
  // A CRM cell is small; a single field beyond this is cut (and reported) so that one
  // pathological line cannot hold the whole file in memory.
  options.max_record_bytes = 16ull << 20;
  FileReadOutcome outcome;
  try {
    // Batches pay for themselves from a few thousand rows on, also on one thread (columns
    // are then matched many values at a time); a compressed file may hold many more rows
    // than its size suggests, so the size on disk is a lower bound.
    if (threads > 1 || facts.size >= kBatchedMatchMinBytes) {
      ParallelMatcher matcher(policy, profiler, threads);
      outcome = ReadExportFile(file.path, options, matcher);
      matcher.Finish();
    } else {
      outcome = ReadExportFile(file.path, options, profiler);
    }
  } catch (const std::exception& e) {
    // The matcher failed (e.g. out of DFA memory): what was read is not judged, and the
    // dataset is reported as not scanned rather than as clean.
    outcome.status = ReadStatus::kUnreadable;
    outcome.rows = 0;
    outcome.message = std::string("scan aborted: ") + e.what();
  }

  CoverageEntry& c = result.coverage;
  c.target = target.id;
  c.dataset = relative;
  c.status = StatusFor(outcome);
  c.rows = outcome.rows;
  c.bytes = outcome.bytes;
  c.sampled = outcome.truncated_by_limit;
  c.format = outcome.format;
  c.encoding = outcome.encoding;
  c.ragged_rows = outcome.ragged_rows;
  c.invalid_bytes = outcome.invalid_bytes;
  c.malformed_records = outcome.malformed_records;
  c.reason = outcome.message;
  if (c.status == CoverageStatus::kSkipped && c.reason.empty()) c.reason = "empty file";
  // Replaced bytes mean some values were not examined as written: never claim full coverage.
  if (c.status == CoverageStatus::kScanned && c.invalid_bytes > 0) {
    c.status = CoverageStatus::kPartial;
    std::string note = std::to_string(c.invalid_bytes) + " byte(s) were not valid " +
                       (c.encoding.empty() ? std::string("text") : c.encoding) +
                       " and were replaced";
    c.reason = c.reason.empty() ? note : c.reason + "; " + note;
  }
  if (c.status == CoverageStatus::kScanned && c.ragged_rows > 0 && c.reason.empty()) {
    c.reason = std::to_string(c.ragged_rows) +
               " row(s) had a different number of fields than "
               "the header";
  }

  if (!c.reason.empty()) result.warning = display_name + ": " + c.reason;

  // Whatever was read before a problem still counts: a partial file's findings are real.
  if (outcome.rows > 0) {
    DatasetRef dataset;
    dataset.target = target.id;
    dataset.dataset = relative;
    dataset.base.kind = "file";
    dataset.base.path = relative;
    dataset.base.identity_path = identity_path;
    AddPiiResults(*policy, dataset, profiler.Finish(), &result.inventory, &result.findings);
    CheckExportFile(facts, dataset.base, result.inventory.size(), controls, std::time(nullptr),
                    &result.findings);
    for (Finding& f : result.findings) {
      f.location.target = target.id;
      if (f.location.row && outcome.data_line_offset) {
        f.location.line = *f.location.row + *outcome.data_line_offset;
      }
    }
  }
  return result;
}

}  // namespace

TargetScanOutput ScanFileTarget(const PlannedTarget& target, const ScanPlan& plan,
                                std::shared_ptr<const CompiledPolicy> policy, Progress& progress,
                                std::vector<std::string>& warnings) {
  TargetScanOutput output;
  WalkOptions walk_options;
  walk_options.include = plan.include;
  walk_options.exclude = plan.exclude;
  WalkResult walk = WalkTarget(target.location, walk_options);

  if (!walk.root_exists) {
    CoverageEntry c;
    c.target = target.id;
    c.dataset = target.display;
    c.status = CoverageStatus::kError;
    c.reason = "target not found";
    output.coverage.push_back(c);
    output.complete = false;
    output.error = target.display + ": target not found";
    warnings.push_back(output.error);
    return output;
  }
  for (const WalkProblem& problem : walk.problems) {
    CoverageEntry c;
    c.target = target.id;
    c.dataset = problem.relative;
    c.status = CoverageStatus::kError;
    c.reason = problem.reason;
    output.coverage.push_back(c);
    output.complete = false;
    warnings.push_back(target.display + "/" + problem.relative + ": " + problem.reason);
  }

  std::vector<std::string> relatives;
  for (const WalkedFile& file : walk.files) {
    relatives.push_back(MaskValuesInPath(*policy, file.relative));
  }
  const std::map<std::string, std::string> identity_paths = IdentityPaths(
      plan.identity_roots.count(target.id) ? plan.identity_roots.at(target.id) : "", relatives);
  const ExportControls controls = ControlPolicyFromPacks(policy->packs()).exports;
  progress.SetTotalDatasets(walk.files.size());
  std::vector<FileResult> results(walk.files.size());
  std::atomic<size_t> next{0};
  int jobs = std::max(1, std::min<int>(plan.jobs, static_cast<int>(walk.files.size())));
  // Fewer files than jobs (typically one big export): the spare jobs match inside each file.
  const int threads_per_file = std::max(1, plan.jobs / jobs);
  auto worker = [&] {
    for (size_t i = next++; i < walk.files.size(); i = next++) {
      if (plan.deadline && std::chrono::steady_clock::now() >= *plan.deadline) {
        // --timeout: the files not started are listed, not silently dropped.
        CoverageEntry& c = results[i].coverage;
        c.target = target.id;
        c.dataset = walk.files[i].relative;
        c.status = CoverageStatus::kSkipped;
        c.reason = "not scanned: the scan's --timeout expired";
        progress.DatasetDone(0, 0);
        continue;
      }
      results[i] = ScanOneFile(target, walk.files[i], walk.root_is_directory, plan, policy,
                               controls, threads_per_file, identity_paths.at(relatives[i]));
      progress.DatasetDone(results[i].coverage.rows, results[i].coverage.bytes);
    }
  };
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  for (FileResult& r : results) {
    if (IsIncomplete(r.coverage)) output.complete = false;
    if (!r.warning.empty()) warnings.push_back(r.warning);
    output.coverage.push_back(std::move(r.coverage));
    for (auto& e : r.inventory) output.inventory.push_back(std::move(e));
    for (auto& f : r.findings) output.findings.push_back(std::move(f));
  }
  return output;
}

}  // namespace crmaudit
