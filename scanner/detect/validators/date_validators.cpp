// Dates of birth in the forms CRM exports use: ISO (1985-03-02, 1985/3/2, 19850302), day and
// month either way round with a four-digit year (02/03/1985, 2.3.1985, 03-02-1985), the Chinese
// form (1985年3月2日), each optionally followed by a midnight time (00:00, 00:00:00, T00:00:00Z)
// as databases print a date column. In a column whose header names a birth date, a year and
// month alone (1985-03, 1985年3月) are accepted too: 出生年月 columns hold just that.
#include <array>
#include <chrono>
#include <string_view>

#include "scanner/detect/validators/calendar.h"
#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {

// A person older than this is not alive: such a date is an error or a placeholder (1900-01-01).
constexpr int kMaxAgeYears = 120;

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

// The day dates of birth are judged against: `today`, or the clock's.
std::chrono::year_month_day JudgedOn(std::optional<std::chrono::sys_days> today) {
  using namespace std::chrono;
  return year_month_day{today ? *today : floor<days>(system_clock::now())};
}

// IsPlausibleDateOfBirth against `now`, which the caller reads once for the candidate.
bool BornBy(int year, int month, int day, const std::chrono::year_month_day& now) {
  using namespace std::chrono;
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  const year_month_day date{std::chrono::year{year},
                            std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return false;
  if (date > now) return false;
  // Born on or after the same day kMaxAgeYears ago (29 February falls back to 28 February).
  year_month_day oldest = now - years{kMaxAgeYears};
  if (!oldest.ok()) oldest = oldest.year() / oldest.month() / last;
  return date >= oldest;
}

}  // namespace

bool IsPlausibleDateOfBirth(int year, int month, int day,
                            std::optional<std::chrono::sys_days> today) {
  return BornBy(year, month, day, JudgedOn(today));
}

namespace {

int Value(std::string_view digits) { return static_cast<int>(DigitsValue(digits)); }

// Removes a trailing midnight time ("1985-03-02 00:00:00", "1985-03-02T00:00:00.000Z"). A time
// of day other than midnight makes the value a timestamp, which a date of birth never is: such
// a value is left as is and fails to parse.
std::string_view WithoutMidnight(std::string_view text) {
  const size_t split = text.find_first_of(" T");
  if (split == std::string_view::npos) return text;
  std::string_view time = TrimSpaces(text.substr(split + 1));
  if (!time.empty() && time.back() == 'Z') time.remove_suffix(1);
  static constexpr std::string_view kMidnights[] = {"00:00", "00:00:00", "00:00:00.0",
                                                    "00:00:00.00", "00:00:00.000"};
  for (std::string_view midnight : kMidnights) {
    if (time == midnight) return TrimSpaces(text.substr(0, split));
  }
  return text;
}

// Up to three digit groups of a date (no date has more).
struct DigitGroups {
  std::array<std::string_view, 3> group;
  size_t count = 0;
};

// Splits "12/03/1985" into its digit groups when they are joined by one repeated separator;
// false also for more than three groups.
bool SplitDigitGroups(std::string_view text, DigitGroups* groups) {
  char separator = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && IsDigit(text[i])) continue;
    if (i == start) return false;  // empty group or leading separator
    if (groups->count == groups->group.size()) return false;
    groups->group[groups->count++] = text.substr(start, i - start);
    if (i == text.size()) break;
    if (separator == 0) separator = text[i];
    if (text[i] != separator || (separator != '-' && separator != '/' && separator != '.')) {
      return false;
    }
    start = i + 1;
  }
  return true;
}

bool ShortGroup(std::string_view group) { return group.size() == 1 || group.size() == 2; }

// YYYY年M月D日, the Chinese form (the final 日 may be missing in hand-typed data); YYYY年M月
// (月 last) only when `year_month` allows it.
bool IsChineseDate(std::string_view text, bool year_month, const ValidationContext& context) {
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
  if (!AllDigits(year) || !AllDigits(month) || month.empty() || month.size() > 2) return false;
  if (day.empty()) {
    return year_month && IsPlausibleDateOfBirth(Value(year), Value(month), 1, context.today);
  }
  if (day.size() > kDay.size() && day.substr(day.size() - kDay.size()) == kDay) {
    day.remove_suffix(kDay.size());
  }
  if (!AllDigits(day) || day.size() > 2) return false;
  return IsPlausibleDateOfBirth(Value(year), Value(month), Value(day), context.today);
}

}  // namespace

bool IsDateOfBirth(std::string_view candidate, const ValidationContext& context) {
  if (candidate.size() > 64) return false;
  CandidateText storage;  // only for full-width forms
  const std::string_view text = WithoutMidnight(TrimSpaces(FoldWidth(candidate, &storage)));
  if (text.find("年") != std::string_view::npos) {
    return IsChineseDate(text, context.column_hinted, context);
  }
  if (text.size() == 8 && AllDigits(text)) {  // YYYYMMDD
    return BornBy(Value(text.substr(0, 4)), Value(text.substr(4, 2)), Value(text.substr(6, 2)),
                  JudgedOn(context.today));
  }
  DigitGroups split;
  if (!SplitDigitGroups(text, &split)) return false;
  const auto& groups = split.group;
  if (split.count == 2) {  // a year and a month, where the header says it is a birth date
    return context.column_hinted && groups[0].size() == 4 && ShortGroup(groups[1]) &&
           BornBy(Value(groups[0]), Value(groups[1]), 1, JudgedOn(context.today));
  }
  if (split.count != 3) return false;
  if (groups[0].size() == 4 && ShortGroup(groups[1]) && ShortGroup(groups[2])) {
    return BornBy(Value(groups[0]), Value(groups[1]), Value(groups[2]), JudgedOn(context.today));
  }
  if (groups[2].size() == 4 && ShortGroup(groups[0]) && ShortGroup(groups[1])) {
    // DD/MM/YYYY in most of the world, MM/DD/YYYY in the US: either reading may be meant.
    const int year = Value(groups[2]);
    const std::chrono::year_month_day now = JudgedOn(context.today);
    return BornBy(year, Value(groups[1]), Value(groups[0]), now) ||
           BornBy(year, Value(groups[0]), Value(groups[1]), now);
  }
  return false;
}

}  // namespace crmaudit::validators
