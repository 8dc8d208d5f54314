// SQLite databases through the real binary, as a security officer would scan them: a CRM
// database given as `sqlite:///path` beside a CSV export; a .db that is not SQLite, one
// encrypted by SQLCipher (random bytes), one another process is writing to, and a missing one
// are coverage errors naming the file (exit 3) while the other targets are still scanned; the
// folder holding the databases is byte for byte the same afterwards.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <set>
#include <string>

#include "tests/integration/cli_harness.h"
#include "tests/support/sqlite_fixture.h"

namespace crmaudit::testing {
namespace {

namespace fs = std::filesystem;

const nlohmann::json* Coverage(const nlohmann::json& report, const std::string& dataset) {
  for (const auto& c : report["coverage"]) {
    if (c["dataset"] == dataset) return &c;
  }
  return nullptr;
}

std::set<std::string> EntitiesIn(const nlohmann::json& report, const std::string& dataset,
                                 const std::string& column) {
  std::set<std::string> types;
  for (const auto& entry : report["inventory"]) {
    if (entry["dataset"] != dataset || entry["column"] != column) continue;
    for (const auto& entity : entry["entities"]) types.insert(entity["type"].get<std::string>());
  }
  return types;
}

TEST(SqliteCli, CrmDatabaseAndBadFilesInOneRun) {
  ScratchDir scratch;
  const fs::path dbs = scratch.path() / "dbs";
  fs::create_directories(dbs);
  ExecSql(dbs / "crm.db", kCrmSql);
  ExecSql(dbs / "busy.db", kCrmSql);
  scratch.Write("dbs/notes.db", "id,name,email\n1,Jane Doe,jane@example.com\n");
  std::string random(16384, '\0');
  std::mt19937 generator(2026);
  for (char& c : random) c = static_cast<char>(generator());
  scratch.Write("dbs/vault.sqlite", random);
  scratch.Write("exports/contacts.csv",
                "name,email\nJane Doe,jane.doe@example.com\nJohn Roe,john.roe@example.com\n");
  SqliteWriter writer(dbs / "busy.db", SqliteWriter::Mode::kExclusiveLock);
  const auto before = FolderState(dbs);

  const CliRun run =
      RunCrmauditDirect({"scan", "sqlite://" + (dbs / "crm.db").string(),
                         (dbs / "notes.db").string(), (dbs / "vault.sqlite").string(),
                         (dbs / "busy.db").string(), (dbs / "missing.sqlite3").string(), "exports",
                         "--out", "out", "--format", "json,html,sarif", "--fail-on", "never"},
                        scratch.path());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_EQ(FolderState(dbs), before) << "no file created or changed beside the databases";

  // Each bad file is named on stderr with its reason.
  for (const std::string line :
       {"notes.db: not a SQLite database", "vault.sqlite: not readable as SQLite",
        "busy.db: locked: another process is writing", "missing.sqlite3: target not found"}) {
    EXPECT_NE(run.err.find(line), std::string::npos) << line << "\n" << run.err;
  }
  const nlohmann::json report = ReadJson(scratch.path() / "out" / "report.json");
  EXPECT_FALSE(report["scan"]["complete"].get<bool>());
  std::set<std::string> kinds;
  for (const auto& t : report["targets"]) kinds.insert(t["kind"].get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"sqlite", "directory"}));
  for (const std::string name : {"notes.db", "vault.sqlite", "busy.db", "missing.sqlite3"}) {
    const nlohmann::json* entry = Coverage(report, name);
    ASSERT_NE(entry, nullptr) << name;
    EXPECT_EQ((*entry)["status"], "error") << name;
  }
  EXPECT_NE((*Coverage(report, "vault.sqlite"))["reason"].get<std::string>().find("SQLCipher"),
            std::string::npos);

  // The good database and the export are scanned all the same.
  const nlohmann::json* lead = Coverage(report, "crm.db#lead");
  ASSERT_NE(lead, nullptr);
  EXPECT_EQ((*lead)["status"], "scanned");
  EXPECT_EQ((*lead)["format"], "sqlite-table");
  EXPECT_EQ((*lead)["rows"], 5);
  EXPECT_TRUE(EntitiesIn(report, "crm.db#lead", "email").count("EMAIL_ADDRESS"));
  EXPECT_TRUE(EntitiesIn(report, "crm.db#contact", "birthday").count("DATE_OF_BIRTH"));
  EXPECT_TRUE(EntitiesIn(report, "crm.db#contact", "address_street").count("POSTAL_ADDRESS"));
  EXPECT_TRUE(EntitiesIn(report, "crm.db#phone_number", "name").count("PHONE_NUMBER"));
  EXPECT_TRUE(EntitiesIn(report, "contacts.csv", "email").count("EMAIL_ADDRESS"));
  bool located = false;
  for (const auto& f : report["findings"]) {
    const auto& l = f["location"];
    if (l.value("path", "") == "crm.db#lead" && l.value("column", "") == "email") {
      located = l.value("table", "") == "lead" && l["kind"] == "file";
    }
  }
  EXPECT_TRUE(located) << "a finding names file, table and column";
  const std::string html = ReadFile(scratch.path() / "out" / "report.html");
  EXPECT_NE(html.find("crm.db#lead"), std::string::npos);
  // The new target kind is part of the published schema.
  const std::string validate =
      "/usr/bin/python3 -c \"import json,sys,jsonschema; "
      "s=json.load(open(sys.argv[1])); r=json.load(open(sys.argv[2])); "
      "jsonschema.Draft202012Validator(s).validate(r)\" " +
      std::string(CRMAUDIT_SOURCE_DIR) + "/docs/report-schema.json " +
      (scratch.path() / "out/report.json").string();
  EXPECT_EQ(std::system(validate.c_str()), 0) << "report.json does not match the schema";
}

TEST(SqliteCli, DatabasesMetInAFolderAreScannedTableByTable) {
  ScratchDir scratch;
  fs::create_directories(scratch.path() / "share");
  ExecSql(scratch.path() / "share" / "app.sqlite3", kCrmSql);
  const auto before = FolderState(scratch.path() / "share");
  const CliRun run = RunCrmauditDirect({"scan", "share", "--out", "out", "--format", "json",
                                        "--fail-on", "never", "--tables", "main.lead", "--full"},
                                       scratch.path());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(FolderState(scratch.path() / "share"), before);
  const nlohmann::json report = ReadJson(scratch.path() / "out" / "report.json");
  std::set<std::string> datasets;
  for (const auto& c : report["coverage"]) datasets.insert(c["dataset"].get<std::string>());
  EXPECT_EQ(datasets, (std::set<std::string>{"app.sqlite3#lead"}));
  EXPECT_TRUE(EntitiesIn(report, "app.sqlite3#lead", "phone").count("PHONE_NUMBER"));
}

}  // namespace
}  // namespace crmaudit::testing
