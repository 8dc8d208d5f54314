// SplitCsvReader against CsvReader: whatever the pieces, the sink sees the same calls in the
// same order, with the same lines, counts and problems, directly and through ReadExportFile.
#include "scanner/sources/files/split_csv_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "scanner/sources/files/csv_reader.h"
#include "scanner/sources/files/file_reader.h"
#include "tests/unit/sources/source_test_support.h"

namespace crmaudit {
namespace {

using testing::TempDir;

// Writes down every call a reader makes, in order, as one line each.
class TranscriptSink : public RecordSink {
 public:
  size_t DeclareColumn(std::string_view name) override {
    transcript += "column " + std::string(name) + "\n";
    return columns++;
  }
  // Judges like a profiler would, from the values: a first record whose first cell is "id".
  bool IsHeaderRow(std::span<const std::string_view> first,
                   std::span<const std::vector<std::string_view>> following) override {
    transcript += "header? " + std::to_string(following.size()) + "\n";
    return !first.empty() && first[0] == "id";
  }
  void Field(size_t column, std::string_view value) override {
    transcript += std::to_string(column) + "=" + std::string(value) + "|";
  }
  void EndRecord() override { transcript += "\n"; }

  std::string transcript;
  size_t columns = 0;
};

// The same transcript from a sink that takes whole runs of records, written as the contract of
// RecordBatchSink::Records says they are to be read: Field per non-empty cell, EndRecord.
class TranscriptBatchSink final : public RecordBatchSink {
 public:
  size_t DeclareColumn(std::string_view name) override { return cells.DeclareColumn(name); }
  bool IsHeaderRow(std::span<const std::string_view> first,
                   std::span<const std::vector<std::string_view>> following) override {
    return cells.IsHeaderRow(first, following);
  }
  void Field(size_t column, std::string_view value) override { cells.Field(column, value); }
  void EndRecord() override { cells.EndRecord(); }
  void Records(ParsedRecords records, std::span<const size_t> columns) override {
    ++runs;
    records.ForEach([&](std::string_view text, std::span<const size_t> ends, uint64_t) {
      size_t start = 0;
      for (size_t p = 0; p < ends.size(); ++p) {
        EXPECT_LT(p, columns.size()) << "a cell without a declared column";
        if (ends[p] > start && p < columns.size()) {
          cells.Field(columns[p], text.substr(start, ends[p] - start));
        }
        start = ends[p];
      }
      cells.EndRecord();
    });
  }

