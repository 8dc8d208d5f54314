#include "scanner/scan/parallel_matcher.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "scanner/detect/record_regions.h"

namespace crmaudit {

class ParallelMatcher::Engine {
 public:
  Engine(std::shared_ptr<const CompiledPolicy> policy, ColumnProfiler& profiler, int threads)
      : policy_(std::move(policy)),
        profiler_(profiler),
        max_in_flight_(static_cast<size_t>(std::max(threads, 1)) * 4),
        regions_(policy_->region_rules()) {
    filling_ = NewBatch();
    try {
      for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
    } catch (const std::system_error&) {
      // No more threads to be had: the reader matches whatever the started workers do not.
    }
  }

  ~Engine() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (auto& worker : workers_) worker.join();
  }

  size_t DeclareColumn(std::string_view name) {
    const size_t index = profiler_.DeclareColumn(name);
    if (index == contexts_.size()) {
      contexts_.push_back(profiler_.column_context(index));
      regions_.DeclareColumn(index, contexts_.back());
    }
    return index;
  }

  void Field(size_t column, std::string_view value) {
    // A column the profiler does not know is ignored by it: nothing to match either.
    if (column >= contexts_.size()) return;
    regions_.Field(column, value);
    Batch& batch = *filling_;
    if (column >= batch.columns.size()) batch.columns.resize(column + 1);
    BatchColumn& cells = batch.columns[column];
    // Elements of a deque stay where they are: workers use the pointer while columns are added.
    if (cells.context == nullptr) cells.context = &contexts_[column];
    cells.cells.push_back(CellRef{batch.records, batch.bytes.size(), value.size()});
    batch.bytes.append(value);
    ++batch.cell_count;
  }

  void EndRecord() {
    Batch& batch = *filling_;
    NoteRecordRegions(batch);
    regions_.EndRecord();
    ++batch.records;
    if (batch.bytes.size() >= kBatchBytes || batch.cell_count >= kBatchCells ||
        batch.records >= kBatchCells) {
      Submit();
    }
  }

  void Finish() {
    if (failure_) std::rethrow_exception(failure_);
    // Cells after the last EndRecord (a reader cut short) are read in what their record had.
    if (filling_->cell_count > 0) NoteRecordRegions(*filling_);
    if (filling_->records > 0 || filling_->cell_count > 0) Submit();
    std::unique_lock lock(mutex_);
    while (!in_flight_.empty()) HelpOrWait(lock);
  }

 private:
  // Small enough that a batch being filled, matched and applied stays in a core's cache.
  static constexpr size_t kBatchBytes = 64 << 10;
  static constexpr size_t kBatchCells = 4096;

  // One value of a batch: its record (counted within the batch) and its bytes in `bytes`.
  struct CellRef {
    uint32_t record;
    size_t offset;
    size_t length;
  };

  // A batch keeps its values column by column, each column in record order: columns are
  // matched and profiled independently of each other, so nothing needs the row-major order.
  struct BatchColumn {
    const ColumnContext* context = nullptr;  // set with the column's first cell
    std::vector<CellRef> cells;
    // Filled by the matcher:
    std::vector<MatchSpan> spans;  // per cell: its matches in Batch::matches
    ColumnProfiler::UnmatchedCounts unmatched;
  };

  struct Batch {
    std::vector<BatchColumn> columns;  // indexed by profiler column
    // Per record of the batch: its country (high 16 bits) and the dataset majority before it
    // (low 16 bits), as RecordRegions decided them on the reader thread.
    std::vector<uint32_t> record_regions;
    bool any_region = false;  // some record has one of them
    std::string bytes;
    uint32_t records = 0;
    size_t cell_count = 0;
    std::vector<ValueMatch> matches;
    bool claimed = false;
    bool done = false;
    std::exception_ptr error;
  };

