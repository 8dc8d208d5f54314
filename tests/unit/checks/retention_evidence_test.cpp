// RET-01/RET-02 (and MySQL's MY-RET-01/02, the same CheckAges) say how the rows were counted:
// "exact" (every row) or "estimated" from a sample of so many rows (a sampled PostgreSQL scan
// of a large table, sources/postgres/age_reader.h). The verdict is the same either way: rows
// past the period fail, none passes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scanner/checks/retention_checks.h"
#include "tests/unit/checks/check_harness.h"

namespace crmaudit {
namespace {

AgeProbeResult Counted(uint64_t past, bool estimated) {
  AgeProbeResult result;
  result.probe = {"public", "contacts", "created_at", "3 years", false, "automatic"};
  result.assessed = true;
  result.rows_past = past;
  result.rows_total = 1000000;
  if (past > 0) result.oldest = "2019-02-11";
  result.estimated = estimated;
  result.sample_rows = estimated ? 30120 : 0;
  return result;
}

std::vector<ControlOutcome> Checked(const std::vector<AgeProbeResult>& ages,
                                    const RetentionDialect& dialect) {
  std::vector<ControlOutcome> outcomes;
  CheckAges(ages, dialect, Location{}, &outcomes);
  return outcomes;
}

TEST(RetentionEvidence, AnEstimatedCountSaysSoWithItsSampleSizeAndStillFails) {
  const auto outcomes = Checked({Counted(299604, true)}, kPostgresRetention);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].status, OutcomeStatus::kFail);
  EXPECT_EQ(outcomes[0].outcome, "kept-too-long");
  EXPECT_EQ(outcomes[0].evidence.count, 299604u);
  EXPECT_EQ(outcomes[0].evidence.facts.at("count"), "estimated");
  EXPECT_EQ(outcomes[0].evidence.facts.at("sample_rows"), "30120");
  // The finding users read carries it (the report labels the fact in every language).
  const std::vector<Finding> findings = Judged(outcomes);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.facts.at("count"), "estimated");
  EXPECT_EQ(findings[0].title, "Rows kept longer than the 3 years retention period");
}

TEST(RetentionEvidence, AnEstimatedPassAndAnExactCountSayHowTheyWereCounted) {
  const auto outcomes =
      Checked({Counted(0, true), Counted(12, false), Counted(0, false)}, kPostgresRetention);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].status, OutcomeStatus::kPass);
  EXPECT_EQ(outcomes[0].evidence.facts.at("count"), "estimated");
  EXPECT_EQ(outcomes[0].evidence.facts.at("sample_rows"), "30120");
  EXPECT_EQ(outcomes[1].status, OutcomeStatus::kFail);
  EXPECT_EQ(outcomes[1].evidence.facts.at("count"), "exact");
  EXPECT_EQ(outcomes[1].evidence.facts.count("sample_rows"), 0u);
  EXPECT_EQ(outcomes[2].status, OutcomeStatus::kPass);
  EXPECT_EQ(outcomes[2].evidence.facts.at("count"), "exact");
}

TEST(RetentionEvidence, MysqlCountsAreExactInTheSameShape) {
  const auto outcomes = Checked({Counted(80, false)}, kMysqlRetention);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].rule, "MY-RET-01");
  EXPECT_EQ(outcomes[0].evidence.facts.at("count"), "exact");
}

TEST(RetentionEvidence, NotAssessedCarriesNoCount) {
  AgeProbeResult denied;
  denied.probe = {"public", "secret", "created_at", "3 years", false, "automatic"};
  denied.reason = "permission denied: needs SELECT on \"public\".\"secret\"";
  const auto outcomes = Checked({denied}, kPostgresRetention);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].status, OutcomeStatus::kNotAssessed);
  EXPECT_EQ(outcomes[0].evidence.facts.count("count"), 0u);
}

}  // namespace
}  // namespace crmaudit
