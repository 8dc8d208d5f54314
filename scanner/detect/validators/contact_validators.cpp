// Contact identifiers: email addresses and phone numbers.
#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>

#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"
#include "scanner/detect/validators/phone_validity.h"
#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {
namespace {

constexpr bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool IsAsciiLetter(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// RFC 5322 atext, widened by RFC 6531 to any non-ASCII byte (internationalised local parts).
bool IsLocalAtom(unsigned char c) {
  static constexpr auto kAtom = [] {
    std::array<bool, 256> table{};
    for (int b = 0; b < 256; ++b) {
      table[static_cast<size_t>(b)] = IsAsciiAlnum(static_cast<unsigned char>(b)) || b >= 0x80;
    }
    for (char special : std::string_view("!#$%&'*+/=?^_`{|}~-")) {
      table[static_cast<unsigned char>(special)] = true;
    }
    return table;
  }();
  return kAtom[c];
}

bool IsQuotedLocal(std::string_view local) {
  if (local.size() < 3 || local.front() != '"' || local.back() != '"') return false;
  for (size_t i = 1; i + 1 < local.size(); ++i) {
    const auto c = static_cast<unsigned char>(local[i]);
    if (c == '\\') {
      if (++i + 1 >= local.size()) return false;  // an escape needs a character before the "
      continue;
    }
    if (c == '"' || c < 0x20 || c == 0x7F) return false;
  }
  return true;
}

bool IsDotAtomLocal(std::string_view local) {
  if (local.empty() || local.front() == '.' || local.back() == '.') return false;
  char previous = 0;
  for (char c : local) {
    if (c == '.') {
      if (previous == '.') return false;
    } else if (!IsLocalAtom(static_cast<unsigned char>(c))) {
      return false;
    }
    previous = c;
  }
  return true;
}

bool IsDomainLabel(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
    return false;
  }
  return std::all_of(label.begin(), label.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return IsAsciiAlnum(byte) || byte == '-' || byte >= 0x80;  // non-ASCII: an IDN label
  });
}

