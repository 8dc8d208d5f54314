// CsvReader: RFC 4180 delimited text (CSV, TSV, semicolon or pipe separated) as records.
//
// Push parser: Feed() takes chunks of valid UTF-8 of any size (a record may span chunks) and
// calls the sink for each complete record, Finish() ends the stream. Handles quoted fields with
// embedded delimiters, doubled quotes and newlines, CRLF/LF/CR line ends, and is lenient about
// stray quotes inside unquoted fields (kept literally). The first record is a candidate header:
// it is held back with up to kHeaderLookahead records after it (at most kHeaderLookaheadBytes)
// and offered to RecordSink::IsHeaderRow. A header's cells become columns (blank → "column_N",
// repeated → "email_2"); a first record that is data is delivered as the first row and every
// column is "column_N". Cells beyond the header get "column_N" (N is the 1-based position);
// header names are cut to 1 KB. Rows with a different cell
// count are counted as ragged and still read. Blank lines are skipped. Memory: one record buffer,
// never larger than max_record_bytes; the rest of an oversized record is dropped (cut at a
// character boundary) and counted. Empty cells are not passed to the sink.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "scanner/sources/record_sink.h"

namespace crmaudit {

// Picks the delimiter among ',', ';', '\t', '|' from the first lines of `sample` (quoted
// sections ignored): the candidate with the most lines agreeing on the first line's non-zero
// count, then the higher count. `*found` is false (and ',' returned) when none occurs.
char SniffDelimiter(std::string_view sample, bool* found);

class CsvReader {
 public:
  CsvReader(RecordSink& sink, char delimiter, uint64_t max_record_bytes, uint64_t max_rows);

  // Returns false once the reader wants no more input (max_rows reached).
  bool Feed(std::string_view text);

  // End of input. `clean` is false when the byte stream broke off: the unfinished record is
  // then dropped rather than delivered half.
  void Finish(bool clean);

  static constexpr size_t kHeaderLookahead = 8;
  static constexpr size_t kHeaderLookaheadBytes = 256 << 10;

  uint64_t rows() const { return rows_; }
  // When every data row so far began on line (row number + this offset) of the text — no
  // quoted line break, blank line or cut record in between — the offset (1 with a header row
  // on line 1); nullopt when rows and lines have drifted apart and a row's line is not known.
  std::optional<uint64_t> data_line_offset() const {
    if (!lines_regular_ || rows_ == 0) return std::nullopt;
    return line_offset_;
  }
  uint64_t ragged_rows() const { return ragged_rows_; }
  uint64_t cut_records() const { return cut_records_; }
  bool truncated_by_limit() const { return truncated_by_limit_; }
  // Non-zero when the input ended inside a quoted field: the line where that quote opened.
  uint64_t unbalanced_quote_line() const { return unbalanced_quote_line_; }

 private:
  enum class State { kRecordStart, kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  void Append(const char* data, size_t size);
  void EndField();
  void EndRecord();
  void DeclareHeader(const std::string& cells, const std::vector<size_t>& ends);
  void JudgeHeader();
  void DeliverRecord(const std::string& cells, const std::vector<size_t>& ends, uint64_t line);
  size_t ColumnAt(size_t position);
  std::string UniqueName(std::string base, size_t position);

  RecordSink& sink_;
  const char delimiter_;
  const uint64_t max_record_bytes_;
  const uint64_t max_rows_;
  bool stops_[256] = {};  // bytes that end an unquoted run

  State state_ = State::kRecordStart;
  bool skip_lf_ = false;  // after a CR record end, a following LF belongs to it
  bool any_content_ = false;
  bool record_cut_ = false;
  bool header_done_ = false;
  std::string record_;              // the current record's cell bytes, back to back
  std::vector<size_t> field_ends_;  // end offset of each finished cell in record_
  std::vector<size_t> columns_;     // sink column index per cell position
  size_t header_cells_ = 0;
  std::unordered_set<std::string> used_names_;
  // Records held back until the header is judged: the candidate first, then the next ones.
  struct HeldRecord {
    std::string cells;
    std::vector<size_t> ends;
    uint64_t line = 0;
  };
  std::vector<HeldRecord> held_;
  size_t held_bytes_ = 0;
  uint64_t record_line_ = 1;  // line on which the current record began
  uint64_t line_offset_ = 0;
  bool lines_regular_ = true;

  uint64_t line_ = 1;
  uint64_t quote_line_ = 0;
  uint64_t rows_ = 0;
  uint64_t ragged_rows_ = 0;
  uint64_t cut_records_ = 0;
  uint64_t unbalanced_quote_line_ = 0;
  bool truncated_by_limit_ = false;
};

}  // namespace crmaudit
