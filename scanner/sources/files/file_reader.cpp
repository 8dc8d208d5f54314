// ReadExportFile (file_reader.h): the pipeline ByteSource → TextDecoder → CsvReader/JsonReader.
//
// The first 64 KB of content are read once as a sample for binary, encoding and format
// detection, then fed to the parser like every later chunk, so each byte is read exactly once
// and memory is a few fixed buffers plus one record (≤ max_record_bytes).
#include "scanner/sources/files/file_reader.h"

#include <memory>
#include <optional>
#include <system_error>
#include <vector>

#include "scanner/model/human_text.h"
#include "scanner/model/utf8.h"
#include "scanner/sources/files/byte_source.h"
#include "scanner/sources/files/content_sniffer.h"
#include "scanner/sources/files/csv_reader.h"
#include "scanner/sources/files/json_reader.h"
#include "scanner/sources/files/read_ahead.h"
#include "scanner/sources/files/record_batch_sink.h"
#include "scanner/sources/files/split_csv_reader.h"
#include "scanner/sources/files/text_decoder.h"

namespace crmaudit {

namespace {

constexpr size_t kSampleBytes = 64 << 10;
constexpr size_t kChunkBytes = 256 << 10;
// Decoded chunks a ReadAhead may hold: enough to ride out a slow parse of one piece.
constexpr size_t kChunksAhead = 4;

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// Fills `buffer` from `source` until full or the content ends; returns the bytes read.
size_t ReadFully(ByteSource& source, char* buffer, size_t capacity) {
  size_t filled = 0;
  while (filled < capacity) {
    size_t got = source.Read(buffer + filled, capacity - filled);
    if (got == 0) break;
    filled += got;
  }
  return filled;
}

// Drives one parser (CSV or JSON) through the same Feed/Finish protocol.
class Parser {
 public:
  virtual ~Parser() = default;
  virtual bool Feed(std::string_view text) = 0;
  virtual void Finish(bool clean) = 0;
};

template <typename Reader>
class ParserOf : public Parser {
 public:
  template <typename... Args>
  explicit ParserOf(Args&&... args) : reader(std::forward<Args>(args)...) {}
  bool Feed(std::string_view text) override { return reader.Feed(text); }
  void Finish(bool clean) override { reader.Finish(clean); }
  Reader reader;
};

// What the outcome takes from either CSV reader.
struct CsvCounts {
  uint64_t rows = 0;
  uint64_t ragged_rows = 0;
  bool truncated_by_limit = false;
  std::optional<uint64_t> data_line_offset;
  uint64_t cut_records = 0;
  uint64_t unbalanced_quote_line = 0;
};

template <typename Reader>
CsvCounts CountsOf(const Reader& reader) {
  return {reader.rows(),
          reader.ragged_rows(),
          reader.truncated_by_limit(),
          reader.data_line_offset(),
          reader.cut_records(),
          reader.unbalanced_quote_line()};
}

}  // namespace

FileReadOutcome ReadExportFile(const std::filesystem::path& path, const FileReadOptions& options,
                               RecordSink& sink) {
  ByteSource source;
  std::string open_problem = source.Open(path);
  if (!open_problem.empty()) {
    FileReadOutcome outcome;
    outcome.status = ReadStatus::kUnreadable;
    outcome.message = open_problem;
    outcome.bytes = source.disk_bytes();
    return outcome;
  }
  return ReadExportStream(source, path.filename().string(), options, sink);
}

FileReadOutcome ReadExportStream(ByteSource& source, std::string_view file_name,
                                 const FileReadOptions& options, RecordSink& sink) {
  FileReadOutcome outcome;
  const std::string name = RepairUtf8(file_name);
  auto fail = [&](ReadStatus status, const std::string& reason) {
    outcome.status = status;
    outcome.message = reason;
    return outcome;
  };
  outcome.bytes = source.disk_bytes();
  if (source.failed()) return fail(ReadStatus::kUnreadable, source.error());

  std::unique_ptr<char[]> chunk(new char[kChunkBytes]);
  size_t sample_size = ReadFully(source, chunk.get(), kSampleBytes);
  std::string_view sample(chunk.get(), sample_size);
  bool at_end = sample_size < kSampleBytes;
  outcome.bytes = source.disk_bytes();
  const std::string gzip_suffix = source.compressed() ? "+gzip" : "";
  if (sample_size == 0) {
    if (source.failed()) return fail(ReadStatus::kUnreadable, source.error());
    outcome.status = ReadStatus::kEmpty;
    outcome.message = "empty file";
    return outcome;
  }

  TextEncoding encoding;
  if (!options.forced_encoding.empty()) {
    if (!ResolveEncoding(options.forced_encoding, sample, &encoding)) {
      return fail(ReadStatus::kUnreadable,
                  "unknown encoding '" + RepairUtf8(options.forced_encoding) + "'");
    }
  } else {
    encoding = DetectEncoding(sample, at_end && !source.failed());
  }
  // A name that claims an export format makes unreadable content a gap in the scan; a name
  // that claims nothing (no or an unknown extension) lets the content say "not an export".
  const bool named_as_export = FormatFromFileName(name) != ExportFormat::kUnknown;
  if (LooksBinary(sample, encoding.wide)) {
    if (!named_as_export) return fail(ReadStatus::kNotExport, "not an export (binary content)");
    return fail(ReadStatus::kUnreadable, "binary content, not a text export");
  }
  TextDecoder decoder(encoding);
  if (!decoder.ok()) {
    return fail(ReadStatus::kUnreadable, "cannot decode encoding '" + encoding.label + "'");
  }
  outcome.encoding = encoding.label;

  std::string text;
  text.reserve(kChunkBytes * 3 / 2);
  decoder.Decode(sample, at_end, &text);

  // Format: the extension says, the content decides only when it does not.
  ExportFormat format = FormatFromFileName(name);
  if (format == ExportFormat::kUnknown) {
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && (text[first] == '[' || text[first] == '{')) {
      format = ExportFormat::kJson;
    }
  }
  if (format == ExportFormat::kJson && LooksLikeJsonLines(text)) format = ExportFormat::kNdjson;

