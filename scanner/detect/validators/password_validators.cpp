// Stored passwords: the three validators the secrets pack's password detectors name. Each is
// one answer of the shared classification (scanner/detect/password_form.h), which the
// PostgreSQL reader uses for check ENC-06 too, so an export and a database agree on every value.
#include "scanner/detect/password_form.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {

bool IsStrongPasswordHash(std::string_view candidate, const ValidationContext& /*context*/) {
  return ClassifyPasswordValue(candidate) == PasswordForm::kStrongHash;
}

bool IsWeakPasswordHash(std::string_view candidate, const ValidationContext& /*context*/) {
  return ClassifyPasswordValue(candidate) == PasswordForm::kWeakHash;
}

bool IsPlaintextPassword(std::string_view candidate, const ValidationContext& context) {
  // Any short string could be a password; only a password column makes the claim.
  return context.column_hinted && ClassifyPasswordValue(candidate) == PasswordForm::kPlaintext;
}

}  // namespace crmaudit::validators
