// CsvReader: RFC 4180 delimited text (CSV, TSV, semicolon or pipe separated) as records.
//
// Push parser: Feed() takes chunks of valid UTF-8 of any size (a record may span chunks) and
// calls the sink for each complete record, Finish() ends the stream. The syntax (quoted fields
// with delimiters, doubled quotes and newlines, CRLF/LF/CR, stray quotes kept literally, blank
// lines skipped, records bounded by max_record_bytes) is CsvRecordParser's
// (csv_record_parser.h); header and columns follow the rule of every tabular reader
// (record_table.h: the first record is a candidate header judged by RecordSink::IsHeaderRow;
// ragged rows are counted and still read). Memory: one record buffer, never larger than
// max_record_bytes. Empty cells are not passed to the sink.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "scanner/sources/files/csv_record_parser.h"
#include "scanner/sources/files/record_table.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

// Picks the delimiter among ',', ';', '\t', '|' from the first lines of `sample` (quoted
// sections ignored): the candidate with the most lines agreeing on the first line's non-zero
// count, then the higher count. `*found` is false (and ',' returned) when none occurs.
char SniffDelimiter(std::string_view sample, bool* found);

// Hands a parser's records to a RecordTable (and stops the parser once the table is full).
class RecordTableOutput final : public CsvRecordParser::Output {
 public:
  explicit RecordTableOutput(RecordTable& table) : table_(table) {}
  void Record(std::string_view cells, std::span<const size_t> ends, uint64_t line) override {
    table_.Add(cells, ends, line);
  }
  bool Full() const override { return table_.Full(); }

 private:
  RecordTable& table_;
};

class CsvReader {
 public:
  CsvReader(RecordSink& sink, char delimiter, uint64_t max_record_bytes, uint64_t max_rows);

  // Returns false once the reader wants no more input (max_rows reached).
  bool Feed(std::string_view text) { return parser_.Feed(text); }

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
  uint64_t cut_records() const { return parser_.cut_records(); }
  bool truncated_by_limit() const {
    return parser_.truncated_by_limit() || table_.truncated_by_limit();
  }
  // Non-zero when the input ended inside a quoted field: the line where that quote opened.
  uint64_t unbalanced_quote_line() const { return parser_.unbalanced_quote_line(); }

 private:
  RecordTable table_;
  RecordTableOutput output_;
  CsvRecordParser parser_;
};

}  // namespace crmaudit