  std::unique_ptr<Parser> parser;
  CsvReader* csv = nullptr;
  SplitCsvReader* split = nullptr;
  JsonReader* json = nullptr;
  if (format == ExportFormat::kJson || format == ExportFormat::kNdjson) {
    auto layout =
        format == ExportFormat::kJson ? JsonReader::Layout::kDocument : JsonReader::Layout::kLines;
    auto p = std::make_unique<ParserOf<JsonReader>>(sink, layout, options.max_record_bytes,
                                                    options.max_rows, encoding.bom_bytes);
    json = &p->reader;
    parser = std::move(p);
    outcome.format = (format == ExportFormat::kJson ? "json" : "ndjson") + gzip_suffix;
  } else {
    bool found = true;
    char delimiter = '\t';
    if (format != ExportFormat::kTsv) delimiter = SniffDelimiter(text, &found);
    if (format == ExportFormat::kUnknown && !found) {
      return fail(ReadStatus::kNotExport,
                  "not an export (text that is not CSV, TSV, JSON or NDJSON)");
    }
    // A big plain file read whole is parsed in pieces: on several threads when it has them,
    // and on one when the sink takes whole runs of records (RecordBatchSink), which costs it
    // less than a call per cell. The text is still read and decoded here, in order.
    const bool runs_wanted =
        options.parse_threads > 1 || dynamic_cast<RecordBatchSink*>(&sink) != nullptr;
    const bool split_up = runs_wanted && !source.compressed() && encoding.icu_name.empty() &&
                          options.max_rows == 0 && source.size_at_open() >= options.split_min_bytes;
    if (split_up) {
      auto p = std::make_unique<ParserOf<SplitCsvReader>>(sink, delimiter, options.max_record_bytes,
                                                          options.parse_threads,
                                                          options.split_piece_bytes);
      split = &p->reader;
      parser = std::move(p);
    } else {
      auto p = std::make_unique<ParserOf<CsvReader>>(sink, delimiter, options.max_record_bytes,
                                                     options.max_rows);
      csv = &p->reader;
      parser = std::move(p);
    }
    outcome.delimiter = delimiter;
    outcome.format = (delimiter == '\t' ? "tsv" : "csv") + gzip_suffix;
  }

