// United States taxpayer numbers: social security numbers and ITINs.
#include <string>

#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {
namespace {

// Accepts AAA-GG-SSSS or AAA GG SSSS (one separator kind, in the 3-2-4 places), or nine bare
// digits when the column header names the entity. Writes the nine digits to `digits`.
bool TaxpayerDigits(std::string_view candidate, bool column_hinted, std::string* digits) {
  if (candidate.size() > kMaxCandidateBytes) return false;
  const std::string folded(TrimSpaces(FoldWidth(candidate)));
  if (folded.size() == 9 && AllDigits(folded)) {
    *digits = folded;
    return column_hinted;
  }
  if (folded.size() != 11) return false;
  const char separator = folded[3];
  if ((separator != '-' && separator != ' ') || folded[6] != separator) return false;
  *digits = folded.substr(0, 3) + folded.substr(4, 2) + folded.substr(7, 4);
  return AllDigits(*digits);
}

}  // namespace

bool IsUsSsn(std::string_view candidate, const ValidationContext& context) {
  std::string digits;
  if (!TaxpayerDigits(candidate, context.column_hinted, &digits)) return false;
  const int area = static_cast<int>(DigitsValue(digits.substr(0, 3)));
  const std::string_view group = std::string_view(digits).substr(3, 2);
  const std::string_view serial = std::string_view(digits).substr(5, 4);
  if (area == 0 || area == 666 || area >= 900) return false;
  if (group == "00" || serial == "0000") return false;
  // Numbers printed in advertising and on sample cards, used by thousands of people.
  return digits != "078051120" && digits != "219099999" && digits != "457555462";
}

bool IsUsItin(std::string_view candidate, const ValidationContext& context) {
  std::string digits;
  if (!TaxpayerDigits(candidate, context.column_hinted, &digits)) return false;
  if (digits[0] != '9') return false;
  const int group = static_cast<int>(DigitsValue(digits.substr(3, 2)));
  return (group >= 50 && group <= 65) || (group >= 70 && group <= 88) ||
         (group >= 90 && group <= 92) || (group >= 94 && group <= 99);
}

}  // namespace crmaudit::validators
