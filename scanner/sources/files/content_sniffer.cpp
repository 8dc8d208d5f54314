#include "scanner/sources/files/content_sniffer.h"

#include <algorithm>
#include <cctype>

namespace crmaudit {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

constexpr std::string_view kBinaryMagics[] = {
    std::string_view("\x89PNG\r\n\x1a\n", 8),
    std::string_view("\xFF\xD8\xFF", 3),
    "GIF87a",
    "GIF89a",
    "%PDF-",
    std::string_view("PK\x03\x04", 4),
    std::string_view("PK\x05\x06", 4),
    std::string_view("\x7F"
                     "ELF",
                     4),
    std::string_view("7z\xBC\xAF\x27\x1C", 6),
    std::string_view("\xFD"
                     "7zXZ\x00",
                     6),
    "BZh",
    std::string_view("SQLite format 3\x00", 16),
    std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8),  // OLE2: legacy .xls/.doc
    std::string_view("\x28\xB5\x2F\xFD", 4),                  // zstd
    "PAR1",                                                   // Parquet
};

}  // namespace

bool LooksBinary(std::string_view sample, bool wide_text) {
  for (std::string_view magic : kBinaryMagics) {
    if (StartsWith(sample, magic)) return true;
  }
  if (wide_text) return false;
  std::string_view head = sample.substr(0, 8192);
  size_t control = 0;
  for (char ch : head) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == 0) return true;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++control;
    if (c == 0x7F) ++control;
  }
  return control * 10 > head.size();
}

ExportFormat FormatFromFileName(std::string_view file_name) {
  std::string name(file_name);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view n = name;
  if (EndsWith(n, ".gz")) n.remove_suffix(3);
  if (EndsWith(n, ".csv") || EndsWith(n, ".txt")) return ExportFormat::kDelimited;
  if (EndsWith(n, ".tsv") || EndsWith(n, ".tab")) return ExportFormat::kTsv;
  if (EndsWith(n, ".json")) return ExportFormat::kJson;
  if (EndsWith(n, ".jsonl") || EndsWith(n, ".ndjson")) return ExportFormat::kNdjson;
  return ExportFormat::kUnknown;
}

}  // namespace crmaudit
