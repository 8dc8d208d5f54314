#include "scanner/scan/parallel_matcher.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <pthread.h>

#include "scanner/detect/record_regions.h"
#include "scanner/scan/thread_cpu_time.h"
#include "scanner/sources/files/parsed_records.h"

namespace crmaudit {

class ParallelMatcher::Engine {
 public:
  Engine(std::shared_ptr<const CompiledPolicy> policy, ColumnProfiler& profiler, int threads,
         int threads_per_copy)
      : policy_(std::move(policy)),
        threads_per_copy_(threads_per_copy > 0
                              ? threads_per_copy
                              : (std::max(threads, 1) + kMaxPolicyCopies - 1) / kMaxPolicyCopies),
        profiler_(profiler),
        max_in_flight_(static_cast<size_t>(std::max(threads, 1)) * 4),
        regions_(policy_->region_rules()),
        layout_(profiler.tally_layout()) {
    filling_ = NewBatch();
    try {
      // Thread i (the reader is 0) matches with copy i / threads_per_copy; the first thread of
      // a copy compiles it, the others wait for it. Copy 0 is the policy as given.
      for (int i = threads_per_copy_; i < threads; i += threads_per_copy_) {
        copies_.emplace_back(std::make_shared<CopyPromise>());
        copies_.back()->yet_to_take = std::min(threads_per_copy_, threads - i);
      }
      for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { WorkerLoop(i); });
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
    // A column declared now counts from the records after those handed over before it.
    if (!runs_.empty()) DrainRuns(0);
    const size_t index = profiler_.DeclareColumn(name);
    if (index == contexts_.size()) {
      contexts_.push_back(profiler_.column_context(index));
      sampling_closed_.emplace_back(
          std::make_unique<std::atomic<bool>[]>(profiler_.tally_layout().entity_of.size()));
      regions_.DeclareColumn(index, contexts_.back());
    }
    return index;
  }

  void Field(size_t column, std::string_view value) {
    // Runs of records handed over before this cell come first.
    if (!runs_.empty()) DrainRuns(0);
    // A column the profiler does not know is ignored by it: nothing to match either.
    if (column >= contexts_.size()) return;
    regions_.Field(column, value);
    Batch& batch = *filling_;
    if (column >= batch.columns.size()) batch.columns.resize(column + 1);
    BatchColumn& cells = batch.columns[column];
    // Elements of a deque stay where they are: workers use the pointer while columns are added.
    if (cells.context == nullptr) {
      cells.context = &contexts_[column];
      cells.sampling_closed = sampling_closed_[column].get();
    }
    cells.cells.push_back(
        CellRef{batch.records, static_cast<uint32_t>(value.size()), batch.bytes.size()});
    batch.bytes.append(value);
    ++batch.cell_count;
  }

  void EndRecord() {
    if (!runs_.empty()) DrainRuns(0);
    Batch& batch = *filling_;
    NoteRecordRegions(batch);
    regions_.EndRecord();
    ++batch.records;
    if (batch.bytes.size() >= kBatchBytes || batch.cell_count >= kBatchCells ||
        batch.records >= kBatchCells) {
      Submit();
    }
  }

  // A run of whole records: a matching thread reads its country and phone cells (Run), then
  // the reader decides the records' regions from what they say and hands the run on in batches
  // of about kBatchCells cells that share its buffers (CutIntoBatches); a matching thread
  // spreads a batch's cells over its columns, so the reader never touches a cell.
  void Records(ParsedRecords records, std::span<const size_t> columns) {
    if (failure_) std::rethrow_exception(failure_);
    // What the filling batch holds comes first (records delivered cell by cell before these;
    // Field drained the runs before them).
    if (filling_->records > 0 || filling_->cell_count > 0) Submit();
    auto run = std::make_unique<Run>();
    run->piece = std::make_shared<const ParsedRecords>(std::move(records));
    run->piece_columns =
        std::make_shared<const std::vector<size_t>>(columns.begin(), columns.end());
    for (size_t p = 0; p < columns.size(); ++p) {
      if (const uint8_t role = regions_.RoleOf(columns[p]); role != 0) {
        run->watched.push_back(p);
        run->roles.push_back(role);
      }
    }
    if (run->watched.empty()) {
      DrainRuns(0);
      CutIntoBatches(*run);
      return;
    }
    // Its country and phone cells are read on a matching thread while the reader cuts the run
    // before it into batches.
    {
      std::lock_guard lock(mutex_);
      runs_.push_back(std::move(run));
    }
    work_ready_.notify_one();
    DrainRuns(1);
  }

