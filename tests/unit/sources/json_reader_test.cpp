#include "scanner/sources/files/json_reader.h"

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

TEST(JsonReading, ArrayOfRecordsWithNestedKeyPaths) {
  RecordingSink sink;
  FileReadOutcome outcome = ReadText("contacts.json", R"([
    {"id": 1, "contact": {"email": "ann@example.com", "address": {"city": "Paris"}}},
    {"id": 2, "contact": {"email": "bob@example.com"}, "vip": true, "note": null}
  ])",
                                     sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.format, "json");
  EXPECT_EQ(outcome.rows, 2u);
  EXPECT_EQ(sink.Value(0, "contact.email"), "ann@example.com");
  EXPECT_EQ(sink.Value(0, "contact.address.city"), "Paris");
  EXPECT_EQ(sink.Value(1, "id"), "2");
  EXPECT_EQ(sink.Value(1, "vip"), "true");
  EXPECT_EQ(sink.Value(1, "note"), "<none>");  // null carries no value
}

TEST(JsonReading, NumbersKeepTheirSourceText) {
  RecordingSink sink;
  ReadText("n.json", R"([{"card": 4111111111111111, "big": 123456789012345678901234, "f": 1.50}])",
           sink);
  EXPECT_EQ(sink.Value(0, "card"), "4111111111111111");
  EXPECT_EQ(sink.Value(0, "big"), "123456789012345678901234");
  EXPECT_EQ(sink.Value(0, "f"), "1.50");
}

TEST(JsonReading, ArraysOfScalarsAreValuesOfOneColumn) {
  RecordingSink sink;
  ReadText("t.json", R"([{"emails": ["a@x.io", "b@x.io"], "tags": []}])", sink);
  EXPECT_EQ(sink.Values(0, "emails"), (std::vector<std::string>{"a@x.io", "b@x.io"}));
  EXPECT_EQ(sink.columns, (std::vector<std::string>{"emails"}));
}

TEST(JsonReading, ArraysOfObjectsGivePathsThroughTheArray) {
  RecordingSink sink;
  ReadText(
      "p.json",
      R"([{"phones": [{"type": "home", "number": "+1 555 0100"}, {"number": "+1 555 0199"}]}])",
      sink);
  EXPECT_EQ(sink.Values(0, "phones.number"),
            (std::vector<std::string>{"+1 555 0100", "+1 555 0199"}));
  EXPECT_EQ(sink.Value(0, "phones.type"), "home");
}

TEST(JsonReading, ObjectHoldingArraysStreamsEachArrayWithItsNameAsPrefix) {
  RecordingSink sink;
  FileReadOutcome outcome = ReadText("crm.json", R"({
    "exported_at": "2024-05-01",
    "contacts": [{"email": "a@x.io"}, {"email": "b@x.io"}],
    "leads": [{"email": "c@x.io", "owner": {"name": "Dee"}}]
  })",
                                     sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  // 2 contacts + 1 lead + 1 record for the non-array members.
  EXPECT_EQ(outcome.rows, 4u);
  EXPECT_EQ(sink.Value(0, "contacts.email"), "a@x.io");
  EXPECT_EQ(sink.Value(1, "contacts.email"), "b@x.io");
  EXPECT_EQ(sink.Value(2, "leads.email"), "c@x.io");
  EXPECT_EQ(sink.Value(2, "leads.owner.name"), "Dee");
  EXPECT_EQ(sink.Value(3, "exported_at"), "2024-05-01");
  EXPECT_NE(outcome.message.find("records from arrays: contacts, leads"), std::string::npos)
      << outcome.message;
}

TEST(JsonReading, SingleObjectIsOneRecord) {
  RecordingSink sink;
  FileReadOutcome outcome =
      ReadText("one.json", R"({"name": "Ann", "contact": {"email": "ann@x.io"}})", sink);
  EXPECT_EQ(outcome.rows, 1u);
  EXPECT_EQ(sink.Value(0, "contact.email"), "ann@x.io");
}

