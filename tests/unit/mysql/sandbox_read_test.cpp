// Against a real throwaway MariaDB (scripts/mariadb-sandbox, examples/mariadb-crm): the session
// is polite and read-only, discovery finds what the account can see, the reader delivers the
// latin1/gbk/JSON columns correctly decoded, samples and full reads differ as documented, and
// every bad input (wrong password, no server, a locked table, a killed connection, a statement
// over its time limit, a huge cell) ends as a clear failure naming the table, never a hang.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scanner/sources/mysql/mysql_catalog.h"
#include "scanner/sources/mysql/mysql_session.h"
#include "scanner/sources/mysql/mysql_table_reader.h"
#include "scanner/sources/mysql/mysql_uri.h"
#include "scanner/sources/record_sink.h"
#include "tests/unit/mysql/sandbox.h"

namespace crmaudit {
namespace {

using testing::AdminConnection;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::SharedMariaSandboxTest;

// Keeps every value per declared column name (test memory only).
class CollectingSink : public RecordSink {
 public:
  size_t DeclareColumn(std::string_view name) override {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return i;
    }
    names.emplace_back(name);
    values.emplace_back();
    return names.size() - 1;
  }
  void Field(size_t column, std::string_view value) override { values[column].emplace_back(value); }
  void EndRecord() override {
    ++records;
    if (on_record) on_record(records);
  }
  std::vector<std::string> Values(const std::string& column) const {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == column) return values[i];
    }
    return {};
  }
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> values;
  size_t records = 0;
  std::function<void(size_t)> on_record;
};

class MariaRead : public SharedMariaSandboxTest<MariaRead> {
 protected:
  static void SetUpTestSuite() { StartSharedSandbox(/*tcp=*/true); }

  static std::vector<MysqlTable> Discover(MysqlSession& session, RelationFilter filter = {},
                                          const std::string& only = "") {
    std::vector<MysqlTable> tables;
    MysqlFailure failure;
    EXPECT_TRUE(DiscoverMysqlTables(session, filter, only, &tables, &failure))
        << failure.Describe();
    return tables;
  }
  static MysqlTable Table(MysqlSession& session, const std::string& schema,
                          const std::string& name) {
    for (auto& table : Discover(session)) {
      if (table.schema == schema && table.name == name) return table;
    }
    ADD_FAILURE() << "no table " << schema << "." << name;
    return {};
  }
  static std::set<std::string> Names(const std::vector<MysqlTable>& tables) {
    std::set<std::string> names;
    for (const auto& t : tables) names.insert(t.schema + "." + t.name);
    return names;
  }
};

// ---- connecting -----------------------------------------------------------------------------

TEST(MysqlUri, PartsOptionsAndErrorsThatNeverQuoteThePassword) {
  MysqlConnectOptions o = ParseMysqlUri(
      "mariadb://scan%40crm:p%40ss:w@db.example:3307/crm?ssl-mode=verify_identity&ssl_ca=/ca.pem"
      "&connect-timeout=3");
  EXPECT_EQ(o.user, "scan@crm");
  EXPECT_EQ(o.password.value_or(""), "p@ss:w");
  EXPECT_EQ(o.host, "db.example");
  EXPECT_EQ(o.port, 3307u);
  EXPECT_EQ(o.database, "crm");
  EXPECT_EQ(o.ssl_mode, MysqlSslMode::kVerifyIdentity);
  EXPECT_EQ(o.ssl_ca, "/ca.pem");
  EXPECT_EQ(o.connect_timeout_s, 3);
  MysqlConnectOptions s = ParseMysqlUri("mysql://localhost/?socket=/run/x.sock&defaults-file=/a");
  EXPECT_EQ(s.socket, "/run/x.sock");
  EXPECT_EQ(s.defaults_file, "/a");
  EXPECT_FALSE(s.password.has_value()) << "no password: the option files' (or none)";
  EXPECT_EQ(DescribeEndpoint(s), "socket /run/x.sock");
  // A password typed where the port belongs must not be echoed back.
  try {
    ParseMysqlUri("mysql://scan:TopSecret9@db:TopSecret9/crm");
    ADD_FAILURE() << "accepted a non-numeric port";
  } catch (const MysqlUriError& error) {
    EXPECT_THAT(error.what(), Not(HasSubstr("TopSecret9")));
  }
  EXPECT_THROW(ParseMysqlUri("mysql://db/crm?ssl-mode=sometimes"), MysqlUriError);
  EXPECT_THROW(ParseMysqlUri("mysql://db/crm?sslcert_typo=1"), MysqlUriError);
}

