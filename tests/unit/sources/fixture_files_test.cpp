// The small checked-in fixtures: an Excel-style CSV export (BOM, CRLF, quoted newline) and a
// CRM JSON export holding several record arrays.
#include <gtest/gtest.h>

#include "scanner/sources/files/file_reader.h"
#include "scanner/sources/files/file_walker.h"
#include "tests/unit/sources/source_test_support.h"

namespace crmaudit {
namespace {

const std::filesystem::path kFixtures = std::filesystem::path(CRMAUDIT_TEST_FIXTURES) / "sources";

TEST(Fixtures, ExcelStyleCsvExport) {
  testing::RecordingSink sink;
  FileReadOutcome outcome = ReadExportFile(kFixtures / "contacts_excel.csv", {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.encoding, "UTF-8-BOM");
  EXPECT_EQ(outcome.rows, 3u);
  EXPECT_EQ(sink.columns,
            (std::vector<std::string>{"Customer ID", "Full Name", "E-mail", "Phone", "Notes"}));
  EXPECT_EQ(sink.Value(1, "Notes"), "Asked to call back\r\nafter 5pm");
  EXPECT_EQ(sink.Value(2, "E-mail"), "<none>");  // empty cells are not delivered
  EXPECT_EQ(sink.Value(2, "Full Name"), "Zoë Test");
}

TEST(Fixtures, CrmJsonExportWithSeveralArrays) {
  testing::RecordingSink sink;
  FileReadOutcome outcome = ReadExportFile(kFixtures / "crm_export.json", {}, sink);
  EXPECT_EQ(outcome.status, ReadStatus::kComplete) << outcome.message;
  EXPECT_EQ(outcome.rows, 4u);
  EXPECT_EQ(sink.Value(0, "contacts.contact.phones.number"), "+44 7700 900123");
  EXPECT_EQ(sink.Values(0, "contacts.tags"), (std::vector<std::string>{"vip", "newsletter"}));
  EXPECT_EQ(sink.Value(2, "leads.email"), "lead@example.net");
  EXPECT_EQ(sink.Value(3, "exported_at"), "2024-05-01T10:00:00Z");
}

TEST(Fixtures, WalkingTheFixtureFolderWithAnIncludeGlob) {
  WalkOptions options;
  options.include = {"*.json"};
  WalkResult result = WalkTarget(kFixtures, options);
  ASSERT_EQ(result.files.size(), 1u);
  EXPECT_EQ(result.files[0].relative, "crm_export.json");
}

}  // namespace
}  // namespace crmaudit
