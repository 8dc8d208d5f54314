#include "scanner/model/scan_result.h"

#include <gtest/gtest.h>

namespace crmaudit {
namespace {

Finding MakeFinding(Severity severity, FindingStatus status = FindingStatus::kOpen) {
  Finding f;
  f.severity = severity;
  f.status = status;
  f.category = FindingCategory::kPii;
  return f;
}

TEST(Summarize, FailsAtOrAboveThresholdOnly) {
  ScanResult r;
  r.findings = {MakeFinding(Severity::kMedium), MakeFinding(Severity::kLow)};
  Summarize(r, Severity::kHigh);
  EXPECT_EQ(r.summary.verdict, "pass");
  EXPECT_EQ(r.summary.fail_on, "high");
  EXPECT_EQ(r.summary.by_severity["medium"], 1u);
  EXPECT_EQ(r.summary.by_severity["critical"], 0u);

  Summarize(r, Severity::kMedium);
  EXPECT_EQ(r.summary.verdict, "fail");
  Summarize(r, std::nullopt);
  EXPECT_EQ(r.summary.verdict, "pass");
  EXPECT_EQ(r.summary.fail_on, "never");
}

TEST(Summarize, BaselinedAndNotAssessedFindingsDoNotFailTheGate) {
  ScanResult r;
  r.findings = {MakeFinding(Severity::kCritical, FindingStatus::kBaselined),
                MakeFinding(Severity::kCritical, FindingStatus::kNotAssessed)};
  Summarize(r, Severity::kHigh);
  EXPECT_EQ(r.summary.verdict, "pass");
  EXPECT_EQ(r.summary.by_severity["critical"], 0u);
  // ...but the controls not assessed are counted beside the verdict.
  EXPECT_EQ(r.summary.not_assessed, 1u);
  EXPECT_TRUE(r.summary.complete);
}

TEST(Summarize, AnIncompleteScanIsNeverAPassNorAFail) {
  ScanResult r;
  r.scan.complete = false;
  Summarize(r, Severity::kHigh);
  EXPECT_EQ(r.summary.verdict, "incomplete");
  EXPECT_FALSE(r.summary.complete);
  r.findings = {MakeFinding(Severity::kCritical)};
  Summarize(r, Severity::kHigh);
  EXPECT_EQ(r.summary.verdict, "incomplete");
  EXPECT_EQ(r.summary.by_severity["critical"], 1u);
}

}  // namespace
}  // namespace crmaudit
