// ColumnProfiler: a RecordSink that classifies every column of one dataset.
//
// For each column it counts non-empty values and, per detector, the values in which the
// detector confirmed a candidate, keeping at most three masked samples and the first row seen.
// Finish() decides which (column, detector) pairs are real: a structured column is classified
// when enough of its non-empty values validate (a header hint lowers the bar); a free-text
// column (notes, remarks, 备注...) reports every entity embedded in it. Memory is bounded by the
// number of columns and detectors, never by the number of rows. Raw values are never stored
// beyond one record: when the dataset has a country column, Field() keeps the cells of the
// current record until EndRecord(), so that phone numbers are read in the record's region
// (RecordRegions) whichever column comes first.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "scanner/detect/column_tally.h"
#include "scanner/detect/compiled_policy.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

struct ColumnEntityProfile {
  int detector = 0;                         // index into CompiledPolicy::detectors()
  uint64_t matched = 0;                     // values with at least one confirmed candidate
  int confidence = 0;                       // 0-100 for the column as a whole
  uint64_t first_row = 0;                   // 1-based record number where first seen
  std::vector<std::string> masked_samples;  // at most three, distinct
};

struct ColumnProfile {
  std::string column;
  uint64_t non_empty = 0;
  bool free_text = false;
  std::vector<ColumnEntityProfile> entities;  // only the classified ones after Finish()
  // Values in which at least one detector of the entity type confirmed a candidate, for the
  // types served by several detectors (SECRET_KEY: tokens, keys, assignments). Set only when
  // every detector of that type that matched in the column is classified, so the union never
  // includes a detector the column was not classified for.
  std::map<std::string, uint64_t> values_by_entity;
};

class ColumnProfiler : public RecordSink {
 public:
  // `dataset_name` (file path, archive member, sheet or table name) lets dataset-level hints
  // veto detectors for every column (CompiledPolicy::ColumnHints); empty means none apply.
  explicit ColumnProfiler(std::shared_ptr<const CompiledPolicy> policy,
                          std::string dataset_name = {});
  ~ColumnProfiler() override;

  // The name kept for reports has every value a detector confirms in it masked
  // (detect/value_names.h); hints still come from the name as given.
  size_t DeclareColumn(std::string_view name) override;
  // The hints a declared column is matched with: callers that match on other threads must use
  // these, so both ways judge a value alike.
  const ColumnContext& column_context(size_t column) const;
  // Judged by detect/header_row.h with this profiler's policy.
  bool IsHeaderRow(std::span<const std::string_view> first,
                   std::span<const std::vector<std::string_view>> following) override;
  void Field(size_t column, std::string_view value) override;
  void EndRecord() override;

  // Field() split in two for callers that match on other threads: `matches` must be what
  // CompiledPolicy::Scan(value, policy.ColumnHints(name of column)) produced for `value`
  // (nothing for a blank value), with the value's region when it has one (RecordRegions). Calls
  // must come in record order, like Field(); the result is then identical to Field()'s, whichever
  // thread matched.
  void FieldMatched(size_t column, std::string_view value, const ValueMatch* matches,
                    size_t match_count);

  // For callers that tally a batch of records column by column on other threads
  // (ParallelMatcher), with the same result as Field() on every value in record order: each
  // column's ColumnTally of the batch (built with tally_layout(), records counted from the
  // batch's first), batch after batch in record order, then AddRecords past the batch.
  const ColumnTally::Layout& tally_layout() const;
  void AddRun(size_t column, uint64_t first_record, const ColumnTally& run);
  // Whether the column's `detector` takes no more masked samples (ColumnTally::AddMatched's
  // `sampling_closed`).
  bool SamplingClosed(size_t column, int detector) const;
  void AddRecords(uint64_t count);

  uint64_t records() const;

  // Whether the profiler ignores `value` (empty or only spaces, tabs and line breaks), so that
  // callers matching elsewhere need not match it either. Inline: asked up to three times for
  // every cell, and nearly always answered by the first byte.
  static bool IsBlank(std::string_view value) {
    for (const char c : value) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
    }
    return true;
  }

  // Applies the classification thresholds and returns one profile per column that holds at
  // least one entity, in column declaration order.
  std::vector<ColumnProfile> Finish();

 private:
  // Matches one non-blank value of the current record in its region and records it.
  void Match(size_t column, std::string_view value);
  // Matches the cells held back until their record's country was known, and forgets them.
  void MatchHeldCells();

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace crmaudit
