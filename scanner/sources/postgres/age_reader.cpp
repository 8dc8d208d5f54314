#include "scanner/sources/postgres/age_reader.h"

#include "scanner/sources/postgres/catalog_pass.h"

namespace crmaudit {
namespace {

// The statement for one probe; $1 is its period (an interval).
std::string AgeProbeQuery(const AgeProbe& probe) {
  const std::string table = QuoteIdent(probe.schema) + "." + QuoteIdent(probe.table);
  if (!probe.flag_column.empty() && probe.column.empty()) {
    // No timestamp dates the deletion: every flagged row counts as kept. $1 is still bound
    // (and ignored) so both shapes share one call.
    const std::string flag = QuoteIdent(probe.flag_column);
    return "SELECT count(*) FILTER (WHERE " + flag + "), count(*), NULL::text FROM " + table +
           " WHERE $1::interval IS NOT NULL";
  }
  const std::string column = QuoteIdent(probe.column);
  const std::string flagged =
      probe.flag_column.empty() ? std::string() : QuoteIdent(probe.flag_column) + " AND ";
  // The cutoff as a scalar subquery: computed once (an InitPlan), not for every row (the
  // calendar arithmetic of timestamptz - interval per row doubled the cost of the count).
  const std::string past = flagged + column + " < (SELECT now() - $1::interval)";
  const std::string counted = probe.flag_column.empty()
                                  ? "count(" + column + ")"
                                  : "count(*) FILTER (WHERE " + QuoteIdent(probe.flag_column) + ")";
  return "SELECT count(*) FILTER (WHERE " + past + "), " + counted + ", to_char(min(" + column +
         ") FILTER (WHERE " + past + "), 'YYYY-MM-DD') FROM " + table;
}

}  // namespace

void ReadAges(CatalogPass& pass, const std::vector<AgeProbe>& probes, int lock_timeout_ms,
              DatabaseFacts& facts) {
  for (const auto& probe : probes) {
    AgeProbeResult result;
    result.probe = probe;
    const std::string query = AgeProbeQuery(probe);
    std::string sqlstate;
    const CatalogPass::Result outcome = pass.Try(
        [&](pqxx::read_transaction& tx) {
          auto row = tx.exec_params1(query, probe.period);
          result.rows_past = row[0].as<uint64_t>();
          result.rows_total = row[1].as<uint64_t>();
          if (!row[2].is_null()) result.oldest = row[2].as<std::string>();
        },
        &sqlstate);
    switch (outcome) {
      case CatalogPass::Result::kOk:
        result.assessed = true;
        break;
      case CatalogPass::Result::kDenied:
        result.reason = "permission denied: needs SELECT on " + QuoteIdent(probe.schema) + "." +
                        QuoteIdent(probe.table);
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
    facts.ages.push_back(std::move(result));
  }
}

}  // namespace crmaudit
