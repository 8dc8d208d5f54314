#include "scanner/scan/file_scan.h"

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "scanner/checks/export_checks.h"
#include "scanner/checks/pii_findings.h"
#include "scanner/detect/column_profiler.h"
#include "scanner/sources/files/export_file_facts.h"
#include "scanner/sources/files/file_reader.h"
#include "scanner/sources/files/file_walker.h"

namespace crmaudit {

namespace {

// Matching one big file on several cores. The reader thread (the caller of ReadExportFile)
// copies records into batches; worker threads run CompiledPolicy::Scan over whole batches; the
// reader thread then feeds the finished batches to the ColumnProfiler strictly in record
// order, so counts, first rows and the first distinct samples are exactly those of a
// single-threaded scan, whatever the scheduling. When the batches in flight reach their bound
// the reader matches one itself instead of waiting (memory stays a few MB, no core idles).
class ParallelMatcher final : public RecordSink {
 public:
  ParallelMatcher(std::shared_ptr<const CompiledPolicy> policy, ColumnProfiler& profiler,
                  int threads)
      : policy_(std::move(policy)),
        profiler_(profiler),
        max_in_flight_(static_cast<size_t>(threads) * 4) {
    try {
      for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
    } catch (const std::system_error&) {
      // No more threads to be had: the reader matches whatever the started workers do not.
    }
    filling_ = std::make_unique<Batch>();
  }

  ~ParallelMatcher() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (auto& worker : workers_) worker.join();
  }

  size_t DeclareColumn(std::string_view name) override {
    const size_t index = profiler_.DeclareColumn(name);
    // Cells carry pointers into contexts_ to the workers: a deque never moves its elements.
    if (index == contexts_.size()) contexts_.push_back(policy_->ColumnHints(name));
    return index;
  }

  void Field(size_t column, std::string_view value) override {
    // A column the profiler does not know is ignored by it: nothing to match either.
    if (column >= contexts_.size()) return;
    filling_->cells.push_back(
        Cell{column, &contexts_[column], filling_->bytes.size(), value.size()});
    filling_->bytes.append(value);
  }

  void EndRecord() override {
    filling_->cells.push_back(Cell{kEndOfRecord, nullptr, 0, 0});
    if (filling_->bytes.size() >= kBatchBytes || filling_->cells.size() >= kBatchCells) Submit();
  }

  // Matches and applies everything still pending; rethrows a matcher failure (the scan of
  // the dataset is then incomplete, as with a single thread).
  void Finish() {
    if (!filling_->cells.empty()) Submit();
    std::unique_lock lock(mutex_);
    while (!in_flight_.empty()) HelpOrWait(lock);
  }

 private:
  static constexpr size_t kEndOfRecord = static_cast<size_t>(-1);
  static constexpr size_t kBatchBytes = 256 << 10;
  static constexpr size_t kBatchCells = 16384;

  struct Cell {
    size_t column;
    const ColumnContext* context;  // null at the end of a record
    size_t offset;
    size_t length;
  };

  struct Batch {
    std::vector<Cell> cells;
    std::string bytes;
    std::vector<ValueMatch> matches;
    std::vector<size_t> first_match;  // per cell, index into matches; one extra at the end
    bool claimed = false;
    bool done = false;
    std::exception_ptr error;
  };

  void Submit() {
    std::unique_lock lock(mutex_);
    in_flight_.push_back(std::move(filling_));
    filling_ = std::make_unique<Batch>();
    work_ready_.notify_one();
    ApplyFinished(lock);
    while (in_flight_.size() >= max_in_flight_) HelpOrWait(lock);
  }

  // Matches an unclaimed batch on this thread, or waits for the oldest one; then applies
  // whatever has finished in order.
  void HelpOrWait(std::unique_lock<std::mutex>& lock) {
    Batch* unclaimed = NextUnclaimed();
    if (unclaimed != nullptr) {
      Match(*policy_, *unclaimed, lock);
    } else if (!in_flight_.front()->done) {
      batch_done_.wait(lock, [this] { return in_flight_.front()->done; });
    }
    ApplyFinished(lock);
  }

  Batch* NextUnclaimed() {
    for (auto& batch : in_flight_) {
      if (!batch->claimed) return batch.get();
    }
    return nullptr;
  }

  // Called with the lock held; matches without it.
  void Match(const CompiledPolicy& policy, Batch& batch, std::unique_lock<std::mutex>& lock) {
    batch.claimed = true;
    lock.unlock();
    try {
      batch.first_match.reserve(batch.cells.size() + 1);
      for (const Cell& cell : batch.cells) {
        batch.first_match.push_back(batch.matches.size());
        if (cell.column == kEndOfRecord) continue;
        const std::string_view value(batch.bytes.data() + cell.offset, cell.length);
        if (IsBlank(value)) continue;
        policy.Scan(value, *cell.context, &batch.matches);
      }
      batch.first_match.push_back(batch.matches.size());
    } catch (...) {
      batch.error = std::current_exception();
    }
    lock.lock();
    batch.done = true;
    batch_done_.notify_all();
  }

