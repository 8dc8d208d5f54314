// Payment identifiers: card numbers (Luhn + issuer ranges), IBANs (ISO 13616), US routing
// numbers (ABA checksum).
#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {
namespace {

bool PassesLuhn(std::string_view digits) {
  int sum = 0;
  bool doubled = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int digit = *it - '0';
    if (doubled) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    doubled = !doubled;
  }
  return sum % 10 == 0;
}

// An issuer's number range: the first `prefix_digits` digits lie in [low, high] and the whole
// number has between min_length and max_length digits (Visa's 13/16/19 is three entries).
struct IssuerRange {
  int prefix_digits;
  int low;
  int high;
  size_t min_length;
  size_t max_length;
};

constexpr std::array<IssuerRange, 15> kIssuerRanges = {{
    {1, 4, 4, 13, 13},        // Visa
    {1, 4, 4, 16, 16},        // Visa
    {1, 4, 4, 19, 19},        // Visa
    {2, 51, 55, 16, 16},      // Mastercard
    {4, 2221, 2720, 16, 16},  // Mastercard 2-series
    {2, 34, 34, 15, 15},      // American Express
    {2, 37, 37, 15, 15},      // American Express
    {4, 6011, 6011, 16, 19},  // Discover
    {3, 644, 649, 16, 19},    // Discover
    {2, 65, 65, 16, 19},      // Discover
    {4, 3528, 3589, 16, 19},  // JCB
    {3, 300, 305, 14, 14},    // Diners Club
    {2, 36, 36, 14, 14},      // Diners Club
    {2, 38, 39, 14, 14},      // Diners Club
    {2, 62, 62, 16, 19},      // UnionPay
}};

bool MatchesIssuer(std::string_view digits) {
  return std::any_of(kIssuerRanges.begin(), kIssuerRanges.end(), [&](const IssuerRange& range) {
    if (digits.size() < range.min_length || digits.size() > range.max_length) return false;
    const long long prefix = DigitsValue(digits.substr(0, range.prefix_digits));
    return prefix >= range.low && prefix <= range.high;
  });
}

struct IbanCountry {
  char code[3];
  size_t length;
};

// Every country in the SWIFT IBAN registry with its fixed IBAN length (sorted by code).
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GF", 27}, {"GI", 23}, {"GL", 18},
    {"GP", 27}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23},
    {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21},
    {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19},
    {"MN", 20}, {"MQ", 27}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NC", 27}, {"NI", 28}, {"NL", 18},
    {"NO", 15}, {"OM", 23}, {"PF", 27}, {"PK", 24}, {"PL", 28}, {"PM", 27}, {"PS", 29}, {"PT", 25},
    {"QA", 29}, {"RE", 27}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31}, {"SD", 18},
    {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TF", 27},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"WF", 27}, {"XK", 20},
    {"YT", 27},
};

// kIbanCountries as a table by letter pair ("DE": 'D' * 26 + 'E'), 0 for no country: asked for
// every IBAN candidate, where comparing with each code in turn cost more than the checksum.
constexpr std::array<unsigned char, 26 * 26> kIbanLengthByCode = [] {
  std::array<unsigned char, 26 * 26> table{};
  for (const IbanCountry& entry : kIbanCountries) {
    table[static_cast<size_t>((entry.code[0] - 'A') * 26 + (entry.code[1] - 'A'))] =
        static_cast<unsigned char>(entry.length);
  }
  return table;
}();

size_t IbanLength(std::string_view country) {
  if (country.size() != 2 || country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' ||
      country[1] > 'Z') {
    return 0;
  }
  return kIbanLengthByCode[static_cast<size_t>((country[0] - 'A') * 26 + (country[1] - 'A'))];
}

// ISO 7064 MOD 97-10 over the rearranged IBAN, letters expanded to two digits (A=10 … Z=35).
// The country code and check digits move to the end: the two parts are read in that order.
int IbanRemainderCharByChar(std::string_view iban) {
  int remainder = 0;
  for (std::string_view part : {iban.substr(4), iban.substr(0, 4)}) {
    for (char c : part) {
      if (IsDigit(c)) {
        remainder = (remainder * 10 + (c - '0')) % 97;
      } else {
        remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
      }
    }
  }
  return remainder;
}

// The same remainder with a fraction of the divisions: up to 16 decimal digits are gathered
// before each reduction (the number stays below 10^18 + 35), as (a·100 + b) mod 97 does not
// depend on when a is reduced. A character other than 0-9 and A-Z is read as above.
int IbanRemainder(std::string_view iban) {
  constexpr uint64_t kReduceFrom = 10'000'000'000'000'000;  // 10^16
  uint64_t value = 0;
  for (std::string_view part : {iban.substr(4), iban.substr(0, 4)}) {
    for (char c : part) {
      if (IsDigit(c)) {
        value = value * 10 + static_cast<uint64_t>(c - '0');
      } else if (c >= 'A' && c <= 'Z') {
        value = value * 100 + static_cast<uint64_t>(c - 'A' + 10);
      } else {
        return IbanRemainderCharByChar(iban);
      }
      if (value >= kReduceFrom) value %= 97;
    }
  }
  return static_cast<int>(value % 97);
}

}  // namespace

bool IsCreditCardNumber(std::string_view candidate, const ValidationContext& /*context*/) {
  CandidateText digits;
  if (!CompactIdentifier(TrimSpaces(candidate), " -", &digits)) return false;
  if (digits.size() < 12 || digits.size() > 19 || !AllDigits(digits)) return false;
  return PassesLuhn(digits) && MatchesIssuer(digits);
}

bool IsIban(std::string_view candidate, const ValidationContext& /*context*/) {
  CandidateText iban;
  if (!CompactIdentifier(TrimSpaces(candidate), " ", &iban)) return false;
  if (iban.size() < 15 || iban.size() > 34) return false;
  if (!IsUpper(iban[0]) || !IsUpper(iban[1]) || !IsDigit(iban[2]) || !IsDigit(iban[3])) {
    return false;
  }
  if (IbanLength(iban.view().substr(0, 2)) != iban.size()) return false;
  return IbanRemainder(iban) == 1;
}

bool IsUsRoutingNumber(std::string_view candidate, const ValidationContext& context) {
  if (!context.column_hinted) return false;  // nine bare digits say nothing without a header
  CandidateText digits;
  if (!CompactIdentifier(TrimSpaces(candidate), "", &digits)) return false;
  if (digits.size() != 9 || !AllDigits(digits) || digits.view() == "000000000") return false;
  const auto d = [&](size_t i) { return digits[i] - '0'; };
  const int sum = 3 * (d(0) + d(3) + d(6)) + 7 * (d(1) + d(4) + d(7)) + (d(2) + d(5) + d(8));
  return sum % 10 == 0;
}

}  // namespace crmaudit::validators
