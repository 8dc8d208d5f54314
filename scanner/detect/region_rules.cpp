// RegionRules implementation: normalising a country cell the way scripts/gen-country-names
// normalised the names, and reading calling codes with libphonenumber.
#include "scanner/detect/region_rules.h"

#include <unicode/ucasemap.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include "scanner/detect/validators/phone_validity.h"

namespace crmaudit {
namespace {

constexpr size_t kMaxCountryValueBytes = 96;  // longer cells are not a country name

// "DE" for every id, built once: RegionCodeOf returns views into it.
const std::array<std::array<char, 2>, 26 * 26 + 1>& RegionCodes() {
  static const auto codes = [] {
    std::array<std::array<char, 2>, 26 * 26 + 1> table{};
    for (int first = 0; first < 26; ++first) {
      for (int second = 0; second < 26; ++second) {
        table[static_cast<size_t>(1 + first * 26 + second)] = {static_cast<char>('A' + first),
                                                               static_cast<char>('A' + second)};
      }
    }
    return table;
  }();
  return codes;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Unicode case folding (ICU's, the same as Python's str.casefold that wrote the names), dots
// removed, runs of white space made one space, trimmed.
std::string Normalise(std::string_view value) {
  std::string folded;
  bool ascii = true;
  for (char c : value) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    folded.assign(value);
    for (char& c : folded) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  } else {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UCaseMap, decltype(&ucasemap_close)> map(
        ucasemap_open(nullptr, U_FOLD_CASE_DEFAULT, &status), ucasemap_close);
    if (U_FAILURE(status)) return {};
    folded.resize(value.size() * 3 + 8);
    const int32_t length =
        ucasemap_utf8FoldCase(map.get(), folded.data(), static_cast<int32_t>(folded.size()),
                              value.data(), static_cast<int32_t>(value.size()), &status);
    if (U_FAILURE(status)) return {};
    folded.resize(static_cast<size_t>(length));
  }
  std::string out;
  bool space = false;
  for (char c : folded) {
    if (c == '.') continue;
    if (IsSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// Per number 0-999: the main region of that calling code (0 for a non-geographic one), or
// kNoCallingCode when it is none. Built once from libphonenumber's metadata.
constexpr RegionId kNoCallingCode = 0xFFFF;
const std::array<RegionId, 1000>& CallingCodeRegions() {
  static const auto regions = [] {
    std::array<RegionId, 1000> table;
    table.fill(kNoCallingCode);
    for (int code = 1; code < 1000; ++code) {
      const std::string_view region = validators::MainRegionOfCallingCode(code);
      if (!region.empty()) table[static_cast<size_t>(code)] = RegionIdOf(region);  // "001": 0
    }
    return table;
  }();
  return regions;
}

// The main region of a calling code (+1 -> US, +7 -> RU, +44 -> GB); 0 when unknown.
RegionId RegionOfCallingCode(int code) {
  if (code <= 0 || code >= 1000) return 0;
  const RegionId region = CallingCodeRegions()[static_cast<size_t>(code)];
  return region == kNoCallingCode ? 0 : region;
}

}  // namespace

RegionId RegionIdOf(std::string_view alpha2) {
  if (alpha2.size() != 2 || alpha2 == "ZZ") return 0;
  RegionId id = 1;
  int weight = 26;
  for (char c : alpha2) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return 0;
    id = static_cast<RegionId>(id + (c - 'A') * weight);
    weight = 1;
  }
  return id;
}

std::string_view RegionCodeOf(RegionId id) {
  if (id == 0 || id > 26 * 26) return {};
  const auto& code = RegionCodes()[id];
  return std::string_view(code.data(), code.size());
}

RegionRules::RegionRules(RegionData data) : data_(std::move(data)) {
  // data_.names is sorted as names_ is: each insert goes at the end, no search.
  for (const auto& [name, code] : data_.names)
    names_.emplace_hint(names_.end(), name, RegionIdOf(code));
}

RegionId RegionRules::RegionOfCountry(std::string_view value) const {
  if (value.size() > kMaxCountryValueBytes) return 0;
  std::string key = Normalise(value);
  if (key.empty()) return 0;
  // A calling code: "+49", "0049", "49".
  std::string_view digits = key;
  if (digits.starts_with('+')) {
    digits.remove_prefix(1);
  } else if (digits.starts_with("00")) {
    digits.remove_prefix(2);
  }
  if (!digits.empty() && digits.size() <= 3 && digits[0] != '0' &&
      std::all_of(digits.begin(), digits.end(), IsDigit)) {
    return RegionOfCallingCode(std::stoi(std::string(digits)));
  }
  if (auto it = names_.find(key); it != names_.end()) return it->second;
  return 0;
}

RegionId RegionRules::RegionOfPrefixedNumber(std::string_view value) {
  // Asked for every cell of a phone column on the reader thread: no allocation, no library
  // call; the calling codes were resolved once.
  size_t start = 0;
  while (start < value.size() && IsSpace(value[start])) ++start;
  value.remove_prefix(start);
  if (value.starts_with('+')) {
    value.remove_prefix(1);
  } else if (value.starts_with("\xEF\xBC\x8B")) {  // full-width plus
    value.remove_prefix(3);
  } else if (value.starts_with("00")) {
    value.remove_prefix(2);
  } else {
    return 0;
  }
  std::array<int, 3> leading{};  // the first three digits
  size_t digits = 0;
  for (char c : value) {
    if (IsDigit(c)) {
      if (digits < leading.size()) leading[digits] = c - '0';
      ++digits;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '/') {
      break;  // the number ends here ("+44 20 7946 0958 ext 2" or a second number)
    }
  }
  if (digits < 8 || leading[0] == 0) return 0;
  // Calling codes are prefix-free: the first 1-3 digit prefix that is one is the code.
  const auto& regions = CallingCodeRegions();
  int code = 0;
  for (int digit : leading) {
    code = code * 10 + digit;
    if (regions[static_cast<size_t>(code)] != kNoCallingCode) {
      return regions[static_cast<size_t>(code)];
    }
  }
  return 0;
}

}  // namespace crmaudit
