#include "scanner/sources/files/csv_record_parser.h"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    if (state_ == State::kRecordStart) {
      const char* next = PlainLine(p, end);
      if (next != p) {
        p = next;
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

const char* CsvRecordParser::PlainLine(const char* p, const char* end) {
  if (output_->Full()) return p;  // the state machine skips trailing blank lines, or stops
  // Delimiter offsets up to the first LF, quote or CR of the line.
  delimiters_.clear();
  // A line of up to max_record_bytes before its LF; a longer one is left to the state machine.
  const auto available = static_cast<uint64_t>(end - p);
  const auto limit =
      static_cast<size_t>(available <= max_record_bytes_ ? available : max_record_bytes_ + 1);
  size_t at = 0;       // offset of the line's first LF, quote or CR
  bool found = false;  // whether one was found below `limit`
#if defined(__SSE2__)
  const __m128i delimiter = _mm_set1_epi8(delimiter_);
  const __m128i line_feed = _mm_set1_epi8('\n');
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i carriage_return = _mm_set1_epi8('\r');
  for (; at + 16 <= limit; at += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    auto stops = static_cast<uint32_t>(_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, line_feed), _mm_cmpeq_epi8(block, quote)),
                     _mm_cmpeq_epi8(block, carriage_return))));
    auto delimiters = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, delimiter)));
    if (stops != 0) delimiters &= (1u << std::countr_zero(stops)) - 1;  // those before it
    for (; delimiters != 0; delimiters &= delimiters - 1) {
      delimiters_.push_back(at + static_cast<size_t>(std::countr_zero(delimiters)));
    }
    if (stops != 0) {
      at += std::countr_zero(stops);
      found = true;
      break;
    }
  }
#endif
  for (; !found && at < limit; ++at) {
    const char c = p[at];
    if (c == '\n' || c == '"' || c == '\r') {
      found = true;
      break;
    }
    if (c == delimiter_) delimiters_.push_back(at);
  }
  // Without a stop before `limit` the line runs past this chunk or past max_record_bytes: the
  // state machine takes it (and cuts it).
  if (!found || delimiters_.size() >= kMaxCellsPerRecord) return p;
  const bool whole_line = p[at] == '\n';
  // Cells that end before `at` (all of them for a whole line; else those before the cell that
  // holds the quote or CR) are copied back to back.
  const size_t cells = delimiters_.size() + (whole_line ? 1 : 0);
  if (cells == 0) return p;
  record_line_ = line_;
  // Sixteen bytes of room past the cells: a short cell is copied as one sixteen-byte block
  // (where sixteen bytes can be read), not by a call per cell.
  record_.resize(at + 16);
  char* out = record_.data();
  const auto readable = static_cast<size_t>(end - p);
  size_t written = 0;
  size_t start = 0;
  for (size_t cell = 0; cell < cells; ++cell) {
    const size_t stop = cell < delimiters_.size() ? delimiters_[cell] : at;
    const size_t length = stop - start;
#if defined(__SSE2__)
    if (length <= 16 && start + 16 <= readable) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + written),
                       _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + start)));
    } else {
      std::memcpy(out + written, p + start, length);
    }
#else
    std::memcpy(out + written, p + start, length);
#endif
    written += length;
    field_ends_.push_back(written);
    start = stop + 1;
  }
  record_.resize(written);
  any_content_ = written > 0;
  if (!whole_line) {  // the state machine reads the cell with the quote or CR
    state_ = State::kFieldStart;
    return p + start;
  }
  ++line_;
  EndRecord();
  return p + at + 1;
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
