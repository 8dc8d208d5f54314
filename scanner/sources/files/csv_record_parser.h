// CsvRecordParser: the RFC 4180 state machine under CsvReader — delimited text in, complete
// records (cells back to back, their end offsets, the line each began on) out.
//
// Push parser: Feed() takes chunks of valid UTF-8 of any size (a record may span chunks) and
// hands each complete, non-blank record to its Output; Finish() ends the stream. Quoted fields
// may hold delimiters, doubled quotes and line breaks; CRLF/LF/CR end lines; a stray quote
// inside an unquoted field is kept literally; blank lines are skipped. A record is bounded by
// max_record_bytes and 16384 cells: the rest is dropped (cut at a character boundary) and
// counted in cut_records().
//
// Lines count from 1 at the parser's start. A parser that began at a record boundary in the
// middle of a text (split_csv_reader.h parses the pieces of a big file so) reports lines
// relative to that start; Continue() moves its state, a record in progress included, onto
// another output with its lines shifted, so a piece whose end fell inside a record can be
// carried on by the next piece's text exactly as one parser over the whole text would.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crmaudit {

class CsvRecordParser {
 public:
  class Output {
   public:
    virtual ~Output() = default;
    // One complete, non-blank record: cell i is cells[ends[i-1], ends[i]).
    virtual void Record(std::string_view cells, std::span<const size_t> ends, uint64_t line) = 0;
    // True once no more records are wanted: the parser stops at the next record start.
    virtual bool Full() const { return false; }
  };

  CsvRecordParser(Output& output, char delimiter, uint64_t max_record_bytes);

  // Returns false once the output wants no more records (Output::Full at a record start).
  bool Feed(std::string_view text);

  // End of input. `clean` is false when the byte stream broke off: the unfinished record is
  // then dropped rather than delivered half.
  void Finish(bool clean);

  // From now on records go to `output` and every line (the one the parser is on, the current
  // record's, an open quote's) is `line_shift` more. cut_records() starts again from 0 (a cut
  // of the record in progress was counted before).
  void Continue(Output& output, uint64_t line_shift);

  // Between records: the next byte starts a new record (no CR whose LF may follow is pending).
  bool at_record_boundary() const { return state_ == State::kRecordStart && !skip_lf_; }
  // The line the next byte is on.
  uint64_t line() const { return line_; }
  uint64_t cut_records() const { return cut_records_; }
  bool truncated_by_limit() const { return truncated_by_limit_; }
  // Non-zero when the input ended inside a quoted field: the line where that quote opened.
  uint64_t unbalanced_quote_line() const { return unbalanced_quote_line_; }

 private:
  enum class State { kRecordStart, kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  // The first byte in [p, end) that ends an unquoted run (delimiter, quote, CR, LF), or end.
  const char* EndOfRun(const char* p, const char* end) const;
  // At a record start: the cells of the line at p up to its LF, or up to the cell that holds
  // its first quote or CR, taken sixteen bytes at a time (most lines of an export hold neither).
  // Returns where the state machine goes on: after the LF with the record delivered, or at the
  // start of that cell with the record's earlier cells kept (state kFieldStart); p itself when
  // the line is not taken (no LF before end, too long, too many cells, output full).
  const char* PlainLine(const char* p, const char* end);
  void Append(const char* data, size_t size);
  void EndField();
  void EndRecord();

  Output* output_;
  const char delimiter_;
  const uint64_t max_record_bytes_;
  bool stops_[256] = {};  // bytes that end an unquoted run

  State state_ = State::kRecordStart;
  bool skip_lf_ = false;  // after a CR record end, a following LF belongs to it
  bool any_content_ = false;
  bool record_cut_ = false;
  std::string record_;              // the current record's cell bytes, back to back
  std::vector<size_t> field_ends_;  // end offset of each finished cell in record_
  std::vector<size_t> delimiters_;  // PlainLine's delimiter offsets in the line
  uint64_t record_line_ = 1;        // line on which the current record began

  uint64_t line_ = 1;
  uint64_t quote_line_ = 0;
  uint64_t cut_records_ = 0;
  uint64_t unbalanced_quote_line_ = 0;
  bool truncated_by_limit_ = false;
};

}  // namespace crmaudit
