// Test helper: a throwaway MariaDB server started by scripts/mariadb-sandbox, loaded with the
// sample CRM database (examples/mariadb-crm). A missing MariaDB installation is a loud failure,
// never a skip: these tests are the proof that the scanner works against a real server.
#pragma once

#include <gtest/gtest.h>
#include <mysql.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "scanner/sources/mysql/mysql_session.h"
#include "scanner/sources/mysql/mysql_uri.h"

namespace crmaudit::testing {

class MariaSandbox {
 public:
  // Starts and loads a sandbox in a fresh temp folder, listening on its Unix socket and, with
  // `tcp`, on a free port of 127.0.0.1 too. On failure `error()` says why.
  bool Start(bool tcp = false) {
    char pattern[] = "/tmp/crmaudit-maria-XXXXXX";
    const char* made = mkdtemp(pattern);
    if (made == nullptr) return Fail("mkdtemp failed");
    dir_ = made;
    const std::string script = Script();
    if (Run(script + " start " + dir_ + (tcp ? " --tcp" : "") + " > " + dir_ + ".start.log 2>&1") !=
        0) {
      return Fail("scripts/mariadb-sandbox start failed (MariaDB server binaries missing?): see " +
                  dir_ + ".start.log");
    }
    if (Run(script + " load " + dir_ + " > " + dir_ + ".load.log 2>&1") != 0) {
      return Fail("scripts/mariadb-sandbox load failed: see " + dir_ + ".load.log");
    }
    std::ifstream env(dir_ + "/mariadb.env");
    std::string line;
    while (std::getline(env, line)) {
      auto eq = line.find('=');
      if (eq == std::string::npos) continue;
      std::string value = line.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
        value = value.substr(1, value.size() - 2);
      }
      env_[line.substr(0, eq)] = value;
    }
    if (env_["MARIADB_SOCKET"].empty()) return Fail("mariadb.env has no MARIADB_SOCKET");
    return true;
  }

  void Stop() {
    if (dir_.empty()) return;
    Run(Script() + " stop " + dir_ + " > /dev/null 2>&1");
    std::filesystem::remove(dir_ + ".start.log");
    std::filesystem::remove(dir_ + ".load.log");
    dir_.clear();
  }

  const std::string& dir() const { return dir_; }
  const std::string& error() const { return error_; }
  std::string Env(const std::string& name) const {
    auto it = env_.find(name);
    return it == env_.end() ? std::string() : it->second;
  }
  std::string socket() const { return Env("MARIADB_SOCKET"); }
  std::string user() const { return Env("MARIADB_USER"); }
  std::string password() const { return Env("MARIADB_PASSWORD"); }

  // The scanning account's URI: every database it can see (`database` empty), or one.
  std::string Uri(const std::string& database = "", const std::string& scheme = "mariadb") const {
    return scheme + "://" + user() + ":" + Escaped(password()) + "@localhost/" + database +
           "?socket=" + socket();
  }

  // The scanning account's connection options, or the administrator's (root over the socket).
  MysqlConnectOptions ScanOptions(const std::string& database = "") const {
    return ParseMysqlUri(Uri(database));
  }
  MysqlConnectOptions AdminOptions() const {
    MysqlConnectOptions options;
    options.defaults_file = Env("MARIADB_ADMIN_DEFAULTS_FILE");
    options.socket = socket();
    return options;
  }
  // A plain administrator session (our read-only session class; writes go through Admin()).
  std::unique_ptr<MysqlSession> Open(const MysqlConnectOptions& options,
                                     MysqlSessionSettings settings = {}) const {
    MysqlFailure failure;
    auto session = MysqlSession::Open(options, settings, &failure);
    EXPECT_TRUE(session) << failure.Describe();
    return session;
  }

  // Runs SQL as the administrator with the mariadb client (autocommit); 0 on success.
  int Admin(const std::string& sql) const {
    const std::string file = dir_ + "/admin-statement.sql";
    std::ofstream(file) << sql << "\n";
    return Run(Script() + " sql " + dir_ + " < " + file + " > /dev/null 2>&1");
  }

  static int Run(const std::string& command) { return std::system(command.c_str()); }

 private:
  static std::string Script() {
    return std::string(CRMAUDIT_SOURCE_DIR) + "/scripts/mariadb-sandbox";
  }
  static std::string Escaped(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
        out.push_back(static_cast<char>(c));
      } else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", c);
        out += hex;
      }
    }
    return out;
  }
  bool Fail(std::string why) {
    error_ = std::move(why);
    return false;
  }
  std::string dir_, error_;
  std::map<std::string, std::string> env_;
};

// A plain read-write administrator connection (root over the socket), for what a test does to
// the server from another session: lock a table, kill a connection, add rows.
class AdminConnection {
 public:
  explicit AdminConnection(const MariaSandbox& sandbox) {
    mysql_ = mysql_init(nullptr);
    mysql_optionsv(mysql_, MYSQL_READ_DEFAULT_FILE,
                   sandbox.Env("MARIADB_ADMIN_DEFAULTS_FILE").c_str());
    mysql_optionsv(mysql_, MYSQL_READ_DEFAULT_GROUP, "client");
    mysql_optionsv(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    connected_ = mysql_real_connect(mysql_, nullptr, nullptr, nullptr, nullptr, 0,
                                    sandbox.socket().c_str(), 0) != nullptr;
    EXPECT_TRUE(connected_) << mysql_error(mysql_);
  }
  ~AdminConnection() { mysql_close(mysql_); }
  AdminConnection(const AdminConnection&) = delete;
  AdminConnection& operator=(const AdminConnection&) = delete;

  // Runs one statement; its result, if any, is dropped. False (with the error) on failure.
  bool Exec(const std::string& sql) {
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
      ADD_FAILURE() << sql.substr(0, 80) << ": " << mysql_error(mysql_);
      return false;
    }
    if (MYSQL_RES* result = mysql_store_result(mysql_)) mysql_free_result(result);
    return true;
  }
  // The first column of the first row, or "" (NULL or no row).
  std::string Query1(const std::string& sql) {
    std::string value;
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
      ADD_FAILURE() << sql.substr(0, 80) << ": " << mysql_error(mysql_);
      return value;
    }
    if (MYSQL_RES* result = mysql_store_result(mysql_)) {
      if (MYSQL_ROW row = mysql_fetch_row(result); row != nullptr && row[0] != nullptr) {
        value = row[0];
      }
      mysql_free_result(result);
    }
    return value;
  }

 private:
  MYSQL* mysql_ = nullptr;
  bool connected_ = false;
};

// The fixture of a suite whose tests share one sandbox: started before the suite's first test,
// stopped after its last. A sandbox that could not start fails every test loudly.
template <typename Suite>
class SharedMariaSandboxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { StartSharedSandbox(); }
  static void StartSharedSandbox(bool tcp = false) {
    sandbox_ = new MariaSandbox();
    try {
      started_ = sandbox_->Start(tcp);
    } catch (const std::exception&) {
      started_ = false;
    }
  }
  static void TearDownTestSuite() {
    sandbox_->Stop();
    delete sandbox_;
    sandbox_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(started_) << "MariaDB sandbox unavailable: " << sandbox_->error();
  }

  static inline MariaSandbox* sandbox_ = nullptr;
  static inline bool started_ = false;
};

}  // namespace crmaudit::testing
