// ControlOutcome, ControlResult, RuleDescription: what a control check concluded, per object,
// and how a report lists every evaluated check and the catalog entries it used.
//
// Checks (checks/) compute outcomes only: pass, fail or not_assessed for one object (the
// server, a role, an hba line, a table, a backup repository, an export file), with evidence
// and the values that fill the catalog's text templates. They never write a title, a
// remediation or a severity: checks/outcome_findings.h turns outcomes into findings and
// ControlResults from the check catalog (policy/check_catalog.h), in one place.
//
// Invariants:
//  - `values` and `evidence` hold names, settings and counts only, never a scanned value.
//  - every check that ran for a target leaves a ControlResult, passes included: a compliance
//    audit needs evidence that a control was tested, not only the failures.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/model/finding.h"
#include "scanner/model/severity.h"

namespace crmaudit {

enum class OutcomeStatus { kPass, kFail, kNotAssessed };

std::string_view OutcomeStatusName(OutcomeStatus status);  // "pass", "fail", "not_assessed"

// What one check concluded about one object.
struct ControlOutcome {
  std::string rule;  // catalog check id, e.g. "ENC-01"
  // The catalog outcome whose title and remediation apply (a key of the check's "outcomes",
  // e.g. "ssl-off"); empty for a pass.
  std::string outcome;
  OutcomeStatus status = OutcomeStatus::kPass;
  Location location;   // the object judged; its finding id is FindingId(rule, location)
  std::string object;  // the object as a reader names it: "server", "role crm_admin", ...
  Evidence evidence;
  // The entity type the finding is about, for checks on personal-data columns (ENC-05's
  // "CN_RESIDENT_ID", ENC-06's "PLAINTEXT_PASSWORD"); reports show it beside the title.
  std::string entity;
  // Fill the {placeholders} of the outcome's title and remediation: role and table names
  // (already quoted where the text is SQL), setting values, parameters.
  std::map<std::string, std::string> values;
  // The severity of this object's finding, when a parameter decides it (ENC-07's
  // exports.readable_severity); otherwise the check's (catalog default or the packs').
  std::optional<Severity> severity;
  // Raises the severity for this object (a trust line reachable over TCP is critical).
  std::optional<Severity> at_least;
  std::string reason;  // not_assessed: why (the missing privilege, the timeout)
};

// One object a check evaluated, as report.json's controls[].objects lists it.
struct ControlObject {
  std::string name;  // ControlOutcome::object
  OutcomeStatus status = OutcomeStatus::kPass;
};

// report.json controls[]: one check evaluated on one target.
struct ControlResult {
  std::string rule;
  std::string target;
  // fail when any object failed; else not_assessed when any object could not be assessed;
  // else pass.
  OutcomeStatus status = OutcomeStatus::kPass;
  uint64_t passed = 0, failed = 0, not_assessed = 0;
  std::vector<ControlObject> objects;
};

// The title and risk of a check in one language.
struct RuleText {
  std::string title;
  std::string risk;
};

// report.json rules[]: the catalog entry of a check this report evaluated. Writers (SARIF
// rules, the HTML controls table) read it and never re-derive a title.
struct RuleDescription {
  std::string id;
  std::string title;  // English; also texts.at("en")
  std::string category;
  Severity severity = Severity::kMedium;  // the severity findings of this check carry
  std::string risk;
  std::map<std::string, std::vector<std::string>> references;  // "CIS" -> {"PostgreSQL 16 ... 6.8"}
  std::map<std::string, RuleText> texts;                       // by locale, "en" and "zh-CN"
};

}  // namespace crmaudit
