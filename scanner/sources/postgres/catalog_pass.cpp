#include "scanner/sources/postgres/catalog_pass.h"

namespace crmaudit {
namespace {

constexpr const char* kLostReason = "the connection was lost before this could be read";
constexpr const char* kDeadlineReason = "the scan's --timeout expired before this could be read";

}  // namespace

CatalogPass CatalogPass::Unavailable(const std::string& reason) {
  CatalogPass pass;
  pass.stopped_ = reason;
  pass.error_ = reason;
  return pass;
}

CatalogPass::Result CatalogPass::Try(const Body& body, std::string* sqlstate) {
  if (stopped() || session_ == nullptr) return Result::kLost;
  PgFailure failure;
  Result result = Result::kOk;
  if (!InReadOnlyTransaction(*session_, &failure, body)) {
    if (sqlstate != nullptr) *sqlstate = failure.sqlstate;
    switch (failure.kind) {
      case PgFailureKind::kPermission:
        result = Result::kDenied;
        break;
      case PgFailureKind::kConnectionLost:
        result = Result::kLost;
        break;
      case PgFailureKind::kScanTimeout:
        result = Result::kScanTimeout;
        break;
      default:
        result = session_->is_open() ? Result::kFailed : Result::kLost;
        break;
    }
  }
  StopOn(result);
  return result;
}

CatalogPass::Result CatalogPass::Read(Assessment& assessment, const std::string& privilege,
                                      const Body& body) {
  const Result result = Try(body);
  Mark(assessment, result, privilege);
  return result;
}

void CatalogPass::Mark(Assessment& assessment, Result result, const std::string& privilege) const {
  assessment.assessed = result == Result::kOk;
  if (result == Result::kDenied) {
    assessment.missing_privilege = privilege;
  } else if (result == Result::kLost || result == Result::kScanTimeout) {
    assessment.missing_privilege = stopped_;
  } else if (result == Result::kFailed) {
    assessment.missing_privilege = "the catalog query failed";
  }
}

// Only the first stop counts: later passes are not sent, and the reason stays the cause.
void CatalogPass::StopOn(Result result) {
  if (stopped()) return;
  if (result == Result::kLost) {
    stopped_ = kLostReason;
    error_ = "the connection to the server was lost while collecting facts";
  } else if (result == Result::kScanTimeout) {
    stopped_ = kDeadlineReason;
    error_ = "the scan's --timeout expired while collecting server facts";
  }
}

}  // namespace crmaudit
