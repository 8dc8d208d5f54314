// Calendar: the date rules shared by every validator that reads a birth date.
//
// IsPlausibleBirthDate is the rule for birth dates embedded in identifiers: the date exists in
// the Gregorian calendar (no 30 February), lies on or after 1 January 1900, and is not later
// than today (UTC). IsPlausibleDateOfBirth is the stricter rule for a person's date of birth
// written on its own: it exists and the person is 0 to 120 years old on `today`. "Today" is the
// given day or, when none is given, read from the system clock on every call, so a
// long-running scan never accepts a date that has become the future.
#pragma once

#include <chrono>
#include <optional>

namespace crmaudit::validators {

bool IsPlausibleBirthDate(int year, int month, int day);

bool IsPlausibleDateOfBirth(int year, int month, int day,
                            std::optional<std::chrono::sys_days> today);

}  // namespace crmaudit::validators
