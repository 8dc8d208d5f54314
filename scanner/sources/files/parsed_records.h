// ParsedRecords: the records one CsvRecordParser produced, kept whole so they can be handed on
// at once (split_csv_reader.h parses the pieces of a big file into these on worker threads).
//
// Cells are kept back to back in one buffer, with per record where its cells and cell ends
// begin and the line (counted from the parser's start) it began on; cell i of a record is
// [ends[i-1], ends[i]) of that record's cells (ends[-1] = 0). Memory is the records' bytes,
// a size_t per cell and three words per record: the caller bounds it by what it parses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/sources/files/csv_record_parser.h"

namespace crmaudit {

class ParsedRecords final : public CsvRecordParser::Output {
 public:
  void Record(std::string_view cells, std::span<const size_t> ends, uint64_t line) override {
    records_.push_back({cells_.size(), ends_.size(), line});
    cells_.append(cells);
    ends_.insert(ends_.end(), ends.begin(), ends.end());
  }

  // Room for the records of a text of `text_bytes` (their cells are never longer than it), so
  // the buffer is not copied again and again as it grows.
  void Reserve(size_t text_bytes) { cells_.reserve(text_bytes); }

  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }

  // Record i: its cells back to back, their end offsets (relative to those cells), its line.
  std::string_view cells(size_t i) const {
    return std::string_view(cells_).substr(records_[i].cells_begin,
                                           CellsEnd(i) - records_[i].cells_begin);
  }
  std::span<const size_t> ends(size_t i) const {
    return std::span<const size_t>(ends_.data() + records_[i].ends_begin,
                                   EndsEnd(i) - records_[i].ends_begin);
  }
  // Cell `position` of record i; empty when the record has fewer cells.
  std::string_view cell(size_t i, size_t position) const {
    const std::span<const size_t> record_ends = ends(i);
    if (position >= record_ends.size()) return {};
    const size_t start = position == 0 ? 0 : record_ends[position - 1];
    return cells(i).substr(start, record_ends[position] - start);
  }
  uint64_t line(size_t i) const { return records_[i].line; }
  // Where record i's cells begin in all_cells().
  size_t cells_begin(size_t i) const { return records_[i].cells_begin; }
  // Every record's cells back to back, in record order.
  std::string_view all_cells() const { return cells_; }

  // Calls `take(cells, ends, line)` for each record in order.
  template <typename Take>
  void ForEach(Take take) const {
    for (size_t i = 0; i < records_.size(); ++i) take(cells(i), ends(i), line(i));
  }

 private:
  struct Entry {
    size_t cells_begin;
    size_t ends_begin;
    uint64_t line;
  };
  size_t CellsEnd(size_t i) const {
    return i + 1 == records_.size() ? cells_.size() : records_[i + 1].cells_begin;
  }
  size_t EndsEnd(size_t i) const {
    return i + 1 == records_.size() ? ends_.size() : records_[i + 1].ends_begin;
  }

  std::string cells_;
  std::vector<size_t> ends_;
  std::vector<Entry> records_;
};

}  // namespace crmaudit
