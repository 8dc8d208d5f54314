// United States taxpayer numbers: social security numbers and ITINs.
#include <algorithm>
#include <array>
#include <string_view>

#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {
namespace {

// The nine digits of a taxpayer number, in place.
using TaxpayerNumber = std::array<char, 9>;

// Accepts AAA-GG-SSSS or AAA GG SSSS (one separator kind, in the 3-2-4 places), or nine bare
// digits when the column header names the entity. Writes the nine digits to `digits`.
bool TaxpayerDigits(std::string_view candidate, bool column_hinted, TaxpayerNumber* digits) {
  if (candidate.size() > kMaxCandidateBytes) return false;
  CandidateText storage;
  const std::string_view folded = TrimSpaces(FoldWidth(candidate, &storage));
  if (folded.size() == 9 && AllDigits(folded)) {
    std::copy(folded.begin(), folded.end(), digits->begin());
    return column_hinted;
  }
  if (folded.size() != 11) return false;
  const char separator = folded[3];
  if ((separator != '-' && separator != ' ') || folded[6] != separator) return false;
  auto out = std::copy_n(folded.begin(), 3, digits->begin());
  out = std::copy_n(folded.begin() + 4, 2, out);
  std::copy_n(folded.begin() + 7, 4, out);
  return AllDigits(std::string_view(digits->data(), digits->size()));
}

}  // namespace

bool IsUsSsn(std::string_view candidate, const ValidationContext& context) {
  TaxpayerNumber number;
  if (!TaxpayerDigits(candidate, context.column_hinted, &number)) return false;
  const std::string_view digits(number.data(), number.size());
  const int area = static_cast<int>(DigitsValue(digits.substr(0, 3)));
  const std::string_view group = digits.substr(3, 2);
  const std::string_view serial = digits.substr(5, 4);
  if (area == 0 || area == 666 || area >= 900) return false;
  if (group == "00" || serial == "0000") return false;
  // Numbers printed in advertising and on sample cards, used by thousands of people.
  return digits != "078051120" && digits != "219099999" && digits != "457555462";
}

bool IsUsItin(std::string_view candidate, const ValidationContext& context) {
  TaxpayerNumber number;
  if (!TaxpayerDigits(candidate, context.column_hinted, &number)) return false;
  const std::string_view digits(number.data(), number.size());
  if (digits[0] != '9') return false;
  const int group = static_cast<int>(DigitsValue(digits.substr(3, 2)));
  return (group >= 50 && group <= 65) || (group >= 70 && group <= 88) ||
         (group >= 90 && group <= 92) || (group >= 94 && group <= 99);
}

}  // namespace crmaudit::validators
