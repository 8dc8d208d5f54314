// Test helper: a throwaway PostgreSQL cluster started by scripts/pg-sandbox, loaded with the
// sample CRM database (examples/crm-db). A missing PostgreSQL installation is a loud failure,
// never a skip: these tests are the proof that the scanner works against a real server.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <string>

namespace crmaudit::testing {

class Sandbox {
 public:
  // Starts and loads a sandbox in a fresh temp folder. On failure `error()` says why.
  bool Start() {
    char pattern[] = "/tmp/crmaudit-pg-XXXXXX";
    const char* made = mkdtemp(pattern);
    if (made == nullptr) return Fail("mkdtemp failed");
    dir_ = made;
    const std::string script = std::string(CRMAUDIT_SOURCE_DIR) + "/scripts/pg-sandbox";
    if (Run(script + " start " + dir_ + " > " + dir_ + ".start.log 2>&1") != 0) {
      return Fail("scripts/pg-sandbox start failed (PostgreSQL server binaries missing?): see " +
                  dir_ + ".start.log");
    }
    if (Run(script + " load " + dir_ + " > " + dir_ + ".load.log 2>&1") != 0) {
      return Fail("scripts/pg-sandbox load failed: see " + dir_ + ".load.log");
    }
    std::ifstream env(dir_ + "/pg.env");
    std::string line;
    while (std::getline(env, line)) {
      auto eq = line.find('=');
      if (eq != std::string::npos) env_[line.substr(0, eq)] = line.substr(eq + 1);
    }
    if (env_["PGPORT"].empty()) return Fail("pg.env has no PGPORT");
    return true;
  }

  void Stop() {
    if (dir_.empty()) return;
    const std::string script = std::string(CRMAUDIT_SOURCE_DIR) + "/scripts/pg-sandbox";
    Run(script + " stop " + dir_ + " > /dev/null 2>&1");
    std::filesystem::remove(dir_ + ".start.log");
    std::filesystem::remove(dir_ + ".load.log");
    dir_.clear();
  }

  const std::string& dir() const { return dir_; }
  const std::string& error() const { return error_; }
  std::string port() const { return env_.at("PGPORT"); }

  // Over the Unix socket (trust), as any role.
  std::string SocketConnInfo(const std::string& user = "postgres",
                             const std::string& database = "crm") const {
    return "host=" + dir_ + " port=" + port() + " user=" + user + " dbname=" + database;
  }
  // Once the socket no longer trusts (the hardened variant), the superuser connects over TLS.
  void UseSuperuserPassword(std::string password) { superuser_password_ = std::move(password); }
  std::string SuperuserConnInfo(const std::string& database = "crm") const {
    if (superuser_password_.empty()) return SocketConnInfo("postgres", database);
    return "host=127.0.0.1 port=" + port() + " user=postgres dbname=" + database +
           " sslmode=require password=" + superuser_password_;
  }
  // Over TCP on 127.0.0.1 with a password, as a postgresql:// URI.
  std::string TcpUri(const std::string& user, const std::string& password,
                     const std::string& database = "crm") const {
    return "postgresql://" + user + ":" + password + "@127.0.0.1:" + port() + "/" + database +
           "?sslmode=disable";
  }

  // Runs SQL as the superuser in `database` (autocommit).
  void Exec(const std::string& sql, const std::string& database = "crm") const {
    pqxx::connection connection(SuperuserConnInfo(database));
    pqxx::nontransaction tx(connection);
    tx.exec(sql);
  }
  std::string Query1(const std::string& sql, const std::string& database = "crm") const {
    pqxx::connection connection(SuperuserConnInfo(database));
    pqxx::nontransaction tx(connection);
    auto row = tx.exec1(sql);
    return row[0].is_null() ? std::string() : row[0].as<std::string>();
  }
  // Runs a SQL file with psql as the superuser.
  int ExecFile(const std::string& path, const std::string& database = "crm") const {
    return Run("runuser -u postgres -- " + env_.at("PGSANDBOX_BIN") +
               "/psql -X -q -v ON_ERROR_STOP=1 -h " + dir_ + " -p " + port() + " -U postgres -d " +
               database + " -f " + path + " > /dev/null 2>&1");
  }

  // Runs a shell command as the OS user postgres (server-side tools: pg_ctl, pgbackrest).
  static int RunAsPostgres(const std::string& command) {
    return Run("runuser -u postgres -- sh -c '" + command + "'");
  }
  std::string bin() const { return env_.at("PGSANDBOX_BIN"); }

  static int Run(const std::string& command) { return std::system(command.c_str()); }

 private:
  bool Fail(std::string why) {
    error_ = std::move(why);
    return false;
  }
  std::string dir_, error_, superuser_password_;
  std::map<std::string, std::string> env_;
};

// The fixture of a suite whose tests share one sandbox (one per Suite type): started before
// the suite's first test, stopped after its last. A sandbox that could not start fails every
// test of the suite loudly, never skips it. A suite that loads more data defines its own
// SetUpTestSuite, calling StartSharedSandbox() first.
template <typename Suite>
class SharedSandboxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { StartSharedSandbox(); }
  static void TearDownTestSuite() {
    sandbox_->Stop();
    delete sandbox_;
    sandbox_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(started_) << "PostgreSQL sandbox unavailable: " << sandbox_->error();
  }

  static void StartSharedSandbox() {
    sandbox_ = new Sandbox();
    try {
      started_ = sandbox_->Start();
    } catch (const std::exception&) {
      started_ = false;
    }
  }

  static inline Sandbox* sandbox_ = nullptr;
  static inline bool started_ = false;
};

}  // namespace crmaudit::testing
