// XlsxWorkbook: sheets as datasets, cells as a user sees them, and bad workbooks reported
// with a reason rather than a crash or a silent skip.
#include "scanner/sources/files/xlsx_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "scanner/sources/files/file_reader.h"
#include "tests/support/temp_folder.h"
#include "tests/support/xlsx_writer.h"
#include "tests/unit/sources/source_test_support.h"

namespace crmaudit::testing {
namespace {

std::string Fixture(const std::string& name) {
  return std::string(CRMAUDIT_TEST_FIXTURES) + "/sources/" + name;
}

std::string Cell(const std::string& ref, const std::string& body, const std::string& attrs = "") {
  return "<c r=\"" + ref + "\"" + attrs + ">" + body + "</c>";
}
std::string Shared(const std::string& ref, int index) {
  return Cell(ref, "<v>" + std::to_string(index) + "</v>", " t=\"s\"");
}
std::string Number(const std::string& ref, const std::string& v, int style = 0) {
  return Cell(ref, "<v>" + v + "</v>", " s=\"" + std::to_string(style) + "\"");
}
std::string Inline(const std::string& ref, const std::string& text) {
  return Cell(ref, "<is><t>" + text + "</t></is>", " t=\"inlineStr\"");
}

// Judges the first record a header unless one of its cells holds an '@' (as the profiler's
// value judgement would for an e-mail address).
class JudgingSink : public RecordingSink {
 public:
  bool IsHeaderRow(std::span<const std::string_view> first,
                   std::span<const std::vector<std::string_view>>) override {
    for (std::string_view cell : first) {
      if (cell.find('@') != std::string_view::npos) return false;
    }
    return true;
  }
};

struct ReadSheets {
  std::string open_problem;
  std::vector<std::string> names;
  std::vector<FileReadOutcome> outcomes;
  std::vector<JudgingSink> sinks;
};

ReadSheets ReadAll(XlsxWorkbook& workbook, const std::string& open_problem,
                   FileReadOptions options = {}) {
  ReadSheets out;
  out.open_problem = open_problem;
  if (!open_problem.empty()) return out;
  out.sinks.resize(workbook.sheets().size());
  for (size_t i = 0; i < workbook.sheets().size(); ++i) {
    out.names.push_back(workbook.sheets()[i].name);
    out.outcomes.push_back(workbook.ReadSheet(i, options, out.sinks[i]));
  }
  return out;
}

ReadSheets ReadBytes(const std::string& bytes, XlsxLimits limits = {},
                     FileReadOptions options = {}) {
  static std::string keep;  // the workbook reads from memory the caller keeps alive
  keep = bytes;
  XlsxWorkbook workbook(limits);
  std::string problem = workbook.OpenMemory(keep);
  return ReadAll(workbook, problem, options);
}

TEST(XlsxReader, HubSpotAndZohoSheetsReadAsUsersSeeThem) {
  XlsxWorkbook workbook;
  ReadSheets read = ReadAll(workbook, workbook.Open(Fixture("crm_contacts.xlsx")));
  ASSERT_EQ(read.open_problem, "");
  ASSERT_EQ(read.names, (std::vector<std::string>{"Contacts", "Leads", "Notes"}));

  const RecordingSink& contacts = read.sinks[0];
  EXPECT_EQ(read.outcomes[0].status, ReadStatus::kComplete);
  EXPECT_EQ(read.outcomes[0].format, "xlsx");
  ASSERT_EQ(contacts.records.size(), 4u);
  EXPECT_EQ(contacts.columns.front(), "Record ID");
  EXPECT_EQ(contacts.Value(0, "Email"), "ann@example.com");
  EXPECT_EQ(contacts.Value(0, "Phone Number"), "+44 20 7946 0958");
  // A mobile number stored as a number keeps its digits, no exponent, no grouping.
  EXPECT_EQ(contacts.Value(0, "Mobile Phone Number"), "13800138000");
  EXPECT_EQ(contacts.Value(0, "Record ID"), "51");
  // Dates in the cell's format: a built-in date and a custom date-time.
  EXPECT_EQ(contacts.Value(0, "Create Date"), "2024-01-01");
  EXPECT_EQ(contacts.Value(1, "Create Date"), "2024-02-01 13:30:00");
  // A card typed into a number cell lost its last digit; the remaining digits are examined
  // and the loss is reported.
  EXPECT_EQ(contacts.Value(0, "Card Number"), "4111111111111110");
  EXPECT_NE(read.outcomes[0].message.find("1 number of 16 or more digits"), std::string::npos)
      << read.outcomes[0].message;
  // Empty cells are not delivered.
  EXPECT_EQ(contacts.Value(1, "Mobile Phone Number"), "<none>");
  EXPECT_EQ(contacts.Value(2, "First Name"), "小明");

  const RecordingSink& leads = read.sinks[1];
  EXPECT_EQ(read.outcomes[1].status, ReadStatus::kComplete);
  ASSERT_EQ(leads.records.size(), 2u);
  EXPECT_EQ(leads.Value(1, "Mobile"), "+91 98200 12345");  // inline strings, no cell references
  EXPECT_EQ(leads.Value(0, "Lead Source"), "Web Form");

  EXPECT_EQ(read.outcomes[2].status, ReadStatus::kEmpty);
  EXPECT_EQ(read.outcomes[2].message, "empty sheet: no cells");
}

TEST(XlsxReader, DynamicsExportWithHiddenSheetAnd1904Dates) {
  XlsxWorkbook workbook;
  ReadSheets read = ReadAll(workbook, workbook.Open(Fixture("dynamics_contacts.xlsx")));
  ASSERT_EQ(read.open_problem, "");
  ASSERT_EQ(read.names, (std::vector<std::string>{"Active Contacts", "hiddenSheet"}));
  EXPECT_EQ(read.sinks[0].Value(0, "Email"), "erin@example.com");
  EXPECT_EQ(read.sinks[0].Value(0, "(Do Not Modify) Modified On"), "2024-01-02 12:00:00");
  // The hidden sheet is read too: a header and no data.
  EXPECT_EQ(read.outcomes[1].status, ReadStatus::kEmpty);
  EXPECT_EQ(read.outcomes[1].message, "a header row and no data rows");
}

TEST(XlsxReader, HeaderIsDataRuleAppliesToTheFirstNonEmptyRow) {
  XlsxSpec spec;
  spec.shared_strings = {"ann@example.com", "bob@example.org"};
  // Row 1 and 2 are blank (formatting only); the first non-empty row is data, not a header.
  spec.sheets = {{"Sheet1",
                  "<row r=\"1\"/><row r=\"2\"><c r=\"A2\" s=\"0\"/></row>"
                  "<row r=\"3\">" +
                      Shared("A3", 0) + Number("B3", "13800138000") + "</row><row r=\"4\">" +
                      Shared("A4", 1) + Number("B4", "13912345678") + "</row>"}};
  ReadSheets read = ReadBytes(BuildXlsx(spec));
  ASSERT_EQ(read.open_problem, "");
  const JudgingSink& sink = read.sinks[0];
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.columns, (std::vector<std::string>{"column_1", "column_2"}));
  EXPECT_EQ(sink.Value(0, "column_1"), "ann@example.com");
  EXPECT_EQ(sink.Value(1, "column_2"), "13912345678");
}

// Cells in column order go straight into the row; the rest must land in their columns all the
// same: out of order, a repeated reference (the later one wins), no reference (the column after
// the previous cell), gaps, booleans, inline strings, and element names under any prefix or
// namespace (the reader remembers the last namespace to find local names quickly).
TEST(XlsxReader, CellsLandInTheirColumnsWhateverTheirOrderOrPrefix) {
  XlsxSpec spec;
  spec.shared_strings = {"Name", "Email", "Phone", "Active", "ann@example.com", "Ann"};
  const std::string header = "<row r=\"1\">" + Shared("A1", 0) + Shared("B1", 1) + Shared("C1", 2) +
                             Shared("D1", 3) + "</row>";
  const std::string out_of_order = "<row r=\"2\">" + Cell("D2", "<v>1</v>", " t=\"b\"") +
                                   Number("A2", "1") + Shared("B2", 4) +
                                   "<c><v>13800138000</v></c>" + Shared("A2", 5) + "</row>";
  const std::string gaps = "<row r=\"3\">" + Inline("D3", "FALSE") + "<c t=\"s\"><v>5</v></c>" +
                           "</row><row r=\"4\">" + Shared("B4", 4) + Inline("D4", "x") + "</row>";
  // The same cells with the main namespace under a prefix, and <v> elements in other
  // namespaces (one URI the start of the other), switching namespace from element to element.
  const std::string prefixed =
      "<x:row xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:a=\"urn:a\" xmlns:ab=\"urn:ab\" r=\"5\"><x:c r=\"A5\" t=\"s\"><a:v>5</a:v></x:c>"
      "<x:c r=\"C5\"><a:f/><ab:v>13912345678</ab:v></x:c></x:row>";
  spec.sheets = {{"Sheet1", header + out_of_order + gaps + prefixed}};
  ReadSheets read = ReadBytes(BuildXlsx(spec));
  ASSERT_EQ(read.open_problem, "");
  EXPECT_EQ(read.outcomes[0].status, ReadStatus::kComplete) << read.outcomes[0].message;
  const JudgingSink& sink = read.sinks[0];
  ASSERT_EQ(sink.records.size(), 4u);
  EXPECT_EQ(sink.columns,
            (std::vector<std::string>{"Name", "Email", "Phone", "Active", "column_5"}));
  EXPECT_EQ(sink.Values(0, "Name"), std::vector<std::string>{"Ann"});
  EXPECT_EQ(sink.Value(0, "Email"), "ann@example.com");
  EXPECT_EQ(sink.Value(0, "Phone"), "13800138000");  // no reference: the column after B2
  EXPECT_EQ(sink.Value(0, "Active"), "TRUE");
  // A cell without a reference after D3 is column E, beyond the header.
  EXPECT_EQ(sink.Value(1, "Name"), "<none>");
  EXPECT_EQ(sink.Value(1, "Active"), "FALSE");
  EXPECT_EQ(sink.Value(1, "column_5"), "Ann");
  EXPECT_EQ(sink.Value(2, "Name"), "<none>");
  EXPECT_EQ(sink.Value(2, "Email"), "ann@example.com");
  EXPECT_EQ(sink.Value(2, "Phone"), "<none>");
  EXPECT_EQ(sink.Value(2, "Active"), "x");
  EXPECT_EQ(sink.Value(3, "Name"), "Ann");
  EXPECT_EQ(sink.Value(3, "Phone"), "13912345678");
}

// bench/convert.py's workbook of a CSV's rows (text as shared strings, integers as numbers):
// the scanner must see the same records from both, so that the same rows give the same report
// whichever format they were exported in.
TEST(XlsxReader, SameRowsAsACsvGiveTheSameRecords) {
  const std::vector<std::vector<std::string>> rows = {
      {"id", "email", "phone", "card", "note", "amount"},
      {"1", "ann@example.com", "+86 138 0013 8000", "4111 1111 1111 1111", "call <after> 5 & \"6\"",
       "12.50"},
      {"2", "", "13800138000", "", "小明, 北京", "0"},
      {"3", "bob@example.org", "07700 900123", "5500000000000004", "", "100"},
  };
  std::string csv;
  XlsxSpec spec;
  std::string sheet;
  auto escape = [](const std::string& text) {
    std::string out;
    for (char c : text) {
      out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
    }
    return out;
  };
  for (size_t r = 0; r < rows.size(); ++r) {
    sheet += "<row r=\"" + std::to_string(r + 1) + "\">";
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const std::string& value = rows[r][c];
      std::string quoted = "\"";
      for (char ch : value) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      csv += (c ? "," : "") + quoted + "\"";
      if (value.empty()) continue;
      const std::string ref = std::string(1, static_cast<char>('A' + c)) + std::to_string(r + 1);
      const bool number = value.find_first_not_of("0123456789") == std::string::npos &&
                          value.size() <= 15 && value[0] != '0';
      if (number) {
        sheet += Number(ref, value);
      } else {
        spec.shared_strings.push_back(escape(value));
        sheet += Shared(ref, static_cast<int>(spec.shared_strings.size() - 1));
      }
    }
    sheet += "</row>";
    csv += "\n";
  }
  spec.sheets = {{"Contacts", sheet}};
  TempFolder folder("crmaudit-xlsx");
  folder.Write("contacts.csv", csv);
  JudgingSink from_csv;
  FileReadOutcome csv_outcome = ReadExportFile(folder / "contacts.csv", {}, from_csv);
  ASSERT_EQ(csv_outcome.status, ReadStatus::kComplete) << csv_outcome.message;
  ReadSheets read = ReadBytes(BuildXlsx(spec));
  ASSERT_EQ(read.open_problem, "");
  ASSERT_EQ(read.outcomes[0].status, ReadStatus::kComplete) << read.outcomes[0].message;
  EXPECT_EQ(read.outcomes[0].rows, csv_outcome.rows);
  EXPECT_EQ(read.sinks[0].columns, from_csv.columns);
  EXPECT_EQ(read.sinks[0].records, from_csv.records);
  EXPECT_EQ(read.sinks[0].Value(0, "note"), "call <after> 5 & \"6\"");
}

