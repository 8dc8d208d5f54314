#include "scanner/checks/export_checks.h"

#include <cstdio>
#include <ctime>
#include <string>

#include "scanner/checks/outcome_recorder.h"

namespace crmaudit {

namespace {

std::string OctalMode(uint32_t mode) {
  char out[8];
  std::snprintf(out, sizeof out, "%04o", mode & 07777);
  return out;
}

std::string IsoDate(int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &utc);
  return out;
}

}  // namespace

void CheckExportFile(const FileFacts& facts, const Location& location, uint64_t pii_columns,
                     const ExportControls& controls, int64_t now_epoch,
                     std::vector<ControlOutcome>* outcomes) {
  if (pii_columns == 0) return;
  Location file = location;
  file.column.clear();
  file.row.reset();
  const std::string object = "file " + file.path;

  OutcomeRecorder enc("ENC-07", file, outcomes);
  ControlOutcome& judged = facts.encrypted ? enc.Pass(object, file)
                           : facts.readable_by_group_or_others()
                               ? enc.Fail("readable-plaintext", object, file)
                               : enc.Fail("plaintext", object, file);
  judged.evidence.count = facts.encrypted ? 0 : pii_columns;
  judged.evidence.facts["mode"] = OctalMode(facts.mode);
  judged.evidence.facts["container"] = facts.container.empty() ? "none" : facts.container;
  judged.evidence.facts["pii_columns"] = std::to_string(pii_columns);
  if (!facts.encrypted) {
    judged.severity = facts.readable_by_group_or_others() ? controls.readable_severity
                                                          : controls.plaintext_severity;
  }
  if (facts.encrypted) return;

  OutcomeRecorder ret("RET-03", file, outcomes);
  const std::string max_age_days = std::to_string(controls.max_age_days);
  if (facts.modified_epoch <= 0) {
    ret.NotAssessed("not-assessed", object, file, "the file's modification time is unknown")
        .values["max_age_days"] = max_age_days;
    return;
  }
  const int64_t age_days = (now_epoch - facts.modified_epoch) / 86400;
  ControlOutcome& aged = age_days > controls.max_age_days ? ret.Fail("kept-too-long", object, file)
                                                          : ret.Pass(object, file);
  aged.severity = controls.stale_severity;
  aged.values["max_age_days"] = max_age_days;
  aged.values["age_days"] = std::to_string(age_days);
  aged.evidence.count = age_days > controls.max_age_days ? static_cast<uint64_t>(age_days) : 0;
  aged.evidence.facts["modified"] = IsoDate(facts.modified_epoch);
  aged.evidence.facts["age_days"] = std::to_string(age_days);
  aged.evidence.facts["max_age_days"] = max_age_days;
}

}  // namespace crmaudit
