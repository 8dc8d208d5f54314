// OutcomeRecorder: how a check function writes down its outcomes for one rule: a pass, a fail
// (naming the catalog outcome whose texts apply) or a not_assessed, each about one object. It
// fills the rule, the status and the object; the check adds evidence and template values.
// Titles, remediation and severity are never written here (checks/outcome_findings.h).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scanner/model/control_outcome.h"

namespace crmaudit {

class OutcomeRecorder {
 public:
  // `base`: the location of the server (kind, target, database) that objects refine.
  OutcomeRecorder(std::string rule, Location base, std::vector<ControlOutcome>* out)
      : rule_(std::move(rule)), base_(std::move(base)), out_(out) {}

  const Location& base() const { return base_; }

  ControlOutcome& Pass(std::string object, Location location) {
    return Add(OutcomeStatus::kPass, {}, std::move(object), std::move(location));
  }
  ControlOutcome& Fail(std::string outcome, std::string object, Location location) {
    return Add(OutcomeStatus::kFail, std::move(outcome), std::move(object), std::move(location));
  }
  // `reason` names what was missing ("pg_read_all_settings", "the scan's --timeout expired").
  ControlOutcome& NotAssessed(std::string outcome, std::string object, Location location,
                              std::string reason) {
    ControlOutcome& added = Add(OutcomeStatus::kNotAssessed, std::move(outcome), std::move(object),
                                std::move(location));
    added.reason = std::move(reason);
    return added;
  }

 private:
  ControlOutcome& Add(OutcomeStatus status, std::string outcome, std::string object,
                      Location location) {
    ControlOutcome added;
    added.rule = rule_;
    added.outcome = std::move(outcome);
    added.status = status;
    added.object = std::move(object);
    added.location = std::move(location);
    out_->push_back(std::move(added));
    return out_->back();
  }

  std::string rule_;
  Location base_;
  std::vector<ControlOutcome>* out_;
};

}  // namespace crmaudit
