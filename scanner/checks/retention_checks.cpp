#include "scanner/checks/database_checks.h"

#include "scanner/checks/check_support.h"

namespace crmaudit {

using namespace check_support;  // NOLINT: the family files share these helpers

void CheckRetention(const DatabaseFacts& facts, const DatabaseControls& controls,
                    const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  for (const auto& age : facts.ages) {
    const AgeProbe& probe = age.probe;
    const std::string rule = probe.soft_delete ? "RET-02" : "RET-01";
    if (!emit.Enabled(rule)) continue;
    const bool flag = !probe.flag_column.empty();
    const bool date_unknown = flag && probe.column.empty();
    Location location =
        TableLocation(emit, probe.schema, probe.table, flag ? probe.flag_column : probe.column);
    const std::string name = Q(probe.schema) + "." + Q(probe.table);
    const std::string condition = Q(probe.column) + " < now() - interval '" + probe.period + "'";
    if (!age.assessed) {
      Finding& f = emit.Add(rule, "Retention could not be assessed", location,
                            "Grant SELECT on " + name + " to the auditor role.");
      f.status = FindingStatus::kNotAssessed;
      f.status_reason = "not assessed: " + age.reason;
      continue;
    }
    if (age.rows_past == 0) continue;
    std::string title, remediation;
    if (date_unknown) {
      title = "Soft-deleted rows kept with unknown deletion date";
      remediation = "Erase the flagged rows (DELETE FROM " + name + " WHERE " +
                    Q(probe.flag_column) + ";) and record when a row is flagged (ALTER TABLE " +
                    name + " ADD COLUMN deleted_at timestamptz;) so the " + probe.period +
                    " grace period can be enforced.";
    } else if (flag) {
      title = "Soft-deleted rows kept past the " + probe.period + " grace period";
      remediation = "DELETE FROM " + name + " WHERE " + Q(probe.flag_column) + " AND " + condition +
                    "; and schedule it.";
    } else if (probe.soft_delete) {
      title = "Soft-deleted rows kept past the " + probe.period + " grace period";
      remediation = "DELETE FROM " + name + " WHERE " + condition + "; and schedule it.";
    } else {
      title = "Rows kept longer than the " + probe.period + " retention period";
      remediation = "Erase or anonymise them and schedule it: DELETE FROM " + name + " WHERE " +
                    condition + "; (or UPDATE … SET <personal columns> = NULL)";
    }
    Finding& f = emit.Add(rule, title, location, remediation);
    f.evidence.count = age.rows_past;
    f.evidence.scanned = age.rows_total;
    f.evidence.facts["period"] = probe.period;
    if (!age.oldest.empty() || !date_unknown) f.evidence.facts["oldest"] = age.oldest;
    f.evidence.facts["column_source"] = probe.source;
    if (flag) {
      f.evidence.facts["flag_column"] = probe.flag_column;
      f.evidence.facts["deletion_date"] =
          date_unknown ? "unknown: the table has no modification timestamp, every flagged row "
                         "is counted as kept"
                       : "judged by " + probe.column + " (last modification of the row)";
    }
  }
}


}  // namespace crmaudit
