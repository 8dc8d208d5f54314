// `--jobs` must never change a PostgreSQL report: a big table whose matching is spread over
// several threads (scan/parallel_matcher.h) gives the same coverage, inventory and findings —
// counts, masked samples and first rows included — as a single-threaded scan. Runs against a
// real PostgreSQL 15 sandbox; PostgreSQL missing is a failure, never a skip.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/scan/postgres_scan.h"
#include "tests/unit/postgres/sandbox.h"
#include "tests/unit/postgres/shipped_catalog.h"

namespace crmaudit {
namespace {

using testing::Sandbox;
using testing::SharedSandboxTest;

// Big enough that the scan matches in parallel (postgres_scan.cpp starts matcher threads from
// 20000 expected rows) and spans many matcher batches, so a batch applied out of order would
// move counts, samples or first rows.
constexpr int kBigRows = 45000;

// One line per coverage entry, inventory entity and finding, with everything a report shows.
// Samples are masked by the scanner, and the data is synthetic.
std::vector<std::string> Describe(const TargetScanOutput& output) {
  std::vector<std::string> lines;
  lines.push_back(std::string("complete=") + (output.complete ? "yes" : "no") +
                  " error=" + output.error);
  for (const auto& c : output.coverage) {
    lines.push_back(
        "coverage " + c.dataset + " status=" + std::to_string(static_cast<int>(c.status)) +
        " rows=" + std::to_string(c.rows) + " bytes=" + std::to_string(c.bytes) +
        " sampled=" + std::to_string(c.sampled) + " format=" + c.format + " reason=" + c.reason);
  }
  for (const auto& entry : output.inventory) {
    for (const auto& entity : entry.entities) {
      lines.push_back("inventory " + entry.dataset + "/" + entry.column + " " + entity.type +
                      " matched=" + std::to_string(entity.matched) +
                      " scanned=" + std::to_string(entity.scanned) +
                      " confidence=" + std::to_string(entity.confidence));
    }
  }
  for (const auto& f : output.findings) {
    std::string line = "finding " + f.id + " " + f.rule + " " + f.location.schema + "." +
                       f.location.table + "." + f.location.column +
                       " status=" + std::string(StatusName(f.status)) +
                       " row=" + (f.location.row ? std::to_string(*f.location.row) : "-") +
                       " count=" + std::to_string(f.evidence.count) +
                       " scanned=" + std::to_string(f.evidence.scanned) +
                       " confidence=" + std::to_string(f.confidence) + " samples=";
    for (const auto& sample : f.evidence.samples) line += "[" + sample + "]";
    lines.push_back(line);
  }
  return lines;
}

class PostgresParallelScan : public SharedSandboxTest<PostgresParallelScan> {
 protected:
  static void SetUpTestSuite() {
    StartSharedSandbox();
    try {
      if (started_) {
        sandbox_->Exec("CREATE DATABASE jobs", "postgres");
        // Values differ row by row, so the three kept samples depend on the order in which
        // matches reach the profiler; late_email first matches deep into the table.
        sandbox_->Exec(
            "CREATE TABLE contacts AS SELECT g AS id,"
            " 'person' || g || '@example.org' AS email,"
            " '+44 20 7946 ' || lpad((g % 10000)::text, 4, '0') AS phone,"
            " CASE WHEN g % 7 = 0 THEN 'call back ' || 'c' || g || '@example.net'"
            "      ELSE 'prefers post, customer ' || g END AS notes,"
            " CASE WHEN g > 31000 THEN 'late' || g || '@example.com' END AS late_email,"
            " jsonb_build_object('contact', jsonb_build_object('email',"
            "   'json' || g || '@example.org')) AS meta"
            " FROM generate_series(1, " +
                std::to_string(kBigRows) +
                ") AS g;"
                "CREATE TABLE leads AS SELECT g AS id, 'lead' || g || '@example.org' AS email"
                " FROM generate_series(1, 300) AS g;"
                "ANALYZE contacts; ANALYZE leads;",
            "jobs");
      }
    } catch (const std::exception&) {
      started_ = false;
    }
  }

  static std::shared_ptr<const CompiledPolicy> Policy() {
    const std::string policies = std::string(CRMAUDIT_SOURCE_DIR) + "/policies/";
    return CompiledPolicy::Compile({LoadPolicyPack(policies + "pii-core.json"),
                                    LoadPolicyPack(policies + "controls-gdpr.json")},
                                   WithShippedCatalog());
  }

  static TargetScanOutput Scan(int jobs, std::vector<std::string> include) {
    PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo("postgres", "jobs"),
                         "jobs sandbox"};
    ScanPlan plan;
    plan.full = true;
    plan.jobs = jobs;
    plan.table_include = std::move(include);
    return ScanPostgresTarget(target, plan, Policy());
  }
};

TEST_F(PostgresParallelScan, OneBigTableGivesTheSameReportWithOneOrTwoJobs) {
  const auto one = Describe(Scan(1, {"public.contacts"}));
  const auto two = Describe(Scan(2, {"public.contacts"}));
  EXPECT_EQ(one, two);

  // The comparison is about a real report: the table was read whole and its PII found.
  auto output = Scan(2, {"public.contacts"});
  EXPECT_TRUE(output.complete) << output.error;
  bool contacts_read = false, late_found = false;
  for (const auto& c : output.coverage) {
    if (c.dataset == "jobs.public.contacts") {
      contacts_read = true;
      EXPECT_EQ(c.rows, static_cast<uint64_t>(kBigRows));
      EXPECT_FALSE(IsIncomplete(c)) << c.reason;
    }
  }
  EXPECT_TRUE(contacts_read);
  for (const auto& f : output.findings) {
    if (f.location.column == "late_email" && f.location.row) {
      late_found = true;
      EXPECT_EQ(*f.location.row, 31001u);
    }
  }
  EXPECT_TRUE(late_found) << "no finding for late_email with its first row";
  std::vector<std::string> columns;
  for (const auto& entry : output.inventory) columns.push_back(entry.column);
  EXPECT_THAT(columns, ::testing::IsSupersetOf(
                           {"email", "phone", "notes", "late_email", "meta.contact.email"}));
}

TEST_F(PostgresParallelScan, SeveralTablesGiveTheSameReportWhateverTheJobs) {
  const auto one = Describe(Scan(1, {}));
  EXPECT_EQ(one, Describe(Scan(2, {})));  // one connection per table, no spare core
  EXPECT_EQ(one, Describe(Scan(4, {})));  // two connections, two matcher threads each
}

}  // namespace
}  // namespace crmaudit
