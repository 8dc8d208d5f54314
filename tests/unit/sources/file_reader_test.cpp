// End-to-end behaviour of ReadExportFile on bad and unusual inputs: encodings, gzip, binary
// files, unreadable paths, huge lines. Big inputs are generated in a temp dir at run time.
#include "scanner/sources/files/file_reader.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <functional>

#include <fstream>
#include <iterator>

#include "scanner/sources/files/text_decoder.h"
#include "tests/unit/sources/source_test_support.h"

namespace crmaudit {
namespace {

namespace fs = std::filesystem;
using testing::CountingSink;
using testing::ExpectAsUnprivileged;
using testing::OpenToOthers;
using testing::RecordingSink;
using testing::TempDir;

// GB18030 bytes of "姓名,邮箱,备注\n张三,zhangsan@example.cn,北京市朝阳区\n".
const std::string kGb18030Csv =
    "\xD0\xD5\xC3\xFB,\xD3\xCA\xCF\xE4,\xB1\xB8\xD7\xA2\n"
    "\xD5\xC5\xC8\xFD,zhangsan@example.cn,\xB1\xB1\xBE\xA9\xCA\xD0\xB3\xAF\xD1\xF4\xC7\xF8\n";

std::string Utf16(std::u16string_view text, bool little_endian, bool bom) {
  std::string out;
  if (bom) out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
  for (char16_t u : text) {
    char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
    out += little_endian ? lo : hi;
    out += little_endian ? hi : lo;
  }
  return out;
}

// Resident-memory high-water mark of this process, in bytes (VmHWM).
uint64_t PeakRssBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;
}

// Restarts the high-water mark so a test measures its own peak, whatever ran before it.
void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMemoryIsMeasurable = false;  // shadow memory and quarantine inflate RSS
#else
constexpr bool kMemoryIsMeasurable = true;
#endif

TEST(Encodings, InvalidUtf8IsReplacedAndCounted) {
  TempDir dir;
  RecordingSink sink;
  FileReadOutcome outcome = ReadExportFile(dir.Write("latin.csv",
                                                     "name,city\nAnn,Montr\xE9"
                                                     "al\nBob,ok\xC3\n"),
                                           {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.invalid_bytes, 2u);
  EXPECT_EQ(sink.Value(0, "city"),
            "Montr\xEF\xBF\xBD"
            "al");
  EXPECT_EQ(sink.Value(1, "city"), "ok\xEF\xBF\xBD");
  EXPECT_NE(outcome.message.find("2 invalid UTF-8 bytes replaced"), std::string::npos)
      << outcome.message;
}

TEST(Encodings, Gb18030WithChineseHeadersIsDetectedAndTranscoded) {
  TempDir dir;
  RecordingSink sink;
  FileReadOutcome outcome = ReadExportFile(dir.Write("客户.csv", kGb18030Csv), {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.encoding, "GB18030");
  EXPECT_EQ(outcome.invalid_bytes, 0u);
  EXPECT_EQ(sink.columns, (std::vector<std::string>{"姓名", "邮箱", "备注"}));
  EXPECT_EQ(sink.Value(0, "姓名"), "张三");
  EXPECT_EQ(sink.Value(0, "备注"), "北京市朝阳区");
}

TEST(Encodings, Gb18030AfterAnAsciiOnlySampleIsStillDetected) {
  // The first 64 KB are plain ASCII; the Chinese rows come later.
  std::string content = "name,email,note\n";
  while (content.size() < (100 << 10)) content += "Ann,ann@example.com,ok\n";
  const std::string gb_row(kGb18030Csv.substr(kGb18030Csv.find('\n') + 1));
  for (int i = 0; i < 100; ++i) content += gb_row;
  TempDir dir;
  RecordingSink sink;
  FileReadOutcome outcome = ReadExportFile(dir.Write("late.csv", content), {}, sink);
  EXPECT_EQ(outcome.encoding, "GB18030");
  EXPECT_EQ(outcome.invalid_bytes, 0u);
  ASSERT_GT(sink.records.size(), 100u);
  EXPECT_EQ(sink.Value(sink.records.size() - 1, "name"), "张三");
  EXPECT_EQ(sink.Value(0, "name"), "Ann");
}

TEST(Encodings, ForcedEncodingOverridesDetection) {
  TempDir dir;
  fs::path file = dir.Write("c.csv", kGb18030Csv);
  RecordingSink gbk;
  FileReadOptions options;
  options.forced_encoding = "gbk";
  FileReadOutcome outcome = ReadExportFile(file, options, gbk);
  EXPECT_EQ(outcome.encoding, "GBK");
  EXPECT_EQ(gbk.Value(0, "姓名"), "张三");

  // Forcing UTF-8 on GB18030 bytes: every byte pair is invalid, yet the sink gets UTF-8.
  RecordingSink utf8;
  options.forced_encoding = "UTF-8";
  outcome = ReadExportFile(file, options, utf8);
  EXPECT_EQ(outcome.encoding, "UTF-8");
  EXPECT_GT(outcome.invalid_bytes, 20u);

  RecordingSink none;
  options.forced_encoding = "klingon-8";
  outcome = ReadExportFile(file, options, none);
  EXPECT_EQ(outcome.status, ReadStatus::kUnreadable);
  EXPECT_NE(outcome.message.find("unknown encoding"), std::string::npos);
}

TEST(Encodings, Utf16LittleAndBigEndianWithBom) {
  const std::u16string text = u"姓名,email\r\n张三,z@x.cn\r\n";
  for (bool little : {true, false}) {
    TempDir dir;
    RecordingSink sink;
    FileReadOutcome outcome =
        ReadExportFile(dir.Write("w.csv", Utf16(text, little, true)), {}, sink);
    EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
    EXPECT_EQ(outcome.encoding, little ? "UTF-16LE" : "UTF-16BE");
    EXPECT_EQ(sink.columns, (std::vector<std::string>{"姓名", "email"}));
    EXPECT_EQ(sink.Value(0, "姓名"), "张三");
    EXPECT_EQ(sink.Value(0, "email"), "z@x.cn");
  }
}

TEST(Encodings, Utf16WithoutBomIsRecognisedByItsNulPattern) {
  TempDir dir;
  RecordingSink sink;
  FileReadOutcome outcome = ReadExportFile(
      dir.Write("w.csv", Utf16(u"name,email\nAnn,ann@example.com\n", true, false)), {}, sink);
  EXPECT_EQ(outcome.encoding, "UTF-16LE");
  EXPECT_EQ(sink.Value(0, "email"), "ann@example.com");
}

TEST(Encodings, MultibyteCharactersSurviveEveryBufferBoundary) {
  // Far more than the 64 KB sample and 256 KB chunks, with 2-, 3- and 4-byte characters.
  std::string utf8 = "name,note\n";
  const std::string row = "张三,Zoë 😀 北京\n";
  while (utf8.size() < (1 << 20)) utf8 += row;
  TempDir dir;
  CountingSink counted;
  FileReadOutcome outcome = ReadExportFile(dir.Write("u.csv", utf8), {}, counted);
  EXPECT_EQ(outcome.invalid_bytes, 0u);
  EXPECT_EQ(outcome.rows, counted.records);

  // The same through GB18030 (2- and 4-byte sequences): read back, compare every value.
  std::string gb = kGb18030Csv;
  const std::string gb_row(kGb18030Csv.substr(kGb18030Csv.find('\n') + 1));
  while (gb.size() < (1 << 20) + 7) gb += gb_row;
  RecordingSink sink;
  outcome = ReadExportFile(dir.Write("g.csv", gb), {}, sink);
  EXPECT_EQ(outcome.encoding, "GB18030");
  EXPECT_EQ(outcome.invalid_bytes, 0u);
  ASSERT_GT(sink.records.size(), 10000u);
  for (size_t i = 0; i < sink.records.size(); ++i) {
    ASSERT_EQ(sink.Value(i, "备注"), "北京市朝阳区") << "row " << i;
  }
}

TEST(Encodings, DecoderHoldsBackCharactersCutByAChunk) {
  TextDecoder decoder(DetectEncoding("x", true));
  std::string out;
  decoder.Decode("caf\xC3", false, &out);
  EXPECT_EQ(out, "caf");
  decoder.Decode("\xA9 \xF0\x9F", false, &out);
  decoder.Decode("\x98", false, &out);
  decoder.Decode("\x80!", false, &out);
  decoder.Decode("\xE4\xB8", true, &out);  // cut at the very end: repaired
  EXPECT_EQ(out, "café 😀!\xEF\xBF\xBD");
  EXPECT_EQ(decoder.invalid_bytes(), 2u);
}

TEST(Gzip, CompressedCsvIsStreamed) {
  TempDir dir;
  RecordingSink sink;
  FileReadOutcome outcome =
      ReadExportFile(dir.WriteGzip("contacts.csv.gz", "name;email\nAnn;a@x.io\n"), {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.format, "csv+gzip");
  EXPECT_EQ(outcome.delimiter, ';');
  EXPECT_EQ(sink.Value(0, "email"), "a@x.io");
}

TEST(Gzip, MagicBytesWinOverTheName) {
  TempDir dir;
  RecordingSink sink;
  FileReadOutcome outcome =
      ReadExportFile(dir.WriteGzip("leads.jsonl", "{\"email\":\"a@x.io\"}\n"), {}, sink);
  EXPECT_EQ(outcome.format, "ndjson+gzip");
  EXPECT_EQ(sink.Value(0, "email"), "a@x.io");
}

TEST(Gzip, TruncatedStreamIsPartialAndKeepsRecordsBeforeTheCut) {
  std::string content = "id,email\n";
  for (int i = 0; i < 200000; ++i) {
    content += std::to_string(i) + ",user" + std::to_string(i * 7919 % 100003) + "@example.com\n";
  }
  TempDir dir;
  fs::path file = dir.WriteGzip("big.csv.gz", content);
  uint64_t full_size = fs::file_size(file);
  fs::resize_file(file, full_size / 2);

  CountingSink sink;
  FileReadOutcome outcome = ReadExportFile(file, {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kPartial);
  EXPECT_GT(outcome.rows, 1000u);
  EXPECT_LT(outcome.rows, 200000u);
  EXPECT_EQ(outcome.rows, sink.records);
  // Every delivered record is whole: two cells each, none half-cut at the break.
  EXPECT_EQ(sink.fields, 2 * sink.records);
  EXPECT_EQ(outcome.message.find("big.csv.gz"), std::string::npos) << "named twice";
  EXPECT_NE(outcome.message.find("truncated gzip stream after " + std::to_string(full_size / 2) +
                                 " bytes"),
            std::string::npos)
      << outcome.message;
  EXPECT_EQ(outcome.bytes, full_size / 2);
}

TEST(Gzip, ConcatenatedMembersAreOneStream) {
  TempDir dir;
  fs::path a = dir.WriteGzip("a.gz", "name,email\nAnn,a@x.io\n");
  fs::path b = dir.WriteGzip("b.gz", "Bob,b@x.io\n");
  std::ifstream in_a(a, std::ios::binary), in_b(b, std::ios::binary);
  std::string both((std::istreambuf_iterator<char>(in_a)), std::istreambuf_iterator<char>());
  both.append((std::istreambuf_iterator<char>(in_b)), std::istreambuf_iterator<char>());
  RecordingSink sink;
  FileReadOutcome outcome = ReadExportFile(dir.Write("both.csv.gz", both), {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.rows, 2u);
  EXPECT_EQ(sink.Value(1, "email"), "b@x.io");
}

TEST(Gzip, CorruptStreamIsPartialWithItsPosition) {
  std::string content = "id,email\n";
  for (int i = 0; i < 50000; ++i)
    content += std::to_string(i) + ",u" + std::to_string(i) + "@x.io\n";
  TempDir dir;
  fs::path file = dir.WriteGzip("c.csv.gz", content);
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i)
    bytes[i] = static_cast<char>(0xFF);
  CountingSink sink;
  FileReadOutcome outcome = ReadExportFile(dir.Write("c.csv.gz", bytes), {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kPartial);
  EXPECT_GT(outcome.rows, 0u);
  EXPECT_NE(outcome.message.find("corrupt gzip stream at byte"), std::string::npos)
      << outcome.message;
}

TEST(Gzip, EmptyCompressedFileIsEmpty) {
  TempDir dir;
  RecordingSink sink;
  EXPECT_EQ(ReadExportFile(dir.WriteGzip("e.csv.gz", ""), {}, sink).status, ReadStatus::kEmpty);
}

TEST(BadInput, BinaryFilesNamedCsvAreUnreadable) {
  TempDir dir;
  const std::string inputs[] = {
      std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16),
      std::string("PK\x03\x04\x14\0\0\0", 8),
      std::string("\x7F"
                  "ELF\x02\x01\x01",
                  7),
      std::string("name,email\nAnn,\0\0\0\x01\x02", 20),
  };
  for (const std::string& bytes : inputs) {
    RecordingSink sink;
    FileReadOutcome outcome = ReadExportFile(dir.Write("data.csv", bytes), {}, sink);
    EXPECT_EQ(outcome.status, ReadStatus::kUnreadable);
    EXPECT_NE(outcome.message.find("binary content, not a text export"), std::string::npos)
        << outcome.message;
    EXPECT_TRUE(sink.records.empty());
  }
}

TEST(BadInput, EmptyFileIsEmpty) {
  TempDir dir;
  RecordingSink sink;
  FileReadOutcome outcome = ReadExportFile(dir.Write("empty.csv", ""), {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kEmpty);
  EXPECT_EQ(outcome.rows, 0u);
  EXPECT_EQ(outcome.bytes, 0u);
}

TEST(BadInput, MissingPathIsUnreadableNotFound) {
  TempDir dir;
  RecordingSink sink;
  FileReadOutcome outcome = ReadExportFile(dir.path() / "no-such-dir" / "a.csv", {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kUnreadable);
  EXPECT_EQ(outcome.message, "not found");
}

TEST(BadInput, DirectoryAndFifoAreUnreadableWithoutHanging) {
  TempDir dir;
  fs::create_directory(dir.path() / "dir.csv");
  ASSERT_EQ(mkfifo((dir.path() / "pipe.csv").c_str(), 0600), 0);
  RecordingSink sink;
  FileReadOutcome outcome = ReadExportFile(dir.path() / "dir.csv", {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kUnreadable);
  EXPECT_NE(outcome.message.find("is a directory"), std::string::npos) << outcome.message;
  outcome = ReadExportFile(dir.path() / "pipe.csv", {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kUnreadable);
  EXPECT_NE(outcome.message.find("not a regular file"), std::string::npos) << outcome.message;
}

TEST(BadInput, FileWithoutReadPermissionIsPermissionDenied) {
  TempDir dir;
  OpenToOthers(dir.path());
  fs::path file = dir.Write("locked.csv", "a\n1\n");
  fs::permissions(file, fs::perms::none);
  ExpectAsUnprivileged([&] {
    RecordingSink sink;
    FileReadOutcome outcome = ReadExportFile(file, {}, sink);
    return outcome.status == ReadStatus::kUnreadable && outcome.message == "permission denied";
  });
}

TEST(BadInput, UnknownExtensionNeedsRecognisableContent) {
  TempDir dir;
  RecordingSink sink;
  FileReadOutcome prose =
      ReadExportFile(dir.Write("README", "just some words\nno table\n"), {}, sink);
  EXPECT_EQ(prose.status, ReadStatus::kNotExport) << prose.message;
  FileReadOutcome table = ReadExportFile(dir.Write("dump.out", "a|b\n1|2\n"), {}, sink);
  EXPECT_EQ(table.status, ReadStatus::kComplete);
  EXPECT_EQ(table.delimiter, '|');
  FileReadOutcome binary =
      ReadExportFile(dir.Write("blob.bin", std::string("\x01\x02\x03\x00\x05", 5)), {}, sink);
  EXPECT_EQ(binary.status, ReadStatus::kNotExport) << binary.message;
}

void WriteLongLine(const fs::path& file, const std::string& prefix, size_t bytes) {
  std::ofstream out(file, std::ios::binary);
  out << prefix;
  std::string block(1 << 20, 'a');
  for (size_t i = 0; i + 4 < block.size(); i += 97) block.replace(i, 3, "é");  // multibyte
  for (size_t written = 0; written < bytes; written += block.size()) out << block;
}

TEST(BadInput, FiftyMegabyteLineIsCutAtMaxRecordBytes) {
  TempDir dir;
  fs::path file = dir.path() / "huge.csv";
  WriteLongLine(file, "id,notes\n1,", 50u << 20);
  FileReadOptions options;
  options.max_record_bytes = 1 << 20;
  CountingSink sink;
  ResetPeakRss();
  uint64_t before = PeakRssBytes();
  FileReadOutcome outcome = ReadExportFile(file, options, sink);
  uint64_t peak_growth = PeakRssBytes() - before;
  EXPECT_EQ(outcome.status, ReadStatus::kPartial);
  EXPECT_EQ(outcome.rows, 1u);
  EXPECT_LE(sink.value_bytes, options.max_record_bytes);
  EXPECT_GT(sink.longest_value, (1u << 20) - 16);
  EXPECT_NE(outcome.message.find("1 record cut (over max_record_bytes"), std::string::npos)
      << outcome.message;
  EXPECT_EQ(outcome.invalid_bytes, 0u);  // cut on a character boundary
  EXPECT_GE(outcome.bytes, 50u << 20);
  // The line was never held whole: memory grew by a few buffers, not by the line's size.
  if (kMemoryIsMeasurable) {
    EXPECT_LT(peak_growth, 16u << 20);
  }
}

TEST(BadInput, FiftyMegabyteSingleLineWithoutNewlineDoesNotCrash) {
  TempDir dir;
  fs::path file = dir.path() / "one-line.txt";
  WriteLongLine(file, "", 50u << 20);
  FileReadOptions options;
  options.max_record_bytes = 1 << 20;
  CountingSink sink;
  ResetPeakRss();
  uint64_t before = PeakRssBytes();
  FileReadOutcome outcome = ReadExportFile(file, options, sink);
  uint64_t peak_growth = PeakRssBytes() - before;
  // The line is the header, so no records; the cut is still reported.
  EXPECT_EQ(outcome.rows, 0u);
  EXPECT_EQ(outcome.status, ReadStatus::kPartial);
  EXPECT_NE(outcome.message.find("1 record cut (over max_record_bytes"), std::string::npos);
  if (kMemoryIsMeasurable) {
    EXPECT_LT(peak_growth, 16u << 20);
  }
}

TEST(BadInput, FiftyMegabyteNdjsonLineIsSkipped) {
  TempDir dir;
  fs::path file = dir.path() / "huge.ndjson";
  {
    std::ofstream out(file, std::ios::binary);
    out << "{\"a\":\"1\"}\n{\"b\":\"";
    const std::string block(1 << 20, 'x');
    for (int i = 0; i < 50; ++i) out << block;
    out << "\"}\n{\"a\":\"3\"}\n";
  }
  FileReadOptions options;
  options.max_record_bytes = 1 << 20;
  RecordingSink sink;
  FileReadOutcome outcome = ReadExportFile(file, options, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kPartial);
  EXPECT_EQ(outcome.rows, 2u);
  EXPECT_EQ(sink.Value(1, "a"), "3");
}

// A sink that changes the file under the reader once the first record arrives.
class ChangingFileSink : public RecordingSink {
 public:
  ChangingFileSink(std::filesystem::path file,
                   std::function<void(const std::filesystem::path&)> change)
      : file_(std::move(file)), change_(std::move(change)) {}
  void EndRecord() override {
    RecordingSink::EndRecord();
    if (!changed_) {
      changed_ = true;
      change_(file_);
    }
  }

 private:
  std::filesystem::path file_;
  std::function<void(const std::filesystem::path&)> change_;
  bool changed_ = false;
};

std::string ManyContacts(int rows) {
  std::string csv = "id,email\n";
  for (int i = 0; i < rows; ++i)
    csv += std::to_string(i) + ",person" + std::to_string(i) + "@example.com\n";
  return csv;
}

// A file still being written never let the scan finish; now the read stops at the size the
// file had when opened, and the coverage says it grew (partial, exit 3).
TEST(FileReading, AFileThatGrowsWhileReadIsReadToItsSizeAtOpenAndReportedPartial) {
  TempDir dir;
  auto file = dir.Write("growing.csv", ManyContacts(40000));  // > one 256 KiB read
  ChangingFileSink sink(file, [](const std::filesystem::path& path) {
    std::ofstream(path, std::ios::app) << ManyContacts(100000);
  });
  FileReadOutcome outcome = ReadExportFile(file, {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kPartial) << outcome.message;
  EXPECT_NE(outcome.message.find("the file grew while it was read"), std::string::npos)
      << outcome.message;
  EXPECT_EQ(outcome.rows, 40000u);  // what the file held when opened, not what was appended
}

// A file cut shorter during the read gave `complete: true` at 21 % of its rows.
TEST(FileReading, AFileTruncatedWhileReadIsReportedPartial) {
  TempDir dir;
  auto file = dir.Write("shrinking.csv", ManyContacts(40000));  // > one 256 KiB read
  ChangingFileSink sink(
      file, [](const std::filesystem::path& path) { std::filesystem::resize_file(path, 300000); });
  FileReadOutcome outcome = ReadExportFile(file, {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kPartial) << outcome.message;
  EXPECT_NE(outcome.message.find("the file was truncated while it was read"), std::string::npos)
      << outcome.message;
  EXPECT_LT(outcome.rows, 40000u);
}

}  // namespace
}  // namespace crmaudit