TEST(MysqlUri, FormattedOptionsReadBackExactlyWhateverTheyHold) {
  MysqlConnectOptions o;
  o.user = "scan@crm:x";
  o.password = "p@ss:w/rd%&#? 密";
  o.host = "db.example";
  o.port = 3307;
  o.database = "crm data";
  o.socket = "/run/my sock/m&d.sock";
  o.defaults_file = "/etc/crmaudit/scan#1.cnf";
  o.ssl_mode = MysqlSslMode::kVerifyCa;
  o.ssl_ca = "/ca.pem";
  o.connect_timeout_s = 7;
  const std::string uri = FormatMysqlUri(o, "mariadb");
  EXPECT_EQ(uri.rfind("mariadb://", 0), 0u) << uri;
  const MysqlConnectOptions back = ParseMysqlUri(uri);
  EXPECT_EQ(back.user, o.user);
  EXPECT_EQ(back.password, o.password);
  EXPECT_EQ(back.host, o.host);
  EXPECT_EQ(back.port, o.port);
  EXPECT_EQ(back.database, o.database);
  EXPECT_EQ(back.socket, o.socket);
  EXPECT_EQ(back.defaults_file, o.defaults_file);
  EXPECT_EQ(back.ssl_mode, o.ssl_mode);
  EXPECT_EQ(back.ssl_ca, o.ssl_ca);
  EXPECT_EQ(back.connect_timeout_s, o.connect_timeout_s);

  MysqlConnectOptions plain;  // no user, no password, defaults everywhere
  plain.host = "::1";
  EXPECT_EQ(FormatMysqlUri(plain), "mysql://[::1]/");
  EXPECT_FALSE(ParseMysqlUri(FormatMysqlUri(plain)).password.has_value());
  EXPECT_EQ(ParseMysqlUri(FormatMysqlUri(plain)).host, "::1");
}

TEST_F(MariaRead, WrongPasswordAndMissingServerAreNamedWithoutThePassword) {
  MysqlConnectOptions wrong = sandbox_->ScanOptions("crm");
  wrong.password = "Definitely-Wrong-77";
  MysqlFailure failure;
  EXPECT_EQ(MysqlSession::Open(wrong, {}, &failure), nullptr);
  EXPECT_EQ(failure.kind, MysqlFailureKind::kConnectFailed);
  EXPECT_THAT(failure.Describe(), HasSubstr("access denied for user 'crmaudit_scan'"));
  EXPECT_THAT(failure.Describe(), HasSubstr("socket " + sandbox_->socket()));
  EXPECT_THAT(failure.Describe(), Not(HasSubstr("Definitely-Wrong-77")));

  MysqlConnectOptions nowhere = sandbox_->ScanOptions("crm");
  nowhere.socket = sandbox_->dir() + "/no-such.sock";
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(MysqlSession::Open(nowhere, {}, &failure), nullptr);
  EXPECT_THAT(failure.Describe(),
              HasSubstr("could not connect to socket " + nowhere.socket + ": no server listening"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));

  MysqlConnectOptions unknown = ParseMysqlUri("mysql://scan:pw@no-such-host.invalid:3306/crm");
  unknown.connect_timeout_s = 2;
  EXPECT_EQ(MysqlSession::Open(unknown, {}, &failure), nullptr);
  EXPECT_EQ(failure.kind, MysqlFailureKind::kConnectFailed);
  EXPECT_THAT(failure.Describe(), HasSubstr("host no-such-host.invalid:3306"));
}