  bool more = parser->Feed(text);
  // A delimited file read whole by a scan with threads to spare is read and decoded ahead on a
  // thread of its own (read_ahead.h), which for a file parsed in pieces also cuts them, so the
  // thread that hands the records on does less. Not for JSON, whose parser may stop at an
  // error: the bytes read would then depend on how far ahead the thread got.
  std::unique_ptr<ReadAhead> ahead;
  if (more && !at_end && (csv || split) && options.parse_threads > 1 && options.max_rows == 0) {
    try {
      ahead =
          std::make_unique<ReadAhead>(source, decoder, kChunkBytes, kChunksAhead,
                                      split ? std::optional(split->TakeCutter()) : std::nullopt);
    } catch (const std::system_error&) {
      // No thread to be had: read here.
    }
  }
  bool finished = false;
  if (ahead) {
    ReadAhead::Text next;
    ReadAhead::Text rest;
    while (more && ahead->Next(&next)) {
      if (!split) {
        more = parser->Feed(next.text);
      } else if (next.rest) {
        rest = std::move(next);
      } else {
        split->FeedPiece({std::move(next.text), next.starts_at_cut});
      }
    }
    ahead.reset();  // its thread is done with the source and the decoder once this returns
    if (split) {
      split->FinishWith({std::move(rest.text), rest.starts_at_cut}, !source.failed());
      finished = true;
    }
  } else {
    while (more && !at_end) {
      size_t got = source.Read(chunk.get(), kChunkBytes);
      at_end = got == 0;
      text.clear();
      decoder.Decode(std::string_view(chunk.get(), got), at_end, &text);
      if (!text.empty()) more = parser->Feed(text);
    }
  }
  bool stopped_early = !more;
  if (!stopped_early && !finished) parser->Finish(!source.failed());
  outcome.bytes = source.disk_bytes();
  outcome.invalid_bytes = decoder.invalid_bytes();
  outcome.encoding = decoder.label();

  // Problems make the outcome partial; remarks are reported but the data was fully read.
  std::vector<std::string> problems;
  std::vector<std::string> remarks;
  if (source.failed()) problems.push_back(source.error());
  uint64_t cut = 0;
  if (csv || split) {
    const CsvCounts counts = csv ? CountsOf(*csv) : CountsOf(*split);
    if (split) outcome.parsed_pieces = split->pieces();
    outcome.rows = counts.rows;
    outcome.ragged_rows = counts.ragged_rows;
    outcome.truncated_by_limit = counts.truncated_by_limit;
    // A compressed file's lines are not the lines a reader of the file on disk sees.
    if (outcome.format.find('+') == std::string::npos) {
      outcome.data_line_offset = counts.data_line_offset;
    }
    cut = counts.cut_records;
    if (counts.unbalanced_quote_line != 0) {
      problems.push_back("line " + std::to_string(counts.unbalanced_quote_line) +
                         ": unbalanced quote (opened on this line, never closed)");
    }
    if (outcome.ragged_rows > 0) {
      remarks.push_back(Plural(outcome.ragged_rows, "ragged row") +
                        " (cell count differs from the header)");
    }
    if (cut > 0) {
      problems.push_back(Plural(cut, "record") + " cut (over max_record_bytes = " +
                         std::to_string(options.max_record_bytes) + " bytes, or 16384 cells)");
    }
  } else {
    outcome.rows = json->rows();
    outcome.malformed_records = json->malformed_records();
    outcome.truncated_by_limit = json->truncated_by_limit();
    if (!json->error().empty()) problems.push_back(json->error());
    if (json->malformed_records() > 0) {
      std::string text_problem =
          "line " + std::to_string(json->first_malformed_line()) + ": invalid JSON";
      if (json->malformed_records() > 1) {
        text_problem += " (" + Plural(json->malformed_records(), "invalid line") + " skipped)";
      }
      problems.push_back(text_problem);
    }
    if (json->oversized_records() > 0) {
      problems.push_back(Plural(json->oversized_records(), "record") +
                         " longer than max_record_bytes (" +
                         std::to_string(options.max_record_bytes) + " bytes) skipped");
    }
    if (json->too_deep_records() > 0) {
      problems.push_back(Plural(json->too_deep_records(), "record") + " nested deeper than " +
                         std::to_string(JsonReader::kMaxNesting) + " levels skipped");
    }
    if (json->folded_paths() > 0) {
      remarks.push_back(Plural(json->folded_paths(), "value") +
                        " with key paths beyond the first 10000 read under column "
                        "'(more columns)'");
    }
    if (!json->array_names().empty()) {
      remarks.push_back("records from arrays: " + RepairUtf8(Join(json->array_names(), ", ")));
    }
  }
  if (outcome.invalid_bytes > 0) {
    remarks.push_back(Plural(outcome.invalid_bytes, "invalid " + outcome.encoding + " byte") +
                      " replaced by U+FFFD");
  }
  if (outcome.truncated_by_limit) {
    remarks.push_back("sampled: stopped after " + Plural(outcome.rows, "record"));
  }

  if (!problems.empty()) {
    outcome.status = ReadStatus::kPartial;
  } else if (outcome.rows == 0) {
    outcome.status = ReadStatus::kEmpty;
    remarks.insert(remarks.begin(), "no records");
  } else {
    outcome.status = ReadStatus::kComplete;
  }
  problems.insert(problems.end(), remarks.begin(), remarks.end());
  if (!problems.empty()) outcome.message = Join(problems, "; ");
  return outcome;
}

}  // namespace crmaudit
