// The validator registry: every name a policy pack may use resolves, unknown names do not.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "scanner/detect/validators.h"

namespace crmaudit {
namespace {

TEST(ValidatorRegistryTest, EveryDocumentedNameResolves) {
  for (const char* name : {"email",
                           "credit_card",
                           "iban",
                           "phone",
                           "ip_address",
                           "date_of_birth",
                           "person_name",
                           "postal_address",
                           "cn_resident_id",
                           "cn_uscc",
                           "cn_passport",
                           "us_ssn",
                           "us_itin",
                           "us_routing",
                           "uk_nino",
                           "es_dni",
                           "es_nie",
                           "nl_bsn",
                           "it_fiscal_code",
                           "fr_nir",
                           "de_tax_id",
                           "password_hash_strong",
                           "password_hash_weak",
                           "plaintext_password"}) {
    EXPECT_NE(FindValidator(name), nullptr) << name;
  }
}

TEST(ValidatorRegistryTest, UnknownNamesAreNotFound) {
  EXPECT_EQ(FindValidator(""), nullptr);
  EXPECT_EQ(FindValidator("Email"), nullptr);
  EXPECT_EQ(FindValidator("luhn"), nullptr);
  EXPECT_EQ(FindValidator("email "), nullptr);
}

TEST(ValidatorRegistryTest, NamesAreSortedUniqueAndAllResolve) {
  const std::vector<std::string> names = ValidatorNames();
  ASSERT_EQ(names.size(), 29u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  for (const auto& name : names) EXPECT_NE(FindValidator(name), nullptr) << name;
}

// The matcher reuses a value's results across records of different countries unless a
// validator that reads the region judged it (ValidatorReadsRegion): every other validator must
// give the same verdict in every region.
TEST(ValidatorRegistryTest, OnlyValidatorsThatSayTheyReadTheRegionDependOnIt) {
  EXPECT_TRUE(ValidatorReadsRegion("phone"));
  EXPECT_FALSE(ValidatorReadsRegion("cn_mobile"));
  EXPECT_FALSE(ValidatorReadsRegion("unknown"));
  ValidationContext france;
  france.default_region = "FR";
  ValidationContext america;
  america.default_region = "US";
  const ValidatorFn phone = FindValidator("phone");
  EXPECT_TRUE(phone("06 12 34 56 78", france));    // a French mobile ...
  EXPECT_FALSE(phone("06 12 34 56 78", america));  // ... is no number in the US
  const std::vector<std::string> candidates = {
      "06 12 34 56 78",     "0170 2348589",           "+44 20 7946 0958", "13812345678",
      "4111111111111111",   "DE89370400440532013000", "123456782",        "1985-03-02",
      "Dana Sample",        "jo@example.com",         "192.168.1.20",     "Lindenweg 145",
      "110101199003074514", "AKIAIOSFODNN7EXAMPLE",   "X1234567L",        "AB123456C"};
  for (const auto& name : ValidatorNames()) {
    if (ValidatorReadsRegion(name)) continue;
    const ValidatorFn validator = FindValidator(name);
    for (const char* region : {"FR", "DE", "CN", "GB", "NL", "ES", "IT"}) {
      for (bool hinted : {false, true}) {
        ValidationContext here = america;
        ValidationContext there;
        there.default_region = region;
        here.column_hinted = there.column_hinted = hinted;
        for (const auto& candidate : candidates) {
          EXPECT_EQ(validator(candidate, here), validator(candidate, there))
              << name << " in " << region;
        }
      }
    }
  }
}

TEST(ValidatorRegistryTest, NoValidatorCrashesOnHostileInput) {
  const std::string huge(100000, '9');
  const std::vector<std::string> inputs = {
      "", " ", "\xff\xfe", std::string("\0\0", 2), huge, "\xEF\xBC", "$2b$", "@", "年月日", "+"};
  for (const auto& name : ValidatorNames()) {
    const ValidatorFn validator = FindValidator(name);
    for (const auto& input : inputs) {
      for (bool hinted : {false, true}) {
        ValidationContext context;
        context.column_hinted = hinted;
        const bool accepted = validator(input, context);
        // Any short string may be a password a person typed, so only that validator may say yes.
        if (name != "plaintext_password") {
          EXPECT_FALSE(accepted) << name << " accepted hostile input #" << (&input - inputs.data());
        }
      }
    }
  }
}

TEST(ValidatorRegistryTest, ValidatorsGiveTheSameAnswersFromManyThreads) {
  // Scan jobs share validators; libphonenumber and the password patterns are shared state.
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"phone", "+44 20 7946 0958"},      {"phone", "+1 011-555-0123"},
      {"email", "jane.doe@example.com"},  {"password_hash_strong", "$6$salt$short"},
      {"iban", "GB82WEST12345698765432"}, {"credit_card", "4242424242424241"}};
  std::vector<bool> expected;
  for (const auto& [name, value] : cases) expected.push_back(FindValidator(name)(value, {}));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        for (size_t i = 0; i < cases.size(); ++i) {
          if (FindValidator(cases[i].first)(cases[i].second, {}) != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(expected, (std::vector<bool>{true, false, true, false, true, false}));
  for (int count : mismatches) EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace crmaudit