TEST_F(MariaRead, TlsRequiredOnAServerWithoutTlsFailsClearly) {
  // Over TCP (a Unix socket counts as secure without TLS); the server offers no TLS.
  ASSERT_FALSE(sandbox_->Env("MARIADB_PORT").empty());
  MysqlConnectOptions options = ParseMysqlUri(
      "mariadb://crmaudit_scan:x@127.0.0.1:" + sandbox_->Env("MARIADB_PORT") + "/crm");
  options.ssl_mode = MysqlSslMode::kRequired;
  // The account is 'crmaudit_scan'@'localhost': the server maps 127.0.0.1 to it.
  options.password = sandbox_->password();
  MysqlFailure failure;
  EXPECT_EQ(MysqlSession::Open(options, {}, &failure), nullptr);
  EXPECT_THAT(failure.Describe(), HasSubstr("could not connect to host 127.0.0.1:"));
  EXPECT_THAT(failure.Describe(), HasSubstr("TLS could not be established"));
  options.ssl_mode = MysqlSslMode::kVerifyIdentity;
  EXPECT_EQ(MysqlSession::Open(options, {}, &failure), nullptr);
  EXPECT_THAT(failure.Describe(), HasSubstr("TLS could not be established"));
  // PREFERRED carries on in clear, and the session says so.
  MysqlConnectOptions preferred = options;
  preferred.ssl_mode = MysqlSslMode::kPreferred;
  auto session = MysqlSession::Open(preferred, {}, &failure);
  ASSERT_TRUE(session) << failure.Describe();
  EXPECT_TRUE(session->over_tcp());
  EXPECT_FALSE(session->uses_tls());
}

TEST_F(MariaRead, OptionFileGivesTheAccountWhenTheUriHasNone) {
  MysqlConnectOptions options;
  options.defaults_file = sandbox_->Env("MARIADB_DEFAULTS_FILE");
  auto session = sandbox_->Open(options);
  ASSERT_TRUE(session);
  SqlRows who = session->Run("SELECT CURRENT_USER()");
  ASSERT_TRUE(who.ok) << who.error;
  EXPECT_EQ(who.rows.at(0).at(0).value_or(""), "crmaudit_scan@localhost");
}

// ---- politeness and read-only -----------------------------------------------------------------

TEST_F(MariaRead, SessionIsReadOnlyNamedAndTimeLimited) {
  // As the administrator, so that only the session's read-only state can refuse the write.
  MysqlSessionSettings settings;
  settings.statement_timeout_ms = 400;
  settings.lock_timeout_ms = 2500;
  auto session = sandbox_->Open(sandbox_->AdminOptions(), settings);
  ASSERT_TRUE(session);
  EXPECT_TRUE(session->is_mariadb());
  SqlRows state = session->Run(
      "SELECT @@session.tx_read_only, @@session.max_statement_time, "
      "@@session.lock_wait_timeout, @@character_set_client, @@character_set_results");
  ASSERT_TRUE(state.ok) << state.error;
  EXPECT_EQ(state.rows[0][0].value_or(""), "1");
  EXPECT_EQ(state.rows[0][1].value_or(""), "0.400000");
  EXPECT_EQ(state.rows[0][2].value_or(""), "3") << "whole seconds, rounded up";
  EXPECT_EQ(state.rows[0][3].value_or(""), "utf8mb4");
  EXPECT_EQ(state.rows[0][4].value_or(""), "utf8mb4");

  SqlRows write = session->Run("INSERT INTO crm.users (id, user_name) VALUES ('x', 'intruder')");
  EXPECT_FALSE(write.ok);
  EXPECT_EQ(write.error_code, 1792u) << write.error;  // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
  AdminConnection admin(*sandbox_);
  EXPECT_EQ(admin.Query1("SELECT COUNT(*) FROM crm.users WHERE id = 'x'"), "0");

  // Visible to the server's operator as crmaudit.
  EXPECT_EQ(admin.Query1("SELECT ATTR_VALUE FROM performance_schema.session_connect_attrs "
                         "WHERE ATTR_NAME = 'program_name' AND PROCESSLIST_ID = " +
                         std::to_string(session->connection_id())),
            "crmaudit");

  const auto started = std::chrono::steady_clock::now();
  SqlRows slow = session->Run("SELECT SLEEP(3)");
  EXPECT_FALSE(slow.ok);
  EXPECT_EQ(slow.error_code, 1969u) << slow.error;  // max_statement_time exceeded
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_TRUE(session->is_open()) << "a statement over its limit keeps the connection";
}