bool IsTopLevelDomain(std::string_view tld) {
  if (tld.size() >= 5 && (tld.substr(0, 4) == "xn--" || tld.substr(0, 4) == "XN--")) {
    return std::all_of(tld.begin() + 4, tld.end(), [](char c) {
      return IsAsciiAlnum(static_cast<unsigned char>(c)) || c == '-';
    });
  }
  if (tld.size() < 2) return false;
  const bool ascii_letters = std::all_of(
      tld.begin(), tld.end(), [](char c) { return IsAsciiLetter(static_cast<unsigned char>(c)); });
  const bool unicode = std::all_of(tld.begin(), tld.end(),
                                   [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  return ascii_letters || unicode;
}

// Asset names such as `logo@2x.png` or `icon@1.5x.webp` look like addresses to a pattern.
bool LooksLikeAssetName(std::string_view domain, std::string_view tld) {
  static constexpr std::array<std::string_view, 18> kFileExtensions = {
      "png",  "jpg",  "jpeg", "gif", "svg", "webp", "bmp",  "ico", "tif",
      "tiff", "heic", "avif", "css", "js",  "map",  "woff", "ttf", "eot"};
  const auto same_ignoring_case = [tld](std::string_view extension) {
    return tld.size() == extension.size() &&
           std::equal(tld.begin(), tld.end(), extension.begin(), [](char a, char b) {
             return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
           });
  };
  if (std::any_of(kFileExtensions.begin(), kFileExtensions.end(), same_ignoring_case)) {
    return true;
  }
  // A scale suffix: digits, optionally ".digits", then "x" and the extension.
  size_t i = 0;
  while (i < domain.size() && IsDigit(domain[i])) ++i;
  if (i == 0) return false;
  if (i < domain.size() && domain[i] == '.') {
    const size_t fraction = ++i;
    while (i < domain.size() && IsDigit(domain[i])) ++i;
    if (i == fraction) return false;
  }
  return i + 1 < domain.size() && (domain[i] == 'x' || domain[i] == 'X') && domain[i + 1] == '.';
}

// Dotted phone forms group digits in pairs or threes ("201.555.0123", "01.99.00.12.34");
// a one-digit group after the first is a version or build number ("11.3.10.6905").
bool LooksLikeVersionString(std::string_view text) {
  if (text.find('.') == std::string_view::npos) return false;
  size_t group_start = text.find('.') + 1;
  while (group_start <= text.size()) {
    size_t group_end = text.find('.', group_start);
    if (group_end == std::string_view::npos) group_end = text.size();
    if (group_end - group_start == 1) return true;
    group_start = group_end + 1;
  }
  return false;
}

// National phone forms open with a trunk 0 or, in North America, a group of at most three
// digits ("(201) 555-0123", "1 201 555 0123"). A first group of four or more digits without
// a leading 0 is a year-prefixed order or invoice number ("2024-000123").
bool LooksLikeReferenceNumber(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && !IsDigit(text[start])) ++start;
  size_t end = start;
  while (end < text.size() && IsDigit(text[end])) ++end;
  return end - start >= 4 && end < text.size() && text[start] != '0';
}

// libphonenumber wants an upper-case ISO 3166 code; "ZZ" means "only international forms".
std::string RegionOrUnknown(std::string_view region) {
  if (region.size() != 2) return "ZZ";
  std::string upper(region);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

// Calls `visit(length)` for each run of ASCII digits in `text`, in order, until it returns
// false; returns false when a call did.
template <typename Visit>
bool ForEachDigitRun(std::string_view text, Visit visit) {
  size_t run = 0;
  for (char c : text) {
    if (IsDigit(c)) {
      ++run;
    } else if (run > 0) {
      if (!visit(run)) return false;
      run = 0;
    }
  }
  return run == 0 || visit(run);
}

// True when the digit runs of `text` have exactly the given lengths, in order ("138 1234 5678"
// is 3-4-4, the way Chinese mobiles are printed; "1353 8673 123" in a grouped IBAN is not).
bool HasDigitGroups(std::string_view text, std::initializer_list<size_t> lengths) {
  auto expected = lengths.begin();
  const bool same_prefix = ForEachDigitRun(
      text, [&](size_t run) { return expected != lengths.end() && *expected++ == run; });
  return same_prefix && expected == lengths.end();
}

// Digits printed in groups of four ("0062 8880 0315 1234 5"): the print form of cards and
// IBANs. A phone pattern that starts inside one (an IBAN group "0062" reads as the 00 prefix
// of +62) must not claim it.
bool LooksLikeFourDigitGroups(std::string_view text) {
  // Every run but the last has four digits, the last at most four, and there are three or more.
  size_t runs = 0;
  size_t last = 0;
  const bool fours = ForEachDigitRun(text, [&](size_t run) {
    if (runs > 0 && last != 4) return false;
    ++runs;
    last = run;
    return true;
  });
  return fours && runs >= 3 && last <= 4;
}

// A date written day-month-year or month-day-year ("15.03.2024", "03/15/24", "1-2-2024"): three
// groups of digits with one separator, the first two 1-31 and 1-12 in either order, the last
// two or four digits. Read in a region of its own (a record's country), a phone validator
// would otherwise accept some as short local numbers.
bool LooksLikeDate(std::string_view text) {
  // Reads a run of 1..max digits at `pos` as a number; -1 when there is none or it is longer.
  auto number = [&](size_t& pos, size_t max, size_t* length) {
    const size_t start = pos;
    int value = 0;
    while (pos < text.size() && IsDigit(text[pos]) && pos - start < max + 1) {
      value = value * 10 + (text[pos++] - '0');
    }
    *length = pos - start;
    return *length == 0 || *length > max ? -1 : value;
  };
  size_t pos = 0;
  size_t length = 0;
  const int first = number(pos, 2, &length);
  if (first < 0 || pos >= text.size()) return false;
  const char separator = text[pos++];
  if (separator != '.' && separator != '/' && separator != '-') return false;
  const int second = number(pos, 2, &length);
  if (second < 0 || pos >= text.size() || text[pos++] != separator) return false;
  if (number(pos, 4, &length) < 0 || (length != 2 && length != 4) || pos != text.size()) {
    return false;
  }
  auto day = [](int n) { return n >= 1 && n <= 31; };
  auto month = [](int n) { return n >= 1 && n <= 12; };
  return (day(first) && month(second)) || (month(first) && day(second));
}

// A mainland China mobile number: 1[3-9] and nine more digits.
bool IsCnMobileDigits(std::string_view digits) {
  return digits.size() == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9' &&
         AllDigits(digits);
}

}  // namespace

bool IsEmailAddress(std::string_view candidate, const ValidationContext& /*context*/) {
  if (candidate.size() > kMaxCandidateBytes) return false;
  CandidateText storage;
  const std::string_view address = FoldWidth(TrimSpaces(candidate), &storage);
  if (address.size() > 254) return false;
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.empty() || local.size() > 64) return false;
  if (!IsQuotedLocal(local) && !IsDotAtomLocal(local)) return false;

  const size_t last_dot = domain.rfind('.');
  if (last_dot == std::string_view::npos || domain.size() > 253) return false;
  size_t start = 0;
  while (start <= last_dot) {
    const size_t dot = domain.find('.', start);
    if (!IsDomainLabel(domain.substr(start, dot - start))) return false;
    start = dot + 1;
  }
  const std::string_view tld = domain.substr(last_dot + 1);
  if (!IsDomainLabel(tld) || !IsTopLevelDomain(tld)) return false;
  return !LooksLikeAssetName(domain, tld);
}

