#include "scanner/checks/database_checks.h"

#include "scanner/checks/exposure_checks.h"
#include "scanner/checks/hardening_checks.h"

namespace crmaudit {

void RunDatabaseChecks(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                       const DatabaseControls& controls, const DatabaseCheckContext& context,
                       std::vector<ControlOutcome>* outcomes,
                       std::vector<Finding>* legacy_findings) {
  std::vector<Finding>* findings = legacy_findings;
  CheckServerTls(facts, controls, context, outcomes);
  CheckSessionTls(facts, controls, context, findings);
  CheckHbaRules(facts, controls, context, findings);
  CheckPasswordVerifiers(facts, controls, context, findings);
  CheckClearSensitiveColumns(facts, pii, controls, context, findings);
  CheckPasswordStorage(facts, pii, controls, context, findings);
  CheckPowerfulRoles(facts, controls, context, findings);
  CheckLoginHygiene(facts, controls, context, findings);
  CheckPublicRead(facts, pii, controls, context, findings);
  CheckRowSecurity(facts, pii, controls, context, findings);
  CheckPublicCreate(facts, controls, context, findings);
  CheckLogging(facts, controls, context, findings);
  CheckLoggedPersonalData(facts, pii, controls, context, findings);
  CheckWalArchiving(facts, controls, context, findings);
  CheckRetention(facts, controls, context, findings);
  CheckNetworkExposure(facts, context, outcomes);
  RunHardeningChecks(facts, controls, context, outcomes);
}

}  // namespace crmaudit
