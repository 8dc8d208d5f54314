#include "scanner/sources/files/csv_record_parser.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "scanner/model/byte_words.h"

namespace crmaudit {

namespace {

constexpr size_t kMaxCellsPerRecord = 16384;

}  // namespace

// Eight bytes at a time where the byte order allows (the first hit is then the lowest set
// bit), byte by byte for the rest: most of a CSV file is unquoted runs, so this is where a
// parse spends its time.
const char* CsvRecordParser::EndOfRun(const char* p, const char* end) const {
  if constexpr (std::endian::native == std::endian::little) {
    using byte_words::BytesEqual;
    const auto delimiter = static_cast<unsigned char>(delimiter_);
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      const uint64_t hits = BytesEqual(word, delimiter) | BytesEqual(word, '"') |
                            BytesEqual(word, '\n') | BytesEqual(word, '\r');
      if (hits != 0) return p + (std::countr_zero(hits) >> 3);
      p += 8;
    }
  }
  while (p < end && !stops_[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

CsvRecordParser::CsvRecordParser(Output& output, char delimiter, uint64_t max_record_bytes)
    : output_(&output),
      delimiter_(delimiter),
      max_record_bytes_(std::max<uint64_t>(max_record_bytes, 1)) {
  stops_[static_cast<unsigned char>(delimiter)] = true;
  stops_[static_cast<unsigned char>('\n')] = true;
  stops_[static_cast<unsigned char>('\r')] = true;
  stops_[static_cast<unsigned char>('"')] = true;
  record_.reserve(std::min<uint64_t>(max_record_bytes_, 64 << 10));
}

bool CsvRecordParser::Feed(std::string_view text) {
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
        if (output_->Full()) {
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
        const char* q = EndOfRun(p, end);
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

void CsvRecordParser::Finish(bool clean) {
  if (state_ == State::kQuoted) {
    unbalanced_quote_line_ = quote_line_;
  } else if (clean && state_ != State::kRecordStart) {
    EndField();
    EndRecord();
  }
}

void CsvRecordParser::Continue(Output& output, uint64_t line_shift) {
  output_ = &output;
  line_ += line_shift;
  record_line_ += line_shift;
  if (quote_line_ != 0) quote_line_ += line_shift;
  if (unbalanced_quote_line_ != 0) unbalanced_quote_line_ += line_shift;
  cut_records_ = 0;
}

void CsvRecordParser::Append(const char* data, size_t size) {
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

void CsvRecordParser::EndField() {
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

void CsvRecordParser::EndRecord() {
  state_ = State::kRecordStart;
  bool blank = !any_content_ && field_ends_.size() == 1;
  // A skipped blank line or a quoted line break shows up in the table as a row that no longer
  // sits at row + offset.
  if (!blank) output_->Record(record_, field_ends_, record_line_);
  record_.clear();
  field_ends_.clear();
  any_content_ = false;
  record_cut_ = false;
}

}  // namespace crmaudit
