#include "scanner/scan/mysql_scan.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "scanner/checks/backup_checks.h"
#include "scanner/checks/database_checks.h"
#include "scanner/checks/mysql_checks.h"
#include "scanner/checks/outcome_findings.h"
#include "scanner/checks/retention_plan.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/scan/live_database_limits.h"
#include "scanner/scan/read_throttle.h"
#include "scanner/scan/table_profiling.h"
#include "scanner/sources/backups/backup_reader.h"
#include "scanner/sources/mysql/mysql_catalog.h"
#include "scanner/sources/mysql/mysql_facts_reader.h"
#include "scanner/sources/mysql/mysql_session.h"
#include "scanner/sources/mysql/mysql_table_reader.h"
#include "scanner/sources/mysql/mysql_uri.h"

namespace crmaudit {
namespace {

struct TableScan {
  MysqlReadResult read;
  std::vector<ColumnProfile> profiles;
};

bool DeadlinePassed(const ScanPlan& plan) {
  return plan.deadline && std::chrono::steady_clock::now() >= *plan.deadline;
}

// The target as a whole could not be scanned: one coverage entry, the same sentence as the
// target's error line.
void TargetFailed(const PlannedTarget& target, const std::string& format, const std::string& why,
                  TargetScanOutput* out) {
  CoverageEntry entry;
  entry.target = target.id;
  entry.dataset = target.display;
  entry.status = CoverageStatus::kError;
  entry.format = format;
  entry.reason = why;
  out->coverage.push_back(entry);
  out->complete = false;
  if (out->error.empty()) out->error = why;
}

// Reads tables with at most --jobs connections; each worker keeps one session and opens a new
// one only after its connection was lost. The calling thread's worker starts with `session`
// (the catalog's connection) and leaves its last session there, so a --jobs 1 scan reads the
// catalog, every table and the server's facts over one connection, as a PostgreSQL scan does.
std::vector<TableScan> ReadTables(const std::vector<MysqlTable>& tables,
                                  const MysqlConnectOptions& connect,
                                  const MysqlSessionSettings& settings, const ScanPlan& plan,
                                  const std::shared_ptr<const CompiledPolicy>& policy,
                                  std::unique_ptr<MysqlSession>& session) {
  std::vector<TableScan> scans(tables.size());
  std::atomic<size_t> next{0};
  MysqlReadOptions options;
  options.sample_rows = plan.sample_rows;
  options.full = plan.full;
  // --max-rows-per-second / --max-mb-per-second: one throttle for every worker, so the bound is
  // the whole scan's (targets are scanned one after another). No back-off while the server is
  // busy yet (PostgreSQL only: docs/operations.md).
  ReadThrottle throttle(ReadLimitsOf(plan), plan.deadline);
  if (throttle.limits().any()) {
    options.pace = [&throttle](uint64_t records, uint64_t bytes) {
      return throttle.Admit(records, bytes) ? PaceVerdict::kGo : PaceVerdict::kDeadline;
    };
  }
  const int jobs = std::max(1, std::min<int>(plan.jobs, static_cast<int>(tables.size())));
  // Fewer tables than jobs (typically one big table): the spare jobs match inside each read.
  // They are threads, not connections: at most --jobs connections read at a time.
  const int matcher_threads = std::max(1, plan.jobs / jobs);
  auto worker = [&](std::unique_ptr<MysqlSession>& session) {
    for (size_t i = next++; i < tables.size(); i = next++) {
      const MysqlTable& table = tables[i];
      TableScan& scan = scans[i];
      const std::string what = table.KindName() + " " + table.QualifiedName();
      if (DeadlinePassed(plan)) {
        scan.read.status = CoverageStatus::kSkipped;
        scan.read.failure.kind = MysqlFailureKind::kScanTimeout;
        scan.read.reason = "not read: the scan's --timeout expired before " + what;
        continue;
      }
      if (!session || !session->is_open()) {
        MysqlFailure failure;
        session = MysqlSession::Open(connect, settings, &failure);
        if (!session) {
          scan.read.status = CoverageStatus::kError;
          scan.read.failure = failure;
          scan.read.reason = "could not read " + what + ": " + failure.Describe();
          continue;
        }
      }
      // Nothing may escape a worker thread (std::terminate); a failure here is this table's
      // coverage entry, and its message is not kept (it could quote data).
      try {
        const double expected =
            ExpectedReadRows(table.estimated_rows, options.sample_rows, options.full);
        scan.profiles = ProfileTableRead(
            policy, table.name, table.view ? -1 : expected, matcher_threads,
            [&](RecordSink& sink) { scan.read = ReadMysqlTable(*session, table, options, sink); });
      } catch (const std::exception&) {
        scan.read.status = CoverageStatus::kError;
        scan.read.reason = "internal error while profiling " + what;
        scan.profiles.clear();
      }
    }
  };
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) {
    threads.emplace_back([&worker]() {
      std::unique_ptr<MysqlSession> own;
      worker(own);
    });
  }
  worker(session);
  for (auto& thread : threads) thread.join();
  return scans;
}

// Records each read: its coverage entry, its PII inventory and findings; returns the columns
// holding personal data.
std::vector<PiiColumnRef> RecordReads(const PlannedTarget& target,
                                      const std::vector<MysqlTable>& tables,
                                      const std::vector<TableScan>& scans,
                                      const CompiledPolicy& policy, TargetScanOutput* out) {
  std::vector<PiiColumnRef> pii;
  for (size_t i = 0; i < tables.size(); ++i) {
    const MysqlTable& table = tables[i];
    const TableScan& scan = scans[i];
    CoverageEntry entry;
    entry.target = target.id;
    entry.dataset = table.schema + "." + table.name;
    entry.status = scan.read.status;
    entry.rows = scan.read.rows;
    entry.bytes = scan.read.bytes;
    entry.sampled = scan.read.sampled;
    entry.reason = scan.read.reason;
    entry.format = table.view ? "mysql-view" : "mysql-table";
    entry.encoding = "utf8mb4";  // the connection's: the server converts every column to it
    if (IsIncomplete(entry)) out->complete = false;
    out->coverage.push_back(entry);

    DatasetRef dataset;
    dataset.target = target.id;
    dataset.dataset = entry.dataset;
    dataset.base.kind = "mysql";
    dataset.base.target = target.id;
    dataset.base.database = table.schema;
    dataset.base.table = table.name;
    RecordTableProfiles(policy, dataset, table.schema, table.name, table.view ? 'v' : 'r',
                        scan.profiles, out, &pii);
  }
  return pii;
}

// The MY-RET-01/MY-RET-02 probes of the tables holding personal data: the plan PostgreSQL's
// tables get (checks/retention_plan.h), from the columns discovery found.
std::vector<AgeProbe> PlanMysqlAgeProbes(const std::vector<MysqlTable>& tables,
                                         const std::vector<PiiColumnRef>& pii,
                                         const DatabaseControls& controls) {
  std::vector<AgeProbe> probes;
  for (const auto& table : tables) {
    const bool holds_pii = std::any_of(pii.begin(), pii.end(), [&](const PiiColumnRef& c) {
      return c.schema == table.schema && c.table == table.name;
    });
    if (table.view || !holds_pii) continue;
    std::vector<PlannedColumn> columns;
    for (const auto& column : table.columns) {
      const std::string& type = column.type;  // COLUMN_TYPE: "datetime(6)", "tinyint(1)"
      const ColumnKind kind =
          type.rfind("date", 0) == 0 || type.rfind("timestamp", 0) == 0 ? ColumnKind::kTimestamp
          : type.rfind("tinyint(1)", 0) == 0 || type == "bit(1)"        ? ColumnKind::kBoolean
                                                                        : ColumnKind::kOther;
      columns.push_back({column.name, kind});
    }
    for (AgeProbe& probe : PlanTableAgeProbes(table.schema, table.name, columns, controls)) {
      probes.push_back(std::move(probe));
    }
  }
  return probes;
}

// The server's control checks (TLS, accounts, privileges, audit, encryption at rest, binlog,
// retention; backups with --backup-info) on the catalog session, once the PII columns are
// known: facts read (sources/mysql/mysql_facts_reader.h), judged (checks/mysql_checks.h), and
// turned into findings and control results by the catalog, as for PostgreSQL.
void JudgeServer(const PlannedTarget& target, const ScanPlan& plan, MysqlSession& session,
                 const std::vector<MysqlTable>& tables, const std::vector<PiiColumnRef>& pii,
                 const CompiledPolicy& policy, TargetScanOutput* out) {
  const CheckCatalog* checks = policy.check_catalog();
  if (checks == nullptr) throw std::logic_error("no check catalog was compiled into the policy");
  // Read and checked when the packs were loaded (exit 2 before any scan): nothing to fail here.
  const DatabaseControls controls = ControlPolicyFromPacks(policy.packs()).database;
  const DatabaseCheckContext context{target.id, ""};
  MysqlServerFacts facts = ReadMysqlServerFacts(session);
  // A sampled scan estimates the counts of big tables with an integer key from key ranges;
  // --full counts every row.
  facts.ages = ReadMysqlAges(session, PlanMysqlAgeProbes(tables, pii, controls), tables,
                             /*estimate_large=*/!plan.full);
  std::vector<ControlOutcome> outcomes;
  RunMysqlChecks(facts, pii, controls, context, &outcomes);
  if (plan.backup_info) {
    // A folder of mysqldump / mariadb-dump files reads like one of pg_dump files (plain SQL,
    // compressed or encrypted): BAK-02 and BAK-03, located on this server.
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    std::vector<ControlOutcome> backups;
    CheckBackups(CollectBackupFacts(plan.backup_info->string()), controls, context, now, &backups);
    for (ControlOutcome& outcome : backups) {
      outcome.location.kind = "mysql";
      outcomes.push_back(std::move(outcome));
    }
  }
  JudgeOutcomes(outcomes, *checks, controls.checks, &out->findings, &out->controls);
}

}  // namespace