  TranscriptSink cells;
  size_t runs = 0;
};

// What a reader left behind: its calls and its counts.
template <typename Reader>
std::string Summary(const Reader& reader, const TranscriptSink& sink) {
  const auto offset = reader.data_line_offset();
  return sink.transcript + "rows " + std::to_string(reader.rows()) + " ragged " +
         std::to_string(reader.ragged_rows()) + " cut " + std::to_string(reader.cut_records()) +
         " open quote line " + std::to_string(reader.unbalanced_quote_line()) + " line offset " +
         (offset ? std::to_string(*offset) : "none");
}

// Feeds `text` in slices of about `bytes`, never inside a character (as TextDecoder hands on).
template <typename Reader>
void FeedInSlices(Reader& reader, std::string_view text, size_t bytes) {
  size_t at = 0;
  while (at < text.size()) {
    size_t end = std::min(text.size(), at + bytes);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    reader.Feed(text.substr(at, end - at));
    at = end;
  }
}

std::string ReadWhole(std::string_view text, uint64_t max_record_bytes, size_t feed_bytes) {
  TranscriptSink sink;
  CsvReader reader(sink, ',', max_record_bytes, 0);
  FeedInSlices(reader, text, feed_bytes);
  reader.Finish(true);
  return Summary(reader, sink);
}

struct SplitRun {
  std::string summary;
  uint64_t pieces = 0;
  uint64_t carried = 0;
  size_t runs = 0;  // runs of records a RecordBatchSink took whole
};

// With `runs`, into a sink that takes whole runs of records (RecordBatchSink).
SplitRun ReadSplit(std::string_view text, uint64_t max_record_bytes, size_t feed_bytes, int threads,
                   size_t piece_bytes, bool runs = false) {
  TranscriptBatchSink batch_sink;
  TranscriptSink plain_sink;
  RecordSink& sink = runs ? static_cast<RecordSink&>(batch_sink) : plain_sink;
  SplitCsvReader reader(sink, ',', max_record_bytes, threads, piece_bytes);
  FeedInSlices(reader, text, feed_bytes);
  reader.Finish(true);
  return {Summary(reader, runs ? batch_sink.cells : plain_sink), reader.pieces(),
          reader.pieces_carried(), batch_sink.runs};
}

// Every piece size from a few bytes up, every thread count, cell by cell or in runs of whole
// records: one transcript.
void ExpectSameAsOneReader(const std::string& text, uint64_t max_record_bytes = 1 << 20) {
  const std::string expected = ReadWhole(text, max_record_bytes, 4096);
  for (size_t piece : {1ul, 3ul, 7ul, 16ul, 61ul, 256ul, 4096ul}) {
    for (int threads : {1, 2, 3, 8}) {
      for (bool runs : {false, true}) {
        const SplitRun run = ReadSplit(text, max_record_bytes, 5, threads, piece, runs);
        ASSERT_EQ(run.summary, expected)
            << "piece bytes " << piece << ", threads " << threads << ", runs " << runs;
      }
    }
  }
}

TEST(SplitCsvReading, QuoteAwareCutIsAfterTheLastLineBreakOutsideQuotes) {
  EXPECT_EQ(QuoteAwareCut("a,b\nc,d\ne"), 8u);
  EXPECT_EQ(QuoteAwareCut("a,b\nc,\"d\ne"), 4u);       // the last break is inside quotes
  EXPECT_EQ(QuoteAwareCut("a,\"b\"\"\nx\"\nc"), 10u);  // doubled quotes count twice
  EXPECT_EQ(QuoteAwareCut("\"a\nb\nc"), 0u);           // all inside one quoted field
  EXPECT_EQ(QuoteAwareCut("no line break"), 0u);
}

TEST(SplitCsvReading, QuoteAwareCutAgreesWithAByteByByteCountOnLongTexts) {
  // Bytes one bit away from '"' (0x22): 0xA2, 0x23, 0x02, and every other byte value.
  std::mt19937 random(7);
  const unsigned char near[] = {'"', '"', '\n', 0xA2, 0x23, 0x02, 0x00, 0xFF, 'a'};
  for (int round = 0; round < 260; ++round) {
    // Short texts, and long ones (past the 4080 bytes after which the counters are summed).
    const size_t length = round < 200 ? random() % 300 : 4000 + random() % 20000;
    std::string text(length, 'x');
    for (char& c : text) {
      c = static_cast<char>(random() % 4 == 0 ? random() % 256 : near[random() % std::size(near)]);
    }
    size_t expected = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n' &&
          std::count(text.begin(), text.begin() + static_cast<long>(i), '"') % 2 == 0) {
        expected = i + 1;
      }
    }
    ASSERT_EQ(QuoteAwareCut(text), expected) << "round " << round;
  }
  // Nothing but quotes for longer than a counter can count, then a line break: an even number
  // of them before it makes it a cut.
  for (size_t quotes : {size_t{255 * 16}, size_t{255 * 16 + 1}, size_t{9000}, size_t{9001}}) {
    const std::string text = std::string(quotes, '"') + "\nx";
    EXPECT_EQ(QuoteAwareCut(text), quotes % 2 == 0 ? quotes + 1 : 0u) << quotes;
  }
}

TEST(SplitCsvReading, QuotedLineBreaksCrlfBlankLinesAndRaggedRowsReadAsByOneReader) {
  std::string text = "id,name,note\r\n";
  for (int i = 0; i < 300; ++i) {
    text += std::to_string(i) + ",Ann " + std::to_string(i) +
            ",\"line one\r\nline, two\n\"\"q\"\"\"\r\n";
    if (i % 7 == 0) text += "\r\n\n";                         // blank lines
    if (i % 11 == 0) text += std::to_string(i) + ",short\n";  // ragged
    if (i % 13 == 0) text += "\"\n\n\",x,y,z,w\n";            // a record that is all breaks
  }
  ExpectSameAsOneReader(text);
}

TEST(SplitCsvReading, PiecesGoWholeToASinkThatTakesRunsOfRecords) {
  // After the header is judged, every piece that begins between records reaches the sink in one
  // Records call; ragged rows wider than the header go cell by cell (their columns are declared
  // in the middle of the record), and so does the rest of their piece.
  std::string text = "id,name,email\n";
  for (int i = 0; i < 2000; ++i) {
    text += std::to_string(i) + ",Ann,ann" + std::to_string(i) + "@example.com\n";
    if (i == 1500) text += "1500,wide,row,with,extra,cells\n";
  }
  const SplitRun run = ReadSplit(text, 1 << 20, 4096, 3, 4096, true);
  EXPECT_EQ(run.summary, ReadWhole(text, 1 << 20, 4096));
  EXPECT_GT(run.pieces, 10u);
  EXPECT_GE(run.runs, run.pieces - 3) << "all but the header's, the wide row's and the last";
  EXPECT_LT(run.runs, run.pieces);
}

