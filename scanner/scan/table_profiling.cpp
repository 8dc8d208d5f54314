#include "scanner/scan/table_profiling.h"

#include "scanner/scan/parallel_matcher.h"

namespace crmaudit {

std::vector<ColumnProfile> ProfileTableRead(const std::shared_ptr<const CompiledPolicy>& policy,
                                            const std::string& table_name, double expected_rows,
                                            int threads,
                                            const std::function<void(RecordSink&)>& read) {
  ColumnProfiler profiler(policy, table_name);
  // A table of unknown size may be of any size: worth the threads. One thread also gains from
  // batches: columns are then matched many values at a time.
  if (expected_rows < 0 || expected_rows >= kParallelMatchMinRows) {
    ParallelMatcher matcher(policy, profiler, threads);
    read(matcher);
    // The reader swallows exceptions into its result; a matcher failure resurfaces here.
    matcher.Finish();
  } else {
    read(profiler);
  }
  return profiler.Finish();
}

double ExpectedReadRows(double estimated_rows, uint64_t sample_rows, bool full) {
  const double sample = static_cast<double>(sample_rows);
  if (full) return estimated_rows;
  if (estimated_rows < 0 || estimated_rows > sample) return sample;
  return estimated_rows;
}

void RecordTableProfiles(const CompiledPolicy& policy, const DatasetRef& dataset,
                         const std::string& schema, const std::string& table, char relkind,
                         const std::vector<ColumnProfile>& profiles, TargetScanOutput* out,
                         std::vector<PiiColumnRef>* pii) {
  AddPiiResults(policy, dataset, profiles, &out->inventory, &out->findings);
  const auto& detectors = policy.detectors();
  for (const auto& profile : profiles) {
    PiiColumnRef ref{schema, table, profile.column, {}, relkind};
    for (const auto& entity : profile.entities) {
      ref.entities.push_back(detectors.at(entity.detector)->entity);
    }
    if (!ref.entities.empty()) pii->push_back(std::move(ref));
  }
}

}  // namespace crmaudit
