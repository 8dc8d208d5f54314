#include "scanner/checks/database_checks.h"

#include "scanner/checks/exposure_checks.h"
#include "scanner/checks/hardening_checks.h"

namespace crmaudit {

void RunDatabaseChecks(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                       const DatabaseControls& controls, const DatabaseCheckContext& context,
                       std::vector<ControlOutcome>* outcomes) {
  CheckServerTls(facts, controls, context, outcomes);
  CheckSessionTls(facts, controls, context, outcomes);
  CheckHbaRules(facts, controls, context, outcomes);
  CheckPasswordVerifiers(facts, controls, context, outcomes);
  CheckClearSensitiveColumns(facts, pii, controls, context, outcomes);
  CheckPasswordStorage(facts, pii, controls, context, outcomes);
  CheckPowerfulRoles(facts, controls, context, outcomes);
  CheckLoginHygiene(facts, controls, context, outcomes);
  CheckPublicRead(facts, pii, controls, context, outcomes);
  CheckRowSecurity(facts, pii, controls, context, outcomes);
  CheckPublicCreate(facts, controls, context, outcomes);
  CheckLogging(facts, controls, context, outcomes);
  CheckLoggedPersonalData(facts, pii, controls, context, outcomes);
  CheckWalArchiving(facts, controls, context, outcomes);
  CheckRetention(facts, controls, context, outcomes);
  CheckNetworkExposure(facts, context, outcomes);
  RunHardeningChecks(facts, controls, context, outcomes);
}

}  // namespace crmaudit
