#include "scanner/sources/files/csv_reader.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace crmaudit {

namespace {

constexpr size_t kSniffLines = 20;
constexpr size_t kMaxCellsPerRecord = 16384;

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
    : table_(sink, max_rows),
      delimiter_(delimiter),
      max_record_bytes_(std::max<uint64_t>(max_record_bytes, 1)) {
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
        if (table_.Full()) {
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
  table_.Finish();
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
  // A skipped blank line or a quoted line break shows up in the table as a row that no longer
  // sits at row + offset.
  if (!blank) table_.Add(record_, field_ends_, record_line_);
  record_.clear();
  field_ends_.clear();
  any_content_ = false;
  record_cut_ = false;
}

}  // namespace crmaudit