// A run's cells are found by position, as a matching thread reads a run's country and phone
// cells: an empty cell and a position past a short record's end are both empty.
TEST(SplitCsvReading, ACellOfARunIsFoundByItsPosition) {
  ParsedRecords records;
  const std::vector<size_t> short_ends = {2, 2};  // "DE", ""
  records.Record("DE", short_ends, 1);
  const std::vector<size_t> full = {2, 4, 9};  // "FR", "GB", "+3312"
  records.Record("FRGB+3312", full, 2);
  EXPECT_EQ(records.cell(0, 0), "DE");
  EXPECT_EQ(records.cell(0, 1), "");
  EXPECT_EQ(records.cell(0, 2), "");  // the record has two cells
  EXPECT_EQ(records.cell(1, 0), "FR");
  EXPECT_EQ(records.cell(1, 1), "GB");
  EXPECT_EQ(records.cell(1, 2), "+3312");
}

TEST(SplitCsvReading, StrayQuotesThatFoolTheQuoteCountAreCarriedOnNotMisread) {
  // A quote inside an unquoted cell is data: the quote count then takes the lines after it for
  // quoted ones, and a cut there would split a record.
  std::string text = "id,v\n";
  for (int i = 0; i < 200; ++i) {
    text += std::to_string(i) + ",5\" screen\n";
    text += std::to_string(i) + ",\"a\nb\"\n";  // its break is where the count says "outside"
    text += std::to_string(i) + ",\"closed\"then\"more\n";
  }
  ExpectSameAsOneReader(text);
  const SplitRun run = ReadSplit(text, 1 << 20, 16, 3, 64);
  EXPECT_GT(run.pieces, 10u);
  EXPECT_GT(run.carried, 0u) << "the stray quotes should have forced a carried-on parse";
}

TEST(SplitCsvReading, UnbalancedQuoteLineIsTheWholeTextsLine) {
  std::string text = "id,v\n";
  for (int i = 0; i < 100; ++i) text += std::to_string(i) + ",\"x\ny\"\n";
  text += "100,\"never closed\nand on\nand on\n";
  ExpectSameAsOneReader(text);
  const SplitRun run = ReadSplit(text, 1 << 20, 4096, 2, 50);
  EXPECT_NE(run.summary.find("open quote line 202"), std::string::npos) << run.summary;
}

TEST(SplitCsvReading, CarriageReturnOnlyLinesAndRecordsOverTheLimit) {
  std::string cr_only = "id,v\r";
  for (int i = 0; i < 100; ++i) cr_only += std::to_string(i) + ",value\r";
  ExpectSameAsOneReader(cr_only);

  std::string long_records = "id,v\n";
  for (int i = 0; i < 50; ++i) {
    long_records += std::to_string(i) + "," + std::string(static_cast<size_t>(i) * 7, 'x') + "\n";
  }
  ExpectSameAsOneReader(long_records, 120);  // records over 120 bytes are cut and counted
}

TEST(SplitCsvReading, RandomTextReadsAsByOneReader) {
  // Quotes, delimiters, CR and LF in every arrangement: the cuts land everywhere, also inside
  // quoted fields, after a CR whose LF follows, and inside multibyte characters' neighbours.
  const std::string alphabet[] = {"a", "b", ",", ",", "\"", "\"", "\n", "\n", "\r", " ", "é"};
  std::mt19937 random(15);
  for (int round = 0; round < 40; ++round) {
    std::string text = round % 2 == 0 ? "id,x,y\n" : "";
    const size_t length = 200 + random() % 3000;
    while (text.size() < length) text += alphabet[random() % std::size(alphabet)];
    ExpectSameAsOneReader(text, 1 + random() % 400);
  }
}

