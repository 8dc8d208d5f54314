// Validator set: every validator function the registry (registry.cpp) exposes by name.
//
// Internal to scanner/detect/validators/: other rooms reach these only through
// FindValidator() in scanner/detect/validators.h. Each function follows that header's
// contract: pure, thread-safe, never throws, never logs the candidate. Rules are those of
// shared/reference/identifiers.md; each .cpp here holds one family.
#pragma once

#include <string_view>

#include "scanner/detect/validators.h"

namespace crmaudit::validators {

// contact_validators.cpp
bool IsEmailAddress(std::string_view candidate, const ValidationContext& context);
bool IsPhoneNumber(std::string_view candidate, const ValidationContext& context);
// Mainland China mobiles only, in every written form, bare digits included: for patterns that
// already demand Chinese text or a start of value around the number.
bool IsCnMobileNumber(std::string_view candidate, const ValidationContext& context);

// network_validators.cpp
bool IsIpAddress(std::string_view candidate, const ValidationContext& context);

// payment_validators.cpp
bool IsCreditCardNumber(std::string_view candidate, const ValidationContext& context);
bool IsIban(std::string_view candidate, const ValidationContext& context);
bool IsUsRoutingNumber(std::string_view candidate, const ValidationContext& context);

// date_validators.cpp
bool IsDateOfBirth(std::string_view candidate, const ValidationContext& context);

// person_validators.cpp
bool IsPersonName(std::string_view candidate, const ValidationContext& context);
bool IsPostalAddress(std::string_view candidate, const ValidationContext& context);

// china_validators.cpp
bool IsCnResidentId(std::string_view candidate, const ValidationContext& context);
bool IsCnUscc(std::string_view candidate, const ValidationContext& context);
bool IsCnPassport(std::string_view candidate, const ValidationContext& context);

// us_validators.cpp
bool IsUsSsn(std::string_view candidate, const ValidationContext& context);
bool IsUsItin(std::string_view candidate, const ValidationContext& context);

// europe_validators.cpp
bool IsUkNino(std::string_view candidate, const ValidationContext& context);
bool IsEsDni(std::string_view candidate, const ValidationContext& context);
bool IsEsNie(std::string_view candidate, const ValidationContext& context);
bool IsNlBsn(std::string_view candidate, const ValidationContext& context);
bool IsItFiscalCode(std::string_view candidate, const ValidationContext& context);
bool IsFrNir(std::string_view candidate, const ValidationContext& context);
bool IsDeTaxId(std::string_view candidate, const ValidationContext& context);

// password_validators.cpp
bool IsStrongPasswordHash(std::string_view candidate, const ValidationContext& context);
bool IsWeakPasswordHash(std::string_view candidate, const ValidationContext& context);
bool IsPlaintextPassword(std::string_view candidate, const ValidationContext& context);

// secret_validators.cpp
bool IsAwsAccessKeyId(std::string_view candidate, const ValidationContext& context);
bool IsJsonWebToken(std::string_view candidate, const ValidationContext& context);
bool IsHighEntropySecret(std::string_view candidate, const ValidationContext& context);
bool IsAssignedPassword(std::string_view candidate, const ValidationContext& context);

}  // namespace crmaudit::validators
