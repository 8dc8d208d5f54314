// XlsxWorkbook: the sheets of an Office Open XML workbook (.xlsx, .xlsm) as datasets, streamed.
//
// The package is read with ArchiveReader and its XML with expat (SAX; no DOM): first the
// workbook (sheet names, in workbook order, hidden sheets included) and its relationships,
// then the styles and the shared-strings table, then each sheet on its own pass. Memory: the
// shared strings (bounded by XlsxLimits::max_shared_string_bytes, default 256 MiB, counting
// 8 bytes of index per string), the number formats, and one row (each cell cut at
// max_record_bytes). A workbook whose shared strings exceed the bound is still read: cells
// whose text lay beyond it are not examined, counted, and make the sheet partial.
//
// Cells are delivered as a user sees them in Excel's formula bar: shared and inline strings as
// text; numbers with the cell's number format applied for dates and times (ISO 8601:
// 2024-03-01, 2024-03-01 14:30:00, 14:30:00; the 1900 and 1904 date systems) and percentages,
// other numbers in full digits without exponent or grouping (13800138000, 4111111111111110);
// booleans as TRUE/FALSE; formulas by their cached value. A whole number of 16 or more digits
// cannot be trusted past the 15th (what a spreadsheet keeps: a card or account number typed
// into a cell loses its last digits): such cells are counted and reported; the detectors see
// the digits that remain. The first non-empty row is the header, judged like a CSV header
// (record_table.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/sources/files/file_reader.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

class ArchiveReader;

struct XlsxLimits {
  uint64_t max_shared_string_bytes = 256ull << 20;
  // One XML tag (element name plus attributes) larger than this is not a workbook Excel wrote:
  // the part is abandoned rather than buffered whole by the XML parser.
  uint64_t max_tag_bytes = 16ull << 20;
  // Plain cells (<c r="B2" t="s"><v>7</v></c>, nearly every cell a spreadsheet writes) are
  // read without the XML parser's per-tag work, with the same result (see xlsx_reader.cpp).
  // false only to compare the two ways (the fuzz target does).
  bool plain_cells_fast = true;
};

struct XlsxSheet {
  std::string name;    // safe to show (repaired, control characters escaped)
  std::string part;    // package part, e.g. "xl/worksheets/sheet1.xml" (lower case)
  bool chart = false;  // a chart sheet: no cells
  bool found = false;  // its part exists in the package
};

class XlsxWorkbook {
 public:
  explicit XlsxWorkbook(XlsxLimits limits = {});
  ~XlsxWorkbook();

  // Reads the workbook structure, the styles and the shared strings. Returns an empty string
  // on success, else why the file is not a readable workbook ("not a ZIP package", "no
  // xl/workbook.xml", "corrupt ..."), which makes the whole file a gap.
  std::string Open(const std::filesystem::path& path);
  // The same for a workbook held in memory (inside an archive; a fuzz input). `bytes` must
  // outlive the workbook.
  std::string OpenMemory(std::string_view bytes);

  const std::vector<XlsxSheet>& sheets() const { return sheets_; }
  // Problems found while reading the shared parts (shared strings over the bound, a missing or
  // corrupt sharedStrings.xml): every sheet's outcome repeats those that concern it.
  const std::string& shared_strings_problem() const { return shared_strings_problem_; }

  // Streams sheet `index` into `sink`. format is "xlsx"; bytes counts the sheet's XML.
  FileReadOutcome ReadSheet(size_t index, const FileReadOptions& options, RecordSink& sink);

  struct Styles;
  struct SharedStrings;

 private:
  std::string Load();

  XlsxLimits limits_;
  std::function<std::string(ArchiveReader&)> open_;
  std::vector<XlsxSheet> sheets_;
  bool date1904_ = false;
  std::unique_ptr<Styles> styles_;
  std::unique_ptr<SharedStrings> strings_;
  std::string shared_strings_problem_;
};

// Renders an xlsx number the way it is shown (see above). `number_format` is the format code
// of the cell's style ("General", "yyyy-mm-dd", "0.00%"...); `date1904` the workbook's date
// system. Sets *lost_digits when the number has 16 or more integer digits. Exposed for tests.
std::string RenderXlsxNumber(std::string_view text, std::string_view number_format, bool date1904,
                             bool* lost_digits);

}  // namespace crmaudit
