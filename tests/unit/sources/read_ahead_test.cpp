// ReadAhead hands over exactly the text the calling thread's own read-and-decode loop produces
// (multibyte characters and invalid bytes cut by chunks, transcoding, a truncated gzip stream),
// stops when dropped early, and ReadExportFile with threads to spare reads a file exactly as
// with one thread.
#include "scanner/sources/files/read_ahead.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "scanner/sources/files/file_reader.h"
#include "tests/unit/sources/source_test_support.h"

namespace crmaudit {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;
using testing::TempDir;

// What one read of a file gave: the decoded text and the source's and decoder's state after.
struct Read {
  std::string text;
  uint64_t invalid_bytes = 0;
  std::string label;
  std::string error;
  uint64_t disk_bytes = 0;
  size_t texts = 0;  // non-empty texts handed over
};

void ExpectSameRead(const Read& expected, const Read& actual) {
  EXPECT_EQ(expected.text, actual.text);
  EXPECT_EQ(expected.invalid_bytes, actual.invalid_bytes);
  EXPECT_EQ(expected.label, actual.label);
  EXPECT_EQ(expected.error, actual.error);
  EXPECT_EQ(expected.disk_bytes, actual.disk_bytes);
  EXPECT_EQ(expected.texts, actual.texts);
}

// The source's and the decoder's state once the stream was read.
void NoteWhatWasLeft(const ByteSource& source, const TextDecoder& decoder, Read* read) {
  read->invalid_bytes = decoder.invalid_bytes();
  read->label = decoder.label();
  read->error = source.error();
  read->disk_bytes = source.disk_bytes();
}

// The loop ReadExportStream runs without a ReadAhead; `each` also gets every text it decodes.
Read ReadHere(const fs::path& file, const TextEncoding& encoding, size_t chunk_bytes,
              const std::function<void(const std::string&)>& each = {}) {
  ByteSource source;
  EXPECT_EQ(source.Open(file), "");
  TextDecoder decoder(encoding);
  Read read;
  std::string chunk(chunk_bytes, '\0');
  std::string text;
  bool at_end = false;
  while (!at_end) {
    const size_t got = source.Read(chunk.data(), chunk_bytes);
    at_end = got == 0;
    text.clear();
    decoder.Decode(std::string_view(chunk.data(), got), at_end, &text);
    if (each) each(text);
    if (!text.empty()) {
      read.text += text;
      ++read.texts;
    }
  }
  NoteWhatWasLeft(source, decoder, &read);
  return read;
}

Read ReadAheadOf(const fs::path& file, const TextEncoding& encoding, size_t chunk_bytes,
                 size_t chunks_ahead) {
  ByteSource source;
  EXPECT_EQ(source.Open(file), "");
  TextDecoder decoder(encoding);
  Read read;
  {
    ReadAhead ahead(source, decoder, chunk_bytes, chunks_ahead);
    ReadAhead::Text text{"left over from before"};
    while (ahead.Next(&text)) {
      EXPECT_FALSE(text.text.empty());
      EXPECT_FALSE(text.rest);
      read.text += text.text;
      ++read.texts;
    }
  }
  NoteWhatWasLeft(source, decoder, &read);
  return read;
}

// UTF-8 with characters of every length, and invalid bytes, so that chunks of a few bytes cut
// sequences everywhere; it ends inside a character, which only the end of the stream settles.
std::string MixedUtf8(int lines) {
  std::string text;
  for (int i = 0; i < lines; ++i) {
    text += "客户" + std::to_string(i) + ",Zoë,\xF0\x9F\x93\x9E +86 138 0013 " +
            std::to_string(1000 + i) + (i % 17 == 0 ? ",bad\xFF\xC3" : ",ok") + "\n";
  }
  return text + "end \xE5\xAE";
}

TEST(ReadAhead, HandsOverWhatTheCallingThreadWouldHaveDecoded) {
  TempDir dir;
  const fs::path file = dir.Write("mixed.csv", MixedUtf8(400));
  const TextEncoding utf8 = DetectEncoding("ascii", false);
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{7}, size_t{4096}}) {
    for (size_t ahead : {size_t{1}, size_t{4}}) {
      SCOPED_TRACE("chunk " + std::to_string(chunk) + ", ahead " + std::to_string(ahead));
      const Read here = ReadHere(file, utf8, chunk);
      EXPECT_GT(here.invalid_bytes, 0u);
      ExpectSameRead(here, ReadAheadOf(file, utf8, chunk, ahead));
    }
  }
}

TEST(ReadAhead, TranscodesGb18030AndSwitchesToItAfterAnAsciiStart) {
  // ASCII first, so UTF-8 is only provisional; then GB18030 bytes of "张三,北京市".
  std::string content(100000, 'a');
  content += "\n\xD5\xC5\xC8\xFD,\xB1\xB1\xBE\xA9\xCA\xD0\n";
  TempDir dir;
  const fs::path file = dir.Write("gb.csv", content);
  const TextEncoding provisional = DetectEncoding(std::string_view(content).substr(0, 1000), false);
  ASSERT_TRUE(provisional.provisional);
  const Read here = ReadHere(file, provisional, 4096);
  EXPECT_EQ(here.label, "GB18030");
  ExpectSameRead(here, ReadAheadOf(file, provisional, 4096, 2));
}

