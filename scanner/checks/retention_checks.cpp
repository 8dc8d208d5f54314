#include "scanner/checks/retention_checks.h"

#include "scanner/checks/check_support.h"
#include "scanner/checks/outcome_recorder.h"

namespace crmaudit {

using namespace check_support;  // NOLINT: the family files share these helpers

void CheckRetention(const DatabaseFacts& facts, const DatabaseControls&,
                    const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  for (const auto& age : facts.ages) {
    const AgeProbe& probe = age.probe;
    OutcomeRecorder record(probe.soft_delete ? "RET-02" : "RET-01", ServerLocation(context),
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
          Q(probe.schema) + "." + Q(probe.table);
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
    outcome.values["table"] = Q(probe.schema) + "." + Q(probe.table);
    outcome.values["period"] = probe.period;
    if (!probe.column.empty()) outcome.values["column"] = Q(probe.column);
    if (flag) outcome.values["flag_column"] = Q(probe.flag_column);
    outcome.evidence.count = age.rows_past;
    outcome.evidence.scanned = age.rows_total;
    outcome.evidence.facts["period"] = probe.period;
    // A pass has no oldest row past the period; an undated flag cannot tell one.
    if (!age.oldest.empty() || (!date_unknown && age.rows_past > 0)) {
      outcome.evidence.facts["oldest"] = age.oldest;
    }
    outcome.evidence.facts["column_source"] = probe.source;
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
