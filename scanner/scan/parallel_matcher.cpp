#include "scanner/scan/parallel_matcher.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace crmaudit {

class ParallelMatcher::Engine {
 public:
  Engine(std::shared_ptr<const CompiledPolicy> policy, ColumnProfiler& profiler, int threads)
      : policy_(std::move(policy)),
        profiler_(profiler),
        max_in_flight_(static_cast<size_t>(std::max(threads, 1)) * 4) {
    filling_ = std::make_unique<Batch>();
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
    // Cells carry pointers into contexts_ to the workers: a deque never moves its elements.
    if (index == contexts_.size()) contexts_.push_back(policy_->ColumnHints(name));
    return index;
  }

  void Field(size_t column, std::string_view value) {
    // A column the profiler does not know is ignored by it: nothing to match either.
    if (column >= contexts_.size()) return;
    filling_->cells.push_back(
        Cell{column, &contexts_[column], filling_->bytes.size(), value.size()});
    filling_->bytes.append(value);
  }

  void EndRecord() {
    filling_->cells.push_back(Cell{kEndOfRecord, nullptr, 0, 0});
    if (filling_->bytes.size() >= kBatchBytes || filling_->cells.size() >= kBatchCells) Submit();
  }

  void Finish() {
    if (failure_) std::rethrow_exception(failure_);
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
    // After a failure nothing more is applied: later batches would leave a hole in the order.
    if (failure_) std::rethrow_exception(failure_);
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
      if (batch->error) {
        failure_ = batch->error;
        std::rethrow_exception(batch->error);
      }
      lock.unlock();
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
  std::exception_ptr failure_;          // reader thread only: the first matcher failure seen

  std::mutex mutex_;  // guards everything below and the claimed/done flags of batches
  std::condition_variable work_ready_;
  std::condition_variable batch_done_;
  std::deque<std::unique_ptr<Batch>> in_flight_;  // record order
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

ParallelMatcher::ParallelMatcher(std::shared_ptr<const CompiledPolicy> policy,
                                 ColumnProfiler& profiler, int threads)
    : engine_(std::make_unique<Engine>(std::move(policy), profiler, threads)) {}

ParallelMatcher::~ParallelMatcher() = default;

size_t ParallelMatcher::DeclareColumn(std::string_view name) {
  return engine_->DeclareColumn(name);
}

void ParallelMatcher::Field(size_t column, std::string_view value) {
  engine_->Field(column, value);
}

void ParallelMatcher::EndRecord() { engine_->EndRecord(); }

void ParallelMatcher::Finish() { engine_->Finish(); }

}  // namespace crmaudit