// A workbook of one sheet whose part is exactly `sheet_xml` (a prolog of the test's choosing).
std::string WorkbookWithSheetXml(const std::string& sheet_xml) {
  const std::string rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships";
  return BuildArchive(
      {{"xl/workbook.xml",
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"" +
            rel_ns +
            "\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
            "</sheets></workbook>"},
       {"xl/_rels/workbook.xml.rels",
        "<Relationships xmlns=\"" + rels_ns + "\"><Relationship Id=\"rId1\" Type=\"" + rel_ns +
            "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"},
       {"xl/worksheets/sheet1.xml", sheet_xml}});
}

// Plain cells (<c r="A2" t="s"><v>0</v></c>) are read without the XML parser's per-tag work,
// but only where the parser would see a cell: markup that merely looks like one inside a
// comment, a CDATA section or a processing instruction is not a cell, a document type that
// gives <c> a default attribute is obeyed, and errors keep their line numbers.
TEST(XlsxReader, PlainCellsReadFastOnlyWhereTheyAreCells) {
  const std::string main_ns =
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
  const std::string header = "<row r=\"1\">" + Inline("A1", "Active") + Inline("B1", "Email") +
                             Inline("C1", "Phone") + "</row>";
  const std::string lookalikes =
      "<row r=\"2\"><c r=\"A2\"><v>1</v></c><!--<c r=\"B2\"><v>2</v></c>-->"
      "<![CDATA[<c r=\"C2\"><v>3</v></c>]]><?pi <c r=\"C2\"><v>4</v></c>?></row>";
  ReadSheets read = ReadBytes(WorkbookWithSheetXml(main_ns + "<sheetData>" + header + lookalikes +
                                                   "</sheetData></worksheet>"));
  ASSERT_EQ(read.open_problem, "");
  ASSERT_EQ(read.sinks[0].records.size(), 1u) << read.outcomes[0].message;
  EXPECT_EQ(read.sinks[0].Value(0, "Active"), "1");
  EXPECT_EQ(read.sinks[0].Value(0, "Email"), "<none>");
  EXPECT_EQ(read.sinks[0].Value(0, "Phone"), "<none>");

  // The document type makes every <c> without t a boolean.
  ReadSheets typed = ReadBytes(WorkbookWithSheetXml(
      "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ATTLIST c t CDATA \"b\">]>" + main_ns +
      "<sheetData>" + header +
      "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row></sheetData></worksheet>"));
  ASSERT_EQ(typed.open_problem, "");
  EXPECT_EQ(typed.sinks[0].Value(0, "Active"), "TRUE") << typed.outcomes[0].message;

  // In UTF-16 the bytes of a plain cell can be other text: here eight CJK characters after
  // <row> whose UTF-16LE bytes spell <c><v>12</v></c>. Text between cells is not a cell.
  auto utf16 = [](const std::string& ascii) {
    std::string out;
    for (char c : ascii) out += std::string(1, c) + '\0';
    return out;
  };
  ReadSheets wide =
      ReadBytes(WorkbookWithSheetXml("\xFF\xFE" + utf16(main_ns + "<sheetData><row r=\"1\">") +
                                     "<c><v>12</v></c>" + utf16("</row></sheetData></worksheet>")));
  ASSERT_EQ(wide.open_problem, "");
  EXPECT_EQ(wide.outcomes[0].message, "empty sheet: no cells");

  // Broken on line 3, after plain cells on lines 1 to 3.
  ReadSheets broken = ReadBytes(WorkbookWithSheetXml(
      main_ns + "<sheetData>" + header + "\n<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>\n" +
      "<row r=\"3\"><c r=\"A3\"><v>0</v></c></rows></sheetData></worksheet>"));
  ASSERT_EQ(broken.open_problem, "");
  EXPECT_EQ(broken.outcomes[0].status, ReadStatus::kPartial);
  EXPECT_EQ(broken.outcomes[0].message, "invalid XML at line 3: mismatched tag");
  EXPECT_EQ(broken.sinks[0].records.size(), 1u);
}

