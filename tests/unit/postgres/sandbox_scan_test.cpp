// Against a real PostgreSQL 15 sandbox loaded with examples/crm-db: reading, facts, checks,
// not_assessed for a non-superuser auditor, and failure injection (dropped table, killed
// connection, statement and lock timeouts). PostgreSQL missing = failure, never a skip.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "scanner/checks/database_checks.h"
#include "scanner/detect/compiled_policy.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/policy/region_data.h"
#include "scanner/scan/postgres_scan.h"
#include "scanner/sources/postgres/age_tally.h"
#include "scanner/sources/postgres/catalog.h"
#include "scanner/sources/postgres/catalog_facts_reader.h"
#include "scanner/sources/postgres/conninfo.h"
#include "scanner/sources/postgres/pg_session.h"
#include "scanner/sources/postgres/table_reader.h"
#include "tests/unit/checks/check_harness.h"
#include "tests/unit/postgres/sandbox.h"
#include "tests/unit/postgres/shipped_catalog.h"

namespace crmaudit {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using testing::Sandbox;
using testing::SharedSandboxTest;

// Records what a reader delivers: declared columns and per-column value counts. Keeps values
// only in memory for assertions; tests print counts and names, never values.
class RecordingSink : public RecordSink {
 public:
  size_t DeclareColumn(std::string_view name) override {
    auto it = std::find(columns.begin(), columns.end(), name);
    if (it != columns.end()) return static_cast<size_t>(it - columns.begin());
    columns.emplace_back(name);
    values.emplace_back();
    return columns.size() - 1;
  }
  void Field(size_t column, std::string_view value) override {
    values.at(column).emplace_back(value);
  }
  void EndRecord() override {
    ++records;
    if (on_record) on_record(records);
  }
  size_t Count(const std::string& column) const {
    auto it = std::find(columns.begin(), columns.end(), column);
    return it == columns.end() ? 0 : values[static_cast<size_t>(it - columns.begin())].size();
  }
  const std::vector<std::string>& Values(const std::string& column) const {
    auto it = std::find(columns.begin(), columns.end(), column);
    return values.at(static_cast<size_t>(it - columns.begin()));
  }

  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> values;
  uint64_t records = 0;
  std::function<void(uint64_t)> on_record;
};

class PostgresSandbox : public SharedSandboxTest<PostgresSandbox> {
 protected:
  static SessionSettings Settings(int statement_ms, int lock_ms) {
    SessionSettings settings;
    settings.statement_timeout_ms = statement_ms;
    settings.lock_timeout_ms = lock_ms;
    return settings;
  }
  static std::string Polite(const std::string& conninfo, int statement_ms = 30000,
                            int lock_ms = 1000) {
    return PoliteConnInfo(conninfo, Settings(statement_ms, lock_ms));
  }
  static std::unique_ptr<PgSession> Open(const std::string& conninfo, int statement_ms = 30000,
                                         int lock_ms = 1000) {
    PgFailure failure;
    auto session = PgSession::Open(Polite(conninfo, statement_ms, lock_ms), &failure,
                                   Settings(statement_ms, lock_ms));
    EXPECT_TRUE(session) << failure.Describe();
    return session;
  }
  static std::vector<PgRelation> Discover(PgSession& session, RelationFilter filter = {}) {
    std::vector<PgRelation> relations;
    PgFailure failure;
    EXPECT_TRUE(DiscoverRelations(session, filter, &relations, &failure)) << failure.Describe();
    return relations;
  }
  static const PgRelation& Find(const std::vector<PgRelation>& relations, const std::string& schema,
                                const std::string& name) {
    for (const auto& relation : relations) {
      if (relation.schema == schema && relation.name == name) return relation;
    }
    static PgRelation missing;
    ADD_FAILURE() << "relation not discovered: " << schema << "." << name;
    return missing;
  }
};

TEST_F(PostgresSandbox, DiscoversTablesViewsPartitionedParentsAndQuotedNames) {
  auto session = Open(sandbox_->SocketConnInfo());
  ASSERT_TRUE(session);
  auto relations = Discover(*session);
  std::set<std::string> names;
  for (const auto& r : relations) names.insert(r.schema + "." + r.name);
  for (const char* expected : {"crm.accounts", "crm.users", "crm.contacts", "crm.leads",
                               "crm.opportunities", "crm.activities", "crm.consents",
                               "crm.contact_directory", "海外 Sales.Kunden \"VIP\" select"}) {
    EXPECT_TRUE(names.count(expected)) << expected;
  }
  EXPECT_FALSE(names.count("crm.activities_2024")) << "partitions are read through the parent";
  EXPECT_EQ(Find(relations, "crm", "activities").relkind, 'p');
  EXPECT_EQ(Find(relations, "crm", "contact_directory").relkind, 'v');
  const auto& contacts = Find(relations, "crm", "contacts");
  ASSERT_FALSE(contacts.columns.empty());
  EXPECT_EQ(contacts.columns.front().name, "id");
  auto bytea = std::find_if(contacts.columns.begin(), contacts.columns.end(),
                            [](const PgColumn& c) { return c.name == "national_id_enc"; });
  ASSERT_NE(bytea, contacts.columns.end());
  EXPECT_EQ(bytea->kind, PgColumnKind::kBytea);

  auto only_kunden = Discover(*session, RelationFilter{{"海外 Sales.*"}, {}});
  ASSERT_EQ(only_kunden.size(), 1u);
  auto without_crm = Discover(*session, RelationFilter{{}, {"crm"}});
  EXPECT_EQ(without_crm.size(), 1u);
}

TEST_F(PostgresSandbox, SampleHonoursRowLimitAndFullScanReadsEveryRow) {
  auto session = Open(sandbox_->SocketConnInfo());
  ASSERT_TRUE(session);
  auto relations = Discover(*session);
  const auto& contacts = Find(relations, "crm", "contacts");
  RecordingSink sample_sink;
  TableReadOptions sample;
  sample.sample_rows = 50;
  auto sampled = ReadRelation(*session, contacts, sample, sample_sink);
  EXPECT_EQ(sampled.status, CoverageStatus::kScanned) << sampled.reason;
  EXPECT_EQ(sampled.rows, 50u);
  EXPECT_TRUE(sampled.sampled);
  EXPECT_EQ(sample_sink.records, 50u);

  RecordingSink full_sink;
  TableReadOptions full;
  full.full = true;
  auto all = ReadRelation(*session, contacts, full, full_sink);
  EXPECT_EQ(all.status, CoverageStatus::kScanned);
  EXPECT_EQ(all.rows, 300u);
  EXPECT_FALSE(all.sampled);
  EXPECT_GT(all.bytes, 300u * 50);
  EXPECT_EQ(full_sink.Count("email"), 300u);

  // A partitioned table reads all partitions; a view reads through LIMIT.
  RecordingSink activity_sink;
  auto activities =
      ReadRelation(*session, Find(relations, "crm", "activities"), full, activity_sink);
  EXPECT_EQ(activities.rows, 600u);
  RecordingSink view_sink;
  auto view =
      ReadRelation(*session, Find(relations, "crm", "contact_directory"), sample, view_sink);
  EXPECT_EQ(view.status, CoverageStatus::kScanned) << view.reason;
  EXPECT_EQ(view.rows, 50u);
}

TEST_F(PostgresSandbox, JsonKeysArraysAndQuotedIdentifiersReachTheSink) {
  auto session = Open(sandbox_->SocketConnInfo());
  ASSERT_TRUE(session);
  auto relations = Discover(*session);
  TableReadOptions full;
  full.full = true;
  RecordingSink sink;
  auto result = ReadRelation(*session, Find(relations, "crm", "activities"), full, sink);
  ASSERT_EQ(result.status, CoverageStatus::kScanned) << result.reason;
  EXPECT_THAT(sink.columns, Contains("meta.contact.email"));
  EXPECT_THAT(sink.columns, Contains("meta.channel"));
  EXPECT_THAT(sink.columns, Contains("meta.score"));
  EXPECT_EQ(sink.Count("meta.contact.email"), 600u);
  EXPECT_EQ(sink.Count("tags"), 1200u) << "two array elements per row, one value each";
  EXPECT_EQ(sink.Count("meta"), 0u) << "JSON objects are walked, not passed whole";

  RecordingSink quoted;
  auto kunden =
      ReadRelation(*session, Find(relations, "海外 Sales", "Kunden \"VIP\" select"), full, quoted);
  ASSERT_EQ(kunden.status, CoverageStatus::kScanned) << kunden.reason;
  EXPECT_EQ(kunden.rows, 20u);
  EXPECT_EQ(quoted.Count("e-mail"), 20u);
  EXPECT_EQ(quoted.Count("备注"), 20u);
  EXPECT_EQ(quoted.Count("order"), 20u);
  EXPECT_EQ(quoted.Values("备注").front().rfind("VIP, Telefon +49", 0), 0u)
      << "text arrives decoded, as UTF-8";
}

TEST_F(PostgresSandbox, PgcryptoByteaIsRecognisedAndWithheldFromDetectors) {
  auto session = Open(sandbox_->SocketConnInfo());
  ASSERT_TRUE(session);
  auto relations = Discover(*session);
  TableReadOptions full;
  full.full = true;
  RecordingSink sink;
  auto result = ReadRelation(*session, Find(relations, "crm", "contacts"), full, sink);
  ASSERT_EQ(result.status, CoverageStatus::kScanned);
  auto facts =
      std::find_if(result.columns.begin(), result.columns.end(),
                   [](const ColumnValueFacts& c) { return c.column == "national_id_enc"; });
  ASSERT_NE(facts, result.columns.end());
  EXPECT_EQ(facts->values, 300u);
  EXPECT_EQ(facts->ciphertext, 300u);
  EXPECT_EQ(facts->readable_text, 0u);
  EXPECT_EQ(sink.Count("national_id_enc"), 0u);

  // A bytea holding readable text is passed on (and counted as readable).
  sandbox_->Exec(
      "CREATE TABLE crm.blob_test (id int, doc bytea);"
      "INSERT INTO crm.blob_test VALUES (1, convert_to('110105194912310021', 'UTF8'));");
  auto again = Discover(*session);
  RecordingSink blob_sink;
  auto blob = ReadRelation(*session, Find(again, "crm", "blob_test"), full, blob_sink);
  sandbox_->Exec("DROP TABLE crm.blob_test");
  ASSERT_EQ(blob.status, CoverageStatus::kScanned) << blob.reason;
  ASSERT_EQ(blob.rows, 1u);
  EXPECT_EQ(blob_sink.Count("doc"), 1u);
  EXPECT_EQ(blob_sink.Values("doc").front().size(), 18u) << "no COPY line terminator left over";
  EXPECT_EQ(blob.columns.at(1).readable_text, 1u);
}

TEST_F(PostgresSandbox, SessionIsReadOnlyNamedCrmauditAndHidesThePassword) {
  const std::string uri = sandbox_->TcpUri("auditor", "auditor-demo-secret");
  pqxx::connection connection(Polite(uri, 4321, 765));
  pqxx::nontransaction tx(connection);
  EXPECT_EQ(tx.exec1("SHOW default_transaction_read_only")[0].as<std::string>(), "on");
  EXPECT_EQ(tx.exec1("SHOW statement_timeout")[0].as<std::string>(), "4321ms");
  EXPECT_EQ(tx.exec1("SHOW lock_timeout")[0].as<std::string>(), "765ms");
  EXPECT_EQ(tx.exec1("SHOW application_name")[0].as<std::string>(), "crmaudit");
  EXPECT_THROW(tx.exec("CREATE TABLE crm.should_not_exist (x int)"), pqxx::sql_error);
  // What the server shows other users about us carries no password.
  const std::string activity = sandbox_->Query1(
      "SELECT string_agg(coalesce(application_name,'') || ' ' || coalesce(query,''), ' | ')"
      " FROM pg_stat_activity WHERE usename = 'auditor'");
  EXPECT_THAT(activity, HasSubstr("crmaudit"));
  EXPECT_THAT(activity, ::testing::Not(HasSubstr("auditor-demo-secret")));
}

// PII columns as profiling finds them in the seeded database (the inventory feeds checks).
std::vector<PiiColumnRef> SeededPii() {
  return {{"crm", "contacts", "email", {"EMAIL_ADDRESS"}},
          {"crm", "leads", "id_card", {"CN_RESIDENT_ID"}},
          {"crm", "leads", "email", {"EMAIL_ADDRESS"}},
          {"crm", "users", "email", {"EMAIL_ADDRESS"}}};
}

std::map<std::string, std::vector<const Finding*>> Group(const std::vector<Finding>& findings,
                                                         FindingStatus status) {
  std::map<std::string, std::vector<const Finding*>> out;
  for (const auto& f : findings) {
    if (f.status == status) out[f.rule].push_back(&f);
  }
  return out;
}

TEST_F(PostgresSandbox, EveryCheckFiresOnItsSeededProblem) {
  FactsRequest request;
  request.age_probes = {{"crm", "leads", "last_activity_at", "2 years", false, "pack mapping"},
                        {"crm", "contacts", "deleted_at", "30 days", true, "automatic"}};
  FactsOutcome outcome = CollectDatabaseFacts(Polite(sandbox_->SocketConnInfo()), request);
  ASSERT_TRUE(outcome.error.empty()) << outcome.error;
  // Value forms of users (ENC-06) come from reading the table.
  auto session = Open(sandbox_->SocketConnInfo());
  ASSERT_TRUE(session);
  auto relations = Discover(*session);
  RecordingSink sink;
  TableReadOptions full;
  full.full = true;
  outcome.facts.column_values[{"crm", "users"}] =
      ReadRelation(*session, Find(relations, "crm", "users"), full, sink).columns;

  std::vector<Finding> findings;
  findings = DatabaseFindings(outcome.facts, SeededPii(), ShippedDatabaseControls(),
                              {"t1", "crm", &ShippedReleases()});
  auto open = Group(findings, FindingStatus::kOpen);
  auto not_assessed = Group(findings, FindingStatus::kNotAssessed);
  EXPECT_TRUE(not_assessed.empty()) << "a superuser can assess everything";

  ASSERT_EQ(open["ENC-01"].size(), 1u);  // ssl = off
  EXPECT_GE(open["ENC-02"].size(), 0u);  // only when TCP sessions exist
  bool md5_line = false, host_without_tls = false;
  for (const Finding* f : open["ENC-03"]) {
    md5_line |= f->evidence.facts.at("method") == "md5";
    host_without_tls |= f->evidence.facts.at("type") == "host";
  }
  EXPECT_TRUE(md5_line);
  EXPECT_TRUE(host_without_tls);
  ASSERT_EQ(open["ENC-04"].size(), 1u);
  EXPECT_EQ(open["ENC-04"][0]->location.extra.at("role"), "crm_legacy");
  ASSERT_EQ(open["ENC-05"].size(), 1u);
  EXPECT_EQ(open["ENC-05"][0]->location.column, "id_card");
  ASSERT_EQ(open["ENC-06"].size(), 1u) << "bcrypt password_hash must stay quiet";
  EXPECT_EQ(open["ENC-06"][0]->location.column, "legacy_password");
  EXPECT_EQ(open["ENC-06"][0]->evidence.count, 12u);
  ASSERT_EQ(open["AC-01"].size(), 1u);
  EXPECT_EQ(open["AC-01"][0]->location.extra.at("role"), "crm_dba");
  EXPECT_EQ(open["AC-01"][0]->severity, Severity::kCritical);
  // crm_dba is a superuser and a member of no role: nothing but SUPERUSER is listed (a
  // superuser passes pg_has_role for every role), and the advice is what removes the power.
  EXPECT_EQ(open["AC-01"][0]->evidence.facts.at("privileges"), "SUPERUSER");
  EXPECT_THAT(open["AC-01"][0]->remediation, HasSubstr("ALTER ROLE \"crm_dba\" NOSUPERUSER;"));
  EXPECT_THAT(open["AC-01"][0]->remediation, ::testing::Not(HasSubstr("REVOKE")));
  std::set<std::string> ac02_roles;
  for (const Finding* f : open["AC-02"]) ac02_roles.insert(f->location.extra.at("role"));
  // The sandbox's bootstrap superuser has no password (socket trust): rightly flagged too.
  EXPECT_EQ(ac02_roles, (std::set<std::string>{"crm_app", "crm_nopass", "postgres"}));
  ASSERT_EQ(open["AC-03"].size(), 1u);
  EXPECT_EQ(open["AC-03"][0]->location.table, "contacts");
  EXPECT_EQ(open["AC-04"].size(), 3u);  // contacts, leads, users: no RLS
  ASSERT_EQ(open["AC-05"].size(), 1u);
  EXPECT_EQ(open["AC-05"][0]->location.schema, "crm");
  EXPECT_EQ(open["AUD-01"].size(), 1u);
  EXPECT_TRUE(open["AUD-02"].empty());
  ASSERT_EQ(open["BAK-01"].size(), 1u);
  ASSERT_EQ(open["RET-01"].size(), 1u);
  EXPECT_EQ(open["RET-01"][0]->evidence.count, 80u);
  EXPECT_EQ(open["RET-01"][0]->evidence.facts.at("oldest").substr(0, 2), "20");
  ASSERT_EQ(open["RET-02"].size(), 1u);
  EXPECT_EQ(open["RET-02"][0]->evidence.count, 12u);
}

TEST_F(PostgresSandbox, NonSuperuserAuditorIsNotAssessedExactlyWhereItShouldBe) {
  FactsRequest request;
  request.age_probes = {{"crm", "leads", "last_activity_at", "2 years", false, "pack mapping"}};
  FactsOutcome outcome =
      CollectDatabaseFacts(Polite(sandbox_->TcpUri("auditor", "auditor-demo-secret")), request);
  ASSERT_TRUE(outcome.error.empty()) << outcome.error;
  EXPECT_FALSE(outcome.facts.current_user_superuser);
  EXPECT_TRUE(outcome.facts.own_session_tcp);
  std::vector<Finding> findings;
  findings = DatabaseFindings(outcome.facts, SeededPii(), ShippedDatabaseControls(),
                              {"t1", "crm", &ShippedReleases()});
  auto not_assessed = Group(findings, FindingStatus::kNotAssessed);
  std::set<std::string> rules;
  for (const auto& [rule, list] : not_assessed) rules.insert(rule);
  EXPECT_EQ(rules, (std::set<std::string>{"ENC-03", "ENC-04", "AC-02", "NET-01"}));
  EXPECT_THAT(not_assessed["ENC-03"][0]->status_reason, HasSubstr("pg_hba_file_rules"));
  EXPECT_THAT(not_assessed["ENC-04"][0]->status_reason, HasSubstr("role_verifiers"));
  // pg_monitor is enough for the rest, including other users' sessions and our own TLS.
  auto open = Group(findings, FindingStatus::kOpen);
  EXPECT_TRUE(open["ENC-02"].empty())
      << "the auditor's own TCP session without TLS is not a finding about the server";
  EXPECT_FALSE(outcome.facts.own_session_ssl);
  EXPECT_EQ(open["AC-01"].size(), 1u);
  EXPECT_EQ(open["AC-03"].size(), 1u);
  EXPECT_EQ(open["RET-01"].size(), 1u);
}

TEST_F(PostgresSandbox, MissingSelectPrivilegeIsACoverageEntryNamingIt) {
  sandbox_->Exec("REVOKE SELECT ON crm.users FROM auditor");
  auto session = Open(sandbox_->TcpUri("auditor", "auditor-demo-secret"));
  ASSERT_TRUE(session);
  auto relations = Discover(*session);
  RecordingSink sink;
  auto result = ReadRelation(*session, Find(relations, "crm", "users"), TableReadOptions{}, sink);
  sandbox_->Exec("GRANT SELECT ON crm.users TO auditor");
  EXPECT_EQ(result.status, CoverageStatus::kSkipped);
  EXPECT_EQ(result.reason, "permission denied: needs SELECT on \"crm\".\"users\"");
  EXPECT_EQ(sink.records, 0u);
  // The next table still reads.
  RecordingSink next;
  EXPECT_EQ(
      ReadRelation(*session, Find(relations, "crm", "leads"), TableReadOptions{}, next).status,
      CoverageStatus::kScanned);
}

TEST_F(PostgresSandbox, LargeTablesAreSampledWithTablesampleAndALimit) {
  sandbox_->Exec(
      "CREATE TABLE crm.wide AS SELECT g AS id, 'user' || g || '@example.net' AS email"
      " FROM generate_series(1, 50000) g; ANALYZE crm.wide");
  auto session = Open(sandbox_->SocketConnInfo());
  ASSERT_TRUE(session);
  auto relations = Discover(*session);
  const PgRelation wide = Find(relations, "crm", "wide");
  EXPECT_GT(wide.estimated_rows, 40000);
  TableReadOptions options;
  options.sample_rows = 200;
  EXPECT_THAT(BuildReadQuery(wide, wide.columns, options), HasSubstr("TABLESAMPLE BERNOULLI"));
  RecordingSink sink;
  auto result = ReadRelation(*session, wide, options, sink);
  sandbox_->Exec("DROP TABLE crm.wide");
  EXPECT_EQ(result.status, CoverageStatus::kScanned) << result.reason;
  EXPECT_TRUE(result.sampled);
  EXPECT_GT(result.rows, 100u) << "a 0.6% sample of 50000 rows is about 300 rows, cut to 200";
  EXPECT_LE(result.rows, 200u);
  EXPECT_EQ(sink.Count("email"), result.rows);
}

TEST_F(PostgresSandbox, ColumnPrivilegesGivePartialCoverageNamingTheColumns) {
  sandbox_->Exec(
      "CREATE ROLE col_reader LOGIN; GRANT USAGE ON SCHEMA crm TO col_reader;"
      "GRANT SELECT (id, email) ON crm.leads TO col_reader");
  auto session = Open(sandbox_->SocketConnInfo("col_reader"));
  ASSERT_TRUE(session);
  auto relations = Discover(*session);
  RecordingSink sink;
  auto result = ReadRelation(*session, Find(relations, "crm", "leads"), TableReadOptions{}, sink);
  session.reset();
  sandbox_->Exec("DROP OWNED BY col_reader; DROP ROLE col_reader");
  EXPECT_EQ(result.status, CoverageStatus::kPartial);
  EXPECT_EQ(result.rows, 200u);
  EXPECT_EQ(sink.Count("email"), 200u);
  EXPECT_EQ(sink.Count("id_card"), 0u);
  EXPECT_THAT(result.reason, HasSubstr("needs SELECT on column(s)"));
  EXPECT_THAT(result.reason, HasSubstr("\"id_card\""));
  EXPECT_THAT(result.reason, HasSubstr("\"crm\".\"leads\""));
}

TEST_F(PostgresSandbox, TableDroppedDuringTheScanIsAnIncompleteEntry) {
  sandbox_->Exec(
      "CREATE TABLE crm.ephemeral (id int, email text);"
      "INSERT INTO crm.ephemeral VALUES (1, 'x@example.org')");
  auto session = Open(sandbox_->SocketConnInfo());
  ASSERT_TRUE(session);
  auto relations = Discover(*session);
  PgRelation ephemeral = Find(relations, "crm", "ephemeral");
  sandbox_->Exec("DROP TABLE crm.ephemeral");
  RecordingSink sink;
  auto result = ReadRelation(*session, ephemeral, TableReadOptions{}, sink);
  EXPECT_EQ(result.status, CoverageStatus::kError);
  EXPECT_EQ(result.failure.kind, PgFailureKind::kMissing);
  EXPECT_THAT(result.reason, HasSubstr("\"crm\".\"ephemeral\""));
  EXPECT_THAT(result.reason, HasSubstr("42P01"));
  CoverageEntry entry;
  entry.status = result.status;
  entry.reason = result.reason;
  EXPECT_TRUE(IsIncomplete(entry));
  RecordingSink next;
  EXPECT_EQ(
      ReadRelation(*session, Find(relations, "crm", "accounts"), TableReadOptions{}, next).status,
      CoverageStatus::kScanned)
      << "the session survives a failed table";
}

TEST_F(PostgresSandbox, ConnectionKilledMidScanIsPartialNeverACrash) {
  // Enough rows that COPY is still streaming when the backend is terminated.
  sandbox_->Exec(
      "CREATE TABLE crm.big AS SELECT g AS id, md5(g::text) || '@example.org' AS email"
      " FROM generate_series(1, 300000) g");
  auto session = Open(sandbox_->SocketConnInfo());
  ASSERT_TRUE(session);
  const int pid = session->backend_pid();
  auto relations = Discover(*session);
  RecordingSink sink;
  sink.on_record = [&](uint64_t n) {
    if (n == 10) sandbox_->Exec("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  };
  TableReadOptions full;
  full.full = true;
  auto result = ReadRelation(*session, Find(relations, "crm", "big"), full, sink);
  sandbox_->Exec("DROP TABLE crm.big");
  EXPECT_NE(result.status, CoverageStatus::kScanned);
  EXPECT_EQ(result.failure.kind, PgFailureKind::kConnectionLost) << result.reason;
  EXPECT_THAT(result.reason, HasSubstr("connection"));
  EXPECT_GE(result.rows, 10u);
  EXPECT_LT(result.rows, 300000u);
  // Facts collection over a dead string fails softly too: every group and every age probe is
  // not assessed, naming why.
  FactsRequest request;
  request.age_probes = {{"crm", "leads", "last_activity_at", "2 years", false, "pack mapping"}};
  FactsOutcome outcome = CollectDatabaseFacts(
      Polite("host=" + sandbox_->dir() + " port=1 user=postgres dbname=crm"), request);
  EXPECT_THAT(outcome.error, HasSubstr("could not connect to collect server facts"));
  const DatabaseFacts& facts = outcome.facts;
  for (const Assessment* group :
       {&facts.settings_assessment, &facts.roles_assessment, &facts.verifiers_assessment,
        &facts.hba_assessment, &facts.sessions_assessment, &facts.relations_assessment,
        &facts.schemas_assessment, &facts.archiver_assessment}) {
    EXPECT_FALSE(group->assessed);
    EXPECT_EQ(group->missing_privilege, outcome.error);
  }
  ASSERT_EQ(facts.ages.size(), 1u);
  EXPECT_FALSE(facts.ages[0].assessed);
  EXPECT_EQ(facts.ages[0].reason, outcome.error);
}

TEST_F(PostgresSandbox, ConnectionLostWhileCollectingFactsKeepsWhatWasReadAndNamesTheLoss) {
  // Counting this view's rows terminates the collecting backend.
  sandbox_->Exec(
      "CREATE VIEW crm.doomed AS SELECT now() AS created_at"
      " WHERE pg_terminate_backend(pg_backend_pid())");
  FactsRequest request;
  request.age_probes = {{"crm", "doomed", "created_at", "2 years", false, "pack mapping"},
                        {"crm", "leads", "last_activity_at", "2 years", false, "pack mapping"}};
  FactsOutcome outcome = CollectDatabaseFacts(Polite(sandbox_->SocketConnInfo()), request);
  sandbox_->Exec("DROP VIEW crm.doomed");
  EXPECT_EQ(outcome.error, "the connection to the server was lost while collecting facts");
  EXPECT_TRUE(outcome.facts.settings_assessment.assessed) << "read before the loss: kept";
  EXPECT_TRUE(outcome.facts.archiver_assessment.assessed);
  ASSERT_EQ(outcome.facts.ages.size(), 2u);
  for (const AgeProbeResult& age : outcome.facts.ages) {
    EXPECT_FALSE(age.assessed);
    EXPECT_EQ(age.reason, "the connection was lost before this could be read") << age.probe.table;
  }
}

TEST_F(PostgresSandbox, StatementAndLockTimeoutsArePartialEntries) {
  sandbox_->Exec(
      "CREATE VIEW crm.slow_view AS SELECT pg_sleep(2)::text AS pause, email"
      " FROM crm.contacts LIMIT 1");
  auto session = Open(sandbox_->SocketConnInfo(), /*statement_ms=*/300, /*lock_ms=*/200);
  ASSERT_TRUE(session);
  auto relations = Discover(*session);
  RecordingSink sink;
  auto slow = ReadRelation(*session, Find(relations, "crm", "slow_view"), TableReadOptions{}, sink);
  sandbox_->Exec("DROP VIEW crm.slow_view");
  EXPECT_EQ(slow.failure.kind, PgFailureKind::kTimeout);
  EXPECT_EQ(slow.status, CoverageStatus::kError);
  EXPECT_THAT(slow.reason, HasSubstr("statement_timeout"));

  // Someone holds an exclusive lock: we give up after lock_timeout instead of queueing.
  pqxx::connection blocker(sandbox_->SocketConnInfo());
  pqxx::work lock(blocker);
  lock.exec("LOCK TABLE crm.accounts IN ACCESS EXCLUSIVE MODE");
  RecordingSink locked_sink;
  auto locked =
      ReadRelation(*session, Find(relations, "crm", "accounts"), TableReadOptions{}, locked_sink);
  lock.abort();
  EXPECT_EQ(locked.failure.kind, PgFailureKind::kLockTimeout);
  EXPECT_THAT(locked.reason, HasSubstr("locked: lock_timeout after 200 ms"));
}

// ---- the whole target scan, with real profiling -------------------------------------------

std::shared_ptr<const CompiledPolicy> TestPolicy(const std::string& dir) {
  // pii-core plus a resident-ID detector, so the seeded id_card column is recognised.
  const std::string cn_pack = dir + "/test-cn.json";
  std::ofstream(cn_pack) << R"({"name": "test-cn", "version": "1", "detectors": [{
      "id": "test-cn-resident-id", "entity": "CN_RESIDENT_ID", "title": "Resident ID numbers",
      "patterns": ["[1-9]\\d{16}[\\dXx]"], "validator": "cn_resident_id",
      "hints": {"columns": ["id_card", "身份证"]}, "severity": "high",
      "frameworks": {"PIPL": ["Art. 28"]}, "remediation": "Encrypt it.",
      "examples": {"match": ["11010519491231002X"], "no_match": ["110105194912310021"]}}]})";
  const std::string policies = std::string(CRMAUDIT_SOURCE_DIR) + "/policies/";
  return CompiledPolicy::Compile(
      {LoadPolicyPack(policies + "pii-core.json"), LoadPolicyPack(cn_pack),
       LoadPolicyPack(policies + "controls-gdpr.json"),
       LoadPolicyPack(policies + "controls-pipl.json")},
      WithShippedCatalog());
}

