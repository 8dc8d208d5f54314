// Dates of birth in the forms CRM exports use.
#include <chrono>
#include <string>
#include <vector>

#include "scanner/detect/validators/calendar.h"
#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {

bool IsPlausibleBirthDate(int year, int month, int day) {
  using namespace std::chrono;
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  const year_month_day date{std::chrono::year{year},
                            std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return false;
  const year_month_day today{floor<days>(system_clock::now())};
  return date <= today;
}

namespace {

// Splits "12/03/1985" into its digit groups when they are joined by one repeated separator.
bool SplitDigitGroups(std::string_view text, std::vector<std::string_view>* groups) {
  char separator = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && IsDigit(text[i])) continue;
    if (i == start) return false;  // empty group or leading separator
    groups->push_back(text.substr(start, i - start));
    if (i == text.size()) break;
    if (separator == 0) separator = text[i];
    if (text[i] != separator || (separator != '-' && separator != '/' && separator != '.')) {
      return false;
    }
    start = i + 1;
  }
  return true;
}

int Value(std::string_view digits) { return static_cast<int>(DigitsValue(digits)); }

// YYYY年M月D日, the Chinese form (the final 日 may be missing in hand-typed data).
bool IsChineseDate(std::string_view text) {
  static constexpr std::string_view kYear = "年";
  static constexpr std::string_view kMonth = "月";
  static constexpr std::string_view kDay = "日";
  const size_t year_end = text.find(kYear);
  const size_t month_end = text.find(kMonth);
  if (year_end != 4 || month_end == std::string_view::npos || month_end < year_end) return false;
  const std::string_view year = text.substr(0, year_end);
  const std::string_view month =
      text.substr(year_end + kYear.size(), month_end - year_end - kYear.size());
  std::string_view day = text.substr(month_end + kMonth.size());
  if (day.size() > kDay.size() && day.substr(day.size() - kDay.size()) == kDay) {
    day.remove_suffix(kDay.size());
  }
  if (!AllDigits(year) || !AllDigits(month) || !AllDigits(day) || month.size() > 2 ||
      day.size() > 2) {
    return false;
  }
  return IsPlausibleBirthDate(Value(year), Value(month), Value(day));
}

}  // namespace

bool IsDateOfBirth(std::string_view candidate, const ValidationContext& /*context*/) {
  if (candidate.size() > 64) return false;
  const std::string folded(TrimSpaces(FoldWidth(candidate)));
  const std::string_view text = folded;
  if (text.find("年") != std::string_view::npos) return IsChineseDate(text);
  if (text.size() == 8 && AllDigits(text)) {  // YYYYMMDD
    return IsPlausibleBirthDate(Value(text.substr(0, 4)), Value(text.substr(4, 2)),
                                Value(text.substr(6, 2)));
  }
  std::vector<std::string_view> groups;
  if (!SplitDigitGroups(text, &groups) || groups.size() != 3) return false;
  const auto short_group = [](std::string_view g) { return g.size() == 1 || g.size() == 2; };
  if (groups[0].size() == 4 && short_group(groups[1]) && short_group(groups[2])) {
    return IsPlausibleBirthDate(Value(groups[0]), Value(groups[1]), Value(groups[2]));
  }
  if (groups[2].size() == 4 && short_group(groups[0]) && short_group(groups[1])) {
    // DD/MM/YYYY in most of the world, MM/DD/YYYY in the US: either reading may be meant.
    const int year = Value(groups[2]);
    return IsPlausibleBirthDate(year, Value(groups[1]), Value(groups[0])) ||
           IsPlausibleBirthDate(year, Value(groups[0]), Value(groups[1]));
  }
  return false;
}

}  // namespace crmaudit::validators
