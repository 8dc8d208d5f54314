// Profiling one database table (or view): its rows matched on the reading thread, or in
// batches on several cores, whichever pays for itself.
//
// Below kParallelMatchMinRows expected rows, starting matcher threads (each compiles its own
// copy of the policy) costs more than matching on the reading thread saves. From there on, and
// when the number of rows is not known (a table never analysed, read in full), rows go through
// a ParallelMatcher: one thread also gains from batches, since columns are then matched many
// values at a time. The profiles are identical either way. Shared by every database engine's
// scan (postgres_scan.cpp, sqlite_scan.cpp), so they decide alike.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "scanner/detect/column_profiler.h"
#include "scanner/detect/compiled_policy.h"
#include "scanner/scan/parallel_matcher.h"

namespace crmaudit {

inline constexpr double kParallelMatchMinRows = 20000;

// Rows a read is expected to deliver: for a sample, the sample size or the table's estimate
// when smaller; for a full read, the estimate. Negative when unknown.
inline double ExpectedRows(double estimated_rows, uint64_t sample_rows, bool full) {
  const double sample = static_cast<double>(sample_rows);
  if (full) return estimated_rows;
  if (estimated_rows < 0 || estimated_rows > sample) return sample;
  return estimated_rows;
}

// Calls `read(RecordSink&)` with the sink that suits `expected_rows` (matching on `threads`
// cores when big enough), fills *profiles and returns what `read` returned. Throws when the
// matcher failed (the dataset must then be reported as not scanned).
template <typename Read>
auto ProfileTable(const std::shared_ptr<const CompiledPolicy>& policy, const std::string& name,
                  double expected_rows, int threads, Read&& read,
                  std::vector<ColumnProfile>* profiles) {
  ColumnProfiler profiler(policy, name);
  if (expected_rows < 0 || expected_rows >= kParallelMatchMinRows) {
    ParallelMatcher matcher(policy, profiler, threads);
    auto result = read(static_cast<RecordSink&>(matcher));
    // A reader that swallows exceptions into its result: a matcher failure resurfaces here.
    matcher.Finish();
    *profiles = profiler.Finish();
    return result;
  }
  auto result = read(static_cast<RecordSink&>(profiler));
  *profiles = profiler.Finish();
  return result;
}

}  // namespace crmaudit