TEST_F(PostgresSandbox, WholeTargetScanGivesInventoryCoverageAndFindings) {
  PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo(), "crm sandbox"};
  ScanPlan plan;
  plan.sample_rows = 1000;
  plan.jobs = 2;
  auto output = ScanPostgresTarget(target, plan, TestPolicy(sandbox_->dir()));
  EXPECT_TRUE(output.error.empty()) << output.error;
  std::map<std::string, CoverageEntry> coverage;
  for (const auto& entry : output.coverage) coverage[entry.dataset] = entry;
  ASSERT_TRUE(coverage.count("crm.crm.contacts"));
  EXPECT_EQ(coverage["crm.crm.contacts"].rows, 300u);
  EXPECT_EQ(coverage["crm.crm.activities"].format, "postgres-partitioned-table");
  EXPECT_TRUE(coverage.count("crm.海外 Sales.Kunden \"VIP\" select"));
  for (const auto& [dataset, entry] : coverage) {
    EXPECT_FALSE(IsIncomplete(entry)) << dataset << ": " << entry.reason;
  }
  EXPECT_TRUE(output.complete);

  std::set<std::string> inventory;
  for (const auto& entry : output.inventory) {
    for (const auto& entity : entry.entities) {
      inventory.insert(entry.dataset + "/" + entry.column + "/" + entity.type);
    }
  }
  EXPECT_TRUE(inventory.count("crm.crm.contacts/email/EMAIL_ADDRESS"));
  EXPECT_TRUE(inventory.count("crm.crm.activities/meta.contact.email/EMAIL_ADDRESS"));
  EXPECT_TRUE(inventory.count("crm.crm.leads/id_card/CN_RESIDENT_ID"));
  EXPECT_FALSE(inventory.count("crm.crm.contacts/national_id_enc/CN_RESIDENT_ID"));

  auto open = Group(output.findings, FindingStatus::kOpen);
  for (const char* rule : {"ENC-01", "ENC-03", "ENC-04", "ENC-05", "ENC-06", "AC-01", "AC-02",
                           "AC-03", "AC-04", "AC-05", "AUD-01", "BAK-01", "RET-01", "RET-02"}) {
    EXPECT_FALSE(open[rule].empty()) << rule << " did not fire";
  }
  ASSERT_FALSE(open["ENC-05"].empty());
  for (const Finding* f : open["ENC-05"]) {
    EXPECT_NE(f->location.column, "national_id_enc") << "pgcrypto ciphertext is not clear text";
    EXPECT_EQ(f->frameworks.count("PIPL"), 1u);
  }
  // Raw values never leave: no finding, coverage or inventory string holds a seeded address.
  for (const auto& f : output.findings) {
    for (const auto& sample : f.evidence.samples) {
      EXPECT_EQ(sample.find("example.com"), std::string::npos) << "unmasked sample";
    }
    EXPECT_EQ(f.title.find("example.com"), std::string::npos);
  }
}