TEST(XlsxReader, MissingSharedStringsMakeTheSheetPartialWithTheReason) {
  XlsxSpec spec;
  spec.with_shared_strings_part = false;
  spec.sheets = {{"Contacts", "<row r=\"1\">" + Inline("A1", "Email") + Inline("B1", "Phone") +
                                  "</row><row r=\"2\">" + Shared("A2", 0) +
                                  Inline("B2", "+44 20 7946 0958") + "</row>"}};
  ReadSheets read = ReadBytes(BuildXlsx(spec));
  ASSERT_EQ(read.open_problem, "");
  EXPECT_EQ(read.outcomes[0].status, ReadStatus::kPartial);
  EXPECT_NE(read.outcomes[0].message.find("1 cell refer to shared strings the workbook does not "
                                          "hold"),
            std::string::npos)
      << read.outcomes[0].message;
  EXPECT_NE(read.outcomes[0].message.find("missing"), std::string::npos);
  EXPECT_EQ(read.sinks[0].Value(0, "Phone"), "+44 20 7946 0958");
}

TEST(XlsxReader, SharedStringsOverTheMemoryBoundAreCountedNotHeld) {
  XlsxSpec spec;
  std::string rows = "<row r=\"1\">" + Inline("A1", "Email") + "</row>";
  for (int i = 0; i < 100; ++i) {
    spec.shared_strings.push_back("person" + std::to_string(i) + "@example.com");
    rows += "<row r=\"" + std::to_string(i + 2) + "\">" + Shared("A" + std::to_string(i + 2), i) +
            "</row>";
  }
  spec.sheets = {{"Contacts", rows}};
  XlsxLimits limits;
  limits.max_shared_string_bytes = 1000;  // about 40 strings
  ReadSheets read = ReadBytes(BuildXlsx(spec), limits);
  ASSERT_EQ(read.open_problem, "");
  const FileReadOutcome& outcome = read.outcomes[0];
  EXPECT_EQ(outcome.status, ReadStatus::kPartial);
  EXPECT_NE(outcome.message.find("cells not examined: the shared strings exceed the 1000 B bound"),
            std::string::npos)
      << outcome.message;
  EXPECT_GT(outcome.rows, 30u);
  EXPECT_EQ(read.sinks[0].Value(0, "Email"), "person0@example.com");
}

