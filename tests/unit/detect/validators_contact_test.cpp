// Contact validators: email addresses, phone numbers (libphonenumber plus China mobiles) and
// IP addresses, with the look-alikes a CRM export is full of.
#include <gtest/gtest.h>

#include <string>

#include "scanner/detect/validators.h"

namespace crmaudit {
namespace {

bool Email(std::string_view value) { return FindValidator("email")(value, {}); }
bool Ip(std::string_view value) { return FindValidator("ip_address")(value, {}); }
bool Phone(std::string_view value, std::string_view region = "US", bool hinted = false) {
  ValidationContext context;
  context.default_region = region;
  context.column_hinted = hinted;
  return FindValidator("phone")(value, context);
}

TEST(EmailValidatorTest, AcceptsOrdinaryInternationalAndQuotedAddresses) {
  EXPECT_TRUE(Email("jane.doe@example.com"));
  EXPECT_TRUE(Email("first.last+crm@sub.example.co.uk"));
  EXPECT_TRUE(Email("zhang.wei@example.cn"));
  EXPECT_TRUE(Email("user@xn--fiqs8s.example"));  // punycode label
  EXPECT_TRUE(Email("user@example.xn--fiqs8s"));  // punycode TLD
  EXPECT_TRUE(Email("用户@例子.中国"));           // internationalised address
  EXPECT_TRUE(Email("\"john smith\"@example.org"));
  EXPECT_TRUE(Email("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"));  // full-width as typed in Chinese IMEs
}

TEST(EmailValidatorTest, RejectsAssetNamesAndMalformedAddresses) {
  EXPECT_FALSE(Email("file@2x.png"));
  EXPECT_FALSE(Email("logo@3x.jpg"));
  EXPECT_FALSE(Email("icon@1.5x.webp"));
  EXPECT_FALSE(Email("banner@hero.svg"));
  EXPECT_FALSE(Email("user@localhost"));  // no dot in the domain
  EXPECT_FALSE(Email("user@example.c"));  // one-letter TLD
  EXPECT_FALSE(Email("user@example.123"));
  EXPECT_FALSE(Email("user@-example.com"));
  EXPECT_FALSE(Email("user@example..com"));
  EXPECT_FALSE(Email(".user@example.com"));
  EXPECT_FALSE(Email("us..er@example.com"));
  EXPECT_FALSE(Email("user name@example.com"));
  EXPECT_FALSE(Email("@example.com"));
  EXPECT_FALSE(Email("user@"));
  EXPECT_FALSE(Email(std::string(65, 'a') + "@example.com"));  // local part over 64
}

TEST(PhoneValidatorTest, AcceptsNumbersValidInTheirRegion) {
  EXPECT_TRUE(Phone("+1 201-555-0123"));
  EXPECT_TRUE(Phone("(201) 555-0123"));
  EXPECT_TRUE(Phone("+44 20 7946 0958"));
  EXPECT_TRUE(Phone("020 7946 0958", "GB"));
  EXPECT_TRUE(Phone("0044 20 7946 0958"));
  EXPECT_TRUE(Phone("+49 30 123456"));
  EXPECT_TRUE(Phone("030 123456", "DE"));
  EXPECT_TRUE(Phone("030 123456", "de"));  // region codes from config may be lower case
  EXPECT_FALSE(Phone("030 123456", ""));   // no region: only international forms parse
  EXPECT_TRUE(Phone("+86 10 1234 5678"));
  EXPECT_TRUE(Phone("+8613812345678"));
}

TEST(PhoneValidatorTest, AcceptsChinaMobilesWithPrefixSeparatorsOrHeader) {
  EXPECT_TRUE(Phone("13812345678", "US", /*hinted=*/true));
  EXPECT_TRUE(Phone("19912345678", "US", /*hinted=*/true));
  EXPECT_TRUE(Phone("１３８１２３４５６７８", "US", /*hinted=*/true));
  EXPECT_TRUE(Phone("138-1234-5678"));
  EXPECT_TRUE(Phone("+86 138 1234 5678"));
  EXPECT_TRUE(Phone("0086-138-1234-5678"));
  // Eleven bare digits without a header: as likely a German tax ID or a customer number.
  EXPECT_FALSE(Phone("18350796046"));
  EXPECT_FALSE(Phone("1353 8673 123"));  // four-digit groups of a printed IBAN
  // "0062" of an IBAN group read as the 00 prefix of Indonesia (+62).
  EXPECT_FALSE(Phone("0062 8880 0315 1234 5"));
  EXPECT_TRUE(Phone("0062 888 0031 5123"));  // the same digits as a person writes a number
}

TEST(CnMobileValidatorTest, AcceptsEveryWrittenFormOfAChinaMobile) {
  const auto cn = [](std::string_view value) { return FindValidator("cn_mobile")(value, {}); };
  EXPECT_TRUE(cn("13812345678"));
  EXPECT_TRUE(cn("１３８１２３４５６７８"));
  EXPECT_TRUE(cn("+86 138 1234 5678"));
  EXPECT_TRUE(cn("＋８６１３８１２３４５６７８"));
  EXPECT_TRUE(cn("008613812345678"));
  EXPECT_TRUE(cn("138-1234-5678"));
  EXPECT_FALSE(cn("12812345678"));
  EXPECT_FALSE(cn("1381234567"));
  EXPECT_FALSE(cn("+1 138 1234 5678"));
  EXPECT_FALSE(cn("+44 20 7946 0958"));
  EXPECT_FALSE(cn("138123456789"));
  EXPECT_FALSE(cn("138.1234.5678x"));
}

TEST(PhoneValidatorTest, RejectsInvalidNumbersAndBareDigitRunsWithoutHint) {
  EXPECT_FALSE(Phone("12812345678"));  // China mobiles start 13-19
  EXPECT_FALSE(Phone("1381234567"));   // one digit short
  EXPECT_FALSE(Phone("+1 555 555"));   // too short
  EXPECT_FALSE(Phone("+44 20 7946"));
  EXPECT_FALSE(Phone("+1 011-555-0123"));  // US area codes never start with 0
  EXPECT_FALSE(Phone("2015550123"));       // bare digits: an order number as much as a phone
  EXPECT_TRUE(Phone("2015550123", "US", /*hinted=*/true));
  EXPECT_FALSE(Phone("1700000000123"));  // epoch milliseconds
  EXPECT_FALSE(Phone("2024-03-15"));     // a date
  EXPECT_FALSE(Phone("2024-000123"));    // an order number with the digits of a valid
  EXPECT_TRUE(Phone("202-400-0123"));    // US number
  EXPECT_TRUE(Phone("0161 496 0123", "GB"));
  EXPECT_FALSE(Phone("1.2.3.4"));
  EXPECT_FALSE(Phone("11.3.10.6905"));  // a four-part build version
  EXPECT_TRUE(Phone("201.555.0123"));
  EXPECT_TRUE(Phone("1.201.555.0123"));
  EXPECT_FALSE(Phone("call me"));
  EXPECT_FALSE(Phone("+86 1381234567x"));
}

TEST(IpAddressValidatorTest, AcceptsIpv4AndIpv6) {
  EXPECT_TRUE(Ip("192.0.2.17"));
  EXPECT_TRUE(Ip("203.0.113.255"));
  EXPECT_TRUE(Ip("10.0.0.1"));
  EXPECT_TRUE(Ip("2001:db8::8a2e:370:7334"));
  EXPECT_TRUE(Ip("2001:0db8:85a3:0000:0000:8a2e:0370:7334"));
  EXPECT_TRUE(Ip("::ffff:192.0.2.1"));
}

TEST(IpAddressValidatorTest, RejectsVersionStringsAndMalformedAddresses) {
  EXPECT_FALSE(Ip("10.0.19045.3803"));  // a Windows build number
  EXPECT_FALSE(Ip("4.18.2.1093"));      // a four-part version with a build number
  EXPECT_FALSE(Ip("0.9.1.2"));          // a 0.x version
  EXPECT_FALSE(Ip("256.1.1.1"));
  EXPECT_FALSE(Ip("192.168.1"));
  EXPECT_FALSE(Ip("192.168.001.001"));  // leading zeros: octal in some parsers, not an address
  EXPECT_FALSE(Ip("1.2.3.4.5"));
  EXPECT_FALSE(Ip("2001:db8::g"));
  EXPECT_FALSE(Ip("12:30:45"));  // a time of day
  EXPECT_FALSE(Ip("1:2:3:4:5:6:7:8:9"));
}

}  // namespace
}  // namespace crmaudit
