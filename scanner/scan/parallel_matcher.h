// ParallelMatcher: a RecordSink that matches one dataset in batches, on several cores if asked,
// and still profiles it exactly as ColumnProfiler::Field would.
//
// The reader thread (whoever calls Field/EndRecord) copies cells into batches kept column by
// column; a run of whole records (Records, from split_csv_reader.h) it cuts into batches that
// share the run's buffers, and a matching thread spreads their cells over the columns itself, so
// the reader does not touch them. Worker threads, each with its own ColumnScanState per column
// and a compiled copy of the policy (CompiledPolicy::Recompile(), shared by a few threads beyond
// eight), run CompiledPolicy::ScanColumn over each column of a batch (a column that rarely hits
// anything is cleared many values at a time) and tallies each column of the batch (ColumnTally:
// counts, first rows, masked samples; masking stops for a detector whose samples the profiler
// has all). The reader thread merges finished batches' tallies into the ColumnProfiler strictly
// in batch order, so counts, first rows and the first distinct masked samples are those of a
// single thread calling Field, whatever the scheduling, and it never reads a value again. The
// region each record's phone numbers are read in (RecordRegions) is decided on the reader thread in
// record order and kept per record of the batch, so values of one column batch may be read in
// different regions, exactly as Field would read them; for a run, a matching thread reads its
// country and phone cells while the reader cuts the run before it (RecordRegions::Read), and the
// reader only counts what they say (FieldRead). Runs wait for that, in order, before any later
// cell, column or the end is taken. Invariants:
//  - the ColumnProfiler is only ever touched by the reader thread;
//  - memory is bounded: a few batches (64 KB or 4096 cells each) per thread are in flight, one
//    run waits for its cells to be read, and at most 8 compiled copies of the policy exist
//    whatever the thread count;
//    when the batch bound is reached the reader matches a batch itself rather than wait; with
//    one thread the reader matches every batch (still worth it for the column-at-a-time passes);
//  - a matcher failure is rethrown on the reader thread, from Field/EndRecord or from Finish();
//    once one was seen, Finish() rethrows it again and applies nothing more, so a reader that
//    swallows exceptions (the PostgreSQL table reader does) cannot leave a hole in the order.
// Call Finish() after the reader is done; destroying the matcher without it drops what is
// pending (used when the read itself failed with an exception).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "scanner/detect/column_profiler.h"
#include "scanner/detect/compiled_policy.h"
#include "scanner/sources/files/record_batch_sink.h"

namespace crmaudit {

class ParallelMatcher final : public RecordBatchSink {
 public:
  // `threads` counts the reader: threads - 1 workers are started (none for 1; fewer if the
  // system has no more to give; the reader then matches the rest). Each group of
  // `threads_per_copy` threads matches with one compiled copy of the policy (the reader's group
  // with `policy` itself, the others with a CompiledPolicy::Recompile() of it); 0 chooses: one
  // copy per thread up to 8 threads, then as few threads per copy as keep it to 8 copies.
  ParallelMatcher(std::shared_ptr<const CompiledPolicy> policy, ColumnProfiler& profiler,
                  int threads, int threads_per_copy = 0);
  ~ParallelMatcher() override;

  ParallelMatcher(const ParallelMatcher&) = delete;
  ParallelMatcher& operator=(const ParallelMatcher&) = delete;

  size_t DeclareColumn(std::string_view name) override;
  bool IsHeaderRow(std::span<const std::string_view> first,
                   std::span<const std::vector<std::string_view>> following) override;
  void Field(size_t column, std::string_view value) override;
  void EndRecord() override;
  // A run of whole records (split_csv_reader.h): the reader thread only reads their country and
  // phone cells for RecordRegions; a matching thread spreads the cells over the columns.
  void Records(ParsedRecords records, std::span<const size_t> columns) override;

  // Matches and applies everything still pending; rethrows a matcher failure (the dataset is
  // then not scanned, as with a single thread).
  void Finish();

  // CPU seconds the reader thread spent matching batches itself (when the workers were behind):
  // the rest of its time is the part of a scan that only one thread can do (for measurements).
  double reader_matching_seconds() const;

 private:
  class Engine;
  ColumnProfiler& profiler_;  // judges header rows; the engine feeds it matches
  std::unique_ptr<Engine> engine_;
};

}  // namespace crmaudit
