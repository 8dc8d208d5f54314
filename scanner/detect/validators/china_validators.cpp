// Mainland China identifiers: resident identity card numbers (GB 11643), unified social credit
// codes (GB 32100) and passport numbers.
#include <algorithm>
#include <array>
#include <string_view>

#include "scanner/detect/validators/calendar.h"
#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {
namespace {

int Value(std::string_view digits) { return static_cast<int>(DigitsValue(digits)); }

// ISO 7064 MOD 11-2 as GB 11643 applies it to the first 17 digits.
char ResidentIdCheckCharacter(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kCheck = "10X98765432";
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

}  // namespace

bool IsCnResidentId(std::string_view candidate, const ValidationContext& context) {
  CandidateText compact;
  if (!CompactIdentifier(TrimSpaces(candidate), " ", &compact)) return false;
  const std::string_view id = compact;
  if (id.size() == 18) {
    const std::string_view first17 = id.substr(0, 17);
    if (!AllDigits(first17) || id[0] == '0') return false;
    if (!IsPlausibleBirthDate(Value(id.substr(6, 4)), Value(id.substr(10, 2)),
                              Value(id.substr(12, 2)))) {
      return false;
    }
    return ResidentIdCheckCharacter(first17) == id[17];
  }
  if (id.size() == 15 && context.column_hinted) {
    // The pre-1999 form: YYMMDD of a 20th-century birth, and no check digit at all.
    if (!AllDigits(id) || id[0] == '0') return false;
    return IsPlausibleBirthDate(1900 + Value(id.substr(6, 2)), Value(id.substr(8, 2)),
                                Value(id.substr(10, 2)));
  }
  return false;
}

bool IsCnUscc(std::string_view candidate, const ValidationContext& context) {
  // An all-digit code that is also a valid resident ID number (checksum and birth date) is
  // read as the ID: one value in 31 of those passes the USCC checksum by chance, and calling a
  // person's ID a company code would hide personal data behind a lower severity.
  ValidationContext unhinted = context;
  unhinted.column_hinted = false;
  if (IsCnResidentId(candidate, unhinted)) return false;
  static constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                   29, 25, 13, 8,  24, 10, 30, 28};
  CandidateText compact;
  if (!CompactIdentifier(TrimSpaces(candidate), " ", &compact) || compact.size() != 18) {
    return false;
  }
  const std::string_view code = compact;
  // Characters 3-8 are the registering authority's six-digit administrative division code.
  if (!AllDigits(code.substr(2, 6)) || code[2] == '0') return false;
  if (std::all_of(code.begin(), code.end(), [&](char c) { return c == code[0]; })) return false;
  int sum = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    const size_t value = kUsccAlphabet.find(code[i]);
    if (value == std::string_view::npos) return false;
    if (i < kWeights.size()) sum += static_cast<int>(value) * kWeights[i];
  }
  return code[17] == kUsccAlphabet[(31 - sum % 31) % 31];
}

bool IsCnPassport(std::string_view candidate, const ValidationContext& /*context*/) {
  CandidateText compact;
  if (!CompactIdentifier(TrimSpaces(candidate), "", &compact) || compact.size() != 9) return false;
  const std::string_view number = compact;
  // Ordinary passports: G + 8 digits (before 2012), E + 8 digits, then E + a series letter
  // (never I or O) + 7 digits once the E range ran out.
  std::string_view serial;
  if ((number[0] == 'E' || number[0] == 'G') && AllDigits(number.substr(1))) {
    serial = number.substr(1);
  } else if (number[0] == 'E' && IsUpper(number[1]) && number[1] != 'I' && number[1] != 'O' &&
             AllDigits(number.substr(2))) {
    serial = number.substr(2);
  } else {
    return false;
  }
  // A serial of one repeated digit is a placeholder, not an issued document.
  return !std::all_of(serial.begin(), serial.end(), [&](char c) { return c == serial[0]; });
}

}  // namespace crmaudit::validators
