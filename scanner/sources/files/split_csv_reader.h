// SplitCsvReader: CsvReader for one big delimited text, parsed in pieces (on several threads, or
// on one for a sink that takes whole runs of records).
//
// The text arrives in order through Feed (decoded UTF-8, pieces of any size, as for CsvReader)
// and is cut into pieces of about `piece_bytes` right after a line break that a quote count
// says lies outside quotes (an even number of '"' since the piece began), so a quoted line
// break is never chosen for a cut (PieceCutter; a reader with a thread to spare takes the
// cutter and cuts on that thread, handing the pieces to FeedPiece). Each piece is parsed by a
// CsvRecordParser of its own on a worker thread, as if a record started there; the calling thread
// hands the parsed records to the RecordTable (and so to the sink) piece after piece, in text
// order, with their lines shifted to the whole text's. A sink that is a RecordBatchSink gets each
// piece's records in one call (RecordTable::AddAll) whenever the table allows it, so the calling
// thread does not touch their cells: it only counts rows, and the sink spreads the cells on its own
// threads. When a piece's parse did not end between records — the quote count guessed wrong (a
// stray quote inside an unquoted field is data, not a quote), a quoted field is longer than a
// piece, or lines end in CR only — that parser, its record in progress included, is carried on over
// the following pieces' text on the calling thread until it ends between records again; those
// pieces' own parses are discarded. So the records, their lines, the header decision, ragged rows,
// cut records and an unbalanced quote's line are exactly those of one CsvReader over the whole
// text, wherever the cuts fall.
//
// Invariants:
//  - the sink (IsHeaderRow, DeclareColumn, Field, EndRecord) is only called from the thread
//    that calls Feed/Finish, in record order;
//  - memory is bounded whatever the file size and thread count: at most 2 pieces per thread
//    and 8 in all (text plus parsed records) exist at once, plus the text not cut yet and the
//    parsed records a RecordBatchSink still holds (ParallelMatcher: those its bounded batches
//    in flight refer to);
//  - a sink exception leaves Feed/Finish; destroying the reader then stops its threads;
//  - there is no max_rows: a sampled read stops early and keeps to CsvReader.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "scanner/sources/files/csv_reader.h"
#include "scanner/sources/files/csv_record_parser.h"
#include "scanner/sources/files/parsed_records.h"
#include "scanner/sources/files/record_batch_sink.h"
#include "scanner/sources/files/record_table.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

// Where `text`, which begins at a record boundary, may be cut: just after its last line break
// preceded by an even number of quotes in `text`; 0 when there is none.
size_t QuoteAwareCut(std::string_view text);

// Cuts text fed in order into pieces of about `piece_bytes` at QuoteAwareCut points, as
// SplitCsvReader does; kept apart so that the cutting can run on the thread that reads ahead
// (read_ahead.h) and hand SplitCsvReader whole pieces (FeedPiece). The same text fed in the
// same chunks gives the same pieces on either thread.
class PieceCutter {
 public:
  struct Piece {
    std::string text;
    bool starts_at_cut = true;  // else the cut before it fell inside a record for sure
  };
  explicit PieceCutter(size_t piece_bytes);
  // Adds `text`; when a piece is due, moves it to `*piece` and returns true.
  bool Add(std::string_view text, Piece* piece);
  // The text after the last cut, whole: the last piece.
  Piece Rest();

 private:
  Piece Cut(bool last);

  const size_t piece_bytes_;
  std::string pending_;             // text not cut into a piece yet
  bool next_starts_at_cut_ = true;  // the pending text begins where a record may begin
};

class SplitCsvReader {
 public:
  // `threads` counts the calling thread: threads - 1 workers are started, at most 4 (fewer if
  // the system has no more to give; the calling thread then parses the rest).
  SplitCsvReader(RecordSink& sink, char delimiter, uint64_t max_record_bytes, int threads,
                 size_t piece_bytes);
  ~SplitCsvReader();
  SplitCsvReader(const SplitCsvReader&) = delete;
  SplitCsvReader& operator=(const SplitCsvReader&) = delete;

  // Always true: the whole text is wanted (no max_rows).
  bool Feed(std::string_view text);
  // End of input; `clean` as for CsvReader::Finish. Every record has reached the sink after it.
  void Finish(bool clean);

  // To go on cutting the text elsewhere (on the thread that reads ahead): the cutter with the
  // text fed so far and not cut yet. Then, instead of Feed and Finish, the pieces it cuts, in
  // order, and its Rest() as the last one.
  PieceCutter TakeCutter();
  void FeedPiece(PieceCutter::Piece piece);
  void FinishWith(PieceCutter::Piece last, bool clean);

  uint64_t rows() const { return table_.rows(); }
  std::optional<uint64_t> data_line_offset() const { return table_.data_line_offset(); }
  uint64_t ragged_rows() const { return table_.ragged_rows(); }
  uint64_t cut_records() const { return cut_records_; }
  bool truncated_by_limit() const { return false; }
  uint64_t unbalanced_quote_line() const { return unbalanced_quote_line_; }
  // Pieces cut so far, and how many of them were parsed again on the calling thread because
  // the piece before them did not end between records (for tests and measurements).
  uint64_t pieces() const { return pieces_; }
  uint64_t pieces_carried() const { return pieces_carried_; }

 private:
  struct Piece;

  void Submit(PieceCutter::Piece cut, bool last, bool clean);
  void Submit(std::unique_ptr<Piece> piece);
  void ConsumeAll();
  void ConsumeFront();
  void Consume(Piece& piece);
  void Parse(Piece& piece) const;
  void WorkerLoop();
  Piece* NextUnclaimed();

  RecordTable table_;
  RecordBatchSink* const batch_sink_;  // the sink, when it takes whole runs of records
  RecordTableOutput table_output_;
  const char delimiter_;
  const uint64_t max_record_bytes_;
  const size_t max_in_flight_;

  // Calling thread only.
  PieceCutter cutter_;                      // for Feed
  uint64_t line_base_ = 1;                  // the line the next consumed piece begins on
  std::unique_ptr<CsvRecordParser> carry_;  // a parse that has not reached a boundary yet
  uint64_t cut_records_ = 0;
  uint64_t unbalanced_quote_line_ = 0;
  uint64_t pieces_ = 0;
  uint64_t pieces_carried_ = 0;

  std::mutex mutex_;  // guards everything below and the claimed/done flags of pieces
  std::condition_variable work_ready_;
  std::condition_variable piece_done_;
  std::deque<std::unique_ptr<Piece>> in_flight_;  // text order
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace crmaudit
