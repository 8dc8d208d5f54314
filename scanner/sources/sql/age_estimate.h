// Age estimates: a sampled scan's RET-01/RET-02 counts of a big table, taken from part of it and
// scaled to the whole, the same way on every SQL server: PostgreSQL reads its part with
// `TABLESAMPLE SYSTEM` (sources/postgres/age_reader.h), MySQL and MariaDB, which have no
// TABLESAMPLE, with ranges of an integer primary key (sources/mysql/key_range_sample.h).
//
// What must stay true for the verdict: a count scaled from a sample never falls below what the
// sample saw, so an estimated rows_past > 0 only when the sample held such a row (a real row of
// the table: a fail is never invented); an estimated 0 can miss a handful of old rows in a huge
// table, which --full (every row counted) does not. The result says it is an estimate
// (AgeProbeResult::estimated, sample_rows).
#pragma once

#include <cstdint>

#include "scanner/facts/database_facts.h"

namespace crmaudit {

// Estimated rows from which a sampled scan estimates a table's counts. Not policy (what is
// judged does not change, only what the scan costs the server): the same order as the table
// readers' switch to reading pages or key ranges at random.
constexpr double kEstimateAgesFromRows = 200000;
// Rows an estimate is taken from: PostgreSQL ANALYZE's own sample size (300 x
// default_statistics_target).
constexpr double kEstimateSampleRows = 30000;

// The counts of a sample of `sample_rows` rows scaled to `table_rows` (a ratio estimate: the
// share of the sample's rows past the period, times the table's rows), never below what the
// sample saw; marks the result estimated.
void ScaleAgesToTable(double table_rows, uint64_t sample_rows, AgeProbeResult* result);

}  // namespace crmaudit