// examples/expected-findings.json, database half: `crmaudit scan` of the sample database with
// every shipped pack, as a user runs it, lists each expected (table, column, entity) and leaves
// the decoy columns (company names, customer-since and hire dates...) out of the inventory.
TEST_F(PostgresSandbox, ExamplesDatabaseFindsTheSeededPersonalData) {
  namespace fs = std::filesystem;
  const fs::path out = fs::path(sandbox_->dir()) / "expected-findings-scan";
  const std::string uri =
      "postgresql://postgres@/crm?host=" + sandbox_->dir() + "&port=" + sandbox_->port();
  const std::string command = "CRMAUDIT_POLICY_DIR='" + std::string(CRMAUDIT_SOURCE_DIR) +
                              "/policies' '" + std::string(CRMAUDIT_BINARY) + "' scan '" + uri +
                              "' --full --format json --fail-on never" + " --out '" + out.string() +
                              "' > '" + out.string() + ".log' 2>&1";
  ASSERT_EQ(Sandbox::Run(command), 0) << command;
  std::ifstream report_file(out / "report.json");
  const nlohmann::json report = nlohmann::json::parse(report_file, nullptr, false);
  ASSERT_TRUE(report.is_object()) << "no report.json";
  std::map<std::pair<std::string, std::string>, std::set<std::string>> inventory;
  for (const auto& entry : report["inventory"]) {
    for (const auto& entity : entry["entities"]) {
      inventory[{entry["dataset"].get<std::string>(), entry["column"].get<std::string>()}].insert(
          entity["type"].get<std::string>());
    }
  }
  std::ifstream expected_file(std::string(CRMAUDIT_SOURCE_DIR) +
                              "/examples/expected-findings.json");
  const nlohmann::json expected = nlohmann::json::parse(expected_file, nullptr, false);
  ASSERT_TRUE(expected.is_object());
  ASSERT_GT(expected["database_findings"].size(), 10u);
  for (const auto& item : expected["database_findings"]) {
    // Datasets of a database target are named database.schema.table.
    const std::pair<std::string, std::string> key{"crm." + item["table"].get<std::string>(),
                                                  item["column"].get<std::string>()};
    EXPECT_TRUE(inventory[key].count(item["entity"].get<std::string>()))
        << "missing " << item.dump();
  }
  // Every evaluated check is in the report, failed or passed, with its catalog entry: ENC-01
  // (ssl = off in the sample) failed on the target, titled as policies/checks says.
  const nlohmann::json* enc01_control = nullptr;
  for (const auto& control : report["controls"]) {
    if (control["rule"] == "ENC-01") enc01_control = &control;
  }
  ASSERT_NE(enc01_control, nullptr) << "ENC-01 missing from controls[]";
  EXPECT_EQ((*enc01_control)["status"], "fail");
  EXPECT_EQ((*enc01_control)["target"], "t1");
  EXPECT_GE((*enc01_control)["counts"]["failed"].get<uint64_t>(), 1u);
  const CheckCatalog catalog =
      LoadCheckCatalog(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "checks");
  ASSERT_NE(catalog.Find("ENC-01"), nullptr);
  bool enc01_described = false;
  for (const auto& rule : report["rules"]) {
    if (rule["id"] != "ENC-01") continue;
    enc01_described = true;
    EXPECT_EQ(rule["title"], catalog.Find("ENC-01")->title);
    EXPECT_EQ(rule["category"], "encryption");
  }
  EXPECT_TRUE(enc01_described) << "ENC-01 missing from rules[]";
  for (const auto& item : expected["must_stay_clean"]) {
    if (!item.contains("table")) continue;  // a file: integration_cli
    const auto found = inventory.find(
        {"crm." + item["table"].get<std::string>(), item["column"].get<std::string>()});
    EXPECT_TRUE(found == inventory.end() || found->second.empty())
        << "decoy " << item.dump() << " is in the inventory";
  }
}