  void Finish() {
    if (failure_) std::rethrow_exception(failure_);
    DrainRuns(0);
    // Cells after the last EndRecord (a reader cut short) are read in what their record had.
    if (filling_->cell_count > 0) NoteRecordRegions(*filling_);
    if (filling_->records > 0 || filling_->cell_count > 0) Submit();
    std::unique_lock lock(mutex_);
    while (!in_flight_.empty()) HelpOrWait(lock);
  }

 private:
  // Up to this many threads each match with a copy of their own (RE2 takes a shared lock on
  // its matcher's cache around every search, and one lock word written by many cores is
  // contended); more threads share copies, two or more to a copy, so that memory stays bounded
  // (each copy holds about 5 MB of compiled programs and grows DFA caches of a few MB more).
  static constexpr int kMaxPolicyCopies = 8;

  // Small enough that a batch being filled, matched and applied stays in a core's cache.
  static constexpr size_t kBatchBytes = 64 << 10;
  static constexpr size_t kBatchCells = 4096;

  // One value of a batch: its record (counted within the batch) and its bytes in `bytes`.
  // 16 bytes: a value is at most a record, and records are cut far below 4 GB.
  struct CellRef {
    uint32_t record;
    uint32_t length;
    size_t offset;
  };

  // A batch keeps its values column by column, each column in record order: columns are
  // matched and profiled independently of each other, so nothing needs the row-major order.
  struct BatchColumn {
    const ColumnContext* context = nullptr;              // set with the column's first cell
    const std::atomic<bool>* sampling_closed = nullptr;  // and its detectors' (sampling_closed_)
    std::vector<CellRef> cells;
    ColumnTally tally;  // filled by the matcher: what the profiler learns from the column
  };

  struct Batch {
    std::vector<BatchColumn> columns;  // indexed by profiler column
    // A batch made of `records` whole records of a run (Records) from its first_piece_record
    // on: its values are in `piece` (shared with the run's other batches), the column of each
    // cell position in `piece_columns`, and the matching thread fills `columns` from them before
    // matching. Else (no piece) the reader filled `columns` and `bytes` cell by cell.
    std::shared_ptr<const ParsedRecords> piece;
    std::shared_ptr<const std::vector<size_t>> piece_columns;
    size_t first_piece_record = 0;
    // Per record of the batch: its country (high 16 bits) and the dataset majority before it
    // (low 16 bits), as RecordRegions decided them on the reader thread.
    std::vector<uint32_t> record_regions;
    bool any_region = false;  // some record has one of them
    std::string bytes;
    uint32_t records = 0;
    size_t cell_count = 0;
    bool claimed = false;
    bool done = false;
    std::exception_ptr error;

    // Where the values' bytes are (CellRef::offset counts from there).
    std::string_view values() const { return piece ? piece->all_cells() : bytes; }
  };

  // A run of whole records (Records) whose country and phone cells a matching thread reads
  // ahead of the reader (RecordRegions::Read), so that the reader only counts what they say, in
  // record order (RecordRegions::FieldRead), and never touches a cell of the run.
  struct Run {
    std::shared_ptr<const ParsedRecords> piece;
    std::shared_ptr<const std::vector<size_t>> piece_columns;
    std::vector<size_t> watched;  // cell positions of the columns RecordRegions watches
    std::vector<uint8_t> roles;   // their roles when the run came
    std::vector<RecordRegions::CellRegions> cells;  // per record, per watched position
    bool claimed = false;                           // guarded by mutex_, like `done`
    bool done = false;
    std::exception_ptr error;
  };

  // Reads a run's watched cells. Any thread: it reads only the run and the region rules.
  void ReadRun(Run& run, RecordRegions::CountryMemo& memo) const {
    try {
      const ParsedRecords& piece = *run.piece;
      const size_t width = run.watched.size();
      run.cells.assign(piece.size() * width, RecordRegions::CellRegions{});
      for (size_t r = 0; r < piece.size(); ++r) {
        for (size_t w = 0; w < width; ++w) {
          const std::string_view cell = piece.cell(r, run.watched[w]);
          if (!cell.empty()) run.cells[r * width + w] = regions_.Read(run.roles[w], cell, &memo);
        }
      }
    } catch (...) {
      run.error = std::current_exception();
    }
  }

