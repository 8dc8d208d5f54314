#include "scanner/sources/files/csv_reader.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace crmaudit {

namespace {

constexpr size_t kSniffLines = 20;
// A header cell is a column name that ends up in reports: a huge one is input gone wrong.
constexpr size_t kMaxColumnNameBytes = 1024;
constexpr size_t kMaxCellsPerRecord = 16384;

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

}  // namespace

char SniffDelimiter(std::string_view sample, bool* found) {
  constexpr std::array<char, 4> kCandidates = {',', '\t', ';', '|'};
  std::vector<std::array<size_t, 4>> lines;
  std::array<size_t, 4> counts{};
  bool in_quotes = false;
  bool line_has_content = false;
  for (char c : sample) {
    if (c == '"') {
      in_quotes = !in_quotes;
      line_has_content = true;
      continue;
    }
    if (in_quotes) continue;
    if (c == '\n' || c == '\r') {
      if (line_has_content) lines.push_back(counts);
      counts = {};
      line_has_content = false;
      if (lines.size() >= kSniffLines) break;
      continue;
    }
    line_has_content = true;
    for (size_t k = 0; k < kCandidates.size(); ++k) counts[k] += c == kCandidates[k];
  }
  // A last line without its newline counts only if it is all there is.
  if (lines.empty() && line_has_content) lines.push_back(counts);

  size_t best = kCandidates.size();
  size_t best_agreeing = 0;
  size_t best_count = 0;
  for (size_t k = 0; k < kCandidates.size(); ++k) {
    if (lines.empty() || lines[0][k] == 0) continue;
    size_t agreeing = 0;
    for (const auto& line : lines) agreeing += line[k] == lines[0][k];
    if (agreeing > best_agreeing || (agreeing == best_agreeing && lines[0][k] > best_count)) {
      best = k;
      best_agreeing = agreeing;
      best_count = lines[0][k];
    }
  }
  *found = best < kCandidates.size();
  return *found ? kCandidates[best] : ',';
}

CsvReader::CsvReader(RecordSink& sink, char delimiter, uint64_t max_record_bytes, uint64_t max_rows)
    : sink_(sink),
      delimiter_(delimiter),
      max_record_bytes_(std::max<uint64_t>(max_record_bytes, 1)),
      max_rows_(max_rows) {
  stops_[static_cast<unsigned char>(delimiter)] = true;
  stops_[static_cast<unsigned char>('\n')] = true;
  stops_[static_cast<unsigned char>('\r')] = true;
  stops_[static_cast<unsigned char>('"')] = true;
  record_.reserve(std::min<uint64_t>(max_record_bytes_, 64 << 10));
}

bool CsvReader::Feed(std::string_view text) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (*p == '\n') {
        ++p;
        continue;
      }
    }
    switch (state_) {
      case State::kRecordStart:
        if (max_rows_ != 0 && rows_ >= max_rows_ && header_done_) {
          if (*p == '\n' || *p == '\r') {  // trailing blank lines are not more data
            ++p;
            continue;
          }
          truncated_by_limit_ = true;
          return false;
        }
        state_ = State::kFieldStart;
        record_line_ = line_;
        [[fallthrough]];
      case State::kFieldStart:
        if (*p == '"') {
          quote_line_ = line_;
          any_content_ = true;
          state_ = State::kQuoted;
          ++p;
          continue;
        }
        state_ = State::kUnquoted;
        [[fallthrough]];
      case State::kUnquoted: {
        const char* q = p;
        while (q < end && !stops_[static_cast<unsigned char>(*q)]) ++q;
        if (q > p) {
          Append(p, static_cast<size_t>(q - p));
          any_content_ = true;
        }
        p = q;
        if (p == end) continue;
        char c = *p++;
        if (c == delimiter_) {
          EndField();
          state_ = State::kFieldStart;
        } else if (c == '\n' || c == '\r') {
          ++line_;
          skip_lf_ = c == '\r';
          EndField();
          EndRecord();
        } else {  // a stray quote inside an unquoted cell is kept as data
          Append(&c, 1);
          any_content_ = true;
        }
        continue;
      }
      case State::kQuoted: {
        const void* hit = std::memchr(p, '"', static_cast<size_t>(end - p));
        const char* q = hit ? static_cast<const char*>(hit) : end;
        line_ += static_cast<uint64_t>(std::count(p, q, '\n'));
        Append(p, static_cast<size_t>(q - p));
        p = q;
        if (p == end) continue;
        ++p;
        state_ = State::kQuoteInQuoted;
        continue;
      }
      case State::kQuoteInQuoted:
        if (*p == '"') {  // doubled quote: one literal quote
          Append(p, 1);
          ++p;
          state_ = State::kQuoted;
        } else {
          // Closing quote. Anything before the next delimiter is kept (lenient, like Excel).
          state_ = State::kUnquoted;
        }
        continue;
    }
  }
  return true;
}

