#include "scanner/checks/outcome_findings.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "scanner/model/fingerprint.h"
#include "scanner/model/text_template.h"

namespace crmaudit {
namespace {

const CheckMeta* MetaOf(const std::map<std::string, CheckMeta>& settings, const std::string& id) {
  auto it = settings.find(id);
  return it == settings.end() ? nullptr : &it->second;
}

ControlResult& ResultFor(const std::string& rule, const std::string& target,
                         std::vector<ControlResult>* controls) {
  for (auto& result : *controls) {
    if (result.rule == rule && result.target == target) return result;
  }
  ControlResult result;
  result.rule = rule;
  result.target = target;
  controls->push_back(std::move(result));
  return controls->back();
}

void Count(ControlResult& result, const ControlObject& object) {
  switch (object.status) {
    case OutcomeStatus::kPass:
      ++result.passed;
      break;
    case OutcomeStatus::kFail:
      ++result.failed;
      break;
    case OutcomeStatus::kNotAssessed:
      ++result.not_assessed;
      break;
  }
  result.status = result.failed > 0         ? OutcomeStatus::kFail
                  : result.not_assessed > 0 ? OutcomeStatus::kNotAssessed
                                            : OutcomeStatus::kPass;
  result.objects.push_back(object);
}

}  // namespace

Severity CheckSeverity(const CheckDefinition& check,
                       const std::map<std::string, CheckMeta>& settings) {
  const CheckMeta* meta = MetaOf(settings, check.id);
  return meta != nullptr && meta->severity_set ? meta->severity : check.severity;
}

void JudgeOutcomes(const std::vector<ControlOutcome>& outcomes, const CheckCatalog& catalog,
                   const std::map<std::string, CheckMeta>& settings, std::vector<Finding>* findings,
                   std::vector<ControlResult>* controls) {
  for (const ControlOutcome& outcome : outcomes) {
    const CheckDefinition* check = catalog.Find(outcome.rule);
    if (check == nullptr) {
      throw std::logic_error("control check " + outcome.rule + " is not in the check catalog");
    }
    const CheckMeta* meta = MetaOf(settings, check->id);
    if (meta != nullptr && !meta->enabled) continue;
    ControlObject object;
    object.name = outcome.object;
    object.status = outcome.status;
    if (outcome.status != OutcomeStatus::kPass) {
      auto text = check->outcomes.find(outcome.outcome);
      if (text == check->outcomes.end()) {
        throw std::logic_error("control check " + outcome.rule + " has no outcome \"" +
                               outcome.outcome + "\" in the check catalog");
      }
      Finding finding;
      finding.rule = check->id;
      finding.title = FillTemplate(text->second.title, outcome.values);
      finding.remediation = FillTemplate(text->second.remediation, outcome.values);
      finding.category = check->category;
      finding.severity = outcome.severity ? *outcome.severity : CheckSeverity(*check, settings);
      if (outcome.at_least) finding.severity = std::max(finding.severity, *outcome.at_least);
      finding.frameworks = check->references;
      if (meta != nullptr) {
        for (const auto& [framework, articles] : meta->frameworks) {
          auto& listed = finding.frameworks[framework];
          for (const auto& article : articles) {
            if (std::find(listed.begin(), listed.end(), article) == listed.end()) {
              listed.push_back(article);
            }
          }
        }
      }
      finding.location = outcome.location;
      finding.evidence = outcome.evidence;
      finding.entity = outcome.entity;
      if (outcome.status == OutcomeStatus::kNotAssessed) {
        finding.status = FindingStatus::kNotAssessed;
        finding.status_reason = "not assessed: " + outcome.reason;
      }
      finding.id = FindingId(finding.rule, finding.location);
      findings->push_back(std::move(finding));
    }
    Count(ResultFor(check->id, outcome.location.target, controls), object);
  }
}

void DescribeEvaluatedChecks(const std::vector<ControlResult>& controls,
                             const CheckCatalog& catalog,
                             const std::map<std::string, CheckMeta>& settings,
                             std::vector<RuleDescription>* rules) {
  std::set<std::string> known;
  for (const auto& rule : *rules) known.insert(rule.id);
  for (const auto& result : controls) {
    if (!known.insert(result.rule).second) continue;
    const CheckDefinition* check = catalog.Find(result.rule);
    if (check == nullptr) continue;
    rules->push_back(DescribeCheck(*check, CheckSeverity(*check, settings)));
  }
}

}  // namespace crmaudit
