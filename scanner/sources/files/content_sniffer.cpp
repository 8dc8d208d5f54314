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

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Formats CRMs export to that no reader exists for yet: skipping one loses data the user may
// have asked for, so it is reported as a gap (exit 3), never as a deliberate skip.
// (Laid out by hand, so that changing the list changes only its lines.)
// clang-format off
constexpr std::string_view kUnsupportedExtensions[] = {
    ".xls",  ".ods",  ".numbers", ".7z",     ".rar",  ".bz2",  ".xz",   ".zst",
    ".parquet", ".avro", ".orc", ".xml",     ".sql",  ".dump", ".mdb",  ".accdb",
    ".dbf",  ".vcf",  ".ldif", ".mbox", ".eml",     ".msg",     ".pst",
};
// clang-format on

// Files that are not data exports: documents, media, logs, code, configuration, keys.
// Encrypted containers (.gpg, .age...) are not listed: their magic bytes are checked, and they
// are reported as encrypted (export_file_facts.h).
constexpr std::string_view kNotExportExtensions[] = {
    ".md",   ".markdown", ".rst",  ".log",   ".pdf",   ".doc",  ".docx", ".ppt",  ".pptx", ".odt",
    ".odp",  ".rtf",      ".html", ".htm",   ".css",   ".js",   ".ts",   ".png",  ".jpg",  ".jpeg",
    ".gif",  ".bmp",      ".svg",  ".webp",  ".tif",   ".tiff", ".ico",  ".heic", ".mp3",  ".mp4",
    ".mov",  ".avi",      ".wav",  ".mkv",   ".exe",   ".dll",  ".so",   ".o",    ".a",    ".bin",
    ".iso",  ".img",      ".pyc",  ".class", ".jar",   ".sh",   ".py",   ".c",    ".h",    ".cc",
    ".cpp",  ".hpp",      ".go",   ".rs",    ".java",  ".rb",   ".pl",   ".php",  ".yml",  ".yaml",
    ".toml", ".ini",      ".conf", ".cfg",   ".lock",  ".pem",  ".pub",  ".key",  ".crt",  ".cer",
    ".sig",  ".ttf",      ".otf",  ".woff",  ".woff2", ".swp",  ".tmp",  ".pid",  ".sock",
};

}  // namespace

std::string ExtensionOf(std::string_view file_name) {
  std::string name = Lower(file_name);
  std::string_view n = name;
  if (EndsWith(n, ".gz") && n.size() > 3) n.remove_suffix(3);
  size_t dot = n.rfind('.');
  // A leading dot marks a hidden file (".profile"), not an extension.
  if (dot == std::string_view::npos || dot == 0) return "";
  return std::string(n.substr(dot));
}

FileNameKind ClassifyFileName(std::string_view file_name) {
  if (FormatFromFileName(file_name) != ExportFormat::kUnknown) return FileNameKind::kExport;
  std::string lower = Lower(file_name);
  if (EndsWith(lower, ".tgz")) return FileNameKind::kArchive;
  std::string extension = ExtensionOf(file_name);
  if (extension.empty()) return FileNameKind::kUnknown;
  for (std::string_view e : {".sqlite", ".sqlite3", ".db", ".db3"}) {
    if (extension == e) return FileNameKind::kDatabase;
  }
  // A gzip-compressed workbook or ZIP is not a thing exporters make; .tar.gz is.
  const bool gzipped = EndsWith(lower, ".gz");
  if ((extension == ".xlsx" || extension == ".xlsm") && !gzipped) return FileNameKind::kWorkbook;
  if ((extension == ".zip" && !gzipped) || extension == ".tar") return FileNameKind::kArchive;
  if (extension == ".xlsx" || extension == ".xlsm" || extension == ".zip") {
    return FileNameKind::kUnsupported;
  }
  for (std::string_view e : kUnsupportedExtensions) {
    if (extension == e) return FileNameKind::kUnsupported;
  }
  for (std::string_view e : kNotExportExtensions) {
    if (extension == e) return FileNameKind::kNotExport;
  }
  return FileNameKind::kUnknown;
}

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
  std::string name = Lower(file_name);
  std::string_view n = name;
  if (EndsWith(n, ".gz")) n.remove_suffix(3);
  if (EndsWith(n, ".csv") || EndsWith(n, ".txt")) return ExportFormat::kDelimited;
  if (EndsWith(n, ".tsv") || EndsWith(n, ".tab")) return ExportFormat::kTsv;
  if (EndsWith(n, ".json")) return ExportFormat::kJson;
  if (EndsWith(n, ".jsonl") || EndsWith(n, ".ndjson")) return ExportFormat::kNdjson;
  return ExportFormat::kUnknown;
}

}  // namespace crmaudit