TEST(JsonReading, KeysThatAreDataDoNotGrowTheColumnTableWithoutBound) {
  // A map keyed by record id: every key path is new.
  std::string content;
  for (int i = 0; i < 12000; ++i) {
    content += "{\"by_id\":{\"c" + std::to_string(i) + "\":{\"email\":\"u@x.io\"}}}\n";
  }
  testing::CountingSink sink;
  TempDir dir;
  FileReadOutcome outcome = ReadExportFile(dir.Write("map.ndjson", content), {}, sink);
  EXPECT_EQ(outcome.rows, 12000u);
  EXPECT_EQ(sink.fields, 12000u);  // every value still delivered
  EXPECT_EQ(sink.columns, 10001u);
  EXPECT_NE(outcome.message.find("2000 values with key paths beyond the first 10000"),
            std::string::npos)
      << outcome.message;
}

TEST(JsonReading, NdjsonOneRecordPerLine) {
  RecordingSink sink;
  FileReadOutcome outcome = ReadText(
      "leads.ndjson", "{\"email\":\"a@x.io\"}\n\n{\"email\":\"b@x.io\",\"n\":{\"k\":1}}\r\n", sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.format, "ndjson");
  EXPECT_EQ(outcome.rows, 2u);
  EXPECT_EQ(sink.Value(1, "n.k"), "1");
}

TEST(JsonReading, JsonLinesInsideADotJsonFileAreDetected) {
  RecordingSink sink;
  FileReadOutcome outcome = ReadText("x.json", "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n", sink);
  EXPECT_EQ(outcome.format, "ndjson");
  EXPECT_EQ(outcome.rows, 3u);
}

TEST(JsonReading, InvalidJsonHalfwayThroughNdjsonSkipsTheLineAndContinues) {
  RecordingSink sink;
  FileReadOutcome outcome =
      ReadText("leads.jsonl",
               "{\"email\":\"a@x.io\"}\n{\"email\":\"b@x.io\"}\n{\"email\": \"secret@x.io\",\n"
               "{\"email\":\"c@x.io\"}\n{\"email\": 12abc}\n",
               sink);
  EXPECT_EQ(outcome.status, ReadStatus::kPartial);
  EXPECT_EQ(outcome.rows, 3u);
  EXPECT_EQ(outcome.malformed_records, 2u);
  EXPECT_EQ(sink.Value(2, "email"), "c@x.io");
  EXPECT_NE(outcome.message.find("line 3: invalid JSON"), std::string::npos) << outcome.message;
  EXPECT_EQ(outcome.message.find("secret"), std::string::npos) << "no data in messages";
  for (const auto& record : sink.records) {
    EXPECT_NE(record.at("email").front(), "secret@x.io") << "an invalid record leaked data";
  }
}

TEST(JsonReading, InvalidJsonInAnArrayStopsWithTheByteOffset) {
  RecordingSink sink;
  std::string content = R"([{"email":"a@x.io"},{"email":"b@x.io" "oops"},{"email":"c@x.io"}])";
  FileReadOutcome outcome = ReadText("bad.json", content, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kPartial);
  EXPECT_EQ(outcome.rows, 1u);
  size_t offset = content.find(",{") + 1;
  EXPECT_NE(outcome.message.find("invalid JSON at byte " + std::to_string(offset)),
            std::string::npos)
      << outcome.message;
}

TEST(JsonReading, TruncatedArrayIsPartial) {
  RecordingSink sink;
  FileReadOutcome outcome = ReadText("cut.json", R"([{"a":"1"},{"a":"2"},{"a":"3)", sink);
  EXPECT_EQ(outcome.status, ReadStatus::kPartial);
  EXPECT_EQ(outcome.rows, 2u);
  EXPECT_NE(outcome.message.find("unexpected end"), std::string::npos) << outcome.message;
}

TEST(JsonReading, ContentSniffingForUnknownExtensions) {
  RecordingSink array_sink;
  EXPECT_EQ(ReadText("export.dat", "  [{\"a\":\"x\"}]", array_sink).format, "json");
  RecordingSink lines_sink;
  EXPECT_EQ(ReadText("export", "{\"a\":\"x\"}\n{\"a\":\"y\"}\n", lines_sink).format, "ndjson");
  EXPECT_EQ(lines_sink.records.size(), 2u);
}