  // Feeds finished batches at the front to the profiler, in order. Called with the lock held
  // on the reader thread; the profiler itself is only ever touched by that thread.
  void ApplyFinished(std::unique_lock<std::mutex>& lock) {
    while (!in_flight_.empty() && in_flight_.front()->done) {
      std::unique_ptr<Batch> batch = std::move(in_flight_.front());
      in_flight_.pop_front();
      lock.unlock();
      if (batch->error) {
        lock.lock();
        std::rethrow_exception(batch->error);
      }
      for (size_t i = 0; i < batch->cells.size(); ++i) {
        const Cell& cell = batch->cells[i];
        if (cell.column == kEndOfRecord) {
          profiler_.EndRecord();
          continue;
        }
        const size_t first = batch->first_match[i];
        profiler_.FieldMatched(cell.column,
                               std::string_view(batch->bytes.data() + cell.offset, cell.length),
                               batch->matches.data() + first, batch->first_match[i + 1] - first);
      }
      lock.lock();
    }
  }

  void WorkerLoop() {
    // Compiled on this thread, in parallel with the reader's first batches.
    std::shared_ptr<const CompiledPolicy> own = policy_;
    try {
      own = policy_->Recompile();
    } catch (const std::exception&) {
      // Sharing the reader's copy is slower, never wrong.
    }
    std::unique_lock lock(mutex_);
    while (true) {
      Batch* batch = nullptr;
      work_ready_.wait(lock, [&] { return stopping_ || (batch = NextUnclaimed()) != nullptr; });
      if (stopping_) return;
      Match(*own, *batch, lock);
    }
  }

  static bool IsBlank(std::string_view value) {
    return value.find_first_not_of(" \t\n\r") == std::string_view::npos;
  }

  std::shared_ptr<const CompiledPolicy> policy_;
  ColumnProfiler& profiler_;
  const size_t max_in_flight_;
  std::unique_ptr<Batch> filling_;      // reader thread only
  std::deque<ColumnContext> contexts_;  // per column; written by the reader thread only

  std::mutex mutex_;  // guards everything below and the claimed/done flags of batches
  std::condition_variable work_ready_;
  std::condition_variable batch_done_;
  std::deque<std::unique_ptr<Batch>> in_flight_;  // record order
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

struct FileResult {
  CoverageEntry coverage;
  std::vector<InventoryEntry> inventory;
  std::vector<Finding> findings;
  std::string warning;
};

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
                       const ExportControls& controls, int threads) {
  FileResult result;
  std::string display_name = in_directory ? target.display + "/" + file.relative : target.display;
  FileFacts facts = CollectExportFileFacts(file.path, file.relative);
  if (facts.encrypted) {
    // Protected by design: reported so coverage stays honest, but not a gap in the scan.
    CoverageEntry& c = result.coverage;
    c.target = target.id;
    c.dataset = file.relative;
    c.status = CoverageStatus::kSkipped;
    c.deliberate = true;
    c.bytes = facts.size;
    c.format = facts.container;
    c.reason = "encrypted container (" + facts.container + "); contents are not inspected";
    return result;
  }
  ColumnProfiler profiler(policy);
  FileReadOptions options;
  options.forced_encoding = plan.forced_encoding;
  // A CRM cell is small; a single field beyond this is cut (and reported) so that one
  // pathological line cannot hold the whole file in memory.
  options.max_record_bytes = 16ull << 20;
  FileReadOutcome outcome;
  try {
    if (threads > 1) {
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
  c.dataset = file.relative;
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
    dataset.dataset = file.relative;
    dataset.base.kind = "file";
    dataset.base.path = file.relative;
    AddPiiResults(*policy, dataset, profiler.Finish(), &result.inventory, &result.findings);
    CheckExportFile(facts, dataset.base, result.inventory.size(), controls, std::time(nullptr),
                    &result.findings);
    for (Finding& f : result.findings) f.location.target = target.id;
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

  const ExportControls controls = ExportControlsFromPacks(policy->packs());
  progress.SetTotalDatasets(walk.files.size());
  std::vector<FileResult> results(walk.files.size());
  std::atomic<size_t> next{0};
  int jobs = std::max(1, std::min<int>(plan.jobs, static_cast<int>(walk.files.size())));
  // Fewer files than jobs (typically one big export): the spare jobs match inside each file.
  const int threads_per_file = std::max(1, plan.jobs / jobs);
  auto worker = [&] {
    for (size_t i = next++; i < walk.files.size(); i = next++) {
      results[i] = ScanOneFile(target, walk.files[i], walk.root_is_directory, plan, policy,
                               controls, threads_per_file);
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
