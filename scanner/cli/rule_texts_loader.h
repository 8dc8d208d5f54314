// The words of the loaded detectors and control checks in one language (reports/i18n/
// rule_texts.h), copied from the packs' and the check catalog's "texts".
#pragma once

#include <string>
#include <vector>

#include "reports/i18n/rule_texts.h"
#include "scanner/policy/check_catalog.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {

// `catalog` may be null (no checks loaded).
RuleTexts RuleTextsFor(const std::string& language, const std::vector<PolicyPack>& packs,
                       const CheckCatalog* catalog);

// The same from the shipped packs and catalog (DefaultPolicySearchDirs), for rendering a
// report.json again; packs that cannot be read leave their rules untranslated. Throws
// PolicyError when no check catalog is found.
RuleTexts ShippedRuleTexts(const std::string& language);

}  // namespace crmaudit
