// A SQLite target scanned as a user would see it: the CRM database's inventory (names,
// addresses, birth dates, e-mails, phones; not the decoys), findings located by file, table and
// column, --tables filters, --full, --jobs giving the same result, ENC-07 on the file, coverage
// entries for files that are not databases, and nothing written beside the database — also
// for a database in WAL mode.
#include "scanner/scan/sqlite_scan.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scanner/scan/file_scan.h"
#include "scanner/scan/finding_identity.h"
#include "scanner/scan/scan_runner.h"
#include "scanner/scan/targets.h"
#include "tests/support/sqlite_fixture.h"
#include "tests/support/temp_folder.h"

namespace crmaudit {
namespace {

using testing::ExecSql;
using testing::FolderState;

// A fresh folder per test, removed afterwards.
class Folder : public testing::TempFolder {
 public:
  Folder() : TempFolder("crmaudit-sqlite-scan") {}
};

const std::shared_ptr<const CompiledPolicy>& Policy() {
  static const auto policy = LoadPolicies({}, nullptr, "US");
  return policy;
}

// "dataset column" → entity types found there.
std::map<std::string, std::set<std::string>> Inventory(const TargetScanOutput& out) {
  std::map<std::string, std::set<std::string>> found;
  for (const auto& entry : out.inventory) {
    for (const auto& entity : entry.entities) {
      found[entry.dataset + " " + entry.column].insert(entity.type);
    }
  }
  return found;
}

TargetScanOutput Scan(const std::string& argument, ScanPlan plan = {},
                      std::vector<std::string>* warnings = nullptr) {
  PlannedTarget target = ClassifyTarget(argument, "t1");
  plan.targets = {target};
  plan.identity_roots = IdentityRoots(plan.targets);
  std::vector<std::string> ignored;
  return ScanSqliteTarget(target, plan, Policy(), warnings ? *warnings : ignored);
}

TEST(SqliteTarget, ClassifiedByUriOrFileName) {
  PlannedTarget uri = ClassifyTarget("sqlite:///var/lib/crm/crm%20copy.db", "t1");
  EXPECT_EQ(uri.kind, "sqlite");
  EXPECT_EQ(uri.location, "/var/lib/crm/crm copy.db");
  EXPECT_EQ(uri.display, "sqlite:///var/lib/crm/crm%20copy.db");
  EXPECT_EQ(ClassifyTarget("sqlite:relative/app.sqlite", "t1").location, "relative/app.sqlite");
  for (const char* name : {"crm.db", "x/app.sqlite", "a.SQLITE3", "b.db3"}) {
    EXPECT_EQ(ClassifyTarget(name, "t1").kind, "sqlite") << name;
  }
  EXPECT_EQ(ClassifyTarget("contacts.csv", "t1").kind, "file");
}

TEST(SqliteScan, FindsTheCrmsPeopleAndNotTheDecoys) {
  Folder folder;
  ExecSql(folder / "crm.db", testing::kCrmSql);
  ::chmod((folder / "crm.db").c_str(), 0644);
  const auto before = FolderState(folder.path());
  std::vector<std::string> warnings;
  const TargetScanOutput out = Scan((folder / "crm.db").string(), {}, &warnings);
  EXPECT_EQ(FolderState(folder.path()), before) << "nothing written to or beside the database";
  EXPECT_TRUE(out.complete);
  EXPECT_TRUE(warnings.empty()) << warnings.front();

  // Every table and view is a dataset of its own, named after the file.
  std::set<std::string> datasets;
  for (const auto& c : out.coverage) {
    datasets.insert(c.dataset + " " + c.format);
    EXPECT_EQ(c.status, CoverageStatus::kScanned) << c.dataset << ": " << c.reason;
  }
  EXPECT_EQ(datasets, (std::set<std::string>{
                          "crm.db#account sqlite-table", "crm.db#active_contact sqlite-view",
                          "crm.db#contact sqlite-table", "crm.db#email_address sqlite-table",
                          "crm.db#lead sqlite-table", "crm.db#phone_number sqlite-table",
                          "crm.db#product sqlite-table"}));

  const auto found = Inventory(out);
  auto has = [&](const std::string& where, const std::string& entity) {
    auto it = found.find(where);
    return it != found.end() && it->second.count(entity) > 0;
  };
  EXPECT_TRUE(has("crm.db#contact first_name", "PERSON_NAME"));
  EXPECT_TRUE(has("crm.db#contact last_name", "PERSON_NAME"));
  EXPECT_TRUE(has("crm.db#contact address_street", "POSTAL_ADDRESS"));
  EXPECT_TRUE(has("crm.db#contact birthday", "DATE_OF_BIRTH"));
  EXPECT_TRUE(has("crm.db#active_contact birthday", "DATE_OF_BIRTH"));
  EXPECT_TRUE(has("crm.db#email_address name", "EMAIL_ADDRESS"));
  EXPECT_TRUE(has("crm.db#phone_number name", "PHONE_NUMBER"));
  EXPECT_TRUE(has("crm.db#lead email", "EMAIL_ADDRESS"));
  EXPECT_TRUE(has("crm.db#lead phone", "PHONE_NUMBER"));
  EXPECT_TRUE(has("crm.db#lead first_name", "PERSON_NAME"));
  for (const auto& [where, entities] : found) {
    EXPECT_EQ(where.rfind("crm.db#product", 0), std::string::npos) << where;
    EXPECT_EQ(where.rfind("crm.db#account", 0), std::string::npos) << where;
    EXPECT_EQ(where.find("created_at"), std::string::npos) << where;
  }

  // Findings name the file and table (path), the table and the column.
  bool located = false;
  for (const Finding& f : out.findings) {
    if (f.entity != "EMAIL_ADDRESS" || f.location.table != "lead") continue;
    located = true;
    EXPECT_EQ(f.location.kind, "file");
    EXPECT_EQ(f.location.target, "t1");
    EXPECT_EQ(f.location.path, "crm.db#lead");
    EXPECT_EQ(f.location.column, "email");
    for (const auto& sample : f.evidence.samples) {
      EXPECT_EQ(sample.find("mary.johnson@example.com"), std::string::npos) << "masked";
    }
  }
  EXPECT_TRUE(located);
  // The file at rest: personal data in plaintext, readable by others (ENC-07).
  bool enc07 = false;
  for (const Finding& f : out.findings) {
    if (f.rule != "ENC-07") continue;
    enc07 = true;
    EXPECT_EQ(f.location.path, "crm.db");
    EXPECT_EQ(f.title, "Personal-data export in plaintext, readable by other users");
  }
  EXPECT_TRUE(enc07);
}

TEST(SqliteScan, TablesFilterSampleFullAndJobs) {
  Folder folder;
  ExecSql(folder / "crm.db", testing::kCrmSql);
  ExecSql(folder / "crm.db",
          "CREATE TABLE big(email TEXT);"
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) "
          "INSERT INTO big SELECT 'person' || i || '@example.com' FROM n;");
  ScanPlan filtered;
  filtered.table_include = {"main.lead", "main.big"};
  TargetScanOutput out = Scan((folder / "crm.db").string(), filtered);
  std::set<std::string> datasets;
  for (const auto& c : out.coverage) datasets.insert(c.dataset);
  EXPECT_EQ(datasets, (std::set<std::string>{"crm.db#big", "crm.db#lead"}));
  for (const auto& c : out.coverage) {
    if (c.dataset == "crm.db#big") {
      EXPECT_EQ(c.rows, 1000u);
      EXPECT_TRUE(c.sampled);
    }
  }
  ScanPlan full;
  full.full = true;
  full.table_exclude = {"*.lead"};
  out = Scan((folder / "crm.db").string(), full);
  for (const auto& c : out.coverage) {
    EXPECT_NE(c.dataset, "crm.db#lead");
    if (c.dataset == "crm.db#big") {
      EXPECT_EQ(c.rows, 1500u);
      EXPECT_FALSE(c.sampled);
    }
  }
  ScanPlan nothing;
  nothing.table_include = {"main.no_such_table"};
  out = Scan((folder / "crm.db").string(), nothing);
  ASSERT_EQ(out.coverage.size(), 1u);
  EXPECT_EQ(out.coverage[0].status, CoverageStatus::kSkipped);
  EXPECT_TRUE(out.coverage[0].deliberate);

