#include "scanner/checks/retention_checks.h"

#include <cctype>
#include <sstream>

#include "scanner/checks/check_support.h"
#include "scanner/checks/outcome_recorder.h"
#include "scanner/model/sql_identifier.h"

namespace crmaudit {

using namespace check_support;  // NOLINT: the family files share these helpers

namespace {

std::string PostgresInterval(const std::string& period) { return "interval '" + period + "'"; }

std::string MysqlIdent(const std::string& name) { return QuoteMysqlIdent(name); }

// "3 years" -> "INTERVAL 3 YEAR" (periods are "<n> day(s)|week(s)|month(s)|year(s)").
std::string MysqlInterval(const std::string& period) {
  std::istringstream in(period);
  std::string count, unit;
  in >> count >> unit;
  if (!unit.empty() && unit.back() == 's') unit.pop_back();
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "INTERVAL " + count + " " + unit;
}

}  // namespace

const RetentionDialect kPostgresRetention = {"RET-01", "RET-02", &Q, &PostgresInterval};
const RetentionDialect kMysqlRetention = {"MY-RET-01", "MY-RET-02", &MysqlIdent, &MysqlInterval};

void CheckRetention(const DatabaseFacts& facts, const DatabaseControls&,
                    const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  CheckAges(facts.ages, kPostgresRetention, ServerLocation(context), outcomes);
}

void CheckAges(const std::vector<AgeProbeResult>& ages, const RetentionDialect& dialect,
               const Location& base, std::vector<ControlOutcome>* outcomes) {
  const auto quote = dialect.quote;
  for (const auto& age : ages) {
    const AgeProbe& probe = age.probe;
    OutcomeRecorder record(probe.soft_delete ? dialect.soft_delete_rule : dialect.keep_rule, base,
                           outcomes);
    const bool flag = !probe.flag_column.empty();
    const bool date_unknown = flag && probe.column.empty();
    // The column judged names the finding: the flag when there is one, else the date column.
    Location location = record.base();
    location.schema = probe.schema;
    location.table = probe.table;
    location.column = flag ? probe.flag_column : probe.column;
    const std::string object = "table " + probe.schema + "." + probe.table;
    if (!age.assessed) {
      record.NotAssessed("not-assessed", object, location, age.reason).values["table"] =
          quote(probe.schema) + "." + quote(probe.table);
      continue;
    }
    std::string outcome_key;
    if (age.rows_past > 0) {
      outcome_key = date_unknown        ? "flagged-undated"
                    : flag              ? "flagged-kept"
                    : probe.soft_delete ? "soft-deleted-kept"
                                        : "kept-too-long";
    }
    ControlOutcome& outcome = outcome_key.empty() ? record.Pass(object, location)
                                                  : record.Fail(outcome_key, object, location);
    outcome.values["table"] = quote(probe.schema) + "." + quote(probe.table);
    outcome.values["period"] = probe.period;
    outcome.values["interval"] = dialect.interval(probe.period);
    if (!probe.column.empty()) outcome.values["column"] = quote(probe.column);
    if (flag) outcome.values["flag_column"] = quote(probe.flag_column);
    outcome.evidence.count = age.rows_past;
    outcome.evidence.scanned = age.rows_total;
    outcome.evidence.facts["period"] = probe.period;
    // A pass has no oldest row past the period; an undated flag cannot tell one.
    if (!age.oldest.empty() || (!date_unknown && age.rows_past > 0)) {
      outcome.evidence.facts["oldest"] = age.oldest;
    }
    outcome.evidence.facts["column_source"] = probe.source;
    // Exact (every row counted) or estimated from a sample (age_reader.h): the counts above
    // are then scaled, and the oldest date is the sample's oldest. The report labels both
    // values in every language (fact.count.*).
    outcome.evidence.facts["count"] = age.estimated ? "estimated" : "exact";
    if (age.estimated) outcome.evidence.facts["sample_rows"] = std::to_string(age.sample_rows);
    if (flag) {
      outcome.evidence.facts["flag_column"] = probe.flag_column;
      outcome.evidence.facts["deletion_date"] =
          date_unknown ? "unknown: the table has no modification timestamp, every flagged row "
                         "is counted as kept"
                       : "judged by " + probe.column + " (last modification of the row)";
    }
  }
}

}  // namespace crmaudit
