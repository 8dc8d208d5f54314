#include "scanner/scan/postgres_scan.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "scanner/checks/backup_checks.h"
#include "scanner/checks/database_checks.h"
#include "scanner/checks/database_controls.h"
#include "scanner/checks/outcome_findings.h"
#include "scanner/checks/pii_findings.h"
#include "scanner/checks/retention_plan.h"
#include "scanner/detect/column_profiler.h"
#include "scanner/model/terminal_text.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/scan/live_database_limits.h"
#include "scanner/scan/table_profiling.h"
#include "scanner/sources/backups/backup_reader.h"
#include "scanner/sources/postgres/age_tally.h"
#include "scanner/sources/postgres/catalog.h"
#include "scanner/sources/postgres/catalog_facts_reader.h"
#include "scanner/sources/postgres/conninfo.h"
#include "scanner/sources/postgres/pg_session.h"
#include "scanner/sources/postgres/pg_session_pool.h"
#include "scanner/sources/postgres/server_load_reader.h"
#include "scanner/sources/postgres/table_reader.h"

namespace crmaudit {
namespace {

struct RelationScan {
  TableReadResult read;
  std::vector<ColumnProfile> profiles;
};

bool IsTimestampType(const std::string& type) {
  return type.rfind("timestamp", 0) == 0 || type == "date";
}

// The RET-01/RET-02 probes a table gets if it holds personal data (checks/retention_plan.h).
std::vector<AgeProbe> AgeProbesFor(const PgRelation& relation, const DatabaseControls& controls) {
  if (relation.relkind != 'r' && relation.relkind != 'p') return {};
  std::vector<PlannedColumn> columns;
  for (const auto& column : relation.columns) {
    const ColumnKind kind = IsTimestampType(column.type) ? ColumnKind::kTimestamp
                            : column.type == "boolean"   ? ColumnKind::kBoolean
                                                         : ColumnKind::kOther;
    columns.push_back({column.name, kind});
  }
  return PlanTableAgeProbes(relation.schema, relation.name, columns, controls);
}

// RET-01/RET-02 probes for the tables that hold personal data.
std::vector<AgeProbe> PlanAgeProbes(const std::vector<PgRelation>& relations,
                                    const std::vector<PiiColumnRef>& pii,
                                    const DatabaseControls& controls) {
  std::vector<AgeProbe> probes;
  for (const auto& relation : relations) {
    const bool holds_pii = std::any_of(pii.begin(), pii.end(), [&](const PiiColumnRef& c) {
      return c.schema == relation.schema && c.table == relation.name;
    });
    if (!holds_pii) continue;
    for (AgeProbe& probe : AgeProbesFor(relation, controls)) probes.push_back(std::move(probe));
  }
  return probes;
}

bool SameCount(const AgeProbe& probe, const AgeTally& tally) {
  return probe.column == tally.column && probe.flag_column == tally.flag_column &&
         probe.period == tally.period;
}

// For a full scan: the retention counts each relation would be probed for, to be taken while
// its rows stream by. Empty when the server cannot give the cutoffs (the probes then run).
std::vector<std::vector<AgeTally>> PlanAgeTallies(PgSession& session,
                                                  const std::vector<PgRelation>& relations,
                                                  const DatabaseControls& controls) {
  std::vector<std::vector<AgeTally>> tallies(relations.size());
  std::vector<std::string> periods;
  for (size_t i = 0; i < relations.size(); ++i) {
    for (const AgeProbe& probe : AgeProbesFor(relations[i], controls)) {
      AgeTally tally;
      tally.column = probe.column;
      tally.flag_column = probe.flag_column;
      tally.period = probe.period;
      tallies[i].push_back(tally);
      if (std::find(periods.begin(), periods.end(), probe.period) == periods.end()) {
        periods.push_back(probe.period);
      }
    }
  }
  if (periods.empty()) return tallies;
  std::map<std::string, int64_t> cutoffs;
  PgFailure failure;
  if (!RetentionCutoffs(session, periods, &cutoffs, &failure)) return {};
  for (auto& relation_tallies : tallies) {
    for (AgeTally& tally : relation_tallies) tally.cutoff_micros = cutoffs.at(tally.period);
  }
  return tallies;
}

// The probe's result from a tally of a complete full read, if there is one.
std::optional<AgeProbeResult> CountedWhileReading(const AgeProbe& probe,
                                                  const TableReadResult& read) {
  if (read.status != CoverageStatus::kScanned || read.sampled) return std::nullopt;
  for (const AgeTally& tally : read.age_tallies) {
    if (!SameCount(probe, tally) || !tally.exact) continue;
    AgeProbeResult result;
    result.probe = probe;
    result.assessed = true;
    result.rows_past = tally.rows_past;
    result.rows_total = tally.rows_total;
    result.oldest = tally.OldestDate();
    return result;
  }
  return std::nullopt;
}

// Profiles one relation, matching on `threads` cores when it is big enough to pay for them.
// The profiles are identical whatever `threads` is. Throws when the matcher failed.
TableReadResult ProfileRelation(PgSession& session, const PgRelation& relation,
                                const TableReadOptions& options,
                                const std::shared_ptr<const CompiledPolicy>& policy, int threads,
                                std::vector<ColumnProfile>* profiles) {
  TableReadResult read;
  const double expected =
      ExpectedReadRows(relation.estimated_rows, options.sample_rows, options.full);
  *profiles = ProfileTableRead(policy, relation.name, expected, threads, [&](RecordSink& sink) {
    read = ReadRelation(session, relation, options, sink);
  });
  return read;
}

int64_t NowEpoch() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool DeadlinePassed(const ScanPlan& plan) {
  return plan.deadline && std::chrono::steady_clock::now() >= *plan.deadline;
}

// One line naming the cause (wrong password, refused, timeout, TLS required...): the coverage
// reason and the target's error are the same sentence.
void ConnectionFailed(const PlannedTarget& target, const PgFailure& failure,
                      TargetScanOutput* out) {
  CoverageEntry entry;
  entry.target = target.id;
  entry.dataset = target.display;
  entry.status = CoverageStatus::kError;
  entry.format = "postgres-database";
  entry.reason = failure.Describe();
  out->coverage.push_back(entry);
  out->complete = false;
  if (out->error.empty()) out->error = entry.reason;
}

// ---- plan: which relations one database scan reads, and what it counts on the way --------

struct DatabasePlan {
  std::string database;
  std::vector<PgRelation> relations;  // discovered, after --include/--exclude
  // For a full scan, per relation: the retention counts taken while its rows stream by.
  std::vector<std::vector<AgeTally>> tallies;
};

// Discovers the relations on a session of the scan's pool, given back for the reads. False
// when the database cannot be scanned; its coverage entry is then written.
bool PlanDatabase(const PlannedTarget& target, const ScanPlan& plan,
                  const DatabaseControls& controls, PgSessionPool& sessions, DatabasePlan* planned,
                  TargetScanOutput* out) {
  PgFailure failure;
  std::unique_ptr<PgSession> catalog_session = sessions.Take(&failure);
  if (!catalog_session) {
    ConnectionFailed(target, failure, out);
    return false;
  }
  planned->database = catalog_session->database();
  RelationFilter filter{plan.table_include, plan.table_exclude};
  if (!DiscoverRelations(*catalog_session, filter, &planned->relations, &failure)) {
    CoverageEntry entry;
    entry.target = target.id;
    entry.dataset = planned->database;
    entry.status = CoverageStatus::kError;
    entry.format = "postgres-catalog";
    entry.reason = "catalog discovery failed: " + failure.Describe();
    out->coverage.push_back(entry);
    out->complete = false;
    return false;
  }
  // A full scan reads every row anyway: the retention counts are taken on the way.
  if (plan.full) planned->tallies = PlanAgeTallies(*catalog_session, planned->relations, controls);
  sessions.Give(std::move(catalog_session));
  return true;
}

// ---- read: every planned relation read and profiled ------------------------------------

struct DatabaseReads {
  std::vector<RelationScan> scans;          // one per planned relation, in its order
  std::chrono::milliseconds backed_off{0};  // waited while the server was busy
  std::optional<bool> busy_check_sees_all_sessions;
};

// How often a paced read asks again whether the server has become busy.
constexpr std::chrono::seconds kBusyCheckDuringRead{2};
// An unthrottled read looks at the clock for that check once per this many rows, not after
// every row: reading the clock cost more than anything else the pace does per row (2.5% of a
// full scan's client CPU), and at the rates an unthrottled read reaches (10^5 to 10^6 rows per
// second) the check is still late by a millisecond at most. A throttled read looks every row,
// as it is slow enough that N rows could take longer than kBusyCheckDuringRead.
constexpr uint32_t kRowsPerClockLook = 256;

}  // namespace

ReadPace PaceForRead(ReadThrottle& throttle, BusyBackoff& backoff, bool full,
                     const std::string& what) {
  const bool check_busy = backoff.enabled();
  const bool throttled = throttle.limits().any();
  if (!throttled && !(full && check_busy)) return {};
  using Clock = std::chrono::steady_clock;
  struct Due {
    Clock::time_point next_check;
    uint32_t rows_until_look = 0;
  };
  auto due = std::make_shared<Due>(Due{Clock::now() + kBusyCheckDuringRead, 0});
  return [&throttle, &backoff, throttled, check_busy, what, due](uint64_t records, uint64_t bytes) {
    if (throttled && !throttle.Admit(records, bytes)) return PaceVerdict::kDeadline;
    if (!check_busy) return PaceVerdict::kGo;
    if (!throttled) {
      if (due->rows_until_look > records) {
        due->rows_until_look -= static_cast<uint32_t>(records);
        return PaceVerdict::kGo;
      }
      due->rows_until_look = kRowsPerClockLook;
    }
    if (Clock::now() < due->next_check) return PaceVerdict::kGo;
    const PaceVerdict verdict = backoff.WaitWhileBusy(what);
    due->next_check = Clock::now() + kBusyCheckDuringRead;
    return verdict;
  };
}

namespace {

// A line on stderr as it happens (an operator watching a paused scan sees why); names are
// made terminal-safe, and no value read from the database is ever in it.
void NoteNow(const std::string& text) {
  static std::mutex stderr_mutex;
  std::lock_guard<std::mutex> lock(stderr_mutex);
  std::cerr << "crmaudit: " << TerminalSafe(text) << "\n";
}

// Reads relations with at most --jobs connections (and the busy check's, while they read);
// each worker takes a session from the pool for all its relations, a new one only after its
// connection was lost, and gives it back when done.
DatabaseReads ReadRelations(const PlannedTarget& target, const DatabasePlan& planned,
                            const ScanPlan& plan,
                            const std::shared_ptr<const CompiledPolicy>& policy,
                            PgSessionPool& sessions, ReadThrottle& throttle) {
  const std::vector<PgRelation>& relations = planned.relations;
  const std::vector<std::vector<AgeTally>>& tallies = planned.tallies;
  DatabaseReads reads;
  std::vector<RelationScan>& scans = reads.scans;
  scans.resize(relations.size());
  std::atomic<size_t> next{0};
  // The busy check asks on an idle session of the pool (before the first read: the catalog's),
  // a connection of its own only while every session is reading (the back-off calls the probe
  // under its lock: one thread at a time). Not reachable: the load is unknown, never "busy",
  // and it is not tried again.
  bool monitor_failed = false;
  auto probe = [&]() -> ServerLoad {
    if (monitor_failed) return {};
    std::unique_ptr<PgSession> monitor = sessions.Take(nullptr);
    if (!monitor) {
      monitor_failed = true;
      return {};
    }
    PgFailure failure;
    ServerLoad load = ReadServerLoad(*monitor, sessions.backend_pids(), &failure);
    if (failure.kind != PgFailureKind::kConnectionLost) sessions.Give(std::move(monitor));
    return load;
  };
  const BusyLimits busy_limits = BusyLimitsOf(plan);
  BusyBackoff backoff(busy_limits, probe, plan.deadline, [&target](const std::string& text) {
    NoteNow(target.display + ": " + text);
  });
  TableReadOptions options;
  options.sample_rows = plan.sample_rows;
  options.full = plan.full;
  const int jobs = std::max(1, std::min<int>(plan.jobs, static_cast<int>(relations.size())));
  // Fewer relations than jobs (typically one big table): the spare jobs match inside each
  // read. They are threads, not connections: at most --jobs connections stay open.
  const int matcher_threads = std::max(1, plan.jobs / jobs);
  auto worker = [&]() {
    std::unique_ptr<PgSession> session;
    for (size_t i = next++; i < relations.size(); i = next++) {
      RelationScan& scan = scans[i];
      const std::string what = relations[i].KindName() + " " + relations[i].QualifiedName();
      const PaceVerdict busy = backoff.WaitWhileBusy(what);
      if (busy == PaceVerdict::kDeadline || DeadlinePassed(plan)) {
        scan.read.status = CoverageStatus::kSkipped;
        scan.read.failure.kind = PgFailureKind::kScanTimeout;
        scan.read.reason = "not read: the scan's --timeout expired before " + what;
        continue;
      }
      if (busy == PaceVerdict::kServerBusy) {
        scan.read.status = CoverageStatus::kSkipped;
        scan.read.failure.kind = PgFailureKind::kServerBusy;
        scan.read.reason = "not read: the server stayed busy (" + busy_limits.Describe() +
                           ") longer than --max-backoff before " + what;
        continue;
      }
      if (!session || !session->is_open()) {
        PgFailure open_failure;
        session = sessions.Take(&open_failure);
        if (!session) {
          scan.read.status = CoverageStatus::kError;
          scan.read.reason = "could not read " + what + ": " + open_failure.Describe();
          scan.read.failure = open_failure;
          continue;
        }
      }
      // Nothing may escape a worker thread (std::terminate); a failure here is this
      // relation's coverage entry, and its message is not kept (it could quote data).
      try {
        TableReadOptions relation_options = options;
        if (i < tallies.size()) relation_options.age_tallies = tallies[i];
        relation_options.pace = PaceForRead(throttle, backoff, plan.full, what);
        scan.read = ProfileRelation(*session, relations[i], relation_options, policy,
                                    matcher_threads, &scan.profiles);
      } catch (const std::exception&) {
        scan.read.status = CoverageStatus::kError;
        scan.read.reason = "internal error while profiling " + relations[i].KindName() + " " +
                           relations[i].QualifiedName();
        scan.profiles.clear();
      }
      if (scan.read.failure.kind == PgFailureKind::kConnectionLost) session.reset();
    }
    sessions.Give(std::move(session));
  };
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& thread : threads) thread.join();
  reads.backed_off = backoff.backed_off();
  reads.busy_check_sees_all_sessions = backoff.sees_all_sessions();
  return reads;
}

// What the target's output says about backing off: the time (summed over its databases), a
// warning line when it backed off, and whether the busy check saw every role's sessions.
void RecordTargetBackoff(const DatabaseReads& reads, const DatabasePlan& planned,
                         const ScanPlan& plan, TargetScanOutput* out) {
  out->backed_off += reads.backed_off;
  if (reads.backed_off.count() > 0) {
    out->warnings.push_back(
        "backed off " + DecimalText(std::chrono::duration<double>(reads.backed_off).count(), 1) +
        " s in database " + planned.database + " while the server was busy (" +
        BusyLimitsOf(plan).Describe() + ")");
  }
  if (const auto& sees_all = reads.busy_check_sees_all_sessions) {
    const bool before = out->busy_check_sees_all_sessions.value_or(true);
    out->busy_check_sees_all_sessions = before && *sees_all;
    if (!*sees_all && before) {
      out->warnings.push_back(
          "the busy check counts only the auditor role's own sessions (grant pg_monitor or "
          "pg_read_all_stats to count every session before backing off)");
    }
  }
}

// What the reads found, for the checks: the columns holding personal data and, per table,
// the value forms the readers noticed.
struct ReadResults {
  std::vector<PiiColumnRef> pii;
  std::map<std::pair<std::string, std::string>, std::vector<ColumnValueFacts>> column_values;
};

// Records each read: its coverage entry, its PII inventory and findings. Moves the value
// forms out of `reads` into the result.
ReadResults RecordReads(const PlannedTarget& target, const DatabasePlan& planned,
                        DatabaseReads& reads, const CompiledPolicy& policy, TargetScanOutput* out) {
  ReadResults found;
  for (size_t i = 0; i < planned.relations.size(); ++i) {
    const PgRelation& relation = planned.relations[i];
    RelationScan& scan = reads.scans[i];
    CoverageEntry entry;
    entry.target = target.id;
    entry.dataset = planned.database + "." + relation.schema + "." + relation.name;
    entry.status = scan.read.status;
    entry.rows = scan.read.rows;
    entry.bytes = scan.read.bytes;
    entry.sampled = scan.read.sampled;
    entry.reason = scan.read.reason;
    entry.format = relation.relkind == 'v'   ? "postgres-view"
                   : relation.relkind == 'p' ? "postgres-partitioned-table"
                   : relation.relkind == 'm' ? "postgres-materialized-view"
                   : relation.relkind == 'f' ? "postgres-foreign-table"
                                             : "postgres-table";
    entry.encoding = "UTF8";
    entry.deliberate = scan.read.deliberate;
    if (IsIncomplete(entry)) out->complete = false;
    out->coverage.push_back(entry);

    DatasetRef dataset;
    dataset.target = target.id;
    dataset.dataset = entry.dataset;
    dataset.base.kind = "postgres";
    dataset.base.target = target.id;
    dataset.base.database = planned.database;
    dataset.base.schema = relation.schema;
    dataset.base.table = relation.name;
    RecordTableProfiles(policy, dataset, relation.schema, relation.name, relation.relkind,
                        scan.profiles, out, &found.pii);
    found.column_values[{relation.schema, relation.name}] = std::move(scan.read.columns);
  }
  return found;
}

// ---- collect: the server's facts, with the retention probes the reads did not count ----

FactsOutcome CollectFacts(const DatabasePlan& planned, const ScanPlan& plan, DatabaseReads& reads,
                          ReadResults& found, const DatabaseControls& controls,
                          const SessionSettings& settings, PgSessionPool& sessions) {
  // Probes whose counts a full read already took are not sent to the server again; a sampled
  // scan lets the server estimate large tables' counts instead of reading every row.
  FactsRequest request;
  request.estimate_large_ages = !plan.full;
  request.session = settings;
  // Taken first: a session opened for the facts is left out of the sessions fact as its own.
  PgFailure failure;
  std::unique_ptr<PgSession> session = sessions.Take(&failure);
  request.own_backend_pids = sessions.backend_pids();
  std::vector<std::optional<AgeProbeResult>> counted;
  for (AgeProbe& probe : PlanAgeProbes(planned.relations, found.pii, controls)) {
    std::optional<AgeProbeResult> result;
    for (size_t i = 0; i < planned.relations.size() && !result; ++i) {
      if (planned.relations[i].schema == probe.schema && planned.relations[i].name == probe.table) {
        result = CountedWhileReading(probe, reads.scans[i].read);
      }
    }
    if (!result) request.age_probes.push_back(probe);
    counted.push_back(std::move(result));
  }
  FactsOutcome outcome = CollectDatabaseFacts(session.get(), failure, request);
  sessions.Give(std::move(session));
  // Back into plan order: counted results where there are, the server's answers in between.
  std::vector<AgeProbeResult> ages;
  size_t asked = 0;
  for (auto& result : counted) {
    if (result) {
      ages.push_back(std::move(*result));
    } else if (asked < outcome.facts.ages.size()) {
      ages.push_back(std::move(outcome.facts.ages[asked++]));
    }
  }
  outcome.facts.ages = std::move(ages);
  outcome.facts.column_values = std::move(found.column_values);
  return outcome;
}

// ---- judge: the catalog's coverage entry and remarks, then the control checks ----------

// The coverage entry for the server facts: partial when collection stopped early, with a
// remark (also a warning line) for each thing the operator should know that is no finding.
CoverageEntry CatalogCoverage(const PlannedTarget& target, const DatabasePlan& planned,
                              const FactsOutcome& collected, const DatabaseControls& controls,
                              TargetScanOutput* out) {
  const std::string& database = planned.database;
  CoverageEntry catalog;
  catalog.target = target.id;
  catalog.dataset = database + " (server settings, roles and privileges)";
  catalog.format = "postgres-catalog";
  if (!collected.error.empty()) {
    catalog.status = CoverageStatus::kPartial;
    catalog.reason = collected.error;
    out->complete = false;
  }
  if (collected.facts.own_session_tcp && !collected.facts.own_session_ssl) {
    // The operator's sslmode, not a fact about the server's clients (ENC-02): a remark on the
    // catalog entry, so the archived report keeps it, and a line on stderr.
    const std::string remark =
        "crmaudit's own connection to database " + database +
        " is not encrypted (the URI's sslmode; not counted in ENC-02, which is about the "
        "server's other clients): connect with sslmode=verify-full to keep the audit's reads "
        "off the wire in clear";
    catalog.reason = catalog.reason.empty() ? remark : catalog.reason + "; " + remark;
    out->warnings.push_back(remark);
  }
  // A retention rule that names no table here was most likely mistyped (or the table was
  // renamed): RET-01 silently falling back to the default period would hide that. A remark on
  // the catalog entry and a warning line; the other tables are still judged.
  std::vector<std::string> table_names;
  for (const auto& relation : planned.relations) {
    if (relation.relkind == 'r' || relation.relkind == 'p') {
      table_names.push_back(relation.schema + "." + relation.name);
    }
  }
  for (const RetentionRule& rule : RetentionRulesMatchingNothing(controls, table_names)) {
    const std::string remark = "retention rule " + rule.origin + " (table \"" + rule.table_pattern +
                               "\") matches no table scanned in database " + database +
                               ": it was not applied";
    catalog.reason = catalog.reason.empty() ? remark : catalog.reason + "; " + remark;
    out->warnings.push_back(remark);
  }
  return catalog;
}

void JudgeDatabase(const PlannedTarget& target, const DatabasePlan& planned,
                   const FactsOutcome& collected, const std::vector<PiiColumnRef>& pii,
                   const DatabaseControls& controls, const CompiledPolicy& policy,
                   TargetScanOutput* out) {
  out->coverage.push_back(CatalogCoverage(target, planned, collected, controls, out));
  DatabaseCheckContext context{target.id, planned.database};
  context.postgres_releases = policy.postgres_releases();
  const CheckCatalog* checks = policy.check_catalog();
  if (checks == nullptr) throw std::logic_error("no check catalog was compiled into the policy");
  std::vector<ControlOutcome> outcomes;
  RunDatabaseChecks(collected.facts, pii, controls, context, &outcomes);
  JudgeOutcomes(outcomes, *checks, controls.checks, &out->findings, &out->controls);
}

// One database: plan → read → collect → judge.
void ScanDatabase(const PlannedTarget& target, const ScanPlan& plan,
                  const std::shared_ptr<const CompiledPolicy>& policy,
                  const DatabaseControls& controls, const SessionSettings& settings,
                  const std::string& polite, ReadThrottle& throttle, TargetScanOutput* out) {
  PgSessionPool sessions(polite, settings);
  DatabasePlan planned;
  if (!PlanDatabase(target, plan, controls, sessions, &planned, out)) return;
  DatabaseReads reads = ReadRelations(target, planned, plan, policy, sessions, throttle);
  RecordTargetBackoff(reads, planned, plan, out);
  ReadResults found = RecordReads(target, planned, reads, *policy, out);
  const FactsOutcome collected =
      CollectFacts(planned, plan, reads, found, controls, settings, sessions);
  JudgeDatabase(target, planned, collected, found.pii, controls, *policy, out);
}

}  // namespace