TEST(ReadAhead, ATruncatedGzipStreamEndsWithTheSameTextAndError) {
  std::string content;
  for (int i = 0; i < 100000; ++i) content += std::to_string(i) + ",user@example.com\n";
  TempDir dir;
  const fs::path file = dir.WriteGzip("cut.csv.gz", content);
  fs::resize_file(file, fs::file_size(file) / 2);
  const TextEncoding utf8 = DetectEncoding("ascii", false);
  const Read here = ReadHere(file, utf8, 65536);
  EXPECT_NE(here.error.find("truncated gzip stream"), std::string::npos) << here.error;
  ExpectSameRead(here, ReadAheadOf(file, utf8, 65536, 4));
}

TEST(ReadAhead, DroppedAfterTheFirstTextStopsWithoutReadingEverything) {
  TempDir dir;
  const fs::path file = dir.Write("big.csv", std::string(8 << 20, 'x'));
  ByteSource source;
  ASSERT_EQ(source.Open(file), "");
  TextDecoder decoder(DetectEncoding("ascii", false));
  {
    ReadAhead ahead(source, decoder, 4096, 2);
    ReadAhead::Text text;
    ASSERT_TRUE(ahead.Next(&text));
    EXPECT_EQ(text.text.size(), 4096u);
  }
  // The thread stopped within a few chunks of what was asked (the source reads the disk 256 KB
  // at a time), not at the end of the file.
  EXPECT_LE(source.disk_bytes(), 1u << 20);
}

// With a cutter, the pieces are those the cutter would have cut on the calling thread from the
// same chunks, after the text it already held, and the last one is its rest.
TEST(ReadAhead, CutsThePiecesTheCallingThreadWouldHaveCut) {
  std::string content;
  for (int i = 0; i < 3000; ++i) {
    content += std::to_string(i) + ",\"a quoted\nline break\"," + std::string(i % 50, 'x') + "\n";
  }
  TempDir dir;
  const fs::path file = dir.Write("pieces.csv", content);
  const TextEncoding utf8 = DetectEncoding("ascii", false);
  for (size_t piece_bytes : {size_t{100}, size_t{1000}, size_t{50000}}) {
    SCOPED_TRACE("piece bytes " + std::to_string(piece_bytes));
    // A cutter that was fed a header and an open quote before the file's text.
    auto cutter_holding_text = [&](std::vector<PieceCutter::Piece>* pieces) {
      PieceCutter cutter(piece_bytes);
      PieceCutter::Piece piece;
      if (cutter.Add("id,note,\"pad", &piece)) pieces->push_back(piece);
      return cutter;
    };
    std::vector<PieceCutter::Piece> expected;
    {
      PieceCutter cutter = cutter_holding_text(&expected);
      ReadHere(file, utf8, 4096, [&](const std::string& text) {
        PieceCutter::Piece piece;
        if (cutter.Add(text, &piece)) expected.push_back(piece);
      });
      expected.push_back(cutter.Rest());
    }
    ASSERT_GT(expected.size(), 2u);
    std::vector<PieceCutter::Piece> actual;
    {
      PieceCutter cutter = cutter_holding_text(&actual);
      ByteSource source;
      ASSERT_EQ(source.Open(file), "");
      TextDecoder decoder(utf8);
      ReadAhead ahead(source, decoder, 4096, 2, std::move(cutter));
      ReadAhead::Text text;
      bool rest_seen = false;
      while (ahead.Next(&text)) {
        EXPECT_FALSE(rest_seen) << "the rest comes last";
        rest_seen = text.rest;
        actual.push_back({text.text, text.starts_at_cut});
      }
      EXPECT_TRUE(rest_seen);
    }
    ASSERT_EQ(expected.size(), actual.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(expected[i].text, actual[i].text) << "piece " << i;
      EXPECT_EQ(expected[i].starts_at_cut, actual[i].starts_at_cut) << "piece " << i;
    }
  }
}

// ReadExportFile reads ahead when it may use threads: the records and the outcome are those of a
// read on one thread, for a plain file (cut into pieces too), a gzip file and a cut gzip file.
TEST(ReadAhead, AFileReadWithThreadsToSpareReadsAsWithOne) {
  std::string content = "id,name,email,notes\n";
  for (int i = 0; i < 60000; ++i) {
    content += std::to_string(i) + ",客户" + std::to_string(i) + ",u" + std::to_string(i) +
               "@example.com,\"line one\nline two, \"\"quoted\"\"\"\n";
  }
  TempDir dir;
  const fs::path gzip = dir.WriteGzip("contacts.csv.gz", content);
  const fs::path cut_gzip = dir.WriteGzip("cut.csv.gz", content);
  fs::resize_file(cut_gzip, fs::file_size(cut_gzip) / 3);
  for (const fs::path& file : {dir.Write("contacts.csv", content), gzip, cut_gzip}) {
    SCOPED_TRACE(file.filename().string());
    FileReadOptions one;
    FileReadOptions more = one;
    more.parse_threads = 3;
    more.split_min_bytes = 1 << 20;
    more.split_piece_bytes = 64 << 10;
    RecordingSink expected_sink;
    RecordingSink actual_sink;
    const FileReadOutcome expected = ReadExportFile(file, one, expected_sink);
    const FileReadOutcome actual = ReadExportFile(file, more, actual_sink);
    EXPECT_GT(expected.rows, 1000u);
    EXPECT_EQ(expected.status, actual.status);
    EXPECT_EQ(expected.message, actual.message);
    EXPECT_EQ(expected.rows, actual.rows);
    EXPECT_EQ(expected.bytes, actual.bytes);
    EXPECT_EQ(expected.invalid_bytes, actual.invalid_bytes);
    EXPECT_EQ(expected.encoding, actual.encoding);
    EXPECT_EQ(expected_sink.records, actual_sink.records);
  }
}

}  // namespace
}  // namespace crmaudit