// ---- discovery ------------------------------------------------------------------------------

TEST_F(MariaRead, DiscoversEveryVisibleDatabaseButTheSystemOnes) {
  auto session = sandbox_->Open(sandbox_->ScanOptions());
  ASSERT_TRUE(session);
  auto tables = Discover(*session);
  const auto names = Names(tables);
  for (const char* name :
       {"crm.accounts", "crm.contacts", "crm.contacts_cstm", "crm.leads", "crm.users",
        "crm.email_addresses", "crm.email_addr_bean_rel", "crm.accounts_contacts",
        "crm.contact_directory", "crm_archive.leads_2019"}) {
    EXPECT_THAT(names, Contains(name));
  }
  for (const auto& table : tables) {
    EXPECT_FALSE(IsMysqlSystemSchema(table.schema)) << table.schema;
    if (table.name == "contact_directory") {
      EXPECT_TRUE(table.view);
    }
    if (table.name == "contacts") {
      EXPECT_FALSE(table.view);
    }
    if (table.name == "contacts_cstm") {
      ASSERT_EQ(table.columns.size(), 3u);
      EXPECT_EQ(table.columns[2].name, "preferences_c");
      EXPECT_EQ(table.columns[2].kind, CellKind::kJson) << "MariaDB's JSON alias is recognised";
      EXPECT_EQ(table.columns[1].kind, CellKind::kText);
    }
  }
  EXPECT_EQ(Names(Discover(*session, {}, "crm")).count("crm_archive.leads_2019"), 0u);
  EXPECT_EQ(Names(Discover(*session, RelationFilter{{"crm_archive"}, {}})),
            std::set<std::string>{"crm_archive.leads_2019"});
  EXPECT_EQ(Names(Discover(*session, RelationFilter{{"crm.contact*"}, {"crm.contacts_cstm"}})),
            (std::set<std::string>{"crm.contact_directory", "crm.contacts"}));
}

// ---- reading ----------------------------------------------------------------------------------

TEST_F(MariaRead, LegacyCharsetsArriveAsCorrectUtf8AndJsonIsWalked) {
  auto session = sandbox_->Open(sandbox_->ScanOptions());
  ASSERT_TRUE(session);
  MysqlReadOptions full;
  full.full = true;

  CollectingSink cstm;
  MysqlReadResult read =
      ReadMysqlTable(*session, Table(*session, "crm", "contacts_cstm"), full, cstm);
  EXPECT_EQ(read.status, CoverageStatus::kScanned) << read.reason;
  EXPECT_EQ(read.rows, 300u);
  EXPECT_THAT(cstm.Values("local_name_c"), Contains("王伟")) << "gbk column decoded";
  EXPECT_THAT(cstm.Values("local_name_c"), Contains("陈磊"));
  EXPECT_THAT(cstm.names, Contains("preferences_c.contact.email")) << "JSON walked";
  EXPECT_THAT(cstm.Values("preferences_c.contact.email"),
              Contains(::testing::EndsWith("@example.com")));

  CollectingSink leads;
  read = ReadMysqlTable(*session, Table(*session, "crm", "leads"), full, leads);
  EXPECT_EQ(read.status, CoverageStatus::kScanned) << read.reason;
  EXPECT_EQ(read.rows, 200u);
  const auto last_names = leads.Values("last_name");
  EXPECT_THAT(last_names, Contains("Müller")) << "latin1 column decoded";
  EXPECT_THAT(last_names, Contains("Jørgensen"));
  EXPECT_THAT(last_names, Contains("Çelik"));
}