TEST_F(PostgresSandbox, TimeoutInAWholeScanMarksTheTargetIncomplete) {
  sandbox_->Exec("CREATE VIEW crm.slow_view2 AS SELECT pg_sleep(2)::text AS pause");
  PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo(), "crm sandbox"};
  ScanPlan plan;
  plan.statement_timeout_ms = 500;
  plan.table_include = {"crm.slow_view2", "crm.accounts"};
  auto output = ScanPostgresTarget(target, plan, TestPolicy(sandbox_->dir()));
  sandbox_->Exec("DROP VIEW crm.slow_view2");
  EXPECT_FALSE(output.complete);
  bool slow_incomplete = false, accounts_ok = false;
  for (const auto& entry : output.coverage) {
    if (entry.dataset == "crm.crm.slow_view2") {
      slow_incomplete = IsIncomplete(entry);
      EXPECT_THAT(entry.reason, HasSubstr("statement_timeout"));
    }
    if (entry.dataset == "crm.crm.accounts") accounts_ok = !IsIncomplete(entry);
  }
  EXPECT_TRUE(slow_incomplete);
  EXPECT_TRUE(accounts_ok);
}

TEST_F(PostgresSandbox, AllDatabasesScansEveryConnectableDatabase) {
  sandbox_->Exec("CREATE DATABASE crm_archive", "postgres");
  sandbox_->Exec(
      "CREATE TABLE old_contacts (email text);"
      "INSERT INTO old_contacts SELECT 'user' || g || '@example.net'"
      " FROM generate_series(1, 30) g",
      "crm_archive");
  PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo(), "crm sandbox"};
  ScanPlan plan;
  plan.all_databases = true;
  plan.table_include = {"public.old_contacts", "crm.accounts"};
  auto output = ScanPostgresTarget(target, plan, TestPolicy(sandbox_->dir()));
  sandbox_->Exec("DROP DATABASE crm_archive WITH (FORCE)", "postgres");
  std::set<std::string> datasets;
  for (const auto& entry : output.coverage) datasets.insert(entry.dataset);
  EXPECT_TRUE(datasets.count("crm.crm.accounts"));
  EXPECT_TRUE(datasets.count("crm_archive.public.old_contacts"));
  bool archive_inventory = false;
  for (const auto& entry : output.inventory) {
    archive_inventory |=
        entry.dataset == "crm_archive.public.old_contacts" && entry.column == "email";
  }
  EXPECT_TRUE(archive_inventory);
}