  // Cuts the oldest runs into batches, in order, until `keep` are left (the newest, whose
  // cells a matching thread may be reading); one whose cells were read already goes too. A run
  // no thread has taken yet is read here.
  void DrainRuns(size_t keep) {
    while (true) {
      std::unique_ptr<Run> run;
      {
        std::unique_lock lock(mutex_);
        if (runs_.empty() || (runs_.size() <= keep && !runs_.front()->done)) return;
        Run& front = *runs_.front();
        if (!front.claimed) {
          front.claimed = true;
          lock.unlock();
          ReadRun(front, reader_memory_.countries);
          lock.lock();
          front.done = true;
        } else {
          batch_done_.wait(lock, [&front] { return front.done; });
        }
        // Only the reader thread pushes and pops, so the front is still this run; no worker
        // holds a pointer to a done one.
        run = std::move(runs_.front());
        runs_.pop_front();
      }
      if (run->error) {
        failure_ = run->error;
        std::rethrow_exception(run->error);
      }
      CutIntoBatches(*run);
    }
  }

  // Hands a run on in batches of about kBatchCells cells that share its buffers, noting each
  // record's regions on the way (from the cells read ahead, when the run has any).
  void CutIntoBatches(const Run& run) {
    const ParsedRecords& piece = *run.piece;
    const std::vector<size_t>& columns = *run.piece_columns;
    const size_t width = run.watched.size();
    size_t r = 0;
    while (r < piece.size()) {
      std::unique_ptr<Batch> batch = NewBatch();
      for (size_t column : columns) {
        if (column >= contexts_.size()) continue;
        if (column >= batch->columns.size()) batch->columns.resize(column + 1);
        batch->columns[column].context = &contexts_[column];
        batch->columns[column].sampling_closed = sampling_closed_[column].get();
      }
      batch->piece = run.piece;
      batch->piece_columns = run.piece_columns;
      batch->first_piece_record = r;
      size_t cells = 0;
      for (; r < piece.size() && cells < kBatchCells; ++r) {
        cells += piece.ends(r).size();
        // An empty or missing cell was read as naming nothing: counting it changes nothing.
        for (size_t w = 0; w < width; ++w) {
          const size_t p = run.watched[w];
          const size_t column = columns[p];
          if (regions_.RoleOf(column) == run.roles[w]) {
            regions_.FieldRead(column, run.cells[r * width + w]);
          } else if (const std::string_view cell = piece.cell(r, p); !cell.empty()) {
            regions_.Field(column, cell);  // its role changed since it was read (not in a CSV)
          }
        }
        NoteRecordRegions(*batch);
        regions_.EndRecord();
        ++batch->records;
      }
      SubmitBatch(std::move(batch));
    }
  }

  Run* NextUnreadRun() {
    for (auto& run : runs_) {
      if (!run->claimed) return run.get();
    }
    return nullptr;
  }

  void Submit() {
    // After a failure nothing more is applied: later batches would leave a hole in the order.
    if (failure_) std::rethrow_exception(failure_);
    std::unique_ptr<Batch> batch = std::move(filling_);
    filling_ = NewBatch();
    SubmitBatch(std::move(batch));
  }

  void SubmitBatch(std::unique_ptr<Batch> batch) {
    if (failure_) std::rethrow_exception(failure_);
    std::unique_lock lock(mutex_);
    in_flight_.push_back(std::move(batch));
    work_ready_.notify_one();
    ApplyFinished(lock);
    while (in_flight_.size() >= max_in_flight_) HelpOrWait(lock);
  }