TEST_F(MariaRead, SampleReadsAtMostTheSampleAndSaysSo) {
  auto session = sandbox_->Open(sandbox_->ScanOptions());
  ASSERT_TRUE(session);
  const MysqlTable contacts = Table(*session, "crm", "contacts");
  MysqlReadOptions sample;
  sample.sample_rows = 50;
  CollectingSink sampled;
  MysqlReadResult read = ReadMysqlTable(*session, contacts, sample, sampled);
  EXPECT_EQ(read.status, CoverageStatus::kScanned);
  EXPECT_EQ(read.rows, 50u);
  EXPECT_TRUE(read.sampled);
  MysqlReadOptions full;
  full.full = true;
  CollectingSink all;
  read = ReadMysqlTable(*session, contacts, full, all);
  EXPECT_EQ(read.rows, 300u);
  EXPECT_FALSE(read.sampled);
  EXPECT_GT(read.bytes, 0u);

  // Big tables are thinned over their whole length, views only limited.
  MysqlTable big = contacts;
  big.estimated_rows = 100000;
  sample.sample_rows = 1000;
  EXPECT_THAT(BuildMysqlReadQuery(big, sample), HasSubstr(" WHERE RAND(20261) < 0.01500000"));
  EXPECT_THAT(BuildMysqlReadQuery(big, sample), ::testing::EndsWith(" LIMIT 1000"));
  big.view = true;
  EXPECT_THAT(BuildMysqlReadQuery(big, sample), Not(HasSubstr("RAND")));
  MysqlTable odd;
  odd.schema = "we`ird";
  odd.name = "ta ble";
  odd.columns = {{"co`l", "text", CellKind::kText}};
  EXPECT_EQ(BuildMysqlReadQuery(odd, full), "SELECT `co``l` FROM `we``ird`.`ta ble`");
}

TEST_F(MariaRead, LockedTableIsGivenUpAfterLockWaitTimeoutNamingTheTable) {
  AdminConnection holder(*sandbox_);
  ASSERT_TRUE(holder.Exec("LOCK TABLES crm.accounts WRITE"));
  MysqlSessionSettings settings;
  settings.lock_timeout_ms = 1000;
  auto session = sandbox_->Open(sandbox_->ScanOptions(), settings);
  ASSERT_TRUE(session);
  const MysqlTable accounts = Table(*session, "crm", "accounts");
  CollectingSink sink;
  const auto started = std::chrono::steady_clock::now();
  MysqlReadResult read = ReadMysqlTable(*session, accounts, {}, sink);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(6));
  holder.Exec("UNLOCK TABLES");
  EXPECT_EQ(read.status, CoverageStatus::kError);
  EXPECT_EQ(read.failure.kind, MysqlFailureKind::kLockTimeout);
  EXPECT_THAT(read.reason, HasSubstr("locked: lock_wait_timeout after 1 s"));
  EXPECT_THAT(read.reason, HasSubstr("`crm`.`accounts`"));
  // The session is still usable for the next table.
  CollectingSink next;
  EXPECT_EQ(ReadMysqlTable(*session, Table(*session, "crm", "users"), {}, next).status,
            CoverageStatus::kScanned);
}

