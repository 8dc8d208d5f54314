#include "scanner/sources/files/record_table.h"

namespace crmaudit {

namespace {

// A header cell is a column name that ends up in reports: a huge one is input gone wrong.
constexpr size_t kMaxColumnNameBytes = 1024;

std::string_view CutAtCharacter(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t keep = max_bytes;
  while (keep > 0 && (static_cast<unsigned char>(s[keep]) & 0xC0) == 0x80) --keep;
  return s.substr(0, keep);
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> CellsOf(std::string_view cells, std::span<const size_t> ends) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t end : ends) {
    out.push_back(cells.substr(start, end - start));
    start = end;
  }
  return out;
}

}  // namespace

RecordTable::RecordTable(RecordSink& sink, uint64_t max_rows) : sink_(sink), max_rows_(max_rows) {}

void RecordTable::Add(std::string_view cells, std::span<const size_t> ends, uint64_t line) {
  ++records_;
  if (header_done_) {
    Deliver(cells, ends, line);
    return;
  }
  held_bytes_ += cells.size();
  held_.push_back({std::string(cells), std::vector<size_t>(ends.begin(), ends.end()), line});
  if (held_.size() > kHeaderLookahead || held_bytes_ >= kHeaderLookaheadBytes) JudgeHeader();
}

bool RecordTable::AddAll(ParsedRecords&& records, uint64_t line_shift, RecordBatchSink& sink) {
  if (!header_done_ || max_rows_ != 0) return false;
  if (records.empty()) return true;
  for (size_t i = 0; i < records.size(); ++i) {
    if (records.ends(i).size() > columns_.size()) return false;
  }
  for (size_t i = 0; i < records.size(); ++i) {
    ++records_;
    CountRow(records.ends(i).size(), records.line(i) + line_shift);
  }
  sink.Records(std::move(records), columns_);
  return true;
}

void RecordTable::Finish() {
  if (!header_done_ && !held_.empty()) JudgeHeader();
}

void RecordTable::JudgeHeader() {
  header_done_ = true;
  const std::vector<std::string_view> first = CellsOf(held_.front().cells, held_.front().ends);
  std::vector<std::vector<std::string_view>> following;
  for (size_t i = 1; i < held_.size(); ++i)
    following.push_back(CellsOf(held_[i].cells, held_[i].ends));
  size_t first_data = 0;
  if (sink_.IsHeaderRow(first, following)) {
    DeclareHeader(held_.front().cells, held_.front().ends);
    first_data = 1;
  } else {
    header_cells_ = held_.front().ends.size();
  }
  for (size_t i = first_data; i < held_.size(); ++i) {
    if (max_rows_ != 0 && rows_ >= max_rows_) {
      truncated_by_limit_ = true;
      break;
    }
    Deliver(held_[i].cells, held_[i].ends, held_[i].line);
  }
  held_.clear();
  held_.shrink_to_fit();
  held_bytes_ = 0;
}

void RecordTable::CountRow(size_t cell_count, uint64_t line) {
  if (rows_ == 0) line_offset_ = line - 1;
  if (line != rows_ + 1 + line_offset_) lines_regular_ = false;
  if (cell_count != header_cells_) ++ragged_rows_;
  ++rows_;
}

void RecordTable::Deliver(std::string_view cells, std::span<const size_t> ends, uint64_t line) {
  size_t start = 0;
  for (size_t i = 0; i < ends.size(); ++i) {
    size_t stop = ends[i];
    if (stop > start) sink_.Field(ColumnAt(i), cells.substr(start, stop - start));
    start = stop;
  }
  sink_.EndRecord();
  CountRow(ends.size(), line);
}

void RecordTable::DeclareHeader(std::string_view cells, std::span<const size_t> ends) {
  header_cells_ = ends.size();
  size_t start = 0;
  for (size_t i = 0; i < ends.size(); ++i) {
    std::string_view cell = cells.substr(start, ends[i] - start);
    start = ends[i];
    columns_.push_back(sink_.DeclareColumn(
        UniqueName(std::string(CutAtCharacter(TrimSpaces(cell), kMaxColumnNameBytes)), i)));
  }
}

size_t RecordTable::ColumnAt(size_t position) {
  while (columns_.size() <= position) {
    columns_.push_back(sink_.DeclareColumn(UniqueName("", columns_.size())));
  }
  return columns_[position];
}

std::string RecordTable::UniqueName(std::string base, size_t position) {
  if (base.empty()) base = "column_" + std::to_string(position + 1);
  std::string name = base;
  if (used_names_.count(name)) {
    size_t& next = next_suffix_.try_emplace(base, 2).first->second;
    do {
      name = base + "_" + std::to_string(next++);
    } while (used_names_.count(name));
  }
  used_names_.insert(name);
  return name;
}

}  // namespace crmaudit