TEST(XlsxReader, HugeCellsAreCutAndReported) {
  XlsxSpec spec;
  spec.sheets = {{"Notes", "<row r=\"1\">" + Inline("A1", "Notes") + "</row><row r=\"2\">" +
                               Inline("A2", std::string(5000, 'x')) + "</row>"}};
  FileReadOptions options;
  options.max_record_bytes = 1000;
  ReadSheets read = ReadBytes(BuildXlsx(spec), {}, options);
  ASSERT_EQ(read.open_problem, "");
  EXPECT_EQ(read.outcomes[0].status, ReadStatus::kPartial);
  EXPECT_NE(read.outcomes[0].message.find("1 cell cut"), std::string::npos);
  EXPECT_EQ(read.sinks[0].Value(0, "Notes").size(), 1000u);
}

TEST(XlsxReader, TruncatedOrCorruptWorkbooksSayWhy) {
  std::ifstream in(Fixture("crm_contacts.xlsx"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 1000u);
  // Cut in the middle: the central directory is gone.
  ReadSheets cut = ReadBytes(bytes.substr(0, bytes.size() / 2));
  EXPECT_NE(cut.open_problem, "");
  // Not a ZIP at all.
  ReadSheets text = ReadBytes("Email,Phone\nann@example.com,1\n");
  EXPECT_NE(text.open_problem.find("not a readable workbook package"), std::string::npos)
      << text.open_problem;
  // A ZIP without a workbook.
  ReadSheets other = ReadBytes(BuildArchive({{"Contact.csv", "Email\nann@example.com\n"}}));
  EXPECT_EQ(other.open_problem, "not a workbook (the package has no xl/workbook.xml)");
  // Broken XML in a sheet: the rows before the break count, the sheet is partial.
  XlsxSpec spec;
  spec.sheets = {{"Contacts", "<row r=\"1\">" + Inline("A1", "Email") + "</row><row r=\"2\">" +
                                  Inline("A2", "ann@example.com") + "</row><row r=\"3\"><c"}};
  ReadSheets broken = ReadBytes(BuildXlsx(spec));
  ASSERT_EQ(broken.open_problem, "");
  EXPECT_EQ(broken.outcomes[0].status, ReadStatus::kPartial);
  EXPECT_NE(broken.outcomes[0].message.find("invalid XML at line"), std::string::npos)
      << broken.outcomes[0].message;
  EXPECT_EQ(broken.sinks[0].Value(0, "Email"), "ann@example.com");
}

TEST(XlsxReader, SampledReadStopsAtMaxRows) {
  XlsxSpec spec;
  std::string rows = "<row r=\"1\">" + Inline("A1", "Phone") + "</row>";
  for (int i = 2; i < 50; ++i) {
    rows += "<row r=\"" + std::to_string(i) + "\">" +
            Number("A" + std::to_string(i), "13800138000") + "</row>";
  }
  spec.sheets = {{"Contacts", rows}};
  FileReadOptions options;
  options.max_rows = 10;
  ReadSheets read = ReadBytes(BuildXlsx(spec), {}, options);
  EXPECT_EQ(read.outcomes[0].rows, 10u);
  EXPECT_TRUE(read.outcomes[0].truncated_by_limit);
}

TEST(XlsxNumbers, RenderedAsShown) {
  bool lost = false;
  EXPECT_EQ(RenderXlsxNumber("13800138000", "General", false, &lost), "13800138000");
  EXPECT_FALSE(lost);
  EXPECT_EQ(RenderXlsxNumber("4.11111111111111E+15", "General", false, &lost), "4111111111111110");
  EXPECT_TRUE(lost);
  // A writer that kept all 16 digits: the detectors see them all; still reported.
  EXPECT_EQ(RenderXlsxNumber("4111111111111111", "0", false, &lost), "4111111111111111");
  EXPECT_TRUE(lost);
  EXPECT_EQ(RenderXlsxNumber("1.5", "General", false, &lost), "1.5");
  EXPECT_EQ(RenderXlsxNumber("0.1", "General", false, &lost), "0.1");
  EXPECT_EQ(RenderXlsxNumber("0.25", "0%", false, &lost), "25%");
  EXPECT_EQ(RenderXlsxNumber("45292", "yyyy-mm-dd", false, &lost), "2024-01-01");
  EXPECT_EQ(RenderXlsxNumber("45292", "m/d/yyyy", false, &lost), "2024-01-01");
  EXPECT_EQ(RenderXlsxNumber("1", "yyyy-mm-dd", false, &lost), "1900-01-01");
  EXPECT_EQ(RenderXlsxNumber("60", "yyyy-mm-dd", false, &lost), "1900-02-29");
  EXPECT_EQ(RenderXlsxNumber("61", "yyyy-mm-dd", false, &lost), "1900-03-01");
  EXPECT_EQ(RenderXlsxNumber("0", "yyyy-mm-dd", true, &lost), "1904-01-01");
  EXPECT_EQ(RenderXlsxNumber("0.75", "h:mm", false, &lost), "18:00:00");
  EXPECT_EQ(RenderXlsxNumber("45292.5", "yyyy\\-mm\\-dd\\ hh:mm", false, &lost),
            "2024-01-01 12:00:00");
  // Quoted text and colours are not date tokens.
  EXPECT_EQ(RenderXlsxNumber("42", "0 \"days\"", false, &lost), "42");
  EXPECT_EQ(RenderXlsxNumber("42", "[Red]0", false, &lost), "42");
  EXPECT_EQ(RenderXlsxNumber("not a number", "General", false, &lost), "not a number");
}

}  // namespace
}  // namespace crmaudit::testing
