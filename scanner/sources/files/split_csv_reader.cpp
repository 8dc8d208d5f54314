#include "scanner/sources/files/split_csv_reader.h"

#include <pthread.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <exception>
#include <system_error>
#include <utility>

#include "scanner/model/byte_words.h"

namespace crmaudit {

struct SplitCsvReader::Piece {
  std::string text;
  bool starts_at_cut = true;  // else the cut before it fell inside a record for sure
  bool last = false;
  bool clean = true;  // for the last piece: the byte stream ended normally
  // Filled by Parse (only for a piece that starts at a cut):
  ParsedRecords records;
  std::unique_ptr<CsvRecordParser> parser;
  std::exception_ptr error;
  bool claimed = false;
  bool done = false;
};

namespace {

// Parsing is a small share of a scan (matching is most of it), so a few pieces ahead keep
// every thread busy; more would only cost memory (each holds its text and its records).
constexpr size_t kMaxPiecesInFlight = 8;
// Parsing runs at hundreds of MB/s per thread, matching at tens: a few parsing threads keep up
// with any number of matching ones, and each more costs a stack and a malloc arena.
constexpr int kMaxWorkers = 4;

// Counts the '"' bytes of `text`: this runs over every byte of a big file on the one thread that
// cuts it, so it must cost next to nothing. With SSE2 (every x86-64), 16 bytes at a time: a
// compare gives -1 per quote, subtracted into byte counters that are summed (psadbw) before
// they can wrap. Elsewhere eight at a time, with the exact byte-word helpers of
// model/byte_words.h.
size_t CountQuotes(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i zero = _mm_setzero_si128();
  while (i + 16 <= text.size()) {
    // At most 255 blocks per round, so no byte counter wraps.
    const size_t end = std::min(text.size() - 15, i + 255 * 16);
    __m128i counters = zero;
    for (; i < end; i += 16) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
      counters = _mm_sub_epi8(counters, _mm_cmpeq_epi8(block, quote));
    }
    const __m128i sums = _mm_sad_epu8(counters, zero);
    count += static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
             static_cast<size_t>(_mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums)));
  }
#else
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    count += byte_words::Count(byte_words::BytesEqual(word, '"'));
  }
#endif
  for (; i < text.size(); ++i) count += text[i] == '"';
  return count;
}

}  // namespace

size_t QuoteAwareCut(std::string_view text) {
  const size_t quotes = CountQuotes(text);
  size_t quotes_after = 0;
  for (size_t i = text.size(); i-- > 0;) {
    const char c = text[i];
    if (c == '"') {
      ++quotes_after;
    } else if (c == '\n' && ((quotes - quotes_after) & 1) == 0) {
      return i + 1;
    }
  }
  return 0;
}

SplitCsvReader::SplitCsvReader(RecordSink& sink, char delimiter, uint64_t max_record_bytes,
                               int threads, size_t piece_bytes)
    : table_(sink, 0),
      // A sink that takes whole runs of records spreads their cells itself (on its own threads).
      batch_sink_(dynamic_cast<RecordBatchSink*>(&sink)),
      table_output_(table_),
      delimiter_(delimiter),
      max_record_bytes_(max_record_bytes),
      max_in_flight_(
          std::min<size_t>(static_cast<size_t>(std::max(threads, 1)) * 2, kMaxPiecesInFlight)),
      cutter_(piece_bytes) {
  try {
    const int workers = std::min(threads - 1, kMaxWorkers);
    for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  } catch (const std::system_error&) {
    // No more threads to be had: the calling thread parses what the started workers do not.
  }
}

SplitCsvReader::~SplitCsvReader() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& worker : workers_) worker.join();
}

PieceCutter::PieceCutter(size_t piece_bytes) : piece_bytes_(std::max<size_t>(piece_bytes, 1)) {}

bool PieceCutter::Add(std::string_view text, Piece* piece) {
  pending_.append(text);
  if (pending_.size() < piece_bytes_) return false;
  *piece = Cut(false);
  return true;
}

PieceCutter::Piece PieceCutter::Rest() { return Cut(true); }

PieceCutter::Piece PieceCutter::Cut(bool last) {
  Piece piece;
  piece.starts_at_cut = next_starts_at_cut_;
  size_t cut = pending_.size();
  if (!last) {
    const size_t found = QuoteAwareCut(pending_);
    next_starts_at_cut_ = found != 0;
    if (found != 0) cut = found;
  }
  piece.text = std::move(pending_);
  pending_.clear();
  pending_.reserve(piece_bytes_ + piece_bytes_ / 2);
  pending_.append(piece.text, cut);
  piece.text.resize(cut);
  return piece;
}

bool SplitCsvReader::Feed(std::string_view text) {
  PieceCutter::Piece piece;
  if (cutter_.Add(text, &piece)) Submit(std::move(piece), false, true);
  return true;
}

void SplitCsvReader::Finish(bool clean) { FinishWith(cutter_.Rest(), clean); }

PieceCutter SplitCsvReader::TakeCutter() { return std::move(cutter_); }

