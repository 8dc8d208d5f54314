// CsvReader: RFC 4180 delimited text (CSV, TSV, semicolon or pipe separated) as records.
//
// Push parser: Feed() takes chunks of valid UTF-8 of any size (a record may span chunks) and
// calls the sink for each complete record, Finish() ends the stream. Handles quoted fields with
// embedded delimiters, doubled quotes and newlines, CRLF/LF/CR line ends, and is lenient about
// stray quotes inside unquoted fields (kept literally). Header and columns follow the rule of
// every tabular reader (record_table.h: the first record is a candidate header judged by
// RecordSink::IsHeaderRow; ragged rows are counted and still read). Blank lines are skipped.
// Memory: one record buffer,
// never larger than max_record_bytes; the rest of an oversized record is dropped (cut at a
// character boundary) and counted. Empty cells are not passed to the sink.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/sources/files/record_table.h"
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

  static constexpr size_t kHeaderLookahead = RecordTable::kHeaderLookahead;
  static constexpr size_t kHeaderLookaheadBytes = RecordTable::kHeaderLookaheadBytes;

  uint64_t rows() const { return table_.rows(); }
  // When every data row so far began on line (row number + this offset) of the text — no
  // quoted line break, blank line or cut record in between — the offset (1 with a header row
  // on line 1); nullopt when rows and lines have drifted apart and a row's line is not known.
  std::optional<uint64_t> data_line_offset() const { return table_.data_line_offset(); }
  uint64_t ragged_rows() const { return table_.ragged_rows(); }
  uint64_t cut_records() const { return cut_records_; }
  bool truncated_by_limit() const { return truncated_by_limit_ || table_.truncated_by_limit(); }
  // Non-zero when the input ended inside a quoted field: the line where that quote opened.
  uint64_t unbalanced_quote_line() const { return unbalanced_quote_line_; }

 private:
  enum class State { kRecordStart, kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  void Append(const char* data, size_t size);
  void EndField();
  void EndRecord();

  RecordTable table_;
  const char delimiter_;
  const uint64_t max_record_bytes_;
  bool stops_[256] = {};  // bytes that end an unquoted run

  State state_ = State::kRecordStart;
  bool skip_lf_ = false;  // after a CR record end, a following LF belongs to it
  bool any_content_ = false;
  bool record_cut_ = false;
  std::string record_;              // the current record's cell bytes, back to back
  std::vector<size_t> field_ends_;  // end offset of each finished cell in record_
  uint64_t record_line_ = 1;        // line on which the current record began

  uint64_t line_ = 1;
  uint64_t quote_line_ = 0;
  uint64_t cut_records_ = 0;
  uint64_t unbalanced_quote_line_ = 0;
  bool truncated_by_limit_ = false;
};

}  // namespace crmaudit