TEST_F(PostgresSandbox, BackendKilledDuringAWholeScanIsPartialAndTheScanGoesOn) {
  sandbox_->Exec(
      "CREATE TABLE crm.huge AS SELECT g AS id, 'user' || g || '@example.net' AS email"
      " FROM generate_series(1, 600000) g");
  PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo(), "crm sandbox"};
  ScanPlan plan;
  plan.full = true;
  plan.jobs = 1;
  plan.table_include = {"crm.huge", "crm.leads"};
  // A DBA terminates whichever crmaudit backend is copying crm.huge.
  std::atomic<bool> done{false};
  std::atomic<int> killed{0};
  std::thread killer([&] {
    while (!done && killed == 0) {
      try {
        killed = std::stoi(sandbox_->Query1(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = 'crmaudit' AND query LIKE 'COPY (SELECT%huge%'"));
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  auto output = ScanPostgresTarget(target, plan, TestPolicy(sandbox_->dir()));
  done = true;
  killer.join();
  sandbox_->Exec("DROP TABLE crm.huge");
  ASSERT_EQ(killed.load(), 1) << "the COPY was never seen running";
  EXPECT_FALSE(output.complete);
  std::map<std::string, CoverageEntry> coverage;
  for (const auto& entry : output.coverage) coverage[entry.dataset] = entry;
  ASSERT_TRUE(coverage.count("crm.crm.huge"));
  EXPECT_TRUE(IsIncomplete(coverage["crm.crm.huge"]));
  EXPECT_THAT(coverage["crm.crm.huge"].reason, HasSubstr("connection"));
  EXPECT_LT(coverage["crm.crm.huge"].rows, 600000u);
  // The other table is read on a fresh connection.
  EXPECT_FALSE(IsIncomplete(coverage["crm.crm.leads"])) << coverage["crm.crm.leads"].reason;
  EXPECT_EQ(coverage["crm.crm.leads"].rows, 200u);
}

TEST_F(PostgresSandbox, UnreachableServerIsAnErrorNotACrash) {
  PlannedTarget target{"t1", "postgres",
                       "postgresql://auditor:wrong-secret@127.0.0.1:" + sandbox_->port() + "/crm",
                       "postgresql://auditor@127.0.0.1/crm"};
  auto output = ScanPostgresTarget(target, ScanPlan{}, TestPolicy(sandbox_->dir()));
  EXPECT_FALSE(output.complete);
  EXPECT_THAT(output.error, HasSubstr("wrong password"));
  EXPECT_EQ(output.error.find("wrong-secret"), std::string::npos);
  ASSERT_FALSE(output.coverage.empty());
  EXPECT_EQ(output.coverage[0].status, CoverageStatus::kError);
  EXPECT_EQ(output.coverage[0].reason, output.error);
  EXPECT_EQ(output.coverage[0].reason.find("wrong-secret"), std::string::npos);
}

// ---- RET-02 boolean flags, BAK-03 dump folders, references and filters ------------------

std::map<std::string, const Finding*> ByColumn(const std::vector<const Finding*>& findings) {
  std::map<std::string, const Finding*> out;
  for (const Finding* f : findings) out[f->location.table + "." + f->location.column] = f;
  return out;
}

TEST_F(PostgresSandbox, SoftDeleteFlagsAreDatedByModificationTimeOrReportedAsUndated) {
  PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo(), "crm sandbox"};
  ScanPlan plan;
  plan.table_include = {"crm.contacts", "crm.users"};
  auto output = ScanPostgresTarget(target, plan, TestPolicy(sandbox_->dir()));
  ASSERT_TRUE(output.error.empty()) << output.error;
  auto ret02 = ByColumn(Group(output.findings, FindingStatus::kOpen)["RET-02"]);
  // deleted_at as before, plus the two seeded flags.
  ASSERT_TRUE(ret02.count("contacts.deleted_at"));
  EXPECT_EQ(ret02["contacts.deleted_at"]->evidence.count, 12u);

  ASSERT_TRUE(ret02.count("contacts.is_archived"));
  const Finding& archived = *ret02["contacts.is_archived"];
  EXPECT_EQ(archived.evidence.count, 3u) << "the contact archived 2 days ago is within grace";
  EXPECT_EQ(archived.evidence.scanned, 4u);
  EXPECT_THAT(archived.evidence.facts.at("deletion_date"), HasSubstr("updated_at"));
  EXPECT_THAT(archived.remediation, HasSubstr("\"is_archived\" AND \"updated_at\" < now()"));

  ASSERT_TRUE(ret02.count("users.is_deleted"));
  const Finding& undated = *ret02["users.is_deleted"];
  EXPECT_EQ(undated.evidence.count, 2u);
  EXPECT_EQ(undated.evidence.scanned, 12u);
  EXPECT_THAT(undated.title, HasSubstr("unknown deletion date"));
  EXPECT_THAT(undated.evidence.facts.at("deletion_date"), HasSubstr("unknown"));
  EXPECT_EQ(undated.severity, Severity::kMedium);  // per pack
  EXPECT_THAT(undated.remediation, HasSubstr("DELETE FROM \"crm\".\"users\" WHERE \"is_deleted\""));

  // Repaired: the flagged rows past grace are gone (here: un-flagged) - those probes go quiet
  // while the recently archived contact stays within grace.
  sandbox_->Exec(
      "UPDATE crm.users SET is_deleted = false;"
      " UPDATE crm.contacts SET is_archived = false WHERE id IN (7, 47, 87);");
  auto fixed = ScanPostgresTarget(target, plan, TestPolicy(sandbox_->dir()));
  sandbox_->Exec(
      "UPDATE crm.users SET is_deleted = true WHERE id IN (11, 12);"
      " UPDATE crm.contacts SET is_archived = true WHERE id IN (7, 47, 87);");
  auto quiet = ByColumn(Group(fixed.findings, FindingStatus::kOpen)["RET-02"]);
  EXPECT_FALSE(quiet.count("contacts.is_archived"));
  EXPECT_FALSE(quiet.count("users.is_deleted"));
  EXPECT_TRUE(quiet.count("contacts.deleted_at")) << "untouched";
  EXPECT_TRUE(Group(fixed.findings, FindingStatus::kNotAssessed)["RET-02"].empty());
}

// Real pg_dump output in a folder: plain and custom-format dumps are readable without a key,
// the same dump inside an openssl or gpg container is not.
TEST_F(PostgresSandbox, DumpFolderWithPlainPgDumpOutputFiresBak03AndEncryptedOnesDoNot) {
  const std::string dumps = sandbox_->dir() + "/dumps";
  ASSERT_EQ(Sandbox::RunAsPostgres(
                "mkdir -p " + dumps + " && " + sandbox_->bin() + "/pg_dump -h " + sandbox_->dir() +
                " -p " + sandbox_->port() + " -U postgres -t crm.accounts -f " + dumps +
                "/crm-plain.sql crm && " + sandbox_->bin() + "/pg_dump -h " + sandbox_->dir() +
                " -p " + sandbox_->port() + " -U postgres -Fc -t crm.accounts -f " + dumps +
                "/crm-custom.dump crm"),
            0);
  ASSERT_EQ(Sandbox::Run("openssl enc -aes-256-cbc -pbkdf2 -pass pass:demo -in " + dumps +
                         "/crm-plain.sql -out " + dumps + "/crm-plain.sql.enc 2>/dev/null"),
            0);
  // gpg's own home (and its agent's sockets, which come and go) stays out of the dump folder.
  const std::string gnupg = sandbox_->dir() + "/gnupg";
  ASSERT_EQ(Sandbox::Run("mkdir -p -m 700 " + gnupg + " && gpg --batch --quiet --homedir " + gnupg +
                         " --passphrase demo --pinentry-mode loopback -c -o " + dumps +
                         "/crm-custom.dump.gpg " + dumps + "/crm-custom.dump 2>/dev/null; rc=$?; " +
                         "gpgconf --homedir " + gnupg + " --kill all 2>/dev/null; exit $rc"),
            0);
  PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo(), "crm sandbox"};
  ScanPlan plan;
  plan.table_include = {"crm.accounts"};
  plan.backup_info = dumps;
  auto output = ScanPostgresTarget(target, plan, TestPolicy(sandbox_->dir()));
  auto bak03 = Group(output.findings, FindingStatus::kOpen)["BAK-03"];
  ASSERT_EQ(bak03.size(), 1u);
  EXPECT_EQ(bak03[0]->evidence.count, 2u);
  EXPECT_EQ(bak03[0]->evidence.scanned, 4u);
  EXPECT_EQ(bak03[0]->evidence.facts.at("files"), "crm-custom.dump, crm-plain.sql");
  EXPECT_EQ(bak03[0]->frameworks.count("GDPR"), 1u);

  std::filesystem::remove(dumps + "/crm-plain.sql");
  std::filesystem::remove(dumps + "/crm-custom.dump");
  auto encrypted = ScanPostgresTarget(target, plan, TestPolicy(sandbox_->dir()));
  EXPECT_TRUE(Group(encrypted.findings, FindingStatus::kOpen)["BAK-03"].empty());
  EXPECT_TRUE(Group(encrypted.findings, FindingStatus::kNotAssessed)["BAK-03"].empty());
  std::error_code ignored;
  std::filesystem::remove_all(dumps, ignored);
  std::filesystem::remove_all(gnupg, ignored);
}

// Every control finding the seeded sandbox produces names both frameworks and says what SQL or
// setting to change.
TEST_F(PostgresSandbox, EverySeededControlFindingHasGdprPiplAndAConcreteRemediation) {
  const std::string dumps = sandbox_->dir() + "/plain-dumps";
  std::filesystem::create_directories(dumps);
  std::ofstream(dumps + "/crm.sql") << "--\n-- PostgreSQL database dump\n--\nSET x = 0;\n";
  PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo(), "crm sandbox"};
  ScanPlan plan;
  plan.backup_info = dumps;
  auto output = ScanPostgresTarget(target, plan, TestPolicy(sandbox_->dir()));
  std::filesystem::remove_all(dumps);
  ASSERT_TRUE(output.error.empty()) << output.error;
  // SQL statements, server settings (name = value), or the tool commands that change them.
  const std::vector<std::string> concrete = {
      "ALTER ",          "GRANT ",  "REVOKE ", "DELETE ",
      "UPDATE ",         "CREATE ", "DROP ",   "pg_hba.conf",
      "postgresql.conf", "ssl",     "log_",    "pgbackrest",
      "archive_command", "cipher",  "pg_dump", "password_encryption",
      "pg_checksums"};
  std::set<std::string> rules;
  for (const auto& f : output.findings) {
    if (f.category == FindingCategory::kPii || f.category == FindingCategory::kSecret) continue;
    if (f.status != FindingStatus::kOpen) continue;
    rules.insert(f.rule);
    const std::string where = f.rule + " @" + f.location.table + "." + f.location.column;
    ASSERT_TRUE(f.frameworks.count("GDPR")) << where;
    ASSERT_TRUE(f.frameworks.count("PIPL")) << where;
    EXPECT_FALSE(f.frameworks.at("GDPR").empty()) << where;
    EXPECT_FALSE(f.frameworks.at("PIPL").empty()) << where;
    EXPECT_TRUE(std::any_of(
        concrete.begin(), concrete.end(),
        [&](const std::string& k) { return f.remediation.find(k) != std::string::npos; }))
        << where << " remediation names no SQL or setting: " << f.remediation;
  }
  for (const char* rule :
       {"ENC-01", "ENC-03", "ENC-04", "ENC-05", "ENC-06", "AC-01", "AC-02", "AC-03", "AC-04",
        "AC-05", "AUD-01", "BAK-01", "BAK-03", "RET-01", "RET-02"}) {
    EXPECT_TRUE(rules.count(rule)) << rule << " was not produced, so not checked";
  }
}

TEST_F(PostgresSandbox, IncludeAndExcludeSchemaTablePatternsSelectDatabaseTables) {
  PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo(), "crm sandbox"};
  ScanPlan plan;
  plan.table_include = {"crm.*", "海外 Sales"};
  plan.table_exclude = {"crm.contact*", "crm.activities", "*.users"};
  auto output = ScanPostgresTarget(target, plan, TestPolicy(sandbox_->dir()));
  ASSERT_TRUE(output.error.empty()) << output.error;
  std::set<std::string> datasets;
  for (const auto& entry : output.coverage) datasets.insert(entry.dataset);
  EXPECT_TRUE(datasets.count("crm.crm.leads"));
  EXPECT_TRUE(datasets.count("crm.crm.accounts"));
  EXPECT_TRUE(datasets.count("crm.海外 Sales.Kunden \"VIP\" select"));
  for (const char* excluded :
       {"crm.crm.contacts", "crm.crm.contact_directory", "crm.crm.activities", "crm.crm.users"}) {
    EXPECT_FALSE(datasets.count(excluded)) << excluded << " was excluded";
  }
  for (const auto& entry : output.inventory) {
    EXPECT_NE(entry.dataset, "crm.crm.contacts");
    EXPECT_NE(entry.dataset, "crm.crm.users");
  }
  // File globs of the same run never filter tables: `--include '*.csv'` for an export folder
  // must not silently empty the database target.
  ScanPlan files_only;
  files_only.include = {"*.csv"};
  files_only.exclude = {"*"};
  auto unfiltered = ScanPostgresTarget(target, files_only, TestPolicy(sandbox_->dir()));
  std::set<std::string> all_tables;
  for (const auto& entry : unfiltered.coverage) all_tables.insert(entry.dataset);
  EXPECT_TRUE(all_tables.count("crm.crm.contacts"));
  EXPECT_TRUE(all_tables.count("crm.crm.users"));

  // A pattern that matches nothing reads nothing.
  plan.table_include = {"nosuch.*"};
  plan.table_exclude.clear();
  auto none = ScanPostgresTarget(target, plan, TestPolicy(sandbox_->dir()));
  for (const auto& entry : none.coverage) {
    EXPECT_EQ(entry.dataset.find("crm.crm."), std::string::npos) << entry.dataset;
  }
}

}  // namespace
}  // namespace crmaudit

