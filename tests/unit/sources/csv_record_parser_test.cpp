// CsvRecordParser against a byte-at-a-time reference of the same rules: the fast paths (runs
// found eight bytes at a time, plain lines sixteen bytes at a time) must not change a record, a
// cell or a line number, wherever the special bytes fall in a word or a line and however the
// text is fed.
#include "scanner/sources/files/csv_record_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace crmaudit {
namespace {

// Records as one text: "line: cell|cell|\n" each, then the open quote's line.
class Transcript final : public CsvRecordParser::Output {
 public:
  void Record(std::string_view cells, std::span<const size_t> ends, uint64_t line) override {
    text += std::to_string(line) + ":";
    size_t start = 0;
    for (size_t end : ends) {
      text += std::string(cells.substr(start, end - start)) + "|";
      start = end;
    }
    text += "\n";
  }
  std::string text;
};

// The rules of csv_record_parser.h, one byte at a time and nothing clever.
std::string Reference(std::string_view input, char delimiter) {
  std::string out;
  enum { kRecordStart, kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted } state = kRecordStart;
  std::vector<std::string> cells;
  std::string cell;
  bool any_content = false;
  bool skip_lf = false;
  uint64_t line = 1;
  uint64_t record_line = 1;
  uint64_t quote_line = 0;
  auto end_record = [&] {
    cells.push_back(cell);
    if (any_content || cells.size() > 1) {
      out += std::to_string(record_line) + ":";
      for (const std::string& c : cells) out += c + "|";
      out += "\n";
    }
    cells.clear();
    cell.clear();
    any_content = false;
    state = kRecordStart;
  };
  for (size_t i = 0; i < input.size(); ++i) {
    const char c = input[i];
    if (skip_lf) {
      skip_lf = false;
      if (c == '\n') continue;
    }
    if (state == kRecordStart) {
      record_line = line;
      state = kFieldStart;
    }
    if (state == kFieldStart) {
      if (c == '"') {
        quote_line = line;
        any_content = true;
        state = kQuoted;
        continue;
      }
      state = kUnquoted;
    }
    if (state == kQuoteInQuoted) {
      if (c == '"') {
        cell += '"';
        state = kQuoted;
        continue;
      }
      state = kUnquoted;
    }
    if (state == kQuoted) {
      if (c == '"') {
        state = kQuoteInQuoted;
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    // kUnquoted
    if (c == delimiter) {
      cells.push_back(cell);
      cell.clear();
      state = kFieldStart;
    } else if (c == '\n' || c == '\r') {
      ++line;
      skip_lf = c == '\r';
      end_record();
    } else {
      cell += c;
      any_content = true;
    }
  }
  if (state == kQuoted) {
    out += "open quote " + std::to_string(quote_line);
  } else if (state != kRecordStart) {
    end_record();
  }
  return out;
}

// Fed in chunks of 1 to `max_chunk` bytes: short chunks cut most lines (the state machine reads
// them), long ones hand whole lines to the plain-line path.
std::string Parse(std::string_view input, char delimiter, std::mt19937& random,
                  size_t max_chunk = 40) {
  Transcript transcript;
  CsvRecordParser parser(transcript, delimiter, 1 << 20);
  size_t at = 0;
  while (at < input.size()) {
    const size_t take = std::min(input.size() - at, static_cast<size_t>(1 + random() % max_chunk));
    parser.Feed(input.substr(at, take));
    at += take;
  }
  parser.Finish(true);
  if (parser.unbalanced_quote_line() != 0) {
    transcript.text += "open quote " + std::to_string(parser.unbalanced_quote_line());
  }
  return transcript.text;
}

TEST(CsvRecordParsing, AgreesWithTheByteByByteRulesOnRandomText) {
  std::mt19937 random(4180);
  for (char delimiter : {',', ';', '\t', '|'}) {
    // Long runs of plain bytes (the fast path) broken by every special byte, and bytes one bit
    // away from them, at every position within an eight-byte word.
    const std::string alphabet = std::string("abcdefgh\xAC\xBB,;\t|\"\"\n\n\r") + '\x0c' + '\x02';
    for (int round = 0; round < 300; ++round) {
      std::string text;
      const size_t length = random() % 600;
      while (text.size() < length) {
        if (random() % 3 == 0) {
          text += std::string(random() % 20, static_cast<char>('k' + random() % 10));
        } else {
          text += alphabet[random() % alphabet.size()];
        }
      }
      ASSERT_EQ(Parse(text, delimiter, random), Reference(text, delimiter))
          << "delimiter " << static_cast<int>(delimiter) << ", round " << round;
      ASSERT_EQ(Parse(text, delimiter, random, 4096), Reference(text, delimiter))
          << "delimiter " << static_cast<int>(delimiter) << ", round " << round << ", long chunks";
    }
  }
}

// Export-like lines, most of them plain (the plain-line path), some with a quoted cell, a stray
// quote, a CR line end or an empty cell anywhere in the line, fed whole and in pieces.
TEST(CsvRecordParsing, PlainLinesAgreeWithTheByteByByteRules) {
  std::mt19937 random(4180 + 1);
  const std::vector<std::string> cells = {"",
                                          "Anna",
                                          "user.x1@example.com",
                                          "12.50",
                                          "+1 202 555 0100",
                                          "\"Smith, J\"",
                                          "a\"b",
                                          "\"two\nlines\"",
                                          "张伟",
                                          "5c90a958-4cbd-43f9-acb5-b2f12e05319a"};
  for (int round = 0; round < 400; ++round) {
    std::string text;
    const size_t lines = random() % 40;
    for (size_t line = 0; line < lines; ++line) {
      const size_t count = 1 + random() % 25;
      for (size_t cell = 0; cell < count; ++cell) {
        if (cell > 0) text += ',';
        // Mostly plain cells; now and then one the state machine must read.
        const size_t pick = random() % 8 == 0 ? random() % cells.size() : random() % 5;
        text += cells[pick == 5 && random() % 2 == 0 ? 0 : pick];
      }
      const unsigned ending = random() % 20;
      text += ending == 0 ? "\r\n" : ending == 1 ? "\r" : ending == 2 ? "\n\n" : "\n";
    }
    if (random() % 4 == 0 && !text.empty()) text.pop_back();  // no line break at the end
    for (size_t max_chunk : {size_t{7}, size_t{64}, size_t{1000}, size_t{1} << 20}) {
      ASSERT_EQ(Parse(text, ',', random, max_chunk), Reference(text, ','))
          << "round " << round << ", chunks up to " << max_chunk;
    }
  }
}

}  // namespace
}  // namespace crmaudit
