// Age reader: the RET-01 / RET-02 counts the server is asked for (rows of a table past a
// period, or flagged as deleted longer than the grace period), one pass per probe so a table
// the auditor may not read, a lock or a statement_timeout costs only that probe.
//
// Exact or estimated: an exact count is an aggregate over every row of the table, which on a
// live server costs about half a second of one core per million rows (docs/performance.md,
// "Production impact"), on every scan. A sampled scan (not --full) asks `estimate_large`: a
// table whose pg_class.reltuples is at least kEstimateAgesFromRows is then counted over
// `TABLESAMPLE SYSTEM (p) REPEATABLE (…)`, p chosen for about kEstimateSampleRows rows (a few
// per cent of the pages, at random), and the counts are scaled to reltuples; the result says
// so (AgeProbeResult::estimated, sample_rows). Smaller tables, tables never analysed
// (reltuples < 0) and a sample that came back empty are counted exactly. What must stay true
// for the verdict: an estimated rows_past > 0 only when the sample held such a row (a real row
// of the table), so a fail is never invented; an estimated 0 can miss a handful of old rows
// in a huge table, which --full (every row counted) does not.
//
// Each probe gives one AgeProbeResult, in the probes' order, assessed or with a reason: the
// missing SELECT, the timeout met, or why collection stopped. Counts and an ISO date only:
// never a row's values.
#pragma once

#include <cstdint>
#include <vector>

#include "scanner/facts/database_facts.h"
#include "scanner/sources/sql/age_estimate.h"

namespace crmaudit {

class CatalogPass;

// kEstimateAgesFromRows (pg_class.reltuples) and kEstimateSampleRows: sources/sql/age_estimate.h,
// shared with MySQL's estimates.

// Appends one result per probe to facts.ages. `estimate_large`: a sampled scan, whose large
// tables are estimated (above). `lock_timeout_ms` is named in a lock's reason.
void ReadAges(CatalogPass& pass, const std::vector<AgeProbe>& probes, bool estimate_large,
              int lock_timeout_ms, DatabaseFacts& facts);

// The percentage of pages a table of `estimated_rows` (reltuples) is sampled at for an
// estimate; 0 when it is counted exactly (too small, never analysed).
double AgeEstimatePercent(double estimated_rows);

}  // namespace crmaudit