TargetScanOutput ScanPostgresTarget(const PlannedTarget& target, const ScanPlan& plan,
                                    std::shared_ptr<const CompiledPolicy> policy) {
  TargetScanOutput out;
  // Read and checked when the packs were loaded (exit 2 before any scan): nothing to fail here.
  const DatabaseControls controls = ControlPolicyFromPacks(policy->packs()).database;
  SessionSettings settings;
  settings.statement_timeout_ms = plan.statement_timeout_ms;
  settings.lock_timeout_ms = plan.lock_timeout_ms;
  settings.deadline = plan.deadline;
  std::vector<std::string> databases = {""};  // "" = the one named in the connection string
  std::string first_database;
  // One throttle for every database and worker of the target; targets are scanned one after
  // another, so this bounds the whole scan.
  ReadThrottle throttle(ReadLimitsOf(plan), plan.deadline);
  try {
    if (plan.all_databases) {
      PgFailure failure;
      auto session = PgSession::Open(PoliteConnInfo(target.location, settings), &failure, settings);
      databases.clear();  // none to scan when even the first connection failed
      if (!session) {
        ConnectionFailed(target, failure, &out);
      } else {
        first_database = session->database();
        if (!ListDatabases(*session, &databases, &failure)) databases = {first_database};
      }
    }
    for (const auto& database : databases) {
      ScanDatabase(target, plan, policy, controls, settings,
                   PoliteConnInfo(target.location, settings, database), throttle, &out);
    }
  } catch (const ConnInfoError& error) {
    out.complete = false;
    out.error = error.what();
    return out;
  } catch (const std::exception&) {
    // The contract: never throw for a target. The message is dropped on purpose.
    out.complete = false;
    out.error = "internal error while scanning " + target.display;
    return out;
  }
  if (plan.backup_info) {
    BackupFacts backups = CollectBackupFacts(plan.backup_info->string());
    std::string database = ConnInfoDatabase(target.location);
    if (database.empty()) database = first_database;
    DatabaseCheckContext context{target.id, database};
    std::vector<ControlOutcome> outcomes;
    CheckBackups(backups, controls, context, NowEpoch(), &outcomes);
    if (const CheckCatalog* checks = policy->check_catalog()) {
      JudgeOutcomes(outcomes, *checks, controls.checks, &out.findings, &out.controls);
    } else {
      // As ScanDatabase: a policy compiled without the catalog is a programming error, and
      // the contract is never to throw for a target.
      out.complete = false;
      out.error = "internal error while scanning " + target.display;
    }
  }
  // A control that could not be assessed is reported as a not_assessed finding naming the
  // missing privilege; it does not make the scan incomplete (exit 3), which is kept for data
  // that could not be read. Otherwise every run of the documented least-privilege auditor
  // role would end "incomplete" and the exit code would stop meaning anything.
  return out;
}

}  // namespace crmaudit
