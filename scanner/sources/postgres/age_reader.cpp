#include "scanner/sources/postgres/age_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "scanner/model/sql_identifier.h"
#include "scanner/sources/postgres/catalog_pass.h"
#include "scanner/sources/sql/age_estimate.h"

namespace crmaudit {
namespace {

// The same seed as the table reader's samples: a scan repeated on unchanged data reads the
// same pages and reports the same estimate (reports compare across runs).
constexpr const char* kSampleSeed = "20261";

// The statement for one probe over `from` (the table, with its TABLESAMPLE clause for an
// estimate); $1 is its period (an interval). Columns: rows past, rows counted, the oldest
// past date, and every row read (the sample's size).
std::string AgeProbeQuery(const AgeProbe& probe, const std::string& from) {
  if (!probe.flag_column.empty() && probe.column.empty()) {
    // No timestamp dates the deletion: every flagged row counts as kept. $1 is still bound
    // (and ignored) so both shapes share one call.
    const std::string flag = QuoteSqlIdent(probe.flag_column);
    return "SELECT count(*) FILTER (WHERE " + flag + "), count(*), NULL::text, count(*) FROM " +
           from + " WHERE $1::interval IS NOT NULL";
  }
  const std::string column = QuoteSqlIdent(probe.column);
  const std::string flagged =
      probe.flag_column.empty() ? std::string() : QuoteSqlIdent(probe.flag_column) + " AND ";
  // The cutoff as a scalar subquery: computed once (an InitPlan), not for every row (the
  // calendar arithmetic of timestamptz - interval per row doubled the cost of the count).
  const std::string past = flagged + column + " < (SELECT now() - $1::interval)";
  const std::string counted =
      probe.flag_column.empty()
          ? "count(" + column + ")"
          : "count(*) FILTER (WHERE " + QuoteSqlIdent(probe.flag_column) + ")";
  return "SELECT count(*) FILTER (WHERE " + past + "), " + counted + ", to_char(min(" + column +
         ") FILTER (WHERE " + past + "), 'YYYY-MM-DD'), count(*) FROM " + from;
}

std::string FormatPercent(double percent) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6f", percent);  // C locale digits and dot
  return buffer;
}

// Runs one count; the 4th column (rows read) into *read.
void Count(pqxx::read_transaction& tx, const std::string& query, const AgeProbe& probe,
           AgeProbeResult* result, uint64_t* read) {
  auto row = tx.exec_params1(query, probe.period);
  result->rows_past = row[0].as<uint64_t>();
  result->rows_total = row[1].as<uint64_t>();
  result->oldest = row[2].is_null() ? std::string() : row[2].as<std::string>();
  *read = row[3].as<uint64_t>();
}

}  // namespace

double AgeEstimatePercent(double estimated_rows) {
  if (!(estimated_rows >= kEstimateAgesFromRows)) return 0;  // NaN and -1 (never analysed) too
  return std::clamp(100.0 * kEstimateSampleRows / estimated_rows, 0.0001, 100.0);
}

void ReadAges(CatalogPass& pass, const std::vector<AgeProbe>& probes, bool estimate_large,
              int lock_timeout_ms, DatabaseFacts& facts) {
  for (const auto& probe : probes) {
    AgeProbeResult result;
    result.probe = probe;
    const std::string table = QuoteSqlIdent(probe.schema) + "." + QuoteSqlIdent(probe.table);
    std::string sqlstate;
    const CatalogPass::Result outcome = pass.Try(
        [&](pqxx::read_transaction& tx) {
          result = AgeProbeResult{};
          result.probe = probe;
          double percent = 0;
          double table_rows = 0;
          if (estimate_large) {
            // The planner's row estimate; to_regclass: NULL (exact count) when it is gone.
            auto row = tx.exec_params1(
                "SELECT (SELECT reltuples::float8 FROM pg_class WHERE oid = to_regclass($1))",
                table);
            table_rows = row[0].is_null() ? -1 : row[0].as<double>();
            percent = AgeEstimatePercent(table_rows);
          }
          uint64_t read = 0;
          if (percent > 0) {
            Count(tx,
                  AgeProbeQuery(probe, table + " TABLESAMPLE SYSTEM (" + FormatPercent(percent) +
                                           ") REPEATABLE (" + kSampleSeed + ")"),
                  probe, &result, &read);
            if (read > 0) {
              ScaleAgesToTable(table_rows, read, &result);
              return;
            }
            // An empty sample (reltuples out of date, the table emptied since): count it all.
          }
          Count(tx, AgeProbeQuery(probe, table), probe, &result, &read);
        },
        &sqlstate);
    switch (outcome) {
      case CatalogPass::Result::kOk:
        result.assessed = true;
        break;
      case CatalogPass::Result::kDenied:
        result.reason = "permission denied: needs SELECT on " + table;
        break;
      case CatalogPass::Result::kLost:
      case CatalogPass::Result::kScanTimeout:
        result.reason = pass.stopped_reason();
        break;
      case CatalogPass::Result::kFailed:
        result.reason = sqlstate == "57014" ? "statement_timeout reached while counting rows"
                        : sqlstate == "55P03"
                            ? "locked: lock_timeout after " + std::to_string(lock_timeout_ms) +
                                  " ms while counting rows"
                            : "the count failed (SQLSTATE " + sqlstate + ")";
        break;
    }
    if (!result.assessed) {  // no half-counted numbers beside a reason
      AgeProbeResult failed;
      failed.probe = probe;
      failed.reason = std::move(result.reason);
      result = std::move(failed);
    }
    facts.ages.push_back(std::move(result));
  }
}

}  // namespace crmaudit
