// Reports and baselines written before a scan are read defensively: any bytes give a result or
// a clear BaselineError, never a JSON library exception (which aborted the CLI).
#include "scanner/scan/earlier_report.h"

#include <gtest/gtest.h>

namespace crmaudit {
namespace {

TEST(EarlierReport, BaselineIdsFromAReportOrABaselineFile) {
  EXPECT_EQ(BaselineIdsOf(R"({"findings": [{"id": "crm-1"}, {"id": 2}, 3, {"id": "crm-2"}]})", "b"),
            (std::set<std::string>{"crm-1", "crm-2"}));
  EXPECT_EQ(BaselineIdsOf(R"({"baseline": ["crm-3", null, "crm-4"]})", "b"),
            (std::set<std::string>{"crm-3", "crm-4"}));
  EXPECT_TRUE(BaselineIdsOf(R"({"findings": "x", "baseline": {}})", "b").empty());
}

TEST(EarlierReport, ABaselineThatIsNotAnObjectIsAClearError) {
  for (const char* text : {"[1]", "{not json", R"({"n": 99E999})", ""}) {
    try {
      BaselineIdsOf(text, "old.json");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const BaselineError& e) {
      EXPECT_NE(std::string(e.what()).find("baseline old.json is not a JSON object"),
                std::string::npos);
    }
  }
}

// {"summary": {"fail_on": 5}} aborted `scan --chain-from` (a type_error escaped).
TEST(EarlierReport, SummaryFieldsOfTheWrongTypeAreIgnored) {
  auto summary = SummaryOf(
      R"({"summary": {"fail_on": 5, "verdict": [], "complete": "x", "not_assessed": -1,
          "by_severity": {"high": 2, "low": "x"}, "by_category": 7}})");
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->fail_on, "");
  EXPECT_EQ(summary->by_severity.at("high"), 2u);
  EXPECT_EQ(summary->by_severity.count("low"), 0u);
  EXPECT_EQ(summary->not_assessed, 0u);
  EXPECT_FALSE(SummaryOf(R"({"summary": 1})").has_value());
  EXPECT_FALSE(SummaryOf("[]").has_value());
  auto good = SummaryOf(R"({"summary": {"fail_on": "high", "verdict": "incomplete"}})");
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(good->fail_on, "high");
  EXPECT_FALSE(good->complete);
}

// {"findings": [{"id": "crm-1", "status": 5}]} aborted `crmaudit baseline`.
TEST(EarlierReport, BaselineFileKeepsOpenFindingsAndSkipsWrongTypes) {
  size_t accepted = 0;
  const std::string file = BaselineFileFor(
      R"({"scan": {"id": 3}, "findings": [{"id": "crm-1", "status": 5, "rule": 1},
          {"id": "crm-2", "status": "suppressed"}, {"id": 7}, {"id": "crm-3", "status": "open",
          "rule": "ENC-01", "severity": "high", "location": {"kind": "postgres"}}]})",
      "r.json", /*include_all=*/false, &accepted);
  EXPECT_EQ(accepted, 2u);
  EXPECT_NE(file.find("\"crm-1\""), std::string::npos);
  EXPECT_EQ(file.find("\"crm-2\""), std::string::npos);
  EXPECT_NE(file.find("\"ENC-01\""), std::string::npos);
  BaselineFileFor(R"({"findings": [{"id": "crm-2", "status": "suppressed"}]})", "r.json", true,
                  &accepted);
  EXPECT_EQ(accepted, 1u);
  EXPECT_THROW(BaselineFileFor(R"({"findings": 1})", "r.json", false, &accepted), BaselineError);
}

}  // namespace
}  // namespace crmaudit