namespace crmaudit {
namespace {

// The retention counts a full read takes as rows stream by must be what the server's probe
// counts: dates, timestamps with and without zone (compared in UTC), NULLs, infinities,
// flags with and without a timestamp, and every kind of period.
TEST_F(PostgresSandbox, RetentionCountedWhileReadingEqualsTheServersCount) {
  sandbox_->Exec(
      "CREATE TABLE crm.ages (d date, ts timestamp, tz timestamptz, gone boolean);"
      "INSERT INTO crm.ages SELECT"
      "  CASE WHEN g % 17 = 0 THEN NULL ELSE date '2015-03-01' + g * 3 END,"
      "  CASE WHEN g % 19 = 0 THEN NULL WHEN g = 5 THEN 'infinity' WHEN g = 6 THEN '-infinity'"
      "       ELSE timestamp '2016-02-29 23:59:59.999999' + g * interval '37 hours' END,"
      "  CASE WHEN g % 23 = 0 THEN NULL"
      "       ELSE (timestamp '2018-01-01 00:00:00' + g * interval '13 hours 7 minutes')"
      "            AT TIME ZONE 'Asia/Kolkata' END,"
      "  CASE WHEN g % 29 = 0 THEN NULL ELSE g % 3 = 0 END"
      " FROM generate_series(1, 3000) AS g");
  auto session = Open(sandbox_->SocketConnInfo());
  ASSERT_TRUE(session);
  const auto relations = Discover(*session);
  const PgRelation& ages = Find(relations, "crm", "ages");

  std::vector<AgeProbe> probes;
  for (const char* column : {"d", "ts", "tz"}) {
    for (const char* period : {"2 years", "30 days", "1 year 2 months 3 days", "100 years"}) {
      probes.push_back({"crm", "ages", column, period, false, "automatic"});
      probes.push_back({"crm", "ages", column, period, true, "automatic", "gone"});
    }
  }
  probes.push_back({"crm", "ages", "", "30 days", true, "automatic", "gone"});
  FactsRequest request;
  request.age_probes = probes;
  const FactsOutcome server = CollectDatabaseFacts(Polite(sandbox_->SocketConnInfo()), request);
  ASSERT_TRUE(server.error.empty()) << server.error;
  ASSERT_EQ(server.facts.ages.size(), probes.size());

  std::vector<std::string> periods;
  for (const auto& probe : probes) periods.push_back(probe.period);
  std::map<std::string, int64_t> cutoffs;
  PgFailure failure;
  ASSERT_TRUE(RetentionCutoffs(*session, periods, &cutoffs, &failure)) << failure.Describe();
  TableReadOptions full;
  full.full = true;
  for (const auto& probe : probes) {
    AgeTally tally;
    tally.column = probe.column;
    tally.flag_column = probe.flag_column;
    tally.period = probe.period;
    tally.cutoff_micros = cutoffs.at(probe.period);
    full.age_tallies.push_back(tally);
  }
  RecordingSink sink;
  const TableReadResult read = ReadRelation(*session, ages, full, sink);
  ASSERT_EQ(read.status, CoverageStatus::kScanned);
  ASSERT_EQ(read.age_tallies.size(), probes.size());
  size_t with_rows_past = 0;
  for (size_t i = 0; i < probes.size(); ++i) {
    SCOPED_TRACE(probes[i].column + " / " + probes[i].flag_column + " / " + probes[i].period);
    const AgeProbeResult& expected = server.facts.ages[i];
    const AgeTally& counted = read.age_tallies[i];
    ASSERT_TRUE(expected.assessed) << expected.reason;
    EXPECT_TRUE(counted.exact);
    EXPECT_EQ(counted.rows_past, expected.rows_past);
    EXPECT_EQ(counted.rows_total, expected.rows_total);
    EXPECT_EQ(counted.OldestDate(), expected.oldest);
    if (expected.rows_past > 0 && expected.rows_past < expected.rows_total) ++with_rows_past;
  }
  EXPECT_GT(with_rows_past, 10u);  // the periods cut through the data, not around it
  sandbox_->Exec("DROP TABLE crm.ages");
}

// End to end on the seeded CRM: a full scan takes the retention counts while reading, a
// sampled scan asks the server; the RET findings must not tell them apart.
TEST_F(PostgresSandbox, RetentionFindingsOfAFullScanEqualThoseOfTheServersProbes) {
  const std::string policies = std::string(CRMAUDIT_SOURCE_DIR) + "/policies/";
  const auto policy = CompiledPolicy::Compile(
      {LoadPolicyPack(policies + "pii-core.json"), LoadPolicyPack(policies + "controls-gdpr.json")},
      WithShippedCatalog());
  auto retention = [&](bool full) {
    PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo(), "crm sandbox"};
    ScanPlan plan;
    plan.full = full;
    plan.sample_rows = 100000;  // the seeded tables are small: a sample reads every row
    const TargetScanOutput output = ScanPostgresTarget(target, plan, policy);
    EXPECT_TRUE(output.error.empty()) << output.error;
    std::vector<std::string> lines;
    for (const auto& f : output.findings) {
      if (f.rule.rfind("RET-", 0) != 0) continue;
      std::string line = f.rule + " " + f.location.table + "." + f.location.column + " " +
                         std::string(StatusName(f.status)) +
                         " count=" + std::to_string(f.evidence.count) +
                         " scanned=" + std::to_string(f.evidence.scanned);
      for (const auto& [key, value] : f.evidence.facts) line += " " + key + "=" + value;
      lines.push_back(line);
    }
    return lines;
  };
  const auto counted_while_reading = retention(true);
  EXPECT_FALSE(counted_while_reading.empty()) << "the seeded leads are past their retention";
  EXPECT_EQ(counted_while_reading, retention(false));
}

TEST(AgeTallyTest, ReadsTheIsoFormsPostgresPrints) {
  EXPECT_EQ(ParseIsoTimestampMicros("1970-01-01"), 0);
  EXPECT_EQ(ParseIsoTimestampMicros("1970-01-02 00:00:00"), int64_t{86400} * 1000000);
  EXPECT_EQ(ParseIsoTimestampMicros("1970-01-01 00:00:01.5"), 1500000);
  EXPECT_EQ(ParseIsoTimestampMicros("1970-01-01 05:30:00+05:30"), 0);
  EXPECT_EQ(ParseIsoTimestampMicros("1969-12-31 23:00:00-01"), 0);
  EXPECT_EQ(ParseIsoTimestampMicros("1900-01-01 00:00:00+05:21:10"),
            ParseIsoTimestampMicros("1899-12-31 18:38:50+00"));
  EXPECT_EQ(ParseIsoTimestampMicros("2000-02-29"), int64_t{951782400} * 1000000);
  EXPECT_EQ(ParseIsoTimestampMicros("12345-01-02").value_or(0) > 0, true);
  EXPECT_EQ(ParseIsoTimestampMicros("infinity"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseIsoTimestampMicros("-infinity"), std::numeric_limits<int64_t>::min());
  // The common form (read by the fast path) agrees with the general one, and what the fast path
  // rejects (a letter in any digit pair, a month, day or time out of range) stays unreadable.
  EXPECT_EQ(ParseIsoTimestampMicros("2026-11-30 07:55:12.123456+00"),
            ParseIsoTimestampMicros("2026-11-30 08:55:12.123456+01"));
  EXPECT_EQ(ParseIsoTimestampMicros("2026-11-30 07:55:12"),
            ParseIsoTimestampMicros("2026-11-30 07:55:12+00:00"));
  EXPECT_EQ(ParseIsoTimestampMicros("1999-12-31 23:59:60+00"),
            ParseIsoTimestampMicros("2000-01-01 00:00:00+00"));
  for (const char* unreadable :
       {"0044-03-15 BC", "2021-6-3", "2021-06-03T10:00:00", "yesterday", "2021-13-01",
        "2021-06-03 10:00", "2021-06-03 10:00:00.1234567", "2a21-06-03 10:00:00",
        "202a-06-03 10:00:00+00", "2021-00-03 10:00:00", "2021-06-32 10:00:00",
        "2021-06-03 25:00:00", "2021-06-03 10:60:00", "2021-06-03 10:00:61", "2021-06-03 1:00:00Z",
        "2021-06-03 10:00:0x+00", "2021-06-03 10:00:00+00 "}) {
    EXPECT_FALSE(ParseIsoTimestampMicros(unreadable)) << unreadable;
  }
}

TEST(AgeTallyTest, AnUnreadableValueMakesTheTallyInexactAndTheOldestIsFormatted) {
  AgeTally tally;
  tally.column = "created_at";
  tally.cutoff_micros = *ParseIsoTimestampMicros("2020-01-01");
  tally.Count("2019-05-06 07:08:09+00", std::nullopt);
  tally.Count("1999-12-31 23:59:59.999999+00", std::nullopt);
  tally.Count(std::nullopt, std::nullopt);
  tally.Count("2021-01-01", std::nullopt);
  EXPECT_TRUE(tally.exact);
  EXPECT_EQ(tally.rows_past, 2u);
  EXPECT_EQ(tally.rows_total, 3u);
  EXPECT_EQ(tally.OldestDate(), "1999-12-31");
  tally.Count("0044-03-15 BC", std::nullopt);
  EXPECT_FALSE(tally.exact);
}

// ENC-06 reads password values with the one classification exports use too
// (scanner/detect/password_form.h): a mask an export or an admin tool wrote is neither a hash
// nor a plain-text password, in a column named in German as much as in English.
TEST_F(PostgresSandbox, PasswordColumnMasksAreNotPlaintextForEnc06) {
  sandbox_->Exec(
      "CREATE TABLE crm.pw_forms (id int, passwort text);"
      "INSERT INTO crm.pw_forms VALUES (1, '********'), (2, 'redacted'), (3, 'N/A'),"
      " (4, 'hunter22'), (5, '2ab96390c7dbe3439de74d0c9b0b1767'),"
      " (6, '$2b$12$RA.EZmC4RcAY/WOUjZIWwOM0r9jSCznpTeFD1EkFoW7qTuaMx5xWG');");
  auto session = Open(sandbox_->SocketConnInfo());
  ASSERT_TRUE(session);
  TableReadOptions full;
  full.full = true;
  RecordingSink sink;
  auto result = ReadRelation(*session, Find(Discover(*session), "crm", "pw_forms"), full, sink);
  sandbox_->Exec("DROP TABLE crm.pw_forms");
  ASSERT_EQ(result.status, CoverageStatus::kScanned) << result.reason;
  const ColumnValueFacts& column = result.columns.at(1);
  EXPECT_TRUE(column.password_column);
  EXPECT_EQ(column.plaintext_passwords, 1u);
  EXPECT_EQ(column.fast_unsalted, 1u);
  EXPECT_EQ(column.strong_hashes, 1u);

  DatabaseFacts facts;
  facts.column_values[{"crm", "pw_forms"}] = result.columns;
  std::vector<Finding> findings;
  findings =
      DatabaseFindings(facts, {}, ShippedDatabaseControls(), {"t1", "crm", &ShippedReleases()});
  std::vector<const Finding*> enc06;
  for (const Finding& f : findings) {
    if (f.rule == "ENC-06" && f.status == FindingStatus::kOpen) enc06.push_back(&f);
  }
  ASSERT_EQ(enc06.size(), 1u);
  EXPECT_EQ(enc06[0]->evidence.count, 2u);
  EXPECT_EQ(enc06[0]->evidence.facts.at("plaintext"), "1");
}

// Phone numbers written the national way in a table of several countries: read in the
// region of the row's country column, on the small-table path (one thread, Field) and the
// batched one (several threads), with the same counts.
TEST_F(PostgresSandbox, NationalPhonesAreReadInTheirRowsCountry) {
  sandbox_->Exec(
      "CREATE TABLE crm.intl_contacts AS SELECT g AS id,"
      " (ARRAY['030 901820','020 7185 0022','010-6552 1234','01 42 68 53 00','912 345 678',"
      "        '020 123 4567','(11) 3456-7890','(415) 555-0132'])[1 + g % 8] AS phone,"
      " (ARRAY['Deutschland','UK','中国','France','ES','Nederland','Brasil','USA'])[1 + g % 8]"
      "   AS mailing_country,"
      " jsonb_build_object('address', jsonb_build_object('country',"
      "   (ARRAY['DE','GB','CN','FR','ES','NL','BR','US'])[1 + g % 8])) AS meta,"
      " (ARRAY['2024-000123','15.03.2024','10115'])[1 + g % 3] AS reference"
      " FROM generate_series(1, 24000) g; ANALYZE crm.intl_contacts");
  CompileOptions options;
  options.default_region = "US";
  options.regions = std::make_shared<const RegionRules>(
      LoadShippedRegionData({std::string(CRMAUDIT_SOURCE_DIR) + "/policies"}));
  const auto policy = CompiledPolicy::Compile(
      {LoadPolicyPack(std::string(CRMAUDIT_SOURCE_DIR) + "/policies/pii-core.json")},
      WithShippedCatalog(options));
  auto phones = [&](uint64_t rows, int jobs) {
    PlannedTarget target{"t1", "postgres", sandbox_->SocketConnInfo(), "crm sandbox"};
    ScanPlan plan;
    plan.sample_rows = rows;
    plan.jobs = jobs;
    plan.table_include = {"crm.intl_contacts"};
    auto output = ScanPostgresTarget(target, plan, policy);
    EXPECT_TRUE(output.error.empty()) << output.error;
    std::map<std::string, std::pair<uint64_t, uint64_t>> found;  // column -> matched, scanned
    for (const auto& entry : output.inventory) {
      for (const auto& entity : entry.entities) {
        if (entity.type == "PHONE_NUMBER") found[entry.column] = {entity.matched, entity.scanned};
      }
    }
    return found;
  };
  const auto sampled = phones(800, 1);  // under the batching threshold: Field, held records
  const auto full = phones(30000, 2);   // every row, batched on two threads
  sandbox_->Exec("DROP TABLE crm.intl_contacts");
  ASSERT_EQ(full.size(), 1u);  // the reference column stays clean
  EXPECT_EQ(full.at("phone").first, 24000u);
  ASSERT_EQ(sampled.size(), 1u);
  EXPECT_GT(sampled.at("phone").first, 100u);
  EXPECT_EQ(sampled.at("phone").first, sampled.at("phone").second);
}

}  // namespace
}  // namespace crmaudit
