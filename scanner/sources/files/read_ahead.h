// ReadAhead: reads and decodes a byte stream on a thread of its own, a few chunks ahead of the
// thread that parses it.
//
// The thread that hands records to the matcher is the one part of a file scan that does not
// scale with cores (docs/performance.md, issue 15); reading (the kernel's copy from the page
// cache, or gunzipping) and decoding (UTF-8 validation, or transcoding) are most of what it
// did besides parsing, so they move here. The text handed over is exactly what the same loop on
// the calling thread would have produced: the source is read in order in chunks of
// `chunk_bytes`, each decoded with `last` set once the source has ended, and empty texts are
// not handed over. For a file parsed in pieces (split_csv_reader.h) it also cuts the pieces,
// exactly where SplitCsvReader::Feed would have cut them.
//
// Invariants:
//  - while a ReadAhead exists, only its thread touches the source and the decoder; read their
//    state (failed(), disk_bytes(), invalid_bytes(), label()) after Next() returned false or
//    after the ReadAhead is destroyed;
//  - memory is bounded: at most `chunks_ahead` texts wait, plus the one being decoded and, with a
//    cutter, the text not cut yet;
//  - destroying it early (the parser stopped, or threw) stops the thread after at most one
//    more chunk; an exception thrown while reading or decoding is rethrown by Next().
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "scanner/sources/files/byte_source.h"
#include "scanner/sources/files/split_csv_reader.h"
#include "scanner/sources/files/text_decoder.h"

namespace crmaudit {

class ReadAhead {
 public:
  // What Next hands over: decoded text, or with a cutter a piece of it (PieceCutter::Piece).
  struct Text {
    std::string text;
    bool starts_at_cut = true;  // with a cutter: as PieceCutter::Piece
    bool rest = false;          // with a cutter: PieceCutter::Rest(), handed over last
  };

  // Starts the thread; throws std::system_error when no thread can be had (the caller then
  // reads on its own thread). With a `cutter` (split_csv_reader.h; it may hold text already,
  // SplitCsvReader::TakeCutter) the decoded text is cut on that thread too: Next then hands
  // over its pieces, the last one its Rest() (even when empty), instead of the decoded chunks.
  ReadAhead(ByteSource& source, TextDecoder& decoder, size_t chunk_bytes, size_t chunks_ahead,
            std::optional<PieceCutter> cutter = std::nullopt);
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // Replaces `*text` with the next text (its old buffer is reused for a later one). False when
  // the stream has ended and everything was handed over.
  bool Next(Text* text);

 private:
  void Run();
  // Hands `text` over once fewer than chunks_ahead wait; false when stopping.
  bool HandOver(Text& text);

  ByteSource& source_;
  TextDecoder& decoder_;
  const size_t chunk_bytes_;
  const size_t chunks_ahead_;
  std::optional<PieceCutter> cutter_;  // its thread's

  std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  std::deque<Text> ready_;          // in stream order
  std::vector<std::string> spare_;  // handed back, for reuse
  bool ended_ = false;              // the thread has decoded the end of the stream
  bool stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace crmaudit