bool IsPhoneNumber(std::string_view candidate, const ValidationContext& context) {
  if (candidate.size() > kMaxCandidateBytes) return false;
  CandidateText storage;
  const std::string_view folded = TrimSpaces(FoldWidth(candidate, &storage));
  if (folded.empty() || folded.size() > 64) return false;

  // Accept only what people write in a phone field: digits, a leading +, print separators.
  std::array<char, 64> digit_buffer;  // folded is at most 64 bytes
  size_t digit_count = 0;
  bool plus = false;
  bool separated = false;
  for (size_t i = 0; i < folded.size(); ++i) {
    const char c = folded[i];
    if (IsDigit(c)) {
      digit_buffer[digit_count++] = c;
    } else if (c == '+' && digit_count == 0 && !plus) {
      plus = true;
    } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/') {
      separated = true;
    } else {
      return false;
    }
  }
  const std::string_view digits(digit_buffer.data(), digit_count);
  if (digits.size() < 5 || digits.size() > 17) return false;
  if (!plus && LooksLikeVersionString(folded)) return false;
  if (!plus && LooksLikeDate(folded)) return false;

  if (!plus && !context.column_hinted && LooksLikeFourDigitGroups(folded)) return false;

  bool international = plus;
  std::string_view national = digits;
  if (!plus && national.substr(0, 2) == "00") {
    national.remove_prefix(2);  // 00 is the international prefix in most of the world
    international = true;
  }
  if (international && national.substr(0, 2) == "86" && IsCnMobileDigits(national.substr(2))) {
    return true;
  }
  // A bare run of eleven digits is a China mobile by shape, and equally a customer number or a
  // German tax ID: like every bare digit run it needs the header (cn_mobile judges Chinese
  // prose, where a pattern can demand the text around the number).
  if (!international && IsCnMobileDigits(national) &&
      (context.column_hinted || HasDigitGroups(folded, {3, 4, 4}))) {
    return true;
  }

  // A bare run of digits is as likely an order or account number; it needs the header.
  if (!international && !separated && !context.column_hinted) return false;
  if (!international && separated && LooksLikeReferenceNumber(folded)) return false;

  // Same verdict as libphonenumber's Parse + IsValidNumber, at a fraction of the cost.
  switch (JudgePhoneDigits(international ? national : std::string_view(digits), international,
                           context.default_region)) {
    case PhoneVerdict::kValid:
      return true;
    case PhoneVerdict::kInvalid:
      return false;
    case PhoneVerdict::kUndecided:
      break;
  }
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  const std::string dialable = international ? "+" + std::string(national) : std::string(folded);
  PhoneNumber number;
  if (util.Parse(dialable, RegionOrUnknown(context.default_region), &number) !=
      PhoneNumberUtil::NO_PARSING_ERROR) {
    return false;
  }
  return util.IsValidNumber(number);
}

bool IsCnMobileNumber(std::string_view candidate, const ValidationContext& /*context*/) {
  if (candidate.size() > kMaxCandidateBytes) return false;
  CandidateText storage;
  CandidateText number;
  if (!CompactIdentifier(TrimSpaces(FoldWidth(candidate, &storage)), " -+", &number)) return false;
  if (!AllDigits(number)) return false;
  std::string_view national = number;
  // The "+" must open the value as written: an ideographic space before it is not trimmed.
  const std::string_view first = FoldWidth(TrimSpaces(candidate).substr(0, 3), &storage);
  const bool prefixed = !first.empty() && first[0] == '+';
  if (prefixed) {
    if (national.substr(0, 2) != "86") return false;
    national.remove_prefix(2);
  } else if (national.substr(0, 4) == "0086") {
    national.remove_prefix(4);
  }
  return IsCnMobileDigits(national);
}

}  // namespace crmaudit::validators
