// The phone validator's fast path must give libphonenumber's own verdict: compared here with
// Parse() + IsValidNumber() over real example numbers of every region, written nationally and
// internationally, and over corrupted and random digit strings.
#include "scanner/detect/validators/phone_validity.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"

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
