// Masking: the only form in which a scanned value may leave the process.
//
// Each entity type has a mask that keeps just enough to recognise the kind of value and
// nothing that identifies a person: `j***@e***.com`, `**** **** **** 4242`,
// `110105********002X`, `+86 138****5678`. Unknown types fall back to keeping at most the
// first and last character of a long value. The result is always valid UTF-8.
//
// What survives, exactly (masking_test.cpp holds each rule):
//  EMAIL_ADDRESS       first character of the local part and of the domain, and a top-level
//                      domain of letters (≤ 24 characters); `j***@e***.com`
//  CREDIT_CARD_NUMBER  the last four digits; `**** **** **** 4242` (fewer than 12 digits: `****`)
//  CN_RESIDENT_ID      the 6-digit region code and the last four; `110105********002X`
//  PHONE_NUMBER        the country code when written (+CC or 00CC), the last four digits, and
//                      for an 11-digit national number its first three; `+86 138****5678`,
//                      `+1 ******0000` (fewer than 6 national digits: `****`)
//  IBAN_CODE           the country code and the last four characters; `DE****************3000`
//  anything else       8+ characters: first and last character around `****`; shorter: `****`
// Full-width digits and letters count as their ASCII forms.
#pragma once

#include <string>
#include <string_view>

namespace crmaudit {

std::string MaskValue(std::string_view entity, std::string_view value);

}  // namespace crmaudit
