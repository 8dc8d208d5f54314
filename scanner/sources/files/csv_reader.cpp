#include "scanner/sources/files/csv_reader.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace crmaudit {

namespace {

constexpr size_t kSniffLines = 20;

}  // namespace

char SniffDelimiter(std::string_view sample, bool* found) {
  constexpr std::array<char, 4> kCandidates = {',', '\t', ';', '|'};
  std::vector<std::array<size_t, 4>> lines;
  std::array<size_t, 4> counts{};
  bool in_quotes = false;
  bool line_has_content = false;
  for (char c : sample) {
    if (c == '"') {
      in_quotes = !in_quotes;
      line_has_content = true;
      continue;
    }
    if (in_quotes) continue;
    if (c == '\n' || c == '\r') {
      if (line_has_content) lines.push_back(counts);
      counts = {};
      line_has_content = false;
      if (lines.size() >= kSniffLines) break;
      continue;
    }
    line_has_content = true;
    for (size_t k = 0; k < kCandidates.size(); ++k) counts[k] += c == kCandidates[k];
  }
  // A last line without its newline counts only if it is all there is.
  if (lines.empty() && line_has_content) lines.push_back(counts);

  size_t best = kCandidates.size();
  size_t best_agreeing = 0;
  size_t best_count = 0;
  for (size_t k = 0; k < kCandidates.size(); ++k) {
    if (lines.empty() || lines[0][k] == 0) continue;
    size_t agreeing = 0;
    for (const auto& line : lines) agreeing += line[k] == lines[0][k];
    if (agreeing > best_agreeing || (agreeing == best_agreeing && lines[0][k] > best_count)) {
      best = k;
      best_agreeing = agreeing;
      best_count = lines[0][k];
    }
  }
  *found = best < kCandidates.size();
  return *found ? kCandidates[best] : ',';
}

CsvReader::CsvReader(RecordSink& sink, char delimiter, uint64_t max_record_bytes, uint64_t max_rows)
    : table_(sink, max_rows), output_(table_), parser_(output_, delimiter, max_record_bytes) {}

void CsvReader::Finish(bool clean) {
  parser_.Finish(clean);
  table_.Finish();
}

}  // namespace crmaudit
