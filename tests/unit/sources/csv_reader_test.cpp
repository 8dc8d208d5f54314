#include "scanner/sources/files/csv_reader.h"

#include <gtest/gtest.h>

#include "scanner/sources/files/file_reader.h"
#include "tests/unit/sources/source_test_support.h"

namespace crmaudit {
namespace {

using testing::RecordingSink;
using testing::TempDir;

FileReadOutcome ReadText(const std::string& name, std::string_view content, RecordingSink& sink,
                         FileReadOptions options = {}) {
  TempDir dir;
  return ReadExportFile(dir.Write(name, content), options, sink);
}

TEST(CsvReading, HeaderNamesColumnsAndRowsBecomeRecords) {
  RecordingSink sink;
  FileReadOutcome outcome =
      ReadText("contacts.csv", "name,email\nAnn,ann@example.com\nBob,bob@example.com\n", sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.format, "csv");
  EXPECT_EQ(outcome.encoding, "UTF-8");
  EXPECT_EQ(outcome.delimiter, ',');
  EXPECT_EQ(outcome.rows, 2u);
  EXPECT_EQ(sink.columns, (std::vector<std::string>{"name", "email"}));
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.Value(1, "email"), "bob@example.com");
  EXPECT_TRUE(outcome.message.empty()) << outcome.message;
}

TEST(CsvReading, QuotedFieldsKeepDelimitersDoubledQuotesAndNewlines) {
  RecordingSink sink;
  FileReadOutcome outcome = ReadText(
      "notes.csv", "id,note\n1,\"Main St, Apt 4\"\n2,\"she said \"\"hi\"\"\"\n3,\"line1\nline2\"\n",
      sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  ASSERT_EQ(sink.records.size(), 3u);
  EXPECT_EQ(sink.Value(0, "note"), "Main St, Apt 4");
  EXPECT_EQ(sink.Value(1, "note"), "she said \"hi\"");
  EXPECT_EQ(sink.Value(2, "note"), "line1\nline2");
  EXPECT_EQ(outcome.ragged_rows, 0u);
}

TEST(CsvReading, CrlfLineEndsAreNotPartOfValues) {
  RecordingSink sink;
  FileReadOutcome outcome =
      ReadText("crlf.csv", "name,phone\r\nAnn,\"+1 555\r\n0100\"\r\nBob,+44 20\r\n", sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(sink.columns, (std::vector<std::string>{"name", "phone"}));
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.Value(0, "phone"), "+1 555\r\n0100");
  EXPECT_EQ(sink.Value(1, "phone"), "+44 20");
}

TEST(CsvReading, Utf8BomIsStrippedFromFirstHeader) {
  RecordingSink sink;
  FileReadOutcome outcome = ReadText("bom.csv", "\xEF\xBB\xBFname,email\nAnn,a@b.co\n", sink);
  EXPECT_EQ(outcome.encoding, "UTF-8-BOM");
  EXPECT_EQ(sink.columns, (std::vector<std::string>{"name", "email"}));
  EXPECT_EQ(sink.Value(0, "name"), "Ann");
}

struct DelimiterCase {
  char delimiter;
  const char* file_name;
  const char* format;
};

class DelimiterSniffing : public ::testing::TestWithParam<DelimiterCase> {};

TEST_P(DelimiterSniffing, PicksTheDelimiterThatSplitsEveryLineAlike) {
  const DelimiterCase& c = GetParam();
  std::string d(1, c.delimiter);
  // Commas inside quotes and inside free text must not win over the real delimiter.
  std::string content = "name" + d + "address" + d + "email\n" + "Ann" + d +
                        "\"1, Main St, Springfield\"" + d + "ann@example.com\n" + "Bob" + d +
                        "\"2, High St\"" + d + "bob@example.com\n";
  RecordingSink sink;
  FileReadOutcome outcome = ReadText(c.file_name, content, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.delimiter, c.delimiter);
  EXPECT_EQ(outcome.format, c.format);
  EXPECT_EQ(sink.columns, (std::vector<std::string>{"name", "address", "email"}));
  EXPECT_EQ(sink.Value(0, "address"), "1, Main St, Springfield");
  EXPECT_EQ(sink.Value(1, "email"), "bob@example.com");
}

INSTANTIATE_TEST_SUITE_P(FourDelimiters, DelimiterSniffing,
                         ::testing::Values(DelimiterCase{',', "c.csv", "csv"},
                                           DelimiterCase{';', "s.csv", "csv"},
                                           DelimiterCase{'\t', "t.txt", "tsv"},
                                           DelimiterCase{'|', "p.csv", "csv"}),
                         [](const auto& info) {
                           switch (info.param.delimiter) {
                             case ',':
                               return std::string("comma");
                             case ';':
                               return std::string("semicolon");
                             case '\t':
                               return std::string("tab");
                             default:
                               return std::string("pipe");
                           }
                         });

TEST(CsvReading, SniffDelimiterIgnoresQuotedSections) {
  bool found = false;
  EXPECT_EQ(SniffDelimiter("a;b\n\"x,y,z\";2\n\"p,q\";3\n", &found), ';');
  EXPECT_TRUE(found);
  EXPECT_EQ(SniffDelimiter("justonecolumn\nvalue\n", &found), ',');
  EXPECT_FALSE(found);
}

TEST(CsvReading, BlankAndDuplicateHeaderNamesGetStableNames) {
  RecordingSink sink;
  ReadText("h.csv", "email,,email,name,\na@x.io,2,b@x.io,Ann,5\n", sink);
  EXPECT_EQ(sink.columns,
            (std::vector<std::string>{"email", "column_2", "email_2", "name", "column_5"}));
  EXPECT_EQ(sink.Value(0, "email_2"), "b@x.io");
  EXPECT_EQ(sink.Value(0, "column_5"), "5");
}

// A name already taken by a column of its own ("email_2") is skipped, and so is every suffix
// taken before; a header of thousands of copies of one name is named in linear time (a fuzz
// input of 16,384 copies took 27 s: tests/fuzz/regressions/reader).
TEST(CsvReading, RepeatedHeaderNamesTakeTheNextFreeSuffix) {
  RecordingSink sink;
  ReadText("h.csv", "email,email_2,email,email,email_3x,email\n1,2,3,4,5,6\n", sink);
  EXPECT_EQ(sink.columns, (std::vector<std::string>{"email", "email_2", "email_3", "email_4",
                                                    "email_3x", "email_5"}));
  std::string header;
  std::string row;
  for (int i = 0; i < 5000; ++i) {
    header += i == 0 ? "id" : ",id";
    row += i == 0 ? "0" : ",0";
  }
  RecordingSink wide;
  ReadText("w.csv", header + "\n" + row + "\n", wide);
  ASSERT_EQ(wide.columns.size(), 5000u);
  EXPECT_EQ(wide.columns[1], "id_2");
  EXPECT_EQ(wide.columns[4999], "id_5000");
}

TEST(CsvReading, RaggedRowsAreCountedAndStillRead) {
  RecordingSink sink;
  FileReadOutcome outcome =
      ReadText("r.csv", "name,email\nAnn\nBob,bob@x.io,extra1,extra2\nCid,cid@x.io\n", sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete);
  EXPECT_EQ(outcome.rows, 3u);
  EXPECT_EQ(outcome.ragged_rows, 2u);
  EXPECT_EQ(sink.Value(0, "name"), "Ann");
  EXPECT_EQ(sink.Value(1, "column_3"), "extra1");
  EXPECT_EQ(sink.Value(1, "column_4"), "extra2");
  EXPECT_NE(outcome.message.find("2 ragged rows"), std::string::npos) << outcome.message;
}

TEST(CsvReading, UnbalancedQuoteAtEndIsPartialNamingTheLine) {
  RecordingSink sink;
  FileReadOutcome outcome =
      ReadText("broken.csv",
               "name,note\nAnn,ok\nBob,fine\nCid,\"private remark\nmore text\nand more\n", sink);
  EXPECT_EQ(outcome.status, ReadStatus::kPartial);
  EXPECT_EQ(outcome.rows, 2u);
  EXPECT_EQ(sink.records.size(), 2u);
  // The caller names the dataset; the reason does not repeat it.
  EXPECT_EQ(outcome.message.find("broken.csv"), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("line 4"), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("unbalanced quote"), std::string::npos) << outcome.message;
  // The message never carries the data.
  EXPECT_EQ(outcome.message.find("private remark"), std::string::npos);
}

TEST(CsvReading, ALineOfMillionsOfEmptyCellsIsBounded) {
  std::string content = "a,b\n1," + std::string(3u << 20, ',') + "\n2,x\n";
  RecordingSink sink;
  FileReadOutcome outcome = ReadText("commas.csv", content, sink);
  EXPECT_EQ(outcome.rows, 2u);
  EXPECT_LE(sink.columns.size(), 16384u);
  EXPECT_EQ(sink.Value(1, "b"), "x");
  EXPECT_NE(outcome.message.find("1 record cut (over max_record_bytes"), std::string::npos)
      << outcome.message;
}

TEST(CsvReading, HeaderOnlyFileIsEmpty) {
  RecordingSink sink;
  FileReadOutcome outcome = ReadText("h.csv", "name,email\n", sink);
  EXPECT_EQ(outcome.status, ReadStatus::kEmpty);
  EXPECT_EQ(sink.columns.size(), 2u);
}

TEST(CsvReading, BlankLinesAreSkippedAndLastLineNeedsNoNewline) {
  RecordingSink sink;
  FileReadOutcome outcome = ReadText("b.csv", "name\n\nAnn\n\nBob", sink);
  EXPECT_EQ(outcome.rows, 2u);
  EXPECT_EQ(sink.Value(1, "name"), "Bob");
  EXPECT_EQ(outcome.ragged_rows, 0u);
}

TEST(CsvReader, RecordsSpanningChunkBoundariesAreIdentical) {
  const std::string content =
      "name,note,city\r\nAnn,\"a \"\"quoted\"\", multi\r\nline\",Zürich\r\nBob,plain,東京\r\n";
  for (size_t split = 1; split < content.size(); ++split) {
    RecordingSink sink;
    CsvReader reader(sink, ',', 1 << 20, 0);
    reader.Feed(std::string_view(content).substr(0, split));
    reader.Feed(std::string_view(content).substr(split));
    reader.Finish(true);
    ASSERT_EQ(sink.records.size(), 2u) << "split at " << split;
    EXPECT_EQ(sink.Value(0, "note"), "a \"quoted\", multi\r\nline") << "split at " << split;
    EXPECT_EQ(sink.Value(1, "city"), "東京") << "split at " << split;
  }
}

TEST(CsvReading, MaxRowsStopsAndMarksTheSample) {
  std::string content = "id,email\n";
  for (int i = 0; i < 100; ++i) content += std::to_string(i) + ",u" + std::to_string(i) + "@x.io\n";
  RecordingSink sink;
  FileReadOptions options;
  options.max_rows = 10;
  FileReadOutcome outcome = ReadText("many.csv", content, sink, options);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete);
  EXPECT_EQ(outcome.rows, 10u);
  EXPECT_EQ(sink.records.size(), 10u);
  EXPECT_TRUE(outcome.truncated_by_limit);

  RecordingSink exact;
  options.max_rows = 100;
  FileReadOutcome all = ReadText("many.csv", content, exact, options);
  EXPECT_EQ(all.rows, 100u);
  EXPECT_FALSE(all.truncated_by_limit);
}

// A sink that judges every first record to be data, and remembers what it was offered.
class HeaderlessSink : public testing::RecordingSink {
 public:
  bool IsHeaderRow(std::span<const std::string_view> first,
                   std::span<const std::vector<std::string_view>> following) override {
    offered_first.assign(first.begin(), first.end());
    offered_following = following.size();
    return false;
  }
  std::vector<std::string> offered_first;
  size_t offered_following = 0;
};

TEST(CsvReading, AFirstRecordJudgedDataIsTheFirstRowAndColumnsAreNumbered) {
  HeaderlessSink sink;
  FileReadOutcome outcome =
      ReadText("noheader.csv", "Ann,ann@example.com\nBob,bob@example.com\n", sink);
  EXPECT_EQ(outcome.rows, 2u);
  EXPECT_EQ(sink.offered_first, (std::vector<std::string>{"Ann", "ann@example.com"}));
  EXPECT_EQ(sink.offered_following, 1u);
  EXPECT_EQ(sink.columns, (std::vector<std::string>{"column_1", "column_2"}));
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.Value(0, "column_2"), "ann@example.com");
  ASSERT_TRUE(outcome.data_line_offset.has_value());
  EXPECT_EQ(*outcome.data_line_offset, 0u);  // row 1 is line 1
}

