#include "scanner/sources/postgres/age_tally.h"

#include <cstdio>
#include <limits>

#include "scanner/sources/postgres/pg_session_impl.h"

namespace crmaudit {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kSecondsPerDay = 86400;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

void CivilFromDays(int64_t days, int64_t* year, int* month, int* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  *day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = year_of_era + era * 400 + (*month <= 2 ? 1 : 0);
}

// Reads exactly `count` digits (or, with count 0, one or more) at *pos.
bool Digits(std::string_view text, size_t* pos, size_t count, int64_t* value) {
  const size_t start = *pos;
  int64_t result = 0;
  while (*pos < text.size() && text[*pos] >= '0' && text[*pos] <= '9' &&
         (count == 0 || *pos - start < count)) {
    if (*pos - start >= 9) return false;  // no part of a timestamp is that long
    result = result * 10 + (text[*pos] - '0');
    ++*pos;
  }
  const size_t read = *pos - start;
  if (read == 0 || (count != 0 && read != count)) return false;
  *value = result;
  return true;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

// The number the two ASCII digits at text[i] and text[i + 1] write; 100 or more when either is
// no digit (so that every range check below rejects it).
unsigned TwoDigits(std::string_view text, size_t i) {
  const unsigned tens = static_cast<unsigned char>(text[i]) - unsigned{'0'};
  const unsigned ones = static_cast<unsigned char>(text[i + 1]) - unsigned{'0'};
  return tens > 9 || ones > 9 ? 100 : tens * 10 + ones;
}

// The common form, fast: "YYYY-MM-DD HH:MM:SS" with a four-digit year, then optionally a
// fraction and "+00" (timestamptz in a UTC session) or nothing (timestamp). nullopt when the
// text is not exactly that; the general parser then decides. Runs once per row of a full read
// with a retention count: its digits are read in pairs, without loops (a third of the
// instructions of a digit-by-digit loop).
std::optional<int64_t> ParseCommonForm(std::string_view text) {
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const unsigned century = TwoDigits(text, 0), year_of_century = TwoDigits(text, 2);
  const unsigned month = TwoDigits(text, 5), day = TwoDigits(text, 8);
  const unsigned hour = TwoDigits(text, 11), minute = TwoDigits(text, 14);
  const unsigned second = TwoDigits(text, 17);
  if (century > 99 || year_of_century > 99 || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 24 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    int digits = 0;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      if (++digits > 6) return std::nullopt;
      micros = micros * 10 + (text[pos] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (int n = digits; n < 6; ++n) micros *= 10;
  }
  const std::string_view rest = text.substr(pos);
  if (!rest.empty() && rest != "+00") return std::nullopt;
  const int64_t days = DaysFromCivil(century * 100 + year_of_century, static_cast<int>(month),
                                     static_cast<int>(day));
  return (days * kSecondsPerDay + int64_t{hour} * 3600 + int64_t{minute} * 60 + int64_t{second}) *
             kMicrosPerSecond +
         micros;
}

}  // namespace

std::optional<int64_t> ParseIsoTimestampMicros(std::string_view text) {
  if (std::optional<int64_t> common = ParseCommonForm(text)) return common;
  if (text == "infinity") return std::numeric_limits<int64_t>::max();
  if (text == "-infinity") return std::numeric_limits<int64_t>::min();
  size_t pos = 0;
  int64_t year = 0, month = 0, day = 0;
  if (!Digits(text, &pos, 0, &year) || pos < 4 || !Expect(text, &pos, '-') ||
      !Digits(text, &pos, 2, &month) || !Expect(text, &pos, '-') || !Digits(text, &pos, 2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  int64_t seconds = 0;
  int64_t micros = 0;
  int64_t offset = 0;
  if (pos < text.size()) {
    int64_t hour = 0, minute = 0, second = 0;
    if (!Expect(text, &pos, ' ') || !Digits(text, &pos, 2, &hour) || !Expect(text, &pos, ':') ||
        !Digits(text, &pos, 2, &minute) || !Expect(text, &pos, ':') ||
        !Digits(text, &pos, 2, &second)) {
      return std::nullopt;
    }
    if (hour > 24 || minute > 59 || second > 60) return std::nullopt;
    seconds = hour * 3600 + minute * 60 + second;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      const size_t start = pos;
      int64_t fraction = 0;
      if (!Digits(text, &pos, 0, &fraction) || pos - start > 6) return std::nullopt;
      for (size_t n = pos - start; n < 6; ++n) fraction *= 10;
      micros = fraction;
    }
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int64_t sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      int64_t hours = 0, minutes = 0, secs = 0;
      if (!Digits(text, &pos, 2, &hours)) return std::nullopt;
      if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!Digits(text, &pos, 2, &minutes)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') {
          ++pos;
          if (!Digits(text, &pos, 2, &secs)) return std::nullopt;
        }
      }
      offset = sign * (hours * 3600 + minutes * 60 + secs);
    }
  }
  if (pos != text.size()) return std::nullopt;  // " BC" and anything unexpected
  const int64_t days = DaysFromCivil(year, static_cast<int>(month), static_cast<int>(day));
  return ((days * kSecondsPerDay + seconds - offset) * kMicrosPerSecond) + micros;
}

void AgeTally::Count(std::optional<std::string_view> date, std::optional<std::string_view> flag) {
  if (!flag_column.empty() && flag && *flag != "t" && *flag != "f") {
    exact = false;
    return;
  }
  const bool flagged = flag_column.empty() || (flag && *flag == "t");
  if (column.empty()) {  // count(*) FILTER (WHERE flag), count(*)
    ++rows_total;
    if (flagged) ++rows_past;
    return;
  }
  if (flag_column.empty() ? date.has_value() : flagged) ++rows_total;
  if (!flagged || !date) return;
  const std::optional<int64_t> micros = ParseIsoTimestampMicros(*date);
  if (!micros) {
    exact = false;
    return;
  }
  if (*micros < cutoff_micros) {
    ++rows_past;
    if (!oldest_micros || *micros < *oldest_micros) oldest_micros = *micros;
  }
}

std::string AgeTally::OldestDate() const {
  // to_char(-infinity) is NULL: no date, as the server reports it.
  if (!oldest_micros || *oldest_micros == std::numeric_limits<int64_t>::min()) return {};
  int64_t seconds = *oldest_micros / kMicrosPerSecond;
  if (*oldest_micros % kMicrosPerSecond < 0) --seconds;  // floor for times before 1970
  int64_t days = seconds / kSecondsPerDay;
  if (seconds % kSecondsPerDay < 0) --days;
  int64_t year = 0;
  int month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  char text[32];
  std::snprintf(text, sizeof(text), "%04lld-%02d-%02d", static_cast<long long>(year), month, day);
  return text;
}

bool RetentionCutoffs(PgSession& session, const std::vector<std::string>& periods,
                      std::map<std::string, int64_t>* out, PgFailure* failure) {
  return InReadOnlyTransaction(session, failure, [&](pqxx::read_transaction& tx) {
    for (const std::string& period : periods) {
      auto row = tx.exec_params1(
          "SELECT (extract(epoch FROM now() - $1::interval) * 1000000)::int8", period);
      (*out)[period] = row[0].as<int64_t>();
    }
  });
}

}  // namespace crmaudit
