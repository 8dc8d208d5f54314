// European national identifiers: UK National Insurance numbers, Spanish DNI/NIE, Dutch BSN,
// Italian codice fiscale, French NIR, German tax identification numbers.
#include <algorithm>
#include <array>
#include <string_view>

#include "scanner/detect/validators/calendar.h"
#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {
namespace {

bool SpanishControlLetterMatches(long long number, char letter) {
  static constexpr std::string_view kLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
  return kLetters[number % 23] == letter;
}

// Omocodia: when two people would share a code, digits are replaced by these letters.
constexpr std::string_view kOmocodiaLetters = "LMNPQRSTUV";

// The digit an Italian fiscal-code position stands for, or -1.
int FiscalCodeDigit(char c) {
  if (IsDigit(c)) return c - '0';
  const size_t index = kOmocodiaLetters.find(c);
  return index == std::string_view::npos ? -1 : static_cast<int>(index);
}

char FiscalCodeCheckLetter(std::string_view first15) {
  // Values of characters in odd (1st, 3rd, …) positions, indexed by digit or by letter.
  static constexpr std::array<int, 10> kOddDigits = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21};
  static constexpr std::array<int, 26> kOddLetters = {
      1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
  int sum = 0;
  for (size_t i = 0; i < first15.size(); ++i) {
    const char c = first15[i];
    const bool odd_position = i % 2 == 0;  // position 1 is index 0
    if (odd_position) {
      sum += IsDigit(c) ? kOddDigits[c - '0'] : kOddLetters[c - 'A'];
    } else {
      sum += IsDigit(c) ? c - '0' : c - 'A';
    }
  }
  return static_cast<char>('A' + sum % 26);
}

// A BSN is written bare or grouped 4-2-3 ("1112.22.333") or 3-3-3; any other grouping (a
// version string, a date) is not one.
bool HasBsnGrouping(std::string_view text) {
  std::array<size_t, 3> groups{};  // lengths of the digit runs between separators
  size_t count = 0;
  size_t length = 0;
  for (char c : text) {
    if (IsDigit(c)) {
      ++length;
      continue;
    }
    if (count + 1 == groups.size()) return false;  // a fourth group: no BSN grouping
    groups[count++] = length;
    length = 0;
  }
  if (count == 0) return true;
  groups[count++] = length;
  return count == 3 && ((groups[0] == 4 && groups[1] == 2 && groups[2] == 3) ||
                        (groups[0] == 3 && groups[1] == 3 && groups[2] == 3));
}

}  // namespace

bool IsUkNino(std::string_view candidate, const ValidationContext& /*context*/) {
  CandidateText compact;
  if (!CompactIdentifier(TrimSpaces(candidate), " ", &compact) || compact.size() != 9) {
    return false;
  }
  const std::string_view nino = compact;
  if (!IsUpper(nino[0]) || !IsUpper(nino[1]) || !AllDigits(nino.substr(2, 6))) {
    return false;
  }
  if (nino[8] < 'A' || nino[8] > 'D') return false;
  static constexpr std::string_view kNeverUsed = "DFIQUV";
  if (kNeverUsed.find(nino[0]) != kNeverUsed.npos || kNeverUsed.find(nino[1]) != kNeverUsed.npos ||
      nino[1] == 'O') {
    return false;
  }
  static constexpr std::array<std::string_view, 7> kNeverAllocated = {"BG", "GB", "KN", "NK",
                                                                      "NT", "TN", "ZZ"};
  const std::string_view prefix = nino.substr(0, 2);
  return std::find(kNeverAllocated.begin(), kNeverAllocated.end(), prefix) == kNeverAllocated.end();
}

bool IsEsDni(std::string_view candidate, const ValidationContext& /*context*/) {
  CandidateText compact;
  if (!CompactIdentifier(TrimSpaces(candidate), " -", &compact) || compact.size() != 9) {
    return false;
  }
  const std::string_view dni = compact;
  const std::string_view number = dni.substr(0, 8);
  if (!AllDigits(number) || !IsUpper(dni[8])) return false;
  return SpanishControlLetterMatches(DigitsValue(number), dni[8]);
}

bool IsEsNie(std::string_view candidate, const ValidationContext& /*context*/) {
  CandidateText compact;
  if (!CompactIdentifier(TrimSpaces(candidate), " -", &compact) || compact.size() != 9) {
    return false;
  }
  const std::string_view nie = compact;
  static constexpr std::string_view kPrefixes = "XYZ";
  const size_t prefix = kPrefixes.find(nie[0]);
  const std::string_view number = nie.substr(1, 7);
  if (prefix == std::string_view::npos || !AllDigits(number) || !IsUpper(nie[8])) return false;
  const long long value = static_cast<long long>(prefix) * 10'000'000 + DigitsValue(number);
  return SpanishControlLetterMatches(value, nie[8]);
}