TEST(CsvReading, RowsKnowTheirLinesUntilAQuotedLineBreak) {
  testing::RecordingSink sink;
  FileReadOutcome plain = ReadText("a.csv", "id,email\n1,a@example.com\n2,b@example.com\n", sink);
  ASSERT_TRUE(plain.data_line_offset.has_value());
  EXPECT_EQ(*plain.data_line_offset, 1u);  // the header is line 1, row 1 is line 2
  testing::RecordingSink shifted_sink;
  FileReadOutcome shifted = ReadText("b.csv", "id,note\n1,\"two\nlines\"\n2,x\n", shifted_sink);
  EXPECT_FALSE(shifted.data_line_offset.has_value());
}

TEST(CsvReading, MaxRowsHoldsWhileTheHeaderIsJudged) {
  HeaderlessSink sink;
  FileReadOptions options;
  options.max_rows = 2;
  FileReadOutcome outcome = ReadText("n.csv", "1,a\n2,b\n3,c\n4,d\n", sink, options);
  EXPECT_EQ(outcome.rows, 2u);
  EXPECT_TRUE(outcome.truncated_by_limit);
}

TEST(CsvReading, TrailingBlankLinesKeepTheRowsLines) {
  testing::RecordingSink sink;
  FileReadOutcome outcome = ReadText("t.csv", "id,email\n1,a@example.com\n\n\n", sink);
  ASSERT_TRUE(outcome.data_line_offset.has_value());
  EXPECT_EQ(*outcome.data_line_offset, 1u);
  testing::RecordingSink gap_sink;
  FileReadOutcome gap =
      ReadText("g.csv", "id,email\n1,a@example.com\n\n2,b@example.com\n", gap_sink);
  EXPECT_FALSE(gap.data_line_offset.has_value());
}

}  // namespace
}  // namespace crmaudit