TargetScanOutput ScanMysqlTarget(const PlannedTarget& target, const ScanPlan& plan,
                                 std::shared_ptr<const CompiledPolicy> policy) {
  TargetScanOutput out;
  try {
    MysqlConnectOptions connect;
    try {
      connect = ParseMysqlUri(target.location);
    } catch (const MysqlUriError& error) {
      TargetFailed(target, "mysql-server", error.what(), &out);
      return out;
    }
    MysqlSessionSettings settings;
    settings.statement_timeout_ms = plan.statement_timeout_ms;
    settings.lock_timeout_ms = plan.lock_timeout_ms;
    settings.deadline = plan.deadline;
    MysqlFailure failure;
    auto catalog = MysqlSession::Open(connect, settings, &failure);
    if (!catalog) {
      TargetFailed(target, "mysql-server", failure.Describe(), &out);
      return out;
    }
    if (catalog->over_tcp() && !catalog->uses_tls()) {
      out.warnings.push_back(
          "crmaudit's own connection is not encrypted (the URI's ssl-mode): connect with "
          "ssl-mode=VERIFY_IDENTITY to keep the audit's reads off the wire in clear");
    }
    std::vector<MysqlTable> tables;
    RelationFilter filter{plan.table_include, plan.table_exclude};
    const std::string only = plan.all_databases ? std::string() : connect.database;
    if (!DiscoverMysqlTables(*catalog, filter, only, &tables, &failure)) {
      TargetFailed(target, "mysql-catalog", "catalog discovery failed: " + failure.Describe(),
                   &out);
      return out;
    }
    // The catalog's connection reads tables too (at most --jobs connections at a time) and,
    // when it survives them, the server's facts: one connection in all at --jobs 1.
    std::unique_ptr<MysqlSession> session = std::move(catalog);
    const std::vector<TableScan> scans =
        ReadTables(tables, connect, settings, plan, policy, session);
    const std::vector<PiiColumnRef> pii = RecordReads(target, tables, scans, *policy, &out);
    if (!session || !session->is_open()) session = MysqlSession::Open(connect, settings, &failure);
    if (!session) {
      CoverageEntry entry;
      entry.target = target.id;
      entry.dataset = target.display + " (server settings, accounts and privileges)";
      entry.status = CoverageStatus::kError;
      entry.format = "mysql-catalog";
      entry.reason = "server settings not read: " + failure.Describe();
      out.coverage.push_back(entry);
      out.complete = false;
      return out;
    }
    JudgeServer(target, plan, *session, tables, pii, *policy, &out);
  } catch (const std::exception&) {
    // The contract: never throw for a target. The message is dropped on purpose.
    out.complete = false;
    out.error = "internal error while scanning " + target.display;
  }
  return out;
}

}  // namespace crmaudit
