// Builds small .xlsx workbooks in memory for tests: the parts Excel writes (content types,
// relationships, workbook, one part per sheet, styles, shared strings after the sheets), with
// switches to leave parts out or break them. Sheets are given as their <sheetData> rows.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/support/archive_writer.h"

namespace crmaudit::testing {

struct XlsxSpec {
  std::vector<std::pair<std::string, std::string>> sheets;  // name → <row> elements
  std::vector<std::string> shared_strings;                  // <si><t> texts, XML-escaped
  bool with_shared_strings_part = true;
  bool date1904 = false;
  // cellXfs numFmtIds (style index → number format); custom formats as id → code.
  std::vector<int> cell_formats = {0, 14};
  std::vector<std::pair<int, std::string>> custom_formats;
};

inline std::string BuildXlsx(const XlsxSpec& spec) {
  const std::string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const std::string rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  std::string sheets, rels, parts_types;
  std::vector<std::pair<std::string, std::string>> parts;
  for (size_t i = 0; i < spec.sheets.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    sheets += "<sheet name=\"" + spec.sheets[i].first + "\" sheetId=\"" + n + "\" r:id=\"rId" + n +
              "\"/>";
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + rel_ns +
            "/worksheet\" Target=\"worksheets/sheet" + n + ".xml\"/>";
  }
  rels += "<Relationship Id=\"rIdS\" Type=\"" + rel_ns + "/styles\" Target=\"styles.xml\"/>";
  rels += "<Relationship Id=\"rIdT\" Type=\"" + rel_ns +
          "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
  parts.push_back({"[Content_Types].xml",
                   "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/"
                   "package/2006/content-types\"/>"});
  parts.push_back({"_rels/.rels",
                   "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats."
                   "org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" +
                       rel_ns + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"});
  parts.push_back({"xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"" + ns +
                                          "\" xmlns:r=\"" + rel_ns + "\"><workbookPr" +
                                          (spec.date1904 ? " date1904=\"1\"" : "") + "/><sheets>" +
                                          sheets + "</sheets></workbook>"});
  parts.push_back({"xl/_rels/workbook.xml.rels",
                   "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats."
                   "org/package/2006/relationships\">" +
                       rels + "</Relationships>"});
  for (size_t i = 0; i < spec.sheets.size(); ++i) {
    parts.push_back({"xl/worksheets/sheet" + std::to_string(i + 1) + ".xml",
                     "<?xml version=\"1.0\"?><worksheet xmlns=\"" + ns + "\"><sheetData>" +
                         spec.sheets[i].second + "</sheetData></worksheet>"});
  }
  std::string formats, xfs;
  for (const auto& [id, code] : spec.custom_formats) {
    formats += "<numFmt numFmtId=\"" + std::to_string(id) + "\" formatCode=\"" + code + "\"/>";
  }
  for (int id : spec.cell_formats) xfs += "<xf numFmtId=\"" + std::to_string(id) + "\"/>";
  parts.push_back({"xl/styles.xml", "<?xml version=\"1.0\"?><styleSheet xmlns=\"" + ns +
                                        "\"><numFmts>" + formats + "</numFmts><cellXfs>" + xfs +
                                        "</cellXfs></styleSheet>"});
  if (spec.with_shared_strings_part) {
    std::string items;
    for (const std::string& s : spec.shared_strings) items += "<si><t>" + s + "</t></si>";
    parts.push_back({"xl/sharedStrings.xml",
                     "<?xml version=\"1.0\"?><sst xmlns=\"" + ns + "\">" + items + "</sst>"});
  }
  return BuildArchive(parts);
}

}  // namespace crmaudit::testing
