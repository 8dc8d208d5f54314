#include "reports/diff/report_diff.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace crmaudit {
namespace {

using nlohmann::json;

json Finding(const std::string& id, const std::string& severity, uint64_t count,
             const std::string& status = "open") {
  return {{"id", id},
          {"rule", "email-address"},
          {"title", "Email addresses"},
          {"severity", severity},
          {"status", status},
          {"location", {{"kind", "file"}, {"path", "contacts.csv"}, {"column", "email"}}},
          {"evidence", {{"count", count}, {"scanned", 10}, {"samples", json::array()}}}};
}

json Report(json findings, json inventory = json::array()) {
  return {{"scan", {{"id", "x"}, {"finished_at", "2026-01-01T00:00:00Z"}}},
          {"findings", findings},
          {"inventory", inventory}};
}

TEST(ReportDiff, SortsFindingsIntoNewResolvedChangedAndUnchanged) {
  json old_report = Report(
      {Finding("crm-a", "high", 5), Finding("crm-b", "medium", 3), Finding("crm-c", "low", 1)});
  json new_report = Report({Finding("crm-a", "high", 5), Finding("crm-b", "medium", 9),
                            Finding("crm-d", "critical", 2)});
  ReportDiff diff = DiffReports(old_report.dump(), new_report.dump());
  ASSERT_EQ(diff.added.size(), 1u);
  EXPECT_EQ(diff.added[0].id, "crm-d");
  ASSERT_EQ(diff.resolved.size(), 1u);
  EXPECT_EQ(diff.resolved[0].id, "crm-c");
  ASSERT_EQ(diff.changed.size(), 1u);
  EXPECT_EQ(diff.changed[0].old_count, 3u);
  EXPECT_EQ(diff.changed[0].new_count, 9u);
  EXPECT_EQ(diff.unchanged, 1u);
  std::string text = RenderDiffText(diff);
  EXPECT_NE(text.find("1 new, 1 resolved, 1 changed, 1 unchanged"), std::string::npos) << text;
  json as_json = json::parse(RenderDiffJson(diff));
  EXPECT_EQ(as_json["new"][0]["id"], "crm-d");
}

TEST(ReportDiff, ReportsANewPiiColumnInTheInventory) {
  json column = {{"dataset", "contacts.csv"},
                 {"column", "mobile"},
                 {"entities", {{{"type", "PHONE_NUMBER"}}}}};
  ReportDiff diff = DiffReports(Report(json::array()).dump(),
                                Report(json::array(), json::array({column})).dump());
  ASSERT_EQ(diff.inventory_added.size(), 1u);
  EXPECT_EQ(diff.inventory_added[0].column, "mobile");
  EXPECT_NE(RenderDiffText(diff).find("+ contacts.csv [mobile] PHONE_NUMBER"), std::string::npos);
}

// A 1.1.0 report (before controls[] and rules[]) against a 1.2.0 one, both ways: the diff is
// about findings and inventory, and the new arrays neither break it nor count as changes.
TEST(ReportDiff, ComparesReportsAcrossSchemaVersions) {
  json old_report = Report({Finding("crm-a", "high", 5)});
  old_report["schema_version"] = "1.1.0";
  json new_report = Report({Finding("crm-a", "high", 5), Finding("crm-b", "low", 1)});
  new_report["schema_version"] = "1.2.0";
  new_report["controls"] =
      json::array({{{"rule", "ENC-01"},
                    {"target", "t1"},
                    {"status", "pass"},
                    {"counts", {{"passed", 1}, {"failed", 0}, {"not_assessed", 0}}},
                    {"objects", json::array({{{"name", "server"}, {"status", "pass"}}})}}});
  new_report["rules"] = json::array({{{"id", "ENC-01"}, {"title", "TLS"}}});
  ReportDiff forward = DiffReports(old_report.dump(), new_report.dump());
  ASSERT_EQ(forward.added.size(), 1u);
  EXPECT_EQ(forward.added[0].id, "crm-b");
  EXPECT_EQ(forward.unchanged, 1u);
  ReportDiff backward = DiffReports(new_report.dump(), old_report.dump());
  ASSERT_EQ(backward.resolved.size(), 1u);
  EXPECT_EQ(backward.unchanged, 1u);
}

TEST(ReportDiff, RejectsSomethingThatIsNotAReport) {
  EXPECT_THROW(DiffReports("{}", Report(json::array()).dump()), ReportDiffError);
  EXPECT_THROW(DiffReports(Report(json::array()).dump(), "not json"), ReportDiffError);
}

}  // namespace
}  // namespace crmaudit
