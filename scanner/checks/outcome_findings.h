// OutcomeFindings: the one place control-check outcomes become findings and report entries.
//
// Checks (the *_checks.h families) compute ControlOutcomes only. Here each outcome gets, from
// the check catalog (policy/check_catalog.h): its title and remediation (the outcome's
// templates filled with the outcome's values), its category, its severity (the catalog default,
// or the packs' / audit file's override from ControlPolicy, or the outcome's own when a
// parameter decides it, raised by `at_least`) and its references (the catalog's, joined with
// the framework articles the packs map to the check). A fail becomes an open finding, a
// not_assessed outcome a not_assessed finding naming the reason; a pass becomes no finding.
// Every outcome of an enabled check is counted in the check's ControlResult for the target,
// so report.json lists passed checks as evidence beside the failed ones.
//
// A check that the packs disable (checks.<ID>.enabled false) leaves nothing: no finding, no
// control entry. An outcome whose rule or outcome key is not in the catalog is a programming
// error (std::logic_error): the catalog's fixtures test that every outcome is known.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "scanner/model/control_outcome.h"
#include "scanner/model/finding.h"
#include "scanner/policy/check_catalog.h"
#include "scanner/policy/control_policy.h"

namespace crmaudit {

// Appends the findings of `outcomes` to `findings` and counts every outcome in `controls`
// (one ControlResult per rule and target, merged with entries already there: a target with
// several databases keeps one entry per check). `settings` is DatabaseControls::checks or
// ExportControls::checks.
void JudgeOutcomes(const std::vector<ControlOutcome>& outcomes, const CheckCatalog& catalog,
                   const std::map<std::string, CheckMeta>& settings, std::vector<Finding>* findings,
                   std::vector<ControlResult>* controls);

// The severity findings of `check` carry under `settings` (the packs' override or the
// catalog default), for report.json's rules[].
Severity CheckSeverity(const CheckDefinition& check,
                       const std::map<std::string, CheckMeta>& settings);

// Adds the catalog entries of the checks in `controls` to `rules` (once each, by id).
void DescribeEvaluatedChecks(const std::vector<ControlResult>& controls,
                             const CheckCatalog& catalog,
                             const std::map<std::string, CheckMeta>& settings,
                             std::vector<RuleDescription>* rules);

}  // namespace crmaudit
