#include "scanner/checks/audit_checks.h"

#include "scanner/checks/check_support.h"
#include "scanner/checks/outcome_recorder.h"

namespace crmaudit {

using namespace check_support;  // NOLINT: the family files share these helpers

namespace {

// One not_assessed outcome for the server when its settings could not be read.
void SettingsNotAssessed(OutcomeRecorder& record, const Assessment& assessment) {
  record
      .NotAssessed("not-assessed", "server", record.base(),
                   "missing " + assessment.missing_privilege)
      .evidence.facts["missing_privilege"] = assessment.missing_privilege;
}

}  // namespace

void CheckLogging(const DatabaseFacts& facts, const DatabaseControls&,
                  const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("AUD-01", ServerLocation(context), outcomes);
  if (!facts.settings_assessment.assessed) {
    SettingsNotAssessed(record, facts.settings_assessment);
    return;
  }
  std::vector<std::string> missing;
  if (!IsOn(Setting(facts, "log_connections"))) missing.push_back("log_connections");
  if (!IsOn(Setting(facts, "log_disconnections"))) missing.push_back("log_disconnections");
  const std::string pgaudit = Setting(facts, "pgaudit.log");
  const std::string statement = Setting(facts, "log_statement");
  if ((pgaudit.empty() || pgaudit == "none") && (statement.empty() || statement == "none")) {
    missing.push_back("pgaudit.log / log_statement");
  }
  Location location = record.base();
  location.extra["setting"] = "logging";
  ControlOutcome& outcome = missing.empty() ? record.Pass("server", location)
                                            : record.Fail("incomplete", "server", location);
  outcome.values["missing"] = Join(missing);
  outcome.evidence.count = missing.size();
  for (const char* name : {"log_connections", "log_disconnections", "log_statement"}) {
    outcome.evidence.facts[name] = Setting(facts, name);
  }
  outcome.evidence.facts["pgaudit.log"] = pgaudit.empty() ? "(not loaded)" : pgaudit;
}

void CheckLoggedPersonalData(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                             const DatabaseControls&, const DatabaseCheckContext& context,
                             std::vector<ControlOutcome>* outcomes) {
  // Without personal data found in this database there is nothing the logs could leak: the
  // check does not apply (no outcome), like an export file that holds no personal data.
  if (pii.empty()) return;
  OutcomeRecorder record("AUD-02", ServerLocation(context), outcomes);
  if (!facts.settings_assessment.assessed) {
    SettingsNotAssessed(record, facts.settings_assessment);
    return;
  }
  const bool all_statements = Setting(facts, "log_statement") == "all";
  const bool all_durations = Setting(facts, "log_min_duration_statement") == "0";
  Location location = record.base();
  location.extra["setting"] =
      all_statements || !all_durations ? "log_statement" : "log_min_duration_statement";
  ControlOutcome& outcome = all_statements && all_durations
                                ? record.Fail("statements-and-durations", "server", location)
                            : all_statements ? record.Fail("all-statements", "server", location)
                            : all_durations  ? record.Fail("all-durations", "server", location)
                                             : record.Pass("server", location);
  outcome.evidence.count = all_statements || all_durations ? 1 : 0;
  outcome.evidence.facts["log_statement"] = Setting(facts, "log_statement");
  outcome.evidence.facts["log_min_duration_statement"] =
      Setting(facts, "log_min_duration_statement");
  outcome.evidence.facts["pii_columns"] = std::to_string(pii.size());
}

}  // namespace crmaudit
