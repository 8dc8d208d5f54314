// Payment validators: cards, IBANs and US routing numbers against public test vectors and
// numbers built in the test with a correct check digit, and the look-alikes they must reject.
#include <gtest/gtest.h>

#include <string>

#include "scanner/detect/validators.h"

namespace crmaudit {
namespace {

bool Card(std::string_view value) { return FindValidator("credit_card")(value, {}); }
bool Iban(std::string_view value) { return FindValidator("iban")(value, {}); }
bool Routing(std::string_view value, bool hinted = true) {
  ValidationContext context;
  context.column_hinted = hinted;
  return FindValidator("us_routing")(value, context);
}

// Rewrites ASCII digits as full-width digits (U+FF10..U+FF19).
std::string FullWidth(std::string_view digits) {
  std::string wide;
  for (char c : digits) {
    wide += "\xEF\xBC";
    wide += static_cast<char>(0x90 + (c - '0'));
  }
  return wide;
}

// Appends the Luhn check digit to `body`.
std::string WithLuhnDigit(const std::string& body) {
  int sum = 0;
  bool doubled = true;  // the check digit will sit to the right of the last body digit
  for (auto it = body.rbegin(); it != body.rend(); ++it) {
    int digit = *it - '0';
    if (doubled) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
    doubled = !doubled;
  }
  return body + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// Builds an IBAN for `country` and `bban` with the check digits computed by ISO 7064 MOD 97-10.
std::string MakeIban(const std::string& country, const std::string& bban) {
  const std::string rearranged = bban + country + "00";
  int remainder = 0;
  for (char c : rearranged) {
    if (c >= '0' && c <= '9') {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    }
  }
  const int check = 98 - remainder;
  return country + static_cast<char>('0' + check / 10) + static_cast<char>('0' + check % 10) + bban;
}

TEST(CreditCardValidatorTest, AcceptsPublicTestCardsOfEveryIssuer) {
  EXPECT_TRUE(Card("4242424242424242"));             // Visa
  EXPECT_TRUE(Card("4111 1111 1111 1111"));          // Visa, print form
  EXPECT_TRUE(Card("5555555555554444"));             // Mastercard
  EXPECT_TRUE(Card("2223003122003222"));             // Mastercard 2-series
  EXPECT_TRUE(Card("378282246310005"));              // American Express
  EXPECT_TRUE(Card("3782-822463-10005"));            // American Express, dashed
  EXPECT_TRUE(Card("6011111111111117"));             // Discover
  EXPECT_TRUE(Card("3530111333300000"));             // JCB
  EXPECT_TRUE(Card("30569309025904"));               // Diners Club
  EXPECT_TRUE(Card("6200000000000005"));             // UnionPay
  EXPECT_TRUE(Card(FullWidth("6200000000000005")));  // UnionPay as typed with a Chinese IME
}

TEST(CreditCardValidatorTest, AcceptsGeneratedNumbersAtEveryIssuerLength) {
  EXPECT_TRUE(Card(WithLuhnDigit("401288888888")));        // Visa 13
  EXPECT_TRUE(Card(WithLuhnDigit("401288888888188188")));  // Visa 19
  EXPECT_TRUE(Card(WithLuhnDigit("272012345678901")));     // Mastercard 2720
  EXPECT_TRUE(Card(WithLuhnDigit("64412345678901234")));   // Discover 644, 18 digits
  EXPECT_TRUE(Card(WithLuhnDigit("358912345678901")));     // JCB 3589
  EXPECT_TRUE(Card(WithLuhnDigit("3812345678901")));       // Diners 38
  EXPECT_TRUE(Card(WithLuhnDigit("621234567890123456")));  // UnionPay 19
}

TEST(CreditCardValidatorTest, RejectsMillisecondTimestampsThatPassLuhn) {
  // Epoch milliseconds (2023-2024) completed to pass Luhn: 13 digits starting with 1 or 17.
  const std::string timestamp = WithLuhnDigit("170000000012");
  ASSERT_EQ(timestamp.size(), 13u);
  EXPECT_FALSE(Card(timestamp));
  EXPECT_FALSE(Card(WithLuhnDigit("169876543210")));
  // 16-digit microsecond-ish counters and order numbers that pass Luhn but no issuer range.
  EXPECT_FALSE(Card(WithLuhnDigit("100000000000123")));
  EXPECT_FALSE(Card(WithLuhnDigit("202400001234567")));
}

TEST(CreditCardValidatorTest, RejectsWrongCheckDigitWrongLengthAndJunk) {
  EXPECT_FALSE(Card("4242424242424241"));
  EXPECT_FALSE(Card("5555555555554445"));
  EXPECT_FALSE(Card(WithLuhnDigit("42424242424242")));    // Visa with 15 digits
  EXPECT_FALSE(Card(WithLuhnDigit("3782822463100051")));  // Amex with 17 digits
  EXPECT_FALSE(Card(WithLuhnDigit("272100000000000")));   // just past Mastercard 2720
  EXPECT_FALSE(Card("4242-4242-4242-424x"));
  EXPECT_FALSE(Card("4242.4242.4242.4242"));
  EXPECT_FALSE(Card("550e8400e29b41d4"));  // a UUID fragment
  EXPECT_FALSE(Card("446655440000"));      // the all-digit last group of a UUID
}

TEST(IbanValidatorTest, AcceptsPublicExamplesInElectronicAndPrintForm) {
  EXPECT_TRUE(Iban("GB82WEST12345698765432"));
  EXPECT_TRUE(Iban("GB82 WEST 1234 5698 7654 32"));
  EXPECT_TRUE(Iban("DE89370400440532013000"));
  EXPECT_TRUE(Iban("DE89 3704 0044 0532 0130 00"));
  EXPECT_TRUE(Iban("FR1420041010050500013M02606"));
  EXPECT_TRUE(Iban("NL91ABNA0417164300"));
  EXPECT_TRUE(Iban("BE68539007547034"));
  EXPECT_TRUE(Iban("de89370400440532013000"));  // lower case as typed
}

TEST(IbanValidatorTest, AcceptsGeneratedIbansForFixedLengthCountries) {
  EXPECT_TRUE(Iban(MakeIban("ES", "21000418450200051332")));
  EXPECT_TRUE(Iban(MakeIban("IT", "X0542811101000000123456")));
  EXPECT_TRUE(Iban(MakeIban("NO", "86011117947")));
  EXPECT_TRUE(Iban(MakeIban("LC", "HEMM000100010012001200023015")));
}

TEST(IbanValidatorTest, RejectsWrongCheckDigitsLengthsAndCountries) {
  EXPECT_FALSE(Iban("GB82WEST12345698765431"));  // last digit changed
  EXPECT_FALSE(Iban("GB83WEST12345698765432"));  // check digits changed
  EXPECT_FALSE(Iban("DE89370400440532013001"));
  EXPECT_FALSE(Iban(MakeIban("DE", "3704004405320130001")));   // right check, 23 characters
  EXPECT_FALSE(Iban(MakeIban("GB", "WEST123456987654")));      // right check, 20 characters
  EXPECT_FALSE(Iban(MakeIban("CN", "12345678901234567890")));  // China has no IBAN
  EXPECT_FALSE(Iban(MakeIban("QQ", "12345678901234567890")));
  EXPECT_FALSE(Iban("GB82-WEST-1234-5698-7654-32"));
}

// The country lengths as a table by letter pair and the checksum read in chunks of digits:
// registry countries at the ends of the table and of the length range are accepted at their
// length only, and in a 33-character IBAN (several chunks) every changed character is refused.
TEST(IbanValidatorTest, CountryLengthsAndTheChecksumOfLongIbans) {
  const std::pair<std::string, size_t> kCountries[] = {
      {"AD", 24}, {"AE", 23}, {"BE", 16}, {"DE", 22}, {"LC", 32}, {"MT", 31},
      {"NO", 15}, {"RU", 33}, {"XK", 20}, {"YT", 27}, {"ZA", 0},  {"CN", 0}};
  for (const auto& [country, length] : kCountries) {
    SCOPED_TRACE(country);
    for (size_t size = 14; size <= 35; ++size) {
      std::string bban;
      for (size_t i = 0; i + 4 < size; ++i)
        bban += i % 5 == 2 ? 'K' : static_cast<char>('1' + i % 9);
      EXPECT_EQ(Iban(MakeIban(country, bban)), size == length) << size;
    }
  }
  const std::string iban = MakeIban("RU", "04452560040702810412345678901");
  ASSERT_TRUE(Iban(iban));
  for (size_t i = 2; i < iban.size(); ++i) {
    std::string changed = iban;
    changed[i] = changed[i] == '9'                        ? '0'
                 : changed[i] >= '0' && changed[i] <= '8' ? changed[i] + 1
                                                          : 'Q';
    EXPECT_FALSE(Iban(changed)) << i;
  }
}

TEST(UsRoutingValidatorTest, AcceptsChecksumValidNumbersOnlyWithColumnHint) {
  EXPECT_TRUE(Routing("011000015"));  // Federal Reserve Bank of Boston
  EXPECT_TRUE(Routing("021000021"));
  EXPECT_FALSE(Routing("011000015", /*hinted=*/false));
}

TEST(UsRoutingValidatorTest, RejectsWrongChecksum) {
  EXPECT_FALSE(Routing("011000016"));
  EXPECT_FALSE(Routing("021000012"));
  EXPECT_FALSE(Routing("000000000"));
  EXPECT_FALSE(Routing("01100001"));
}

}  // namespace
}  // namespace crmaudit
