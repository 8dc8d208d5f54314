// RecordTable: turns the records of a tabular dataset (a CSV file, a spreadsheet sheet) into
// columns and rows for a RecordSink, with the header rule every tabular reader shares.
//
// The first record is a candidate header: it is held back with up to kHeaderLookahead records
// after it (at most kHeaderLookaheadBytes) and offered to RecordSink::IsHeaderRow. A header's
// cells become columns (trimmed, cut to 1 KB; blank → "column_N", repeated → "email_2"); a
// first record that is data is delivered as the first row and every column is "column_N".
// Cells beyond the header get "column_N" (N is the 1-based position). Rows with a different
// cell count than the header are counted as ragged and still delivered. Empty cells are not
// passed to the sink. Readers skip blank records before calling Add.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "scanner/sources/files/record_batch_sink.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

class RecordTable {
 public:
  static constexpr size_t kHeaderLookahead = 8;
  static constexpr size_t kHeaderLookaheadBytes = 256 << 10;

  // `max_rows`: 0 = all; else data rows beyond it are not wanted (see Full).
  RecordTable(RecordSink& sink, uint64_t max_rows);

  // True once max_rows data rows were delivered: the reader stops and reports a sample.
  bool Full() const { return max_rows_ != 0 && rows_ >= max_rows_ && header_done_; }

  // One complete, non-blank record: its cells back to back in `cells`, cell i ending at
  // ends[i]. `line` is where it began in the source (a text line, a sheet row number).
  void Add(std::string_view cells, std::span<const size_t> ends, uint64_t line);

  // The same as Add for every record of `records` (their lines `line_shift` more), handing them
  // to `sink` (the table's own sink) in one RecordBatchSink::Records call. Returns false, having
  // done nothing, when they must go one by one through Add instead: the header is still being
  // judged, max_rows is set, or a record has more cells than there are columns (Add declares
  // those columns in the middle of the record, which a run of records cannot say).
  bool AddAll(ParsedRecords&& records, uint64_t line_shift, RecordBatchSink& sink);

  // End of the dataset: judges a header still held back.
  void Finish();

  uint64_t rows() const { return rows_; }
  // Records offered, the header included.
  uint64_t records() const { return records_; }
  uint64_t ragged_rows() const { return ragged_rows_; }
  // Data rows were cut by max_rows while the header was judged.
  bool truncated_by_limit() const { return truncated_by_limit_; }
  // When every data row so far began on line (row number + this offset), the offset (1 with a
  // header on line 1); nullopt when rows and lines drifted apart (a quoted line break, a blank
  // line) and a row's line is not known.
  std::optional<uint64_t> data_line_offset() const {
    if (!lines_regular_ || rows_ == 0) return std::nullopt;
    return line_offset_;
  }

 private:
  struct HeldRecord {
    std::string cells;
    std::vector<size_t> ends;
    uint64_t line = 0;
  };

  void JudgeHeader();
  void DeclareHeader(std::string_view cells, std::span<const size_t> ends);
  void Deliver(std::string_view cells, std::span<const size_t> ends, uint64_t line);
  // Deliver's counts for one record (Deliver also calls the sink).
  void CountRow(size_t cell_count, uint64_t line);
  size_t ColumnAt(size_t position);
  std::string UniqueName(std::string base, size_t position);

  RecordSink& sink_;
  const uint64_t max_rows_;
  bool header_done_ = false;
  std::vector<HeldRecord> held_;
  size_t held_bytes_ = 0;
  std::vector<size_t> columns_;  // sink column index per cell position
  size_t header_cells_ = 0;
  std::unordered_set<std::string> used_names_;
  // Per name that came more than once: the suffix its next copy tries first. Names are never
  // given back, so every suffix below it is taken for good; without it a header of 16,384
  // copies of one name took quadratic time (a fuzz input: 27 s).
  std::unordered_map<std::string, size_t> next_suffix_;
  uint64_t rows_ = 0;
  uint64_t records_ = 0;
  uint64_t ragged_rows_ = 0;
  bool truncated_by_limit_ = false;
  uint64_t line_offset_ = 0;
  bool lines_regular_ = true;
};

}  // namespace crmaudit
