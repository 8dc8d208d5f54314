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

// What a file's name says, before any byte is read, about a file met while walking a folder.
// The extension is taken after peeling ".gz" and compared case-insensitively.
enum class FileNameKind {
  kExport,       // .csv .txt .tsv .tab .json .jsonl .ndjson: read; unreadable content is a gap
  kWorkbook,     // .xlsx .xlsm: each sheet is read as a dataset (xlsx_reader.h)
  kArchive,      // .zip .tar .tgz .tar.gz: each member is read as a dataset (archive_reader.h)
  kUnknown,      // no extension, or one not listed here: the content decides (an export is
                 // read; binary or unstructured content is "not an export")
  kDatabase,     // .sqlite .sqlite3 .db .db3: a SQLite database file (scan/sqlite_scan.h)
  kUnsupported,  // a format CRM data is exported in that this version cannot read (.xls,
                 // .ods, .7z, .rar, .sql dumps, .parquet, .xml, .vcf...): a gap in the scan
  kNotExport,    // documents, images, logs, code, configuration, keys (.md .log .pdf .docx
                 // .png .html .yaml .pem ...): not read, and nothing the scan is for is lost
};

FileNameKind ClassifyFileName(std::string_view file_name);

// The extension ClassifyFileName looked at, lower-case with its dot (".xlsx"), or "".
std::string ExtensionOf(std::string_view file_name);

}  // namespace crmaudit
