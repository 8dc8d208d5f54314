#include "scanner/checks/database_checks.h"

#include "scanner/checks/check_support.h"

namespace crmaudit {

using namespace check_support;  // NOLINT: the family files share these helpers

void CheckLogging(const DatabaseFacts& facts, const DatabaseControls& controls,
                  const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("AUD-01")) return;
  if (!facts.settings_assessment.assessed) {
    emit.NotAssessed("AUD-01", "Logging settings could not be read", facts.settings_assessment,
                     "GRANT pg_read_all_settings TO auditor;");
    return;
  }
  std::vector<std::string> missing;
  std::string fix;
  if (!IsOn(Setting(facts, "log_connections"))) {
    missing.push_back("log_connections");
    fix += "ALTER SYSTEM SET log_connections = on; ";
  }
  if (!IsOn(Setting(facts, "log_disconnections"))) {
    missing.push_back("log_disconnections");
    fix += "ALTER SYSTEM SET log_disconnections = on; ";
  }
  const std::string pgaudit = Setting(facts, "pgaudit.log");
  const std::string statement = Setting(facts, "log_statement");
  if ((pgaudit.empty() || pgaudit == "none") && (statement.empty() || statement == "none")) {
    missing.push_back("pgaudit.log / log_statement");
    fix +=
        "Load pgaudit (shared_preload_libraries = 'pgaudit', CREATE EXTENSION pgaudit) and "
        "ALTER SYSTEM SET pgaudit.log = 'ddl, role, read'; ";
  }
  if (missing.empty()) return;
  Location location = emit.Base();
  location.extra["setting"] = "logging";
  Finding& f = emit.Add("AUD-01", "Audit logging incomplete: " + Join(missing), location,
                        fix + "SELECT pg_reload_conf();");
  f.evidence.count = missing.size();
  for (const char* name : {"log_connections", "log_disconnections", "log_statement"}) {
    f.evidence.facts[name] = Setting(facts, name);
  }
  f.evidence.facts["pgaudit.log"] = pgaudit.empty() ? "(not loaded)" : pgaudit;
}

void CheckLoggedPersonalData(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                             const DatabaseControls& controls, const DatabaseCheckContext& context,
                             std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("AUD-02") || pii.empty() || !facts.settings_assessment.assessed) return;
  const bool all_statements = Setting(facts, "log_statement") == "all";
  const bool all_durations = Setting(facts, "log_min_duration_statement") == "0";
  if (!all_statements && !all_durations) return;
  Location location = emit.Base();
  location.extra["setting"] = all_statements ? "log_statement" : "log_min_duration_statement";
  Finding& f =
      emit.Add("AUD-02", "Server logs record every statement, with personal data", location,
               std::string(all_statements ? "ALTER SYSTEM SET log_statement = 'ddl'; " : "") +
                   (all_durations ? "ALTER SYSTEM SET log_min_duration_statement = 1000; " : "") +
                   "SELECT pg_reload_conf(); use pgaudit with parameter logging off.");
  f.evidence.count = 1;
  f.evidence.facts["log_statement"] = Setting(facts, "log_statement");
  f.evidence.facts["log_min_duration_statement"] = Setting(facts, "log_min_duration_statement");
  f.evidence.facts["pii_columns"] = std::to_string(pii.size());
}


}  // namespace crmaudit
