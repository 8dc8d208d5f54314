// Calendar: the date rule shared by every validator that embeds a birth date.
//
// A birth date must exist in the Gregorian calendar (no 30 February), lie on or after
// 1 January 1900, and not be later than today (UTC). "Today" is read from the system clock on
// every call, so a long-running scan never accepts a date that has become the future.
#pragma once

namespace crmaudit::validators {

bool IsPlausibleBirthDate(int year, int month, int day);

}  // namespace crmaudit::validators
