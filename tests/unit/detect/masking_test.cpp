// Masks keep exactly the documented characters, and nothing else of the value survives.
#include "scanner/detect/masking.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scanner/detect/utf8_text.h"

namespace crmaudit {
namespace {

// How many characters of the mask are not '*', ' ', '@', '.', '+' (i.e. kept from the value).
size_t KeptCharacters(const std::string& masked) {
  size_t kept = 0;
  for (size_t pos = 0; pos < masked.size();) {
    const size_t length = std::max<size_t>(1, utf8::CharLength(masked, pos));
    const char c = masked[pos];
    if (length > 1 || (c != '*' && c != ' ' && c != '@' && c != '.' && c != '+')) ++kept;
    pos += length;
  }
  return kept;
}

TEST(MaskingTest, EmailKeepsFirstLettersAndTopLevelDomain) {
  EXPECT_EQ(MaskValue("EMAIL_ADDRESS", "jane.doe@example.com"), "j***@e***.com");
  EXPECT_EQ(MaskValue("EMAIL_ADDRESS", "li.wei@mail.example.co.uk"), "l***@m***.uk");
  EXPECT_EQ(MaskValue("EMAIL_ADDRESS", "用户@例子.中国"), "用***@例***.中国");
  EXPECT_EQ(MaskValue("EMAIL_ADDRESS", "not-an-address"), "n****s");
  // A digit-bearing "top-level domain" could be data: it is masked too.
  EXPECT_EQ(MaskValue("EMAIL_ADDRESS", "a@b.secret123"), "a***@b***.***");
}

TEST(MaskingTest, CardKeepsOnlyTheLastFourDigits) {
  EXPECT_EQ(MaskValue("CREDIT_CARD_NUMBER", "4242 4242 4242 4242"), "**** **** **** 4242");
  EXPECT_EQ(MaskValue("CREDIT_CARD_NUMBER", "378282246310005"), "**** **** **** 0005");
  EXPECT_EQ(MaskValue("CREDIT_CARD_NUMBER", "5555-5555-5555-4444"), "**** **** **** 4444");
  EXPECT_EQ(MaskValue("CREDIT_CARD_NUMBER", "1234"), "****");
  EXPECT_EQ(KeptCharacters(MaskValue("CREDIT_CARD_NUMBER", "6011111111111117")), 4u);
}

TEST(MaskingTest, ChineseResidentIdKeepsRegionAndLastFour) {
  EXPECT_EQ(MaskValue("CN_RESIDENT_ID", "11010519491231002X"), "110105********002X");
  EXPECT_EQ(MaskValue("CN_RESIDENT_ID", "11010519491231002x"), "110105********002X");
  EXPECT_EQ(MaskValue("CN_RESIDENT_ID", "110105491231002"), "110105*****1002");
  // The birth date (positions 7-14) never survives.
  EXPECT_THAT(MaskValue("CN_RESIDENT_ID", "11010519491231002X"),
              ::testing::Not(::testing::HasSubstr("1949")));
}

TEST(MaskingTest, PhoneKeepsCountryPrefixAndLastFour) {
  EXPECT_EQ(MaskValue("PHONE_NUMBER", "+86 138 1234 5678"), "+86 138****5678");
  EXPECT_EQ(MaskValue("PHONE_NUMBER", "008613812345678"), "+86 138****5678");
  EXPECT_EQ(MaskValue("PHONE_NUMBER", "+1 650-253-0000"), "+1 ******0000");
  EXPECT_EQ(MaskValue("PHONE_NUMBER", "+44 20 7946 0958"), "+44 ******0958");
  EXPECT_EQ(MaskValue("PHONE_NUMBER", "(650) 253-0000"), "******0000");
  EXPECT_EQ(MaskValue("PHONE_NUMBER", "13812345678"), "138****5678");
  EXPECT_EQ(MaskValue("PHONE_NUMBER", "+49 1234"), "+49 ****");
  // Full-width digits (Chinese input methods) are digits too.
  EXPECT_EQ(MaskValue("PHONE_NUMBER", "１３８１２３４５６７８"), "138****5678");
}

TEST(MaskingTest, IbanKeepsCountryAndLastFour) {
  EXPECT_EQ(MaskValue("IBAN_CODE", "DE89 3704 0044 0532 0130 00"), "DE****************3000");
  EXPECT_EQ(MaskValue("IBAN_CODE", "GB82WEST12345698765432"), "GB****************5432");
  EXPECT_EQ(KeptCharacters(MaskValue("IBAN_CODE", "FR1420041010050500013M02606")), 6u);
}

TEST(MaskingTest, OtherTypesKeepAtMostFirstAndLastCharacter) {
  EXPECT_EQ(MaskValue("PERSON_NAME", "Alexandra Smith"), "A****h");
  EXPECT_EQ(MaskValue("POSTAL_ADDRESS", "北京市朝阳区建国路88号"), "北****号");
  EXPECT_EQ(MaskValue("US_SSN", "123-45-6789"), "1****9");
  // Short values are masked completely: first and last would be most of them.
  EXPECT_EQ(MaskValue("PERSON_NAME", "张伟"), "****");
  EXPECT_EQ(MaskValue("PLAINTEXT_PASSWORD", "hunter2"), "****");
  EXPECT_EQ(MaskValue("SECRET_KEY", ""), "****");
}

TEST(MaskingTest, NoMoreThanTheDocumentedCharactersSurvive) {
  const std::string long_value = "Sensitive-Value-That-Must-Not-Leak-0123456789";
  EXPECT_LE(KeptCharacters(MaskValue("UNKNOWN_TYPE", long_value)), 2u);
  EXPECT_LE(KeptCharacters(MaskValue("EMAIL_ADDRESS", "averylongname@averylongdomain.com")),
            2u + 3u);  // j, e and the TLD
  EXPECT_LE(KeptCharacters(MaskValue("PHONE_NUMBER", "+33 1 42 68 53 00")), 2u + 4u);
  EXPECT_LE(KeptCharacters(MaskValue("CN_RESIDENT_ID", "44030419900101001X")), 10u);
}

TEST(MaskingTest, OutputIsAlwaysValidUtf8) {
  const std::vector<std::string> inputs = {
      "\xE4\xB8\xAD\xE6\x96\x87\xE5\x90\x8D\xE5\xAD\x97\xE5\xBE\x88\xE9\x95\xBF\xE5\x95\x8A",
      std::string("\xFF\xFEgarbage\xC3", 10),
      "\xF0\x9F\x98\x80 emoji name here \xF0\x9F\x98\x81",
      "\xE4\xB8",  // truncated character
      "x@\xE4\xB8\xAD.\xE5",
  };
  for (const char* entity : {"EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD_NUMBER",
                             "CN_RESIDENT_ID", "IBAN_CODE", "PERSON_NAME"}) {
    for (const auto& input : inputs) {
      const std::string masked = MaskValue(entity, input);
      EXPECT_TRUE(utf8::IsValid(masked)) << entity;
      EXPECT_FALSE(masked.empty()) << entity;
    }
  }
  EXPECT_EQ(MaskValue("PERSON_NAME", "\xF0\x9F\x98\x80 emoji name here \xF0\x9F\x98\x81"),
            "\xF0\x9F\x98\x80****\xF0\x9F\x98\x81");
}

}  // namespace
}  // namespace crmaudit
