// JsonReader: JSON exports as records, streamed record by record.
//
// Layouts:
//  - kDocument: a top-level array of records, or a top-level object. In an object, every member
//    whose value is an array is streamed element by element, each element one record, and its
//    columns are prefixed with the member name ({"contacts":[{"email":..}]} → "contacts.email"),
//    which is simply the key path from the document root with array levels dropped; the
//    array names are also listed in array_names(). Members that are not arrays are gathered
//    into one extra record (so a single-object file is one record).
//  - kLines: NDJSON/JSONL, one record per non-blank line.
// Columns are key paths joined with '.'; arrays of scalars give several values of the one
// column; arrays of objects give paths through the array ("phones.number"); a scalar record
// (or scalar array element) has the column "value". Numbers keep their source text; null is
// skipped. The reader finds top-level element boundaries itself (strings, escapes and nesting
// tracked across chunks) and hands each element, at most max_record_bytes, to simdjson
// on-demand, so memory never depends on the file size. A record's cells reach the sink only
// after the whole record parsed, so an invalid record contributes no data.
// Errors: in kLines an invalid line is counted and skipped; in kDocument invalid JSON stops the
// reader with error() naming the byte offset. Oversized records are skipped and counted.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/sources/record_sink.h"

namespace crmaudit {

// True when `text` (the start of a .json file) holds more than one top-level value, one per
// line: an NDJSON file with a .json name.
bool LooksLikeJsonLines(std::string_view text);

class JsonReader {
 public:
  enum class Layout { kDocument, kLines };

  // The deepest nesting of objects and arrays a record may have; deeper records are skipped
  // and reported (too_deep_records). CRM exports nest a few levels; 128 leaves room for any
  // real one while keeping the flattener's recursion far from the stack's limit.
  static constexpr uint64_t kMaxNesting = 128;

  // `offset_base` is added to byte offsets in messages (e.g. a skipped byte-order mark).
  JsonReader(RecordSink& sink, Layout layout, uint64_t max_record_bytes, uint64_t max_rows,
             uint64_t offset_base);
  ~JsonReader();

  // Returns false once the reader wants no more input (max_rows reached or a fatal error).
  bool Feed(std::string_view text);
  // End of input; `clean` is false when the byte stream broke off (the last, possibly cut
  // record is then dropped).
  void Finish(bool clean);

  uint64_t rows() const;
  uint64_t malformed_records() const;
  uint64_t first_malformed_line() const;  // kLines: 1-based line of the first invalid record
  uint64_t oversized_records() const;
  // Records (or members of a top-level object) nested deeper than kMaxNesting objects and
  // arrays: skipped and counted, the rest of the file is still read.
  uint64_t too_deep_records() const;
  bool truncated_by_limit() const;
  const std::string& error() const;  // kDocument: "invalid JSON at byte N", ...
  const std::vector<std::string>& array_names() const;
  // Values whose key path was new after 10000 distinct paths: they are delivered under the
  // column "(more columns)" so the column table stays bounded.
  uint64_t folded_paths() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace crmaudit