void SplitCsvReader::FeedPiece(PieceCutter::Piece piece) { Submit(std::move(piece), false, true); }

void SplitCsvReader::FinishWith(PieceCutter::Piece last, bool clean) {
  Submit(std::move(last), true, clean);
  ConsumeAll();
  table_.Finish();
}

void SplitCsvReader::ConsumeAll() {
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (in_flight_.empty()) break;
    }
    ConsumeFront();
  }
}

void SplitCsvReader::Submit(PieceCutter::Piece cut, bool last, bool clean) {
  auto piece = std::make_unique<Piece>();
  piece->text = std::move(cut.text);
  piece->starts_at_cut = cut.starts_at_cut;
  piece->last = last;
  piece->clean = clean;
  ++pieces_;
  Submit(std::move(piece));
}

void SplitCsvReader::Submit(std::unique_ptr<Piece> piece) {
  {
    std::lock_guard lock(mutex_);
    in_flight_.push_back(std::move(piece));
  }
  work_ready_.notify_one();
  // Hand over whatever is parsed at the front; wait (or parse) only when too much is pending.
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (in_flight_.empty()) return;
      const bool full = in_flight_.size() >= max_in_flight_;
      if (!full && !in_flight_.front()->done) return;
    }
    ConsumeFront();
  }
}

SplitCsvReader::Piece* SplitCsvReader::NextUnclaimed() {
  for (auto& piece : in_flight_) {
    if (!piece->claimed) return piece.get();
  }
  return nullptr;
}

// Takes the oldest piece, parsing it here if no worker has claimed it, waiting otherwise.
void SplitCsvReader::ConsumeFront() {
  std::unique_ptr<Piece> piece;
  {
    std::unique_lock lock(mutex_);
    Piece& front = *in_flight_.front();
    if (!front.claimed) {
      front.claimed = true;
      lock.unlock();
      Parse(front);
      lock.lock();
      front.done = true;
    } else {
      piece_done_.wait(lock, [&] { return front.done; });
    }
    piece = std::move(in_flight_.front());
    in_flight_.pop_front();
  }
  Consume(*piece);
}

void SplitCsvReader::Parse(Piece& piece) const {
  // A piece cut inside a record is parsed by the carried parser, on the calling thread.
  if (!piece.starts_at_cut) return;
  try {
    piece.records.Reserve(piece.text.size());
    piece.parser = std::make_unique<CsvRecordParser>(piece.records, delimiter_, max_record_bytes_);
    piece.parser->Feed(piece.text);
    if (piece.last) piece.parser->Finish(piece.clean);
  } catch (...) {
    piece.error = std::current_exception();
  }
}

void SplitCsvReader::Consume(Piece& piece) {
  if (piece.error) std::rethrow_exception(piece.error);
  if (!carry_ && piece.parser) {
    // The piece began between records: its own parse is the text's.
    const uint64_t shift = line_base_ - 1;
    if (batch_sink_ == nullptr || !table_.AddAll(std::move(piece.records), shift, *batch_sink_)) {
      piece.records.ForEach([&](std::string_view cells, std::span<const size_t> ends,
                                uint64_t line) { table_.Add(cells, ends, line + shift); });
    }
    cut_records_ += piece.parser->cut_records();
    if (piece.last) {
      const uint64_t open_quote = piece.parser->unbalanced_quote_line();
      if (open_quote != 0) unbalanced_quote_line_ = open_quote + shift;
      return;
    }
    if (piece.parser->at_record_boundary()) {
      line_base_ += piece.parser->line() - 1;
    } else {
      // Its last record goes on in the next piece: carry the parse on there.
      carry_ = std::move(piece.parser);
      carry_->Continue(table_output_, shift);
    }
    return;
  }
  ++pieces_carried_;
  if (!carry_) {
    // Cut inside what turned out to end between records after all: a fresh parse from here.
    carry_ = std::make_unique<CsvRecordParser>(table_output_, delimiter_, max_record_bytes_);
    carry_->Continue(table_output_, line_base_ - 1);
  }
  carry_->Feed(piece.text);
  if (piece.last) {
    carry_->Finish(piece.clean);
    cut_records_ += carry_->cut_records();
    unbalanced_quote_line_ = carry_->unbalanced_quote_line();
    carry_.reset();
    return;
  }
  if (carry_->at_record_boundary()) {
    line_base_ = carry_->line();
    cut_records_ += carry_->cut_records();
    carry_.reset();
  }
}

void SplitCsvReader::WorkerLoop() {
  // Named so that per-thread profiles (perf report --sort comm) tell parsing from the rest.
  pthread_setname_np(pthread_self(), "crmaudit-parse");
  std::unique_lock lock(mutex_);
  while (true) {
    Piece* piece = nullptr;
    work_ready_.wait(lock, [&] { return stopping_ || (piece = NextUnclaimed()) != nullptr; });
    if (stopping_) return;
    piece->claimed = true;
    lock.unlock();
    Parse(*piece);
    lock.lock();
    piece->done = true;
    piece_done_.notify_all();
  }
}

}  // namespace crmaudit
