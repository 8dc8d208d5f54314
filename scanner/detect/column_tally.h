// ColumnTally: what one column's values showed, over a run of records.
//
// ColumnProfiler keeps one tally per column for the whole dataset. ParallelMatcher builds one
// per column of a batch on the thread that matched it, and the profiler merges the batches'
// tallies in record order, so the reader thread never reads a value a second time (that read
// missed the cache: the bytes were last touched on another core) and does per batch what it
// did per value.
//
// What must stay true: merging the tallies of consecutive runs, in record order, gives exactly
// what adding every value of those runs to one tally gives: the counts, the first record of
// each detector, the confidence sums, and the masked samples (per detector at most three
// distinct ones, taken from the first 256 values the detector confirmed while fewer than three
// were kept; a column of look-alike values, one mask for all, would otherwise mask every value).
// Memory: counters and at most three masked samples per detector that matched; never a raw value.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/detect/compiled_policy.h"

namespace crmaudit {

class ColumnTally {
 public:
  // What the tallies of one policy share: each detector's entity type. Immutable once built,
  // so matching threads read it freely.
  struct Layout {
    explicit Layout(const CompiledPolicy& policy);
    std::vector<size_t> entity_of;          // per detector: index into entity_names
    std::vector<std::string> entity_names;  // distinct entity types, in detector order
  };

  struct Detector {
    uint64_t matched = 0;         // values with at least one confirmed candidate
    uint64_t confidence_sum = 0;  // of each such value's best candidate
    uint64_t first_record = 0;    // 0-based; meaningful when matched > 0
    uint64_t sample_attempts = 0;
    std::vector<std::string> samples;         // distinct masked candidates, at most three
    std::vector<uint64_t> sample_attempt_at;  // per sample: the attempt that took it
  };

  // A non-blank value in which no detector confirmed anything.
  void AddUnmatched(std::string_view value);
  // A non-blank value of 0-based record `record` (counted from the run's start) and what
  // CompiledPolicy::Scan confirmed in it. `sampling_closed`, when given, holds per detector
  // whether the tally this run will be merged into takes no more samples: masking for it is
  // then skipped (it can only go from open to closed, so a stale read only costs time).
  void AddMatched(const Layout& layout, uint64_t record, std::string_view value,
                  const ValueMatch* matches, size_t match_count,
                  const std::atomic<bool>* sampling_closed = nullptr);
  // Adds a tally of the records that follow this one's; `first_record` is the 0-based record
  // its record 0 is here.
  void Merge(uint64_t first_record, const ColumnTally& run);
  // Forgets everything, keeping the memory for the next run.
  void Clear();

  // Whether detector `detector` takes no more samples here.
  bool SamplingClosed(int detector) const;

  uint64_t non_empty() const { return non_empty_; }
  uint64_t prose() const { return prose_; }
  // Per detector (index into CompiledPolicy::detectors()); empty until the first match.
  const std::vector<Detector>& detectors() const { return detectors_; }
  // Per entity type of the layout: values in which at least one of its detectors matched.
  const std::vector<uint64_t>& entity_values() const { return entity_values_; }
  // The detectors that matched at least once, in the order of their first match.
  const std::vector<int>& matched_detectors() const { return matched_detectors_; }

 private:
  void Size(const Layout& layout);

  uint64_t non_empty_ = 0;
  uint64_t prose_ = 0;
  std::vector<Detector> detectors_;
  std::vector<uint64_t> entity_values_;
  std::vector<int> matched_detectors_;    // detectors with matched > 0, in order of first match
  std::vector<size_t> matched_entities_;  // entity types with a count > 0
  // Within one value:
  std::vector<int> best_;            // per detector, -1 between values
  std::vector<size_t> first_match_;  // per detector: its first candidate in the value
  std::vector<int> touched_;
  std::vector<char> entity_seen_;
};

}  // namespace crmaudit
