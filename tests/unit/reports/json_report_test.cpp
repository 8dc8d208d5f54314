#include "reports/json/json_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace crmaudit {
namespace {

ScanResult SampleResult() {
  ScanResult r;
  r.tool_version = "0.1.0";
  r.scan.id = "00000000-0000-4000-8000-000000000000";
  r.scan.started_at = "2026-11-24T10:00:00Z";
  r.scan.finished_at = "2026-11-24T10:00:01Z";
  r.targets.push_back({"t1", "directory", "exports"});
  CoverageEntry c;
  c.target = "t1";
  c.dataset = std::string("bad-name-\xFF.csv");  // file names can hold any bytes
  c.rows = 10;
  c.bytes = 100;
  r.coverage.push_back(c);
  Finding f;
  f.id = "crm-0123456789abcdef";
  f.rule = "email-address";
  f.title = "Email addresses";
  f.severity = Severity::kMedium;
  f.location.kind = "file";
  f.location.path = "contacts.csv";
  f.location.column = "邮箱";
  f.evidence.count = 3;
  f.evidence.scanned = 4;
  f.evidence.samples = {"j***@e***.com"};
  f.frameworks["GDPR"] = {"Art. 30"};
  r.findings.push_back(f);
  Summarize(r, Severity::kHigh);
  return r;
}

TEST(JsonReport, HasTheDocumentedTopLevelFields) {
  auto doc = nlohmann::json::parse(RenderJsonReport(SampleResult()));
  for (const char* key : {"schema_version", "tool", "scan", "targets", "coverage", "inventory",
                          "findings", "summary"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_EQ(doc["findings"][0]["location"]["column"], "邮箱");
  EXPECT_EQ(doc["findings"][0]["severity"], "medium");
  EXPECT_EQ(doc["summary"]["verdict"], "pass");
  EXPECT_TRUE(doc["scan"]["chain"].contains("previous_sha256"));
}

TEST(JsonReport, RepairsInvalidUtf8FromScannedNamesInsteadOfThrowing) {
  std::string bytes;
  ASSERT_NO_THROW(bytes = RenderJsonReport(SampleResult()));
  auto doc = nlohmann::json::parse(bytes);
  EXPECT_EQ(doc["coverage"][0]["dataset"], "bad-name-\xEF\xBF\xBD.csv");
}

TEST(JsonReport, IsDeterministicAndCanonical) {
  std::string a = RenderJsonReport(SampleResult());
  std::string b = RenderJsonReport(SampleResult());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.find('\n'), std::string::npos);
  EXPECT_EQ(a.find(": "), std::string::npos);
}

}  // namespace
}  // namespace crmaudit
