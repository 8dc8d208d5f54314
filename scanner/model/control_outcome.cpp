#include "scanner/model/control_outcome.h"

namespace crmaudit {

std::string_view OutcomeStatusName(OutcomeStatus status) {
  switch (status) {
    case OutcomeStatus::kPass:
      return "pass";
    case OutcomeStatus::kFail:
      return "fail";
    case OutcomeStatus::kNotAssessed:
      break;
  }
  return "not_assessed";
}

}  // namespace crmaudit
