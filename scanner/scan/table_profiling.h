// Table profiling: the part of a database scan every SQL engine shares (PostgreSQL, MySQL and
// MariaDB): profiling one table's rows, and recording the profiles as inventory, findings and
// the PII columns the control checks judge.
//
// The readers (sources/postgres, sources/mysql) only stream rows into a RecordSink; what the
// sink is (one profiler, or a ParallelMatcher in front of it for big tables) and how profiles
// become report entries is decided here once, so both engines report alike.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/pii_findings.h"
#include "scanner/detect/column_profiler.h"
#include "scanner/detect/compiled_policy.h"
#include "scanner/scan/target_scan_output.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

// Below this many rows, starting matcher threads (each compiles its own copy of the policy)
// costs more than matching on the reading thread saves.
constexpr double kParallelMatchMinRows = 20000;

// Profiles one table: `read` streams its rows into the sink it is given. The matching runs on
// `threads` cores (a ParallelMatcher) when `expected_rows` is unknown (< 0) or at least
// kParallelMatchMinRows; the profiles are identical whatever `threads` is. Throws when the
// matcher failed (the reader is expected to swallow its own failures into its result).
std::vector<ColumnProfile> ProfileTableRead(const std::shared_ptr<const CompiledPolicy>& policy,
                                            const std::string& table_name, double expected_rows,
                                            int threads,
                                            const std::function<void(RecordSink&)>& read);

// Rows a read is expected to deliver: the estimate for a full read, at most the sample
// otherwise; negative when unknown.
double ExpectedReadRows(double estimated_rows, uint64_t sample_rows, bool full);

// Records one table's profiles: inventory entries and PII findings in *out, and one
// PiiColumnRef per column holding personal data in *pii (`relkind` as PiiColumnRef says).
void RecordTableProfiles(const CompiledPolicy& policy, const DatasetRef& dataset,
                         const std::string& schema, const std::string& table, char relkind,
                         const std::vector<ColumnProfile>& profiles, TargetScanOutput* out,
                         std::vector<PiiColumnRef>* pii);

}  // namespace crmaudit
