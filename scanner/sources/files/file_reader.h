// Reading one export file: format and encoding detection, decompression, parsing, all streamed.
//
// ReadExportFile opens `path`, peels gzip, detects (or takes the forced) encoding, transcodes
// to UTF-8, detects the format (CSV/TSV with a sniffed delimiter, JSON, NDJSON) and feeds every
// record to `sink`. Memory stays bounded whatever the file size (single records are bounded by
// `max_record_bytes`). It never throws for bad input: problems are reported in the returned
// outcome, which becomes the dataset's coverage entry. Error texts name the position
// (line/byte), never the data, and not the file either: the caller names the dataset once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "scanner/sources/files/byte_source.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

struct FileReadOptions {
  std::string forced_encoding;  // empty = detect; else "utf-8", "utf-16le", "gb18030"...
  uint64_t max_record_bytes = 64ull << 20;  // a single field/record larger than this is cut
  uint64_t max_rows = 0;                    // 0 = all rows; else stop after this many (sampling)
  // Threads that may parse one file: above 1 (or with a sink that takes whole runs of records,
  // record_batch_sink.h, even at 1), a big plain delimited-text file (a file of at least
  // split_min_bytes, not compressed, UTF-8 or ASCII, read whole) is cut at record boundaries
  // into pieces of about split_piece_bytes that are parsed in parallel, or one after the other
  // at 1 (split_csv_reader.h); the sink sees the same calls in the same order either way.
  int parse_threads = 1;
  uint64_t split_min_bytes = 4ull << 20;
  size_t split_piece_bytes = 512 << 10;
};

enum class ReadStatus {
  kComplete,    // every byte read and parsed (remarks such as ragged rows may still exist)
  kPartial,     // some records read, then the file could not be read further
  kUnreadable,  // nothing usable: missing, permission denied, binary, not a known format
  kEmpty,       // zero bytes, or no records
  kNotExport,   // binary or unstructured content in a file whose name does not claim an
                // export format (no extension, or an unknown one): not an export at all
};

struct FileReadOutcome {
  ReadStatus status = ReadStatus::kComplete;
  std::string format;    // "csv", "tsv", "json", "ndjson" (plus "+gzip" when compressed)
  std::string encoding;  // e.g. "UTF-8", "UTF-8-BOM", "UTF-16LE", "GB18030"
  char delimiter = 0;    // for csv/tsv
  uint64_t rows = 0;     // records delivered to the sink
  uint64_t bytes = 0;    // bytes read from disk
  uint64_t ragged_rows = 0;
  uint64_t invalid_bytes = 0;  // input bytes replaced by U+FFFD
  uint64_t malformed_records = 0;
  bool truncated_by_limit = false;  // stopped at max_rows
  // Data row N sits on text line N + this offset (CsvReader::data_line_offset); nullopt when
  // not known for every row (JSON, quoted line breaks, blank lines, compressed files).
  std::optional<uint64_t> data_line_offset;
  std::string message;  // human explanation when not kComplete or when remarks exist
  // Pieces a big CSV file was cut into and parsed in parallel (FileReadOptions::parse_threads);
  // 0 when one parser read it all.
  uint64_t parsed_pieces = 0;
};

FileReadOutcome ReadExportFile(const std::filesystem::path& path, const FileReadOptions& options,
                               RecordSink& sink);

// The same for content that is not a file of its own (a member of an archive): `source` is
// opened, `file_name` is the name that says the format as a file's name does.
FileReadOutcome ReadExportStream(ByteSource& source, std::string_view file_name,
                                 const FileReadOptions& options, RecordSink& sink);

}  // namespace crmaudit