bool IsNlBsn(std::string_view candidate, const ValidationContext& context) {
  if (!context.column_hinted) return false;  // nine bare digits need the header
  CandidateText compact;
  if (!CompactIdentifier(TrimSpaces(candidate), " .-", &compact) || !AllDigits(compact)) {
    return false;
  }
  CandidateText folded;
  if (!HasBsnGrouping(FoldWidth(TrimSpaces(candidate), &folded))) return false;
  // Eight digits are a BSN with its leading zero dropped.
  if (compact.size() != 8 && compact.size() != 9) return false;
  std::array<char, 9> bsn;
  bsn.fill('0');
  std::copy(compact.begin(), compact.end(), bsn.end() - compact.size());
  if (std::all_of(bsn.begin(), bsn.end(), [](char c) { return c == '0'; })) return false;
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) sum += static_cast<int>(9 - i) * (bsn[i] - '0');
  sum -= bsn[8] - '0';
  return sum % 11 == 0;
}

bool IsItFiscalCode(std::string_view candidate, const ValidationContext& /*context*/) {
  CandidateText compact;
  if (!CompactIdentifier(TrimSpaces(candidate), "", &compact) || compact.size() != 16) {
    return false;
  }
  const std::string_view code = compact;
  // Layout: surname(3) name(3) year(2) month-letter day(2) town-letter town(3) check.
  for (size_t i : {0, 1, 2, 3, 4, 5, 8, 11, 15}) {
    if (!IsUpper(code[i])) return false;
  }
  for (size_t i : {6, 7, 9, 10, 12, 13, 14}) {
    if (FiscalCodeDigit(code[i]) < 0) return false;
  }
  static constexpr std::string_view kMonthLetters = "ABCDEHLMPRST";
  const size_t month = kMonthLetters.find(code[8]);
  if (month == std::string_view::npos) return false;
  // Women's codes add 40 to the day of birth; the two-digit year cannot say the century, so
  // the date is checked against a leap year to allow 29 February.
  int day = FiscalCodeDigit(code[9]) * 10 + FiscalCodeDigit(code[10]);
  if (day > 40) day -= 40;
  if (!IsPlausibleBirthDate(2000, static_cast<int>(month) + 1, day)) return false;
  return FiscalCodeCheckLetter(code.substr(0, 15)) == code[15];
}

bool IsFrNir(std::string_view candidate, const ValidationContext& /*context*/) {
  CandidateText compact;
  if (!CompactIdentifier(TrimSpaces(candidate), " ", &compact) || compact.size() != 15) {
    return false;
  }
  // Corsica's departments 2A and 2B enter the key computation as 19 and 18.
  std::array<char, 15> digits;
  std::copy(compact.begin(), compact.end(), digits.begin());
  const std::string_view department = compact.view().substr(5, 2);
  if (department == "2A" || department == "2B") {
    digits[5] = '1';
    digits[6] = department[1] == 'A' ? '9' : '8';
  }
  const std::string_view numeric(digits.data(), digits.size());
  if (!AllDigits(numeric)) return false;
  static constexpr std::string_view kSexDigits = "123478";
  if (kSexDigits.find(numeric[0]) == std::string_view::npos) return false;
  // Month 01-12; 20-42 and 50-99 mark an unknown or administratively assigned month.
  const int month = static_cast<int>(DigitsValue(numeric.substr(3, 2)));
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50)) {
    return false;
  }
  long long remainder = 0;
  for (char c : numeric.substr(0, 13)) remainder = (remainder * 10 + (c - '0')) % 97;
  const long long key = DigitsValue(numeric.substr(13, 2));
  return key == 97 - remainder;
}

bool IsDeTaxId(std::string_view candidate, const ValidationContext& /*context*/) {
  CandidateText compact;
  if (!CompactIdentifier(TrimSpaces(candidate), " ", &compact)) return false;
  const std::string_view id = compact;
  if (id.size() != 11 || !AllDigits(id) || id[0] == '0') return false;
  std::array<int, 10> counts{};
  for (size_t i = 0; i < 10; ++i) ++counts[id[i] - '0'];
  const int repeated = static_cast<int>(
      std::count_if(counts.begin(), counts.end(), [](int count) { return count >= 2; }));
  const int repeat_count = *std::max_element(counts.begin(), counts.end());
  if (repeated != 1 || repeat_count > 3) return false;
  // ISO 7064 MOD 11,10.
  int product = 10;
  for (size_t i = 0; i < 10; ++i) {
    int sum = (id[i] - '0' + product) % 10;
    if (sum == 0) sum = 10;
    product = (2 * sum) % 11;
  }
  return (11 - product) % 10 == id[10] - '0';
}

}  // namespace crmaudit::validators