void CsvReader::Finish(bool clean) {
  if (state_ == State::kQuoted) {
    unbalanced_quote_line_ = quote_line_;
  } else if (clean && state_ != State::kRecordStart) {
    EndField();
    EndRecord();
  }
  if (!header_done_ && !held_.empty()) JudgeHeader();
}

void CsvReader::Append(const char* data, size_t size) {
  if (record_cut_) return;
  size_t room = max_record_bytes_ - record_.size();
  if (size > room) {
    // Cut at a character boundary so the kept part stays valid UTF-8.
    size_t keep = room;
    while (keep > 0 && (static_cast<unsigned char>(data[keep]) & 0xC0) == 0x80) --keep;
    record_.append(data, keep);
    record_cut_ = true;
    ++cut_records_;
    return;
  }
  record_.append(data, size);
}

void CsvReader::EndField() {
  if (field_ends_.size() < kMaxCellsPerRecord) {
    field_ends_.push_back(record_.size());
    return;
  }
  // Empty cells cost no record bytes, so a line of commas needs its own bound.
  if (!record_cut_) {
    record_cut_ = true;
    ++cut_records_;
  }
}

void CsvReader::EndRecord() {
  state_ = State::kRecordStart;
  bool blank = !any_content_ && field_ends_.size() == 1;
  // A skipped blank line or a quoted line break shows up in DeliverRecord as a row that no
  // longer sits at row + offset.
  if (!blank && !header_done_) {
    held_bytes_ += record_.size();
    held_.push_back({record_, field_ends_, record_line_});
    if (held_.size() > kHeaderLookahead || held_bytes_ >= kHeaderLookaheadBytes) JudgeHeader();
  } else if (!blank) {
    DeliverRecord(record_, field_ends_, record_line_);
  }
  record_.clear();
  field_ends_.clear();
  any_content_ = false;
  record_cut_ = false;
}

void CsvReader::JudgeHeader() {
  header_done_ = true;
  auto cells_of = [](const HeldRecord& record) {
    std::vector<std::string_view> cells;
    size_t start = 0;
    for (size_t end : record.ends) {
      cells.emplace_back(record.cells.data() + start, end - start);
      start = end;
    }
    return cells;
  };
  const std::vector<std::string_view> first = cells_of(held_.front());
  std::vector<std::vector<std::string_view>> following;
  for (size_t i = 1; i < held_.size(); ++i) following.push_back(cells_of(held_[i]));
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
    DeliverRecord(held_[i].cells, held_[i].ends, held_[i].line);
  }
  held_.clear();
  held_.shrink_to_fit();
  held_bytes_ = 0;
}

void CsvReader::DeliverRecord(const std::string& cells, const std::vector<size_t>& ends,
                              uint64_t line) {
  if (rows_ == 0) line_offset_ = line - 1;
  if (line != rows_ + 1 + line_offset_) lines_regular_ = false;
  if (ends.size() != header_cells_) ++ragged_rows_;
  size_t start = 0;
  for (size_t i = 0; i < ends.size(); ++i) {
    size_t stop = ends[i];
    if (stop > start)
      sink_.Field(ColumnAt(i), std::string_view(cells.data() + start, stop - start));
    start = stop;
  }
  sink_.EndRecord();
  ++rows_;
}

void CsvReader::DeclareHeader(const std::string& cells, const std::vector<size_t>& ends) {
  header_cells_ = ends.size();
  size_t start = 0;
  for (size_t i = 0; i < ends.size(); ++i) {
    std::string_view cell(cells.data() + start, ends[i] - start);
    start = ends[i];
    columns_.push_back(sink_.DeclareColumn(
        UniqueName(std::string(CutAtCharacter(TrimSpaces(cell), kMaxColumnNameBytes)), i)));
  }
}

size_t CsvReader::ColumnAt(size_t position) {
  while (columns_.size() <= position) {
    columns_.push_back(sink_.DeclareColumn(UniqueName("", columns_.size())));
  }
  return columns_[position];
}

std::string CsvReader::UniqueName(std::string base, size_t position) {
  if (base.empty()) base = "column_" + std::to_string(position + 1);
  std::string name = base;
  for (size_t k = 2; used_names_.count(name); ++k) name = base + "_" + std::to_string(k);
  used_names_.insert(name);
  return name;
}

}  // namespace crmaudit