  ScanPlan one, three;
  one.full = three.full = true;
  three.jobs = 3;
  const auto single = Scan((folder / "crm.db").string(), one);
  const auto parallel = Scan((folder / "crm.db").string(), three);
  EXPECT_EQ(Inventory(single), Inventory(parallel));
  EXPECT_EQ(single.findings.size(), parallel.findings.size());
}

TEST(SqliteScan, BadFilesAreCoverageEntriesNamingThem) {
  Folder folder;
  std::ofstream(folder / "notes.db") << "not a database at all\n";
  std::ofstream(folder / "empty.sqlite") << "";
  for (const std::string name : {"notes.db", "empty.sqlite", "missing.db"}) {
    std::vector<std::string> warnings;
    const TargetScanOutput out = Scan((folder / name).string(), {}, &warnings);
    EXPECT_FALSE(out.complete) << name;
    ASSERT_EQ(out.coverage.size(), 1u) << name;
    EXPECT_EQ(out.coverage[0].status, CoverageStatus::kError) << name;
    EXPECT_EQ(out.coverage[0].dataset, name);
    ASSERT_EQ(warnings.size(), 1u) << name;
    EXPECT_EQ(warnings[0].rfind((folder / name).string() + ": ", 0), 0u) << warnings[0];
  }
}

TEST(SqliteScan, AWalModeDatabaseIsReadWithoutAnyFileBesideIt) {
  Folder folder;
  ExecSql(folder / "wal.sqlite", std::string("PRAGMA journal_mode=WAL;") + testing::kCrmSql);
  ASSERT_FALSE(std::filesystem::exists(folder / "wal.sqlite-wal")) << "checkpointed on close";
  const auto before = FolderState(folder.path());
  const TargetScanOutput out = Scan("sqlite://" + (folder / "wal.sqlite").string());
  EXPECT_EQ(FolderState(folder.path()), before) << "no -wal or -shm created";
  EXPECT_TRUE(out.complete);
  EXPECT_FALSE(Inventory(out).empty());

  // With a writer keeping changes in the log, the scan says what it could not see.
  testing::SqliteWriter writer(folder / "wal.sqlite", testing::SqliteWriter::Mode::kOpenWal);
  const auto during = FolderState(folder.path());
  const TargetScanOutput partial = Scan((folder / "wal.sqlite").string());
  EXPECT_EQ(FolderState(folder.path()), during);
  EXPECT_FALSE(partial.complete);
  bool remarked = false;
  for (const auto& c : partial.coverage) {
    if (c.dataset == "wal.sqlite" && c.status == CoverageStatus::kPartial) {
      remarked = c.reason.find("wal.sqlite-wal") != std::string::npos;
    }
  }
  EXPECT_TRUE(remarked);
}

TEST(SqliteScan, ADatabaseMetInAFolderWalk) {
  Folder folder;
  std::filesystem::create_directories(folder / "exports");
  ExecSql(folder / "exports/crm.db", testing::kCrmSql);
  ExecSql(folder / "exports/backup-without-extension", testing::kCrmSql);  // found by its header
  std::ofstream(folder / "exports/contacts.csv") << "name,email\nJane Doe,jane@example.com\n";
  const auto before = FolderState(folder / "exports");
  PlannedTarget target{"t1", "directory", folder.path().string(), folder.path().string()};
  ScanPlan plan;
  plan.targets = {target};
  plan.identity_roots = IdentityRoots(plan.targets);
  Progress progress(false);
  std::vector<std::string> warnings;
  const TargetScanOutput out = ScanFileTarget(target, plan, Policy(), progress, warnings);
  EXPECT_EQ(FolderState(folder / "exports"), before);
  EXPECT_TRUE(out.complete) << (warnings.empty() ? "" : warnings.front());
  const auto found = Inventory(out);
  EXPECT_TRUE(found.count("exports/crm.db#lead email"));
  EXPECT_TRUE(found.count("exports/backup-without-extension#lead email"));
  EXPECT_TRUE(found.count("exports/contacts.csv email"));
  std::set<std::string> ids;
  for (const Finding& f : out.findings) {
    EXPECT_TRUE(ids.insert(f.id).second) << "two findings share an id: " << f.location.path;
  }
}

}  // namespace
}  // namespace crmaudit