  void Submit() {
    // After a failure nothing more is applied: later batches would leave a hole in the order.
    if (failure_) std::rethrow_exception(failure_);
    std::unique_lock lock(mutex_);
    in_flight_.push_back(std::move(filling_));
    filling_ = NewBatch();
    work_ready_.notify_one();
    ApplyFinished(lock);
    while (in_flight_.size() >= max_in_flight_) HelpOrWait(lock);
  }

  // Matches an unclaimed batch on this thread, or waits for the oldest one; then applies
  // whatever has finished in order.
  void HelpOrWait(std::unique_lock<std::mutex>& lock) {
    Batch* unclaimed = NextUnclaimed();
    if (unclaimed != nullptr) {
      Match(*policy_, reader_memory_, *unclaimed, lock);
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

  // The reader's RecordRegions decisions for the batch's current record.
  void NoteRecordRegions(Batch& batch) {
    const uint32_t packed = static_cast<uint32_t>(regions_.RecordCountry()) << 16 |
                            static_cast<uint32_t>(regions_.Majority());
    batch.record_regions.resize(batch.records, 0);
    batch.record_regions.push_back(packed);
    batch.any_region = batch.any_region || packed != 0;
  }

  // The region a value of a column implying `implied` is read in, in the batch's `record`.
  static RegionId RegionOf(const Batch& batch, uint32_t record, RegionId implied) {
    const uint32_t packed = record < batch.record_regions.size() ? batch.record_regions[record] : 0;
    return RecordRegions::Choose(static_cast<RegionId>(packed >> 16), implied,
                                 static_cast<RegionId>(packed & 0xFFFF));
  }

  // What one matching thread keeps between batches.
  struct MatcherMemory {
    std::vector<ColumnScanState> states;   // per column: what matching learnt on this thread
    std::vector<std::string_view> values;  // one column's non-blank values, in record order
    std::vector<size_t> cells;             // and the cells they came from
    std::vector<MatchSpan> spans;          // where their matches went
    std::vector<RegionId> regions;         // their regions, when the batch has any
  };

  // Called with the lock held; matches without it, column by column (so that a column whose
  // values rarely hit anything is cleared many values at a time).
  void Match(const CompiledPolicy& policy, MatcherMemory& memory, Batch& batch,
             std::unique_lock<std::mutex>& lock) {
    batch.claimed = true;
    lock.unlock();
    try {
      if (memory.states.size() < batch.columns.size()) memory.states.resize(batch.columns.size());
      for (size_t c = 0; c < batch.columns.size(); ++c) {
        BatchColumn& column = batch.columns[c];
        column.spans.assign(column.cells.size(), MatchSpan{});
        if (column.cells.empty()) continue;
        memory.values.clear();
        memory.cells.clear();
        memory.regions.clear();
        const RegionId implied = column.context->implied_region;
        const bool regional = batch.any_region || implied != 0;
        for (size_t k = 0; k < column.cells.size(); ++k) {
          const std::string_view value(batch.bytes.data() + column.cells[k].offset,
                                       column.cells[k].length);
          if (ColumnProfiler::IsBlank(value)) continue;
          memory.values.push_back(value);
          memory.cells.push_back(k);
          if (regional) memory.regions.push_back(RegionOf(batch, column.cells[k].record, implied));
        }
        memory.spans.resize(memory.values.size());
        policy.ScanColumn(memory.values, *column.context, &memory.states[c], &batch.matches,
                          memory.spans.data(), memory.regions);
        for (size_t v = 0; v < memory.values.size(); ++v) {
          column.spans[memory.cells[v]] = memory.spans[v];
          if (memory.spans[v].count == 0) column.unmatched.Add(memory.values[v]);
        }
      }
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
      if (batch->error) {
        failure_ = batch->error;
        std::rethrow_exception(batch->error);
      }
      lock.unlock();
      Apply(*batch);
      Recycle(std::move(batch));
      lock.lock();
    }
  }

  // Feeds one finished batch to the profiler: per column, the count of values without a match
  // and, in record order, the values with one.
  void Apply(const Batch& batch) {
    const uint64_t first_record = profiler_.records();
    for (size_t c = 0; c < batch.columns.size(); ++c) {
      const BatchColumn& column = batch.columns[c];
      profiler_.AddUnmatched(c, column.unmatched);
      for (size_t k = 0; k < column.cells.size(); ++k) {
        const MatchSpan span = column.spans[k];
        if (span.count == 0) continue;
        const CellRef& cell = column.cells[k];
        profiler_.FieldMatchedInRecord(
            c, first_record + cell.record,
            std::string_view(batch.bytes.data() + cell.offset, cell.length),
            batch.matches.data() + span.first, span.count);
      }
    }
    profiler_.AddRecords(batch.records);
  }

  // Applied batches are emptied and filled again: their buffers have grown to the batch size
  // already, so the reader does not regrow them for every batch. Reader thread only.
  std::unique_ptr<Batch> NewBatch() {
    if (spare_.empty()) {
      auto batch = std::make_unique<Batch>();
      batch->bytes.reserve(kBatchBytes + 4096);
      return batch;
    }
    std::unique_ptr<Batch> batch = std::move(spare_.back());
    spare_.pop_back();
    return batch;
  }

  void Recycle(std::unique_ptr<Batch> batch) {
    for (BatchColumn& column : batch->columns) {
      column.cells.clear();
      column.spans.clear();
      column.unmatched = {};
    }
    batch->bytes.clear();
    batch->record_regions.clear();
    batch->any_region = false;
    batch->records = 0;
    batch->cell_count = 0;
    batch->matches.clear();
    batch->claimed = false;
    batch->done = false;
    batch->error = nullptr;
    spare_.push_back(std::move(batch));
  }

  void WorkerLoop() {
    // Compiled on this thread, in parallel with the reader's first batches.
    std::shared_ptr<const CompiledPolicy> own = policy_;
    try {
      own = policy_->Recompile();
    } catch (const std::exception&) {
      // Sharing the reader's copy is slower, never wrong.
    }
    MatcherMemory memory;
    std::unique_lock lock(mutex_);
    while (true) {
      Batch* batch = nullptr;
      work_ready_.wait(lock, [&] { return stopping_ || (batch = NextUnclaimed()) != nullptr; });
      if (stopping_) return;
      Match(*own, memory, *batch, lock);
    }
  }

  std::shared_ptr<const CompiledPolicy> policy_;
  ColumnProfiler& profiler_;
  const size_t max_in_flight_;
  RecordRegions regions_;               // reader thread only
  std::unique_ptr<Batch> filling_;      // reader thread only
  std::deque<ColumnContext> contexts_;  // per column; the reader adds, workers read via pointers
  std::exception_ptr failure_;          // reader thread only: the first matcher failure seen
  MatcherMemory reader_memory_;         // reader thread only, for the batches it matches
  std::vector<std::unique_ptr<Batch>> spare_;  // reader thread only: applied, ready to refill

  std::mutex mutex_;  // guards everything below and the claimed/done flags of batches
  std::condition_variable work_ready_;
  std::condition_variable batch_done_;
  std::deque<std::unique_ptr<Batch>> in_flight_;  // record order
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

ParallelMatcher::ParallelMatcher(std::shared_ptr<const CompiledPolicy> policy,
                                 ColumnProfiler& profiler, int threads)
    : profiler_(profiler),
      engine_(std::make_unique<Engine>(std::move(policy), profiler, threads)) {}

ParallelMatcher::~ParallelMatcher() = default;

size_t ParallelMatcher::DeclareColumn(std::string_view name) {
  return engine_->DeclareColumn(name);
}

bool ParallelMatcher::IsHeaderRow(std::span<const std::string_view> first,
                                  std::span<const std::vector<std::string_view>> following) {
  return profiler_.IsHeaderRow(first, following);
}

void ParallelMatcher::Field(size_t column, std::string_view value) {
  engine_->Field(column, value);
}

void ParallelMatcher::EndRecord() { engine_->EndRecord(); }

void ParallelMatcher::Finish() { engine_->Finish(); }

}  // namespace crmaudit
