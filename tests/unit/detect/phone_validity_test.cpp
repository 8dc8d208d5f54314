// The phone validator's fast path must give libphonenumber's own verdict: compared here with
// Parse() + IsValidNumber() over real example numbers of every region, written nationally and
// internationally, and over corrupted and random digit strings.
#include "scanner/detect/validators/phone_validity.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "phonenumbers/phonemetadata.pb.h"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"
#include "scanner/detect/validators/phone_metadata.h"

namespace crmaudit::validators {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

bool LibraryVerdict(const std::string& digits, bool international, const std::string& region) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(international ? "+" + digits : digits, region, &number) !=
      PhoneNumberUtil::NO_PARSING_ERROR) {
    return false;
  }
  return util.IsValidNumber(number);
}

struct Tally {
  int compared = 0;
  int undecided = 0;
  int valid = 0;
};

// Asserts agreement for one input; returns what it counted.
void Compare(const std::string& digits, bool international, const std::string& region,
             Tally* tally) {
  const PhoneVerdict fast = JudgePhoneDigits(digits, international, region);
  if (fast == PhoneVerdict::kUndecided) {
    ++tally->undecided;
    return;
  }
  const bool library = LibraryVerdict(digits, international, region);
  ++tally->compared;
  tally->valid += library ? 1 : 0;
  // Digits of generated example numbers, not customer data.
  EXPECT_EQ(fast == PhoneVerdict::kValid, library)
      << (international ? "+" : "") << digits << " in region " << region;
}

// The region order for shared calling codes is rebuilt from the metadata (PhoneNumberUtil is
// never constructed in a scan): every code 0-999 names the region libphonenumber names.
TEST(PhoneValidity, CallingCodesNameTheRegionLibphonenumberNames) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::set<int> supported;
  util.GetSupportedCallingCodes(&supported);
  int named = 0;
  for (int code = 0; code < 1000; ++code) {
    std::string expected;
    if (supported.count(code) != 0) util.GetRegionCodeForCountryCode(code, &expected);
    EXPECT_EQ(std::string(MainRegionOfCallingCode(code)), expected) << "+" << code;
    named += expected.empty() ? 0 : 1;
  }
  EXPECT_GT(named, 200);
  EXPECT_EQ(MainRegionOfCallingCode(1), "US");
  EXPECT_EQ(MainRegionOfCallingCode(7), "RU");
  EXPECT_EQ(MainRegionOfCallingCode(44), "GB");
  EXPECT_EQ(MainRegionOfCallingCode(86), "CN");
  EXPECT_EQ(MainRegionOfCallingCode(800), "001");
  EXPECT_EQ(MainRegionOfCallingCode(999), "");
}

TEST(PhoneValidity, AgreesWithLibphonenumberOnEveryRegionsExampleNumbers) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::set<std::string> regions;
  util.GetSupportedRegions(&regions);
  const std::string home_regions[] = {"US", "GB", "DE", "FR", "CN", "IT", "CA", "ZZ"};
  std::mt19937 random(20261124);
  Tally tally;
  for (const std::string& region : regions) {
    for (auto type :
         {PhoneNumberUtil::FIXED_LINE, PhoneNumberUtil::MOBILE, PhoneNumberUtil::TOLL_FREE}) {
      PhoneNumber example;
      if (!util.GetExampleNumberForType(region, type, &example)) continue;
      std::string e164;
      util.Format(example, PhoneNumberUtil::E164, &e164);
      std::string national;
      util.GetNationalSignificantNumber(example, &national);
      const std::string international = e164.substr(1);
      for (const std::string& home : home_regions) {
        Compare(international, true, home, &tally);
        Compare(national, false, home, &tally);
        Compare("0" + national, false, home, &tally);
        Compare(std::to_string(example.country_code()) + national, false, home, &tally);
        // One wrong or missing digit usually makes a number invalid, sometimes not.
        std::string changed = international;
        changed[changed.size() - 1 - random() % 3] = static_cast<char>('0' + random() % 10);
        Compare(changed, true, home, &tally);
        Compare(international.substr(0, international.size() - 1), true, home, &tally);
        Compare(national + "1", false, home, &tally);
      }
      Compare(national, false, region, &tally);
      Compare("0" + national, false, region, &tally);
    }
  }
  // The comparison must have covered both verdicts and most inputs.
  EXPECT_GT(tally.compared, 10000);
  EXPECT_GT(tally.valid, 3000);
  EXPECT_GT(tally.compared - tally.valid, 3000);
  EXPECT_LT(tally.undecided * 10, tally.compared);
}

TEST(PhoneValidity, AgreesWithLibphonenumberOnRandomDigits) {
  std::mt19937 random(7);
  Tally tally;
  for (int i = 0; i < 20000; ++i) {
    std::string digits;
    const int length = 5 + static_cast<int>(random() % 13);
    for (int k = 0; k < length; ++k) digits.push_back(static_cast<char>('0' + random() % 10));
    const bool international = random() % 2 == 0;
    Compare(digits, international, i % 3 == 0 ? "GB" : "US", &tally);
  }
  EXPECT_GT(tally.compared, 15000);
}