// Through ReadExportFile: the same records and the same outcome with one thread or several.
class ReadWithThreads {
 public:
  explicit ReadWithThreads(std::string_view content) { path_ = dir_.Write("big.csv", content); }
  std::pair<std::string, FileReadOutcome> Read(int threads, size_t piece_bytes) const {
    FileReadOptions options;
    options.parse_threads = threads;
    options.split_min_bytes = 0;
    options.split_piece_bytes = piece_bytes;
    TranscriptSink sink;
    FileReadOutcome outcome = ReadExportFile(path_, options, sink);
    const std::string lines =
        outcome.data_line_offset ? std::to_string(*outcome.data_line_offset) : "none";
    return {
        sink.transcript + "status " + std::to_string(static_cast<int>(outcome.status)) + " rows " +
            std::to_string(outcome.rows) + " ragged " + std::to_string(outcome.ragged_rows) +
            " invalid " + std::to_string(outcome.invalid_bytes) + " encoding " + outcome.encoding +
            " format " + outcome.format + " line offset " + lines + " message " + outcome.message,
        outcome};
  }

 private:
  TempDir dir_;
  std::filesystem::path path_;
};

TEST(SplitCsvReading, FilesReadTheSameWithOneOrManyThreads) {
  std::string plain = "\xEF\xBB\xBFid;email;phone\n";  // a BOM, and ';' to be sniffed
  for (int i = 0; i < 20000; ++i) {
    plain += std::to_string(i) + ";user" + std::to_string(i) + "@example.com;+1 202 555 01" +
             std::to_string(i % 100) + "\n";
  }
  plain += "20000;bad \xFF byte;x\n";  // replaced by U+FFFD and counted
  plain += "20001;\"open";             // an unbalanced quote at the end
  const ReadWithThreads file(plain);
  const auto [expected, one] = file.Read(1, 64 << 10);
  EXPECT_EQ(one.parsed_pieces, 0u);
  EXPECT_NE(expected.find("unbalanced quote"), std::string::npos);
  EXPECT_NE(expected.find("invalid 1"), std::string::npos);
  for (int threads : {2, 3, 8}) {
    for (size_t piece : {1000ul, 64ul << 10}) {
      const auto [got, outcome] = file.Read(threads, piece);
      EXPECT_GT(outcome.parsed_pieces, 1u);
      ASSERT_EQ(got, expected) << "threads " << threads << ", piece bytes " << piece;
    }
  }
}

// One thread and a sink that takes whole runs (the scan's matcher): the file is parsed in pieces
// one after the other, handed on run by run, and reads exactly as one parser reads it.
TEST(SplitCsvReading, OneThreadHandsWholeRunsToASinkThatTakesThem) {
  TempDir dir;
  std::string text = "id,email,note\n";
  for (int i = 0; i < 40000; ++i) {
    text += std::to_string(i) + ",user" + std::to_string(i) + "@example.com,";
    text += i % 7 == 0 ? "\"two\nlines, \"\"quoted\"\"\"\n" : "plain\n";
  }
  const auto path = dir.Write("runs.csv", text);
  FileReadOptions options;
  options.parse_threads = 1;
  options.split_min_bytes = 0;
  options.split_piece_bytes = 4096;
  TranscriptSink one_parser;
  const FileReadOutcome plain = ReadExportFile(path, options, one_parser);
  EXPECT_EQ(plain.parsed_pieces, 0u);  // a sink that takes cells one by one: one parser
  TranscriptBatchSink runs;
  const FileReadOutcome pieces = ReadExportFile(path, options, runs);
  EXPECT_GT(pieces.parsed_pieces, 5u);
  EXPECT_GT(runs.runs, 5u);
  EXPECT_EQ(pieces.rows, 40000u);
  EXPECT_EQ(runs.cells.transcript, one_parser.transcript);
  options.split_min_bytes = text.size() + 1;  // below the size that pays: cell by cell
  TranscriptBatchSink small;
  EXPECT_EQ(ReadExportFile(path, options, small).parsed_pieces, 0u);
  EXPECT_EQ(small.runs, 0u);
  EXPECT_EQ(small.cells.transcript, one_parser.transcript);
}

TEST(SplitCsvReading, SmallCompressedAndSampledFilesKeepOneParser) {
  TempDir dir;
  std::string text = "id,v\n";
  for (int i = 0; i < 1000; ++i) text += std::to_string(i) + ",x\n";
  const auto path = dir.Write("small.csv", text);
  TranscriptSink sink;
  FileReadOptions options;
  options.parse_threads = 4;  // the default minimum size keeps this file whole
  EXPECT_EQ(ReadExportFile(path, options, sink).parsed_pieces, 0u);
  options.split_min_bytes = 0;
  options.max_rows = 10;  // a sample stops early: one parser
  EXPECT_EQ(ReadExportFile(path, options, sink).parsed_pieces, 0u);
  options.max_rows = 0;
  EXPECT_GT(ReadExportFile(path, options, sink).parsed_pieces, 0u);
}

}  // namespace
}  // namespace crmaudit
