// Content sniffing for export files: is this text at all, and which export format is it?
//
// LooksBinary looks at the first 8 KB of (decompressed) bytes: a known binary magic (PNG,
// JPEG, GIF, PDF, ZIP/XLSX, ELF, 7z, xz, bzip2, SQLite, ...), a NUL byte, or more than 10%
// control bytes other than tab/CR/LF/FF means "not a text export". For UTF-16/32 text
// (`wide_text`), whose bytes are full of NULs, only the magic numbers are checked. Format detection
// uses the extension (after peeling ".gz"), and the content only when the extension is unknown.
#pragma once

#include <string>
#include <string_view>

namespace crmaudit {

bool LooksBinary(std::string_view sample, bool wide_text);

enum class ExportFormat {
  kUnknown,    // decide from content
  kDelimited,  // .csv .txt: delimiter sniffed
  kTsv,        // .tsv: tab-delimited
  kJson,       // .json: an array or object document, or NDJSON when the content says so
  kNdjson,     // .jsonl .ndjson
};

// `file_name` is the base name, possibly ending in ".gz".
ExportFormat FormatFromFileName(std::string_view file_name);

}  // namespace crmaudit