// The prefixes a region's numbers are dialled with, as written in its metadata: the fast path
// compares plain-digit prefixes ("00", "011", "0", "8") instead of matching their patterns, and
// asks the general pattern of the stripped number first. Numbers written with each region's own
// international and national prefixes, read in that region, must still get libphonenumber's
// verdict, including prefixes followed by digits that make the stripped number non-viable.
TEST(PhoneValidity, AgreesWithLibphonenumberOnNumbersWrittenWithEachRegionsPrefixes) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneMetadataCollection collection;
  ASSERT_TRUE(collection.ParseFromArray(i18n::phonenumbers::metadata_get(),
                                        i18n::phonenumbers::metadata_size()));
  std::vector<std::string> abroad;  // international numbers, E.164 digits without "+"
  for (const char* region : {"US", "GB", "DE", "CN", "FR", "IT", "NL", "ES", "JP", "BR", "IN"}) {
    for (auto type : {PhoneNumberUtil::FIXED_LINE, PhoneNumberUtil::MOBILE}) {
      PhoneNumber example;
      if (!util.GetExampleNumberForType(region, type, &example)) continue;
      std::string e164;
      util.Format(example, PhoneNumberUtil::E164, &e164);
      abroad.push_back(e164.substr(1));
    }
  }
  auto plain_digits = [](const std::string& text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  };
  std::mt19937 random(15);
  Tally tally;
  int literal_idd = 0, literal_national = 0;
  for (const auto& metadata : collection.metadata()) {
    const std::string& region = metadata.id();
    if (region.size() != 2 || region == "ZZ") continue;
    const std::string& idd = metadata.international_prefix();
    const std::string& national_prefix = metadata.national_prefix_for_parsing();
    if (plain_digits(idd)) {
      ++literal_idd;
      for (const std::string& number : abroad) {
        Compare(idd + number, false, region, &tally);
        Compare(idd + "0" + number, false, region, &tally);  // "0" after the prefix: no code
      }
      Compare(idd.substr(0, idd.size() - 1) + abroad.front(), false, region, &tally);
    }
    PhoneNumber example;
    if (!util.GetExampleNumberForType(region, PhoneNumberUtil::FIXED_LINE, &example)) continue;
    std::string national;
    util.GetNationalSignificantNumber(example, &national);
    const std::string code = std::to_string(metadata.country_code());
    if (plain_digits(national_prefix)) ++literal_national;
    for (const std::string& prefix : {national_prefix, std::string("0"), std::string("8")}) {
      if (!plain_digits(prefix)) continue;
      Compare(prefix + national, false, region, &tally);
      Compare(code + prefix + national, false, region, &tally);
      Compare(prefix + national.substr(0, national.size() - 1), false, region, &tally);
      // The prefix before digits that may or may not be a number once it is stripped.
      for (int k = 0; k < 20; ++k) {
        std::string digits = prefix;
        const size_t length = 4 + random() % 10;
        while (digits.size() < prefix.size() + length) {
          digits.push_back(static_cast<char>('0' + random() % 10));
        }
        Compare(digits, false, region, &tally);
        Compare(code + digits, false, region, &tally);
      }
    }
  }
  EXPECT_GT(literal_idd, 150);
  EXPECT_GT(literal_national, 100);
  EXPECT_GT(tally.compared, 20000);
  EXPECT_GT(tally.valid, 3000);
  EXPECT_GT(tally.compared - tally.valid, 3000);
}

TEST(PhoneValidity, JudgesCommonCrmFormsWithoutTheSlowPath) {
  EXPECT_EQ(JudgePhoneDigits("12012345678", true, "US"), PhoneVerdict::kValid);
  EXPECT_EQ(JudgePhoneDigits("2012345678", false, "US"), PhoneVerdict::kValid);
  EXPECT_EQ(JudgePhoneDigits("12012345678", false, "US"), PhoneVerdict::kValid);
  EXPECT_EQ(JudgePhoneDigits("8613812345678", true, "US"), PhoneVerdict::kValid);
  EXPECT_EQ(JudgePhoneDigits("442079460958", true, "DE"), PhoneVerdict::kValid);
  EXPECT_EQ(JudgePhoneDigits("02079460958", false, "GB"), PhoneVerdict::kValid);
  EXPECT_EQ(JudgePhoneDigits("0201234567", false, "US"), PhoneVerdict::kInvalid);
  EXPECT_EQ(JudgePhoneDigits("12025550150", true, "US"), PhoneVerdict::kValid);
  EXPECT_EQ(JudgePhoneDigits("2012345678", false, "XX"), PhoneVerdict::kInvalid);   // no region
  EXPECT_EQ(JudgePhoneDigits("0123456789", true, "US"), PhoneVerdict::kUndecided);  // "+0..."
}

}  // namespace
}  // namespace crmaudit::validators