  // Matches an unclaimed batch on this thread, or waits for the oldest one; then applies
  // whatever has finished in order.
  void HelpOrWait(std::unique_lock<std::mutex>& lock) {
    Batch* unclaimed = NextUnclaimed();
    if (unclaimed != nullptr) {
      const double before = ThreadCpuSeconds();
      Match(*policy_, reader_memory_, *unclaimed, lock);
      reader_matching_seconds_ += ThreadCpuSeconds() - before;
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
    std::vector<ValueMatch> matches;       // the matches of one column
    std::vector<RegionId> regions;         // their regions, when the batch has any
    RecordRegions::CountryMemo countries;  // for reading runs' country cells (ReadRun)
  };

  // Called with the lock held; matches without it, column by column (so that a column whose
  // values rarely hit anything is cleared many values at a time).
  void Match(const CompiledPolicy& policy, MatcherMemory& memory, Batch& batch,
             std::unique_lock<std::mutex>& lock) {
    batch.claimed = true;
    lock.unlock();
    try {
      if (batch.piece) SpreadCells(batch);
      const std::string_view bytes = batch.values();
      if (memory.states.size() < batch.columns.size()) memory.states.resize(batch.columns.size());
      for (size_t c = 0; c < batch.columns.size(); ++c) {
        BatchColumn& column = batch.columns[c];
        if (column.cells.empty()) continue;
        memory.values.clear();
        memory.cells.clear();
        memory.regions.clear();
        const RegionId implied = column.context->implied_region;
        const bool regional = batch.any_region || implied != 0;
        for (size_t k = 0; k < column.cells.size(); ++k) {
          const std::string_view value(bytes.data() + column.cells[k].offset,
                                       column.cells[k].length);
          if (ColumnProfiler::IsBlank(value)) continue;
          memory.values.push_back(value);
          memory.cells.push_back(k);
          if (regional) memory.regions.push_back(RegionOf(batch, column.cells[k].record, implied));
        }
        memory.spans.resize(memory.values.size());
        memory.matches.clear();
        policy.ScanColumn(memory.values, *column.context, &memory.states[c], &memory.matches,
                          memory.spans.data(), memory.regions);
        // Tallied here, in record order, so the reader thread only merges the tally.
        for (size_t v = 0; v < memory.values.size(); ++v) {
          const MatchSpan span = memory.spans[v];
          if (span.count == 0) {
            column.tally.AddUnmatched(memory.values[v]);
          } else {
            column.tally.AddMatched(layout_, column.cells[memory.cells[v]].record, memory.values[v],
                                    memory.matches.data() + span.first, span.count,
                                    column.sampling_closed);
          }
        }
      }
    } catch (...) {
      batch.error = std::current_exception();
    }
    lock.lock();
    batch.done = true;
    batch_done_.notify_all();
  }

  // Fills the columns of a batch made of whole records: each non-empty cell, in record order,
  // goes to its position's column, as Field would have put it there.
  static void SpreadCells(Batch& batch) {
    const ParsedRecords& piece = *batch.piece;
    const std::vector<size_t>& columns = *batch.piece_columns;
    for (uint32_t r = 0; r < batch.records; ++r) {
      const size_t base = piece.cells_begin(batch.first_piece_record + r);
      const std::span<const size_t> ends = piece.ends(batch.first_piece_record + r);
      size_t start = 0;
      for (size_t p = 0; p < ends.size(); ++p) {
        const size_t stop = ends[p];
        if (stop > start) {
          const size_t column = columns[p];
          if (column < batch.columns.size() && batch.columns[column].context != nullptr) {
            batch.columns[column].cells.push_back(
                CellRef{r, static_cast<uint32_t>(stop - start), base + start});
            ++batch.cell_count;
          }
        }
        start = stop;
      }
    }
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

  // Feeds one finished batch to the profiler: each column's tally, merged after the records
  // before it. Detectors that now take no more samples are marked for the matching threads.
  void Apply(const Batch& batch) {
    const uint64_t first_record = profiler_.records();
    for (size_t c = 0; c < batch.columns.size(); ++c) {
      const BatchColumn& column = batch.columns[c];
      if (column.context == nullptr) continue;
      profiler_.AddRun(c, first_record, column.tally);
      std::atomic<bool>* closed = sampling_closed_[c].get();
      for (int detector : column.tally.matched_detectors()) {
        std::atomic<bool>& flag = closed[static_cast<size_t>(detector)];
        if (!flag.load(std::memory_order_relaxed) && profiler_.SamplingClosed(c, detector)) {
          flag.store(true, std::memory_order_relaxed);
        }
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
      column.tally.Clear();
    }
    batch->bytes.clear();
    // The last batch of a run frees the run's buffers.
    batch->piece.reset();
    batch->piece_columns.reset();
    batch->first_piece_record = 0;
    batch->record_regions.clear();
    batch->any_region = false;
    batch->records = 0;
    batch->cell_count = 0;
    batch->claimed = false;
    batch->done = false;
    batch->error = nullptr;
    spare_.push_back(std::move(batch));
  }

  // A copy of the policy compiled by the first thread that matches with it. Each thread of the
  // copy keeps its own reference; the last of them to take it drops this one, so that the copy
  // is destroyed on a worker thread when they end (in parallel with the other copies), not one
  // copy after the other on the reader's.
  struct CopyPromise {
    std::promise<void> compiled;
    std::shared_future<void> ready = compiled.get_future().share();
    std::shared_ptr<const CompiledPolicy> copy;  // set before `compiled` is
    std::atomic<int> yet_to_take = 0;            // threads of the copy that have not taken it
  };

  // The policy thread `index` matches with: its copy's, compiled here when it is the first.
  std::shared_ptr<const CompiledPolicy> PolicyFor(int index) {
    const int copy = index / threads_per_copy_;
    if (copy == 0) return policy_;
    CopyPromise& shared = *copies_[static_cast<size_t>(copy - 1)];
    std::shared_ptr<const CompiledPolicy> own;
    if (index % threads_per_copy_ == 0) {
      own = policy_;
      try {
        own = policy_->Recompile();
      } catch (const std::exception&) {
        // Sharing the reader's copy is slower, never wrong.
      }
      shared.copy = own;
      shared.compiled.set_value();
    } else {
      shared.ready.wait();
      own = shared.copy;
    }
    // A thread that was never started leaves the reference here, for the engine to drop.
    if (shared.yet_to_take.fetch_sub(1) == 1) shared.copy.reset();
    return own;
  }

  void WorkerLoop(int index) {
    // Named so that per-thread profiles (perf report --sort comm) tell matching from reading.
    pthread_setname_np(pthread_self(), "crmaudit-match");
    // Compiled on this thread, in parallel with the reader's first batches.
    const std::shared_ptr<const CompiledPolicy> own = PolicyFor(index);
    MatcherMemory memory;
    std::unique_lock lock(mutex_);
    while (true) {
      Run* run = nullptr;
      Batch* batch = nullptr;
      // A run's cells first: the reader waits for them before it can hand the run on.
      work_ready_.wait(lock, [&] {
        return stopping_ || (run = NextUnreadRun()) != nullptr ||
               (batch = NextUnclaimed()) != nullptr;
      });
      if (stopping_) return;
      if (run != nullptr) {
        run->claimed = true;
        lock.unlock();
        ReadRun(*run, memory.countries);
        lock.lock();
        run->done = true;
        batch_done_.notify_all();
        continue;
      }
      Match(*own, memory, *batch, lock);
    }
  }

  std::shared_ptr<const CompiledPolicy> policy_;
  const int threads_per_copy_;
  std::vector<std::shared_ptr<CopyPromise>> copies_;  // copy i + 1; set before workers start
  ColumnProfiler& profiler_;
  const size_t max_in_flight_;
  RecordRegions regions_;               // reader thread only
  std::unique_ptr<Batch> filling_;      // reader thread only
  std::deque<ColumnContext> contexts_;  // per column; the reader adds, workers read via pointers
  // Per column and detector: whether the profiler takes no more masked samples of it, so that
  // matching threads need not mask for it (ColumnTally::AddMatched). Set by the reader thread.
  std::deque<std::unique_ptr<std::atomic<bool>[]>> sampling_closed_;
  const ColumnTally::Layout& layout_;   // the profiler's, immutable
  std::exception_ptr failure_;          // reader thread only: the first matcher failure seen
  double reader_matching_seconds_ = 0;  // reader thread only: its CPU time spent in Match

 public:
  double reader_matching_seconds() const { return reader_matching_seconds_; }

 private:
  MatcherMemory reader_memory_;                // reader thread only, for the batches it matches
  std::vector<std::unique_ptr<Batch>> spare_;  // reader thread only: applied, ready to refill

  std::mutex mutex_;  // guards everything below and the claimed/done flags of batches
  std::condition_variable work_ready_;
  std::condition_variable batch_done_;
  std::deque<std::unique_ptr<Batch>> in_flight_;  // record order
  // Runs waiting to be cut into batches, in record order; only the reader pushes and pops.
  std::deque<std::unique_ptr<Run>> runs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

ParallelMatcher::ParallelMatcher(std::shared_ptr<const CompiledPolicy> policy,
                                 ColumnProfiler& profiler, int threads, int threads_per_copy)
    : profiler_(profiler),
      engine_(std::make_unique<Engine>(std::move(policy), profiler, threads, threads_per_copy)) {}

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

void ParallelMatcher::Records(ParsedRecords records, std::span<const size_t> columns) {
  engine_->Records(std::move(records), columns);
}

void ParallelMatcher::Finish() { engine_->Finish(); }

double ParallelMatcher::reader_matching_seconds() const {
  return engine_->reader_matching_seconds();
}

}  // namespace crmaudit
