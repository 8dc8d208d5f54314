// Phone validity without libphonenumber's parser: the fast path of the "phone" validator.
//
// libphonenumber's Parse() and IsValidNumber() run ICU regular expressions and cost tens of
// microseconds per call, which made phone checking the bulk of a scan. This module reads the
// same metadata libphonenumber ships (metadata_get(), the serialized PhoneMetadataCollection),
// compiles each region's patterns on first use (into one DFA over digits, digit_automaton.h;
// with RE2 where that does not understand a pattern), and repeats libphonenumber's steps
// for a number already reduced to its digits: country code from "+" or the region's
// international prefix, the default region's country code written without "+", national
// prefix stripping, possible lengths, then "matches the general pattern and some number type"
// with the same region choice for shared country codes (NANPA's +1).
//
// Invariant: a kValid/kInvalid verdict is the one libphonenumber would give for the same digits
// (tests/unit/detect/phone_validity_test.cpp compares both over many generated numbers). Forms
// whose rules it does not repeat (national prefix transform rules, "+" followed by 0, a
// country code that does not exist after "+") are kUndecided: the caller asks libphonenumber.
// Thread-safe; holds no scanned data.
#pragma once

#include <string_view>

namespace crmaudit::validators {

enum class PhoneVerdict { kValid, kInvalid, kUndecided };

// `digits`: the ASCII digits of the number in written order, nothing else. `international`:
// the number was written with "+" (or "00" the caller already removed), so `digits` opens
// with the country calling code. `default_region`: ISO 3166 alpha-2 for national forms.
PhoneVerdict JudgePhoneDigits(std::string_view digits, bool international,
                              std::string_view default_region);

// True when libphonenumber's metadata has `region` (ISO 3166 alpha-2, any case), so that a
// `--region` default can be checked before a scan instead of silently matching nothing.
bool IsPhoneRegion(std::string_view region);

// The region libphonenumber names for a calling code (GetRegionCodeForCountryCode: +1 -> "US",
// +44 -> "GB"), "001" for a non-geographic one (+800), empty when `code` is none. From the
// same metadata, without constructing PhoneNumberUtil.
std::string_view MainRegionOfCallingCode(int code);

}  // namespace crmaudit::validators
