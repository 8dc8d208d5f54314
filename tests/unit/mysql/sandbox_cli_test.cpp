// Through the real binary against a real throwaway MariaDB, as a user runs it: the sample CRM's
// personal data is found where it lives (names, addresses, birth dates, e-mails, phones, the gbk
// and latin1 columns, inside JSON, through a view, in a second database); coverage says what was
// read, sampled or not; option files replace a password on the command line; bad input ends
// with exit 3, a reason naming the target or table, and the other targets still scanned; the
// password is never printed or written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/mysql/sandbox.h"
#include "tests/unit/postgres/cli_run.h"

namespace crmaudit {
namespace {

using testing::AdminConnection;
using testing::CliRun;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::SharedMariaSandboxTest;

class MariaCli : public SharedMariaSandboxTest<MariaCli> {
 protected:
  static CliRun Scan(const std::vector<std::string>& args,
                     const std::vector<std::string>& env = {}) {
    return testing::RunScan(sandbox_->dir(), args, env);
  }
  // dataset.column → entity types found there.
  static std::map<std::string, std::set<std::string>> Inventory(const CliRun& run) {
    std::map<std::string, std::set<std::string>> found;
    if (!run.report.is_object()) return found;
    for (const auto& entry : run.report["inventory"]) {
      for (const auto& entity : entry["entities"]) {
        found[entry["dataset"].get<std::string>() + "." + entry["column"].get<std::string>()]
            .insert(entity["type"].get<std::string>());
      }
    }
    return found;
  }
};

TEST_F(MariaCli, FindsTheSampleCrmsPersonalDataWhereItLives) {
  CliRun run = Scan({sandbox_->Uri(), "--full", "--jobs", "2", "--fail-on", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  ASSERT_TRUE(run.report.is_object());
  EXPECT_EQ(run.report["targets"][0]["kind"], "mysql");
  const auto inventory = Inventory(run);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"crm.contacts.first_name", "PERSON_NAME"},
      {"crm.contacts.last_name", "PERSON_NAME"},
      {"crm.contacts.birthdate", "DATE_OF_BIRTH"},
      {"crm.contacts.primary_address_street", "POSTAL_ADDRESS"},
      {"crm.contacts.phone_mobile", "PHONE_NUMBER"},
      {"crm.leads.last_name", "PERSON_NAME"},  // latin1
      {"crm.leads.phone_mobile", "PHONE_NUMBER"},
      {"crm.accounts.phone_office", "PHONE_NUMBER"},
      {"crm.email_addresses.email_address", "EMAIL_ADDRESS"},
      {"crm.contacts_cstm.local_name_c", "PERSON_NAME"},                   // gbk
      {"crm.contacts_cstm.preferences_c.contact.email", "EMAIL_ADDRESS"},  // JSON
      {"crm.contacts_cstm.preferences_c.contact.phone", "PHONE_NUMBER"},
      {"crm.contact_directory.email_address", "EMAIL_ADDRESS"},   // a view
      {"crm_archive.leads_2019.email_address", "EMAIL_ADDRESS"},  // a second database
  };
  for (const auto& [column, entity] : expected) {
    auto it = inventory.find(column);
    ASSERT_NE(it, inventory.end()) << column << " not in the inventory";
    EXPECT_THAT(it->second, Contains(entity)) << column;
  }
  for (const char* dataset : {"crm.contacts", "crm.leads", "crm_archive.leads_2019"}) {
    const auto entry = run.Coverage(dataset);
    ASSERT_TRUE(entry.is_object()) << dataset;
    EXPECT_EQ(entry["status"], "scanned") << dataset;
    EXPECT_EQ(entry["format"], "mysql-table");
    EXPECT_EQ(entry["encoding"], "utf8mb4");
  }
  EXPECT_EQ(run.Coverage("crm.contacts")["rows"], 300);
  EXPECT_EQ(run.Coverage("crm.contact_directory")["format"], "mysql-view");
  for (const auto& entry : run.report["coverage"]) {
    const std::string dataset = entry.value("dataset", "");
    EXPECT_THAT(dataset, Not(::testing::StartsWith("mysql."))) << "system schema scanned";
    EXPECT_THAT(dataset, Not(::testing::StartsWith("performance_schema.")));
  }
  // Masked samples only: no raw value of the sample reaches the report.
  const std::string text = run.report.dump();
  EXPECT_THAT(text, Not(HasSubstr("@example.com")));
  EXPECT_THAT(text, Not(HasSubstr(sandbox_->password())));
}

TEST_F(MariaCli, SamplingIsTheDefaultAndCoverageSaysSo) {
  CliRun run = Scan({sandbox_->Uri("crm"), "--sample-rows", "40", "--fail-on", "never", "--tables",
                     "crm.contacts", "--tables", "crm.users"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.contacts")["rows"], 40);
  EXPECT_EQ(run.Coverage("crm.contacts")["sampled"], true);
  EXPECT_EQ(run.Coverage("crm.users")["rows"], 12);
  EXPECT_EQ(run.Coverage("crm.leads"), nullptr) << "--tables limits the scan";
  EXPECT_EQ(run.Coverage("crm_archive.leads_2019"), nullptr) << "the URI names one database";
}

TEST_F(MariaCli, OptionFilesReplaceAPasswordOnTheCommandLine) {
  CliRun named =
      Scan({"mariadb://localhost/crm?defaults-file=" + sandbox_->Env("MARIADB_DEFAULTS_FILE") +
                "&socket=" + sandbox_->socket(),
            "--tables", "crm.users", "--fail-on", "never"});
  EXPECT_EQ(named.exit_code, 0) << named.stderr_text;
  EXPECT_EQ(named.Coverage("crm.users")["status"], "scanned");

  const std::string home = sandbox_->dir() + "/home";
  std::filesystem::create_directories(home);
  std::filesystem::copy_file(sandbox_->Env("MARIADB_DEFAULTS_FILE"), home + "/.my.cnf",
                             std::filesystem::copy_options::overwrite_existing);
  CliRun my_cnf = Scan({"mysql://localhost/crm?socket=" + sandbox_->socket(), "--tables",
                        "crm.users", "--fail-on", "never"},
                       {"HOME=" + home});
  EXPECT_EQ(my_cnf.exit_code, 0) << my_cnf.stderr_text;
  EXPECT_EQ(my_cnf.Coverage("crm.users")["status"], "scanned");
}

TEST_F(MariaCli, AnAuditFileScansMariadbWithThePasswordFromItsEnvironmentVariable) {
  // What a scheduled audit does: the audit file names the server, its socket relative to the
  // file, and the variable the password comes from; nothing secret is written in it.
  const std::string folder = sandbox_->dir() + "/audit-config";
  std::filesystem::create_directories(folder);
  const std::string link = folder + "/mysqld.sock";
  std::filesystem::remove(link);
  std::filesystem::create_symlink(sandbox_->socket(), link);
  {
    std::ofstream(folder + "/audit.json") << R"({
      "targets": [{"mysql": "mariadb://)" << sandbox_->user()
                                          << R"(@localhost/crm?socket=mysqld.sock",
                   "password_env": "CRMAUDIT_MARIADB_PASSWORD"}],
      "tables": ["crm.users"], "fail_on": "never", "out": {"dated_subfolder": false}})";
  }
  CliRun run = Scan({"--config", folder + "/audit.json"},
                    {"CRMAUDIT_MARIADB_PASSWORD=" + sandbox_->password()});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.users")["status"], "scanned");
  EXPECT_THAT(run.report.dump(), Not(HasSubstr(sandbox_->password())));
  EXPECT_THAT(run.stderr_text, Not(HasSubstr(sandbox_->password())));

  CliRun unset = Scan({"--config", folder + "/audit.json"});
  EXPECT_EQ(unset.exit_code, 2) << "a missing password variable is a usage error";
  EXPECT_THAT(unset.stderr_text, HasSubstr("CRMAUDIT_MARIADB_PASSWORD is not set"));
}

TEST_F(MariaCli, WrongPasswordIsExit3NamingTheTargetNeverThePassword) {
  const std::string secret = "Wr0ng-Secret-Pw";
  const std::string uri =
      "mariadb://crmaudit_scan:" + secret + "@localhost/crm?socket=" + sandbox_->socket();
  // A second target after the failing one is still scanned.
  CliRun run = Scan({uri, sandbox_->Uri("crm"), "--tables", "crm.users", "--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_THAT(run.stderr_text, HasSubstr("access denied for user 'crmaudit_scan'"));
  EXPECT_THAT(run.stderr_text, HasSubstr("mariadb://crmaudit_scan@localhost/crm"));
  EXPECT_THAT(run.stderr_text, Not(HasSubstr(secret)));
  EXPECT_THAT(run.stderr_text, Not(HasSubstr(sandbox_->password())));
  ASSERT_TRUE(run.report.is_object());
  const std::string text = run.report.dump();
  EXPECT_THAT(text, Not(HasSubstr(secret)));
  EXPECT_THAT(text, Not(HasSubstr(sandbox_->password())));
  EXPECT_EQ(run.report["scan"]["complete"], false);
  bool failed_entry = false;
  for (const auto& entry : run.report["coverage"]) {
    if (entry["target"] == "t1" && entry["status"] == "error") {
      failed_entry = true;
      EXPECT_THAT(entry["reason"].get<std::string>(), HasSubstr("access denied"));
    }
  }
  EXPECT_TRUE(failed_entry);
  EXPECT_EQ(run.Coverage("crm.users")["status"], "scanned") << "the second target was scanned";
}

TEST_F(MariaCli, NoServerAtTheSocketIsExit3WithinSeconds) {
  CliRun run = Scan({"mysql://crmaudit_scan@localhost/crm?socket=" + sandbox_->dir() + "/gone.sock",
                     "--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.stderr_text, HasSubstr("gone.sock: no server listening"));
  EXPECT_LT(run.seconds, 10);
}

TEST_F(MariaCli, LockedTableIsACoverageEntryAndTheOthersAreStillRead) {
  AdminConnection holder(*sandbox_);
  ASSERT_TRUE(holder.Exec("LOCK TABLES crm.leads WRITE"));
  CliRun run = Scan({sandbox_->Uri("crm"), "--lock-timeout-ms", "1000", "--fail-on", "never",
                     "--tables", "crm.leads", "--tables", "crm.users"});
  holder.Exec("UNLOCK TABLES");
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.leads")["status"], "error");
  EXPECT_THAT(run.Coverage("crm.leads")["reason"].get<std::string>(),
              HasSubstr("locked: lock_wait_timeout after 1 s"));
  EXPECT_THAT(run.stderr_text, HasSubstr("crm.leads"));
  EXPECT_EQ(run.Coverage("crm.users")["status"], "scanned");
  EXPECT_LT(run.seconds, 20);
}

TEST_F(MariaCli, OneConnectionPerJobReadsTheCatalogTheTablesAndTheServerFacts) {
  // Every connection costs the server a thread and an authentication; the catalog, every
  // table's read and the control facts share them. The server's own counter of connection
  // attempts, read on one admin connection before and after, so it counts only the scan's.
  AdminConnection admin(*sandbox_);
  auto connections = [&admin]() {
    return std::stoi(
        admin.Query1("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                     "WHERE VARIABLE_NAME = 'CONNECTIONS'"));
  };
  int before = connections();
  CliRun run = Scan({sandbox_->Uri("crm"), "--fail-on", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.contacts")["status"], "scanned");
  EXPECT_EQ(run.Coverage("crm.leads")["status"], "scanned");
  bool judged = false;  // the server's facts were read: MY- controls were assessed
  for (const auto& control : run.report["controls"]) {
    const std::string rule = control.value("rule", "");
    if (rule.rfind("MY-", 0) == 0 && control.value("status", "") != "not_assessed") judged = true;
  }
  EXPECT_TRUE(judged) << "no MySQL control assessed";
  EXPECT_EQ(connections() - before, 1) << "--jobs 1 opened more than one connection";
  before = connections();
  run = Scan({sandbox_->Uri("crm"), "--fail-on", "never", "--jobs", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.leads")["status"], "scanned");
  EXPECT_EQ(connections() - before, 2) << "--jobs 2 over several tables: one per job";
}

TEST_F(MariaCli, TheThrottleBoundsTheReadAndLiftsTheStatementLimitForIt) {
  // 300 rows at 100 rows/s: about 3 s, longer than the 1 s statement limit, which a throttled
  // read must not meet (it lasts as long as its rate makes it).
  CliRun run =
      Scan({sandbox_->Uri("crm"), "--tables", "crm.contacts", "--full", "--max-rows-per-second",
            "100", "--statement-timeout-ms", "1000", "--fail-on", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.Coverage("crm.contacts")["status"], "scanned");
  EXPECT_EQ(run.Coverage("crm.contacts")["rows"], 300);
  EXPECT_GE(run.seconds, 2.5) << "300 rows at 100 rows/s, less a burst";
  EXPECT_EQ(run.report["scan"]["options"]["max_rows_per_second"], "100");
  // Unthrottled, the same read takes a fraction of that.
  run = Scan({sandbox_->Uri("crm"), "--tables", "crm.contacts", "--full", "--fail-on", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_LT(run.seconds, 2.5);
  // A throttled read still ends at --timeout, as an incomplete entry.
  run = Scan({sandbox_->Uri("crm"), "--tables", "crm.contacts", "--full", "--max-rows-per-second",
              "20", "--timeout", "2s", "--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_LT(run.seconds, 10);
  EXPECT_NE(run.Coverage("crm.contacts")["status"], "scanned");
  EXPECT_LT(run.Coverage("crm.contacts")["rows"].get<uint64_t>(), 300u);
  EXPECT_THAT(run.Coverage("crm.contacts")["reason"].get<std::string>(), HasSubstr("--timeout"));
}

TEST_F(MariaCli, BadUriIsExit3NamingTheProblem) {
  CliRun run =
      Scan({"mysql://crmaudit_scan@localhost/crm?ssl-mode=sometimes", "--fail-on", "never"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.stderr_text, HasSubstr("unknown ssl-mode \"sometimes\""));
}

}  // namespace
}  // namespace crmaudit