TEST_F(MariaRead, ConnectionKilledMidReadEndsThatTableAsPartial) {
  AdminConnection admin(*sandbox_);
  ASSERT_TRUE(admin.Exec(
      "CREATE TABLE crm.big_notes ENGINE=InnoDB AS SELECT seq AS id, "
      "CONCAT('note ', seq, ' ', REPEAT('lorem ipsum ', 20)) AS note FROM crm.seq_1_to_200000"));
  auto session = sandbox_->Open(sandbox_->ScanOptions());
  ASSERT_TRUE(session);
  const MysqlTable notes = Table(*session, "crm", "big_notes");
  CollectingSink sink;
  const unsigned long id = session->connection_id();
  sink.on_record = [&](size_t records) {
    if (records == 100) admin.Exec("KILL " + std::to_string(id));
  };
  MysqlReadOptions full;
  full.full = true;
  MysqlReadResult read = ReadMysqlTable(*session, notes, full, sink);
  admin.Exec("DROP TABLE crm.big_notes");
  EXPECT_EQ(read.status, CoverageStatus::kPartial) << read.reason;
  EXPECT_EQ(read.failure.kind, MysqlFailureKind::kConnectionLost) << read.failure.code;
  EXPECT_GE(read.rows, 100u);
  EXPECT_LT(read.rows, 200000u);
  EXPECT_THAT(read.reason, HasSubstr("connection to the server was lost"));
  EXPECT_THAT(read.reason, HasSubstr("`crm`.`big_notes`"));
  EXPECT_FALSE(session->is_open());
}

TEST_F(MariaRead, HugeCellIsMatchedOnItsStartAndTheReadSaysSo) {
  AdminConnection admin(*sandbox_);
  ASSERT_TRUE(admin.Exec("CREATE TABLE crm.huge_cell (id int PRIMARY KEY, body longtext)"));
  ASSERT_TRUE(
      admin.Exec("INSERT INTO crm.huge_cell VALUES (1, CONCAT('reach me at "
                 "huge.cell@example.com ', REPEAT('x', 5 * 1024 * 1024))), (2, 'small')"));
  auto session = sandbox_->Open(sandbox_->ScanOptions());
  ASSERT_TRUE(session);
  CollectingSink sink;
  MysqlReadResult read = ReadMysqlTable(*session, Table(*session, "crm", "huge_cell"), {}, sink);
  admin.Exec("DROP TABLE crm.huge_cell");
  EXPECT_EQ(read.status, CoverageStatus::kPartial);
  EXPECT_EQ(read.rows, 2u);
  EXPECT_EQ(read.cut_cells, 1u);
  EXPECT_THAT(read.reason, HasSubstr("1 cell(s) of table `crm`.`huge_cell` larger than 4 MiB"));
  const auto bodies = sink.Values("body");
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0].size(), kMaxCellBytes);
  EXPECT_THAT(bodies[0], ::testing::StartsWith("reach me at huge.cell@example.com"));
}

TEST_F(MariaRead, MissingPrivilegeIsASkipNamingTheTable) {
  AdminConnection admin(*sandbox_);
  ASSERT_TRUE(admin.Exec("CREATE DATABASE IF NOT EXISTS hr"));
  ASSERT_TRUE(admin.Exec("CREATE TABLE hr.salaries (id int, amount int)"));
  // INSERT only: the table is visible to the account, but not readable.
  ASSERT_TRUE(admin.Exec("GRANT INSERT ON hr.salaries TO 'crmaudit_scan'@'localhost'"));
  auto session = sandbox_->Open(sandbox_->ScanOptions());
  ASSERT_TRUE(session);
  const MysqlTable salaries = Table(*session, "hr", "salaries");
  CollectingSink sink;
  MysqlReadResult read = ReadMysqlTable(*session, salaries, {}, sink);
  admin.Exec("DROP DATABASE hr");
  EXPECT_EQ(read.status, CoverageStatus::kSkipped);
  EXPECT_THAT(read.reason, HasSubstr("permission denied: needs SELECT on `hr`.`salaries`"));
}

}  // namespace
}  // namespace crmaudit