TEST(JsonReading, MaxRowsStopsTheArray) {
  std::string content = "[";
  for (int i = 0; i < 50; ++i)
    content += (i ? "," : "") + std::string("{\"i\":") + std::to_string(i) + "}";
  content += "]";
  RecordingSink sink;
  FileReadOptions options;
  options.max_rows = 5;
  FileReadOutcome outcome = ReadText("many.json", content, sink, options);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.rows, 5u);
  EXPECT_TRUE(outcome.truncated_by_limit);
}

TEST(JsonReader, ElementsSpanningChunkBoundariesAreIdentical) {
  const std::string content =
      R"({"contacts":[{"n":"a\"b\\","x":[1,{"y":"}]"}]},{"n":"東京"}],"meta":{"v":"2"}})";
  for (size_t split = 1; split < content.size(); ++split) {
    RecordingSink sink;
    JsonReader reader(sink, JsonReader::Layout::kDocument, 1 << 20, 0, 0);
    reader.Feed(std::string_view(content).substr(0, split));
    reader.Feed(std::string_view(content).substr(split));
    reader.Finish(true);
    EXPECT_TRUE(reader.error().empty()) << reader.error() << " split at " << split;
    ASSERT_EQ(sink.records.size(), 3u) << "split at " << split;
    EXPECT_EQ(sink.Value(0, "contacts.n"), "a\"b\\") << "split at " << split;
    EXPECT_EQ(sink.Value(0, "contacts.x.y"), "}]") << "split at " << split;
    EXPECT_EQ(sink.Value(1, "contacts.n"), "東京") << "split at " << split;
    EXPECT_EQ(sink.Value(2, "meta.v"), "2") << "split at " << split;
  }
}

TEST(JsonReading, OversizedRecordIsSkippedAndCounted) {
  std::string content = "[{\"a\":\"" + std::string(5000, 'x') + "\"},{\"a\":\"small\"}]";
  RecordingSink sink;
  FileReadOptions options;
  options.max_record_bytes = 1000;
  FileReadOutcome outcome = ReadText("big.json", content, sink, options);
  EXPECT_EQ(outcome.status, ReadStatus::kPartial);
  EXPECT_EQ(outcome.rows, 1u);
  EXPECT_EQ(sink.Value(0, "a"), "small");
  EXPECT_NE(outcome.message.find("longer than max_record_bytes"), std::string::npos);
}

// 100,000 nested objects in 600 KB crashed the recursive flattener (stack overflow): a record
// nested past the limit is skipped and named in the outcome, the other records are read, and
// the whole file takes linear time.
TEST(JsonReading, RecordsNestedBeyondTheLimitAreSkippedAndReported) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "{\"a\":";
  deep += "1";
  for (int i = 0; i < 100000; ++i) deep += "}";
  for (const char* name : {"deep.json", "deep.jsonl"}) {
    const bool lines = std::string(name).ends_with(".jsonl");
    const std::string good = R"({"email": "ann@example.com"})";
    const std::string content = lines ? good + "\n" + deep + "\n" + good + "\n"
                                      : "[" + good + "," + deep + "," + good + "]";
    RecordingSink sink;
    FileReadOutcome outcome = ReadText(name, content, sink);
    EXPECT_EQ(outcome.status, ReadStatus::kPartial) << name;
    EXPECT_EQ(outcome.rows, 2u) << name;
    EXPECT_NE(outcome.message.find("1 record nested deeper than 128 levels skipped"),
              std::string::npos)
        << name << ": " << outcome.message;
    EXPECT_EQ(sink.Value(1, "email"), "ann@example.com") << name;
  }
  // Within the limit, depth is no problem.
  std::string nested;
  for (int i = 0; i < 100; ++i) nested += "{\"k\":";
  nested += "\"x@example.com\"";
  for (int i = 0; i < 100; ++i) nested += "}";
  RecordingSink sink;
  FileReadOutcome outcome = ReadText("ok.json", "[" + nested + "]", sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.rows, 1u);
}

}  // namespace
}  // namespace crmaudit
