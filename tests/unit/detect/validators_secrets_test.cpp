// Secret validators: cloud key ids, JSON Web Tokens, high-entropy tokens and passwords written
// as assignments in free text. Every token below is synthetic (random characters in the
// documented shape); none was ever issued by a provider.
#include <gtest/gtest.h>

#include <string>

#include "scanner/detect/validators.h"

namespace crmaudit {
namespace {

bool Check(std::string_view validator, std::string_view value) {
  return FindValidator(validator)(value, ValidationContext{});
}

constexpr std::string_view kJwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjcm0tdXNlci0xMDQyIiwiaWF0IjoxNzMyNDAwMDAwfQ."
    "HbDUjF_2CYydTRhLi4NW85RL9VrRIWto0JCkiV53JCg";

TEST(AwsAccessKeyValidatorTest, AcceptsRandomKeyIdsAndRejectsTheDocumentationSample) {
  EXPECT_TRUE(Check("aws_access_key", "AKIAY6MIFWAYGUJUY33O"));
  EXPECT_TRUE(Check("aws_access_key", "ASIAY6MIFWAYGUJUY33O"));
  EXPECT_FALSE(Check("aws_access_key", "AKIAIOSFODNN7EXAMPLE"));
  EXPECT_FALSE(Check("aws_access_key", "AKIAAAAAAAAAAAAAAAAA"));   // no randomness
  EXPECT_FALSE(Check("aws_access_key", "AKIAY6MIFWAYGUJUY33"));    // 19 characters
  EXPECT_FALSE(Check("aws_access_key", "AKIAy6mifwaygujuy33o"));   // lower case
  EXPECT_FALSE(Check("aws_access_key", "AKID Y6MIFWAYGUJUY33O"));  // wrong prefix
}

TEST(JwtValidatorTest, AcceptsTokensWhoseHeaderIsJsonWithAnAlgorithm) {
  EXPECT_TRUE(Check("jwt", kJwt));
  // Header without "alg": a base64url blob shaped like a token is not one.
  EXPECT_FALSE(Check(
      "jwt", "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.HbDUjF_2CYydTRhLi4NW85RL9VrRIWto0JCkiV53JCg"));
  EXPECT_FALSE(Check("jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIi"));          // two parts
  EXPECT_FALSE(Check("jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.bm90IGpzb24.c2ln"));  // payload
  EXPECT_FALSE(Check("jwt", "a.b.c.d"));
  EXPECT_FALSE(Check("jwt", "eyJ!!.eyJ!!.x"));
}

TEST(HighEntropySecretValidatorTest, AcceptsRandomTokensAndRejectsWordsAndPlaceholders) {
  EXPECT_TRUE(Check("high_entropy_secret", "bxzbmkst9ope261YeZr2uM5Sd1wET1As"));
  EXPECT_TRUE(Check("high_entropy_secret", "9f86d081884c7d659a2feaa0c55ad015"));
  EXPECT_FALSE(Check("high_entropy_secret", "your_api_key_here_123"));
  EXPECT_FALSE(Check("high_entropy_secret", "${STRIPE_SECRET_KEY_2}"));
  EXPECT_FALSE(Check("high_entropy_secret", "aaaaaaaaaaaaaaaa1111"));  // low entropy
  EXPECT_FALSE(Check("high_entropy_secret", "refreshtokenrotation"));  // a word, no digit
  EXPECT_FALSE(Check("high_entropy_secret", "short1A"));
  EXPECT_FALSE(Check("high_entropy_secret", "xxxxxxxxxxxxxxxxxxxxxxxx"));
}

TEST(AssignedPasswordValidatorTest, AcceptsPasswordsAndRejectsProseAndPlaceholders) {
  EXPECT_TRUE(Check("assigned_password", "Sommer2024!"));
  EXPECT_TRUE(Check("assigned_password", "hunter22"));
  EXPECT_FALSE(Check("assigned_password", "********"));
  EXPECT_FALSE(Check("assigned_password", "<redacted>"));
  EXPECT_FALSE(Check("assigned_password", "${DB_PASSWORD}"));
  EXPECT_FALSE(Check("assigned_password", "reset"));
  EXPECT_FALSE(Check("assigned_password", "changeme"));
  EXPECT_FALSE(Check("assigned_password", "abc1"));  // too short to be one
  EXPECT_FALSE(Check("assigned_password",
                     "$2b$12$RA.EZmC4RcAY/WOUjZIWwOM0r9jSCznpTeFD1EkFoW7qTuaMx5xWG"));  // a hash
  EXPECT_FALSE(Check("assigned_password", "password"));  // one character class
}

TEST(CnUsccValidatorTest, ReadsAnAllDigitResidentIdAsTheIdNotAsACompanyCode) {
  // Passes both checksums; it is a valid resident ID (Nanjing, 1975-05-28), so not a USCC.
  EXPECT_TRUE(Check("cn_resident_id", "320102197505288885"));
  EXPECT_FALSE(Check("cn_uscc", "320102197505288885"));
}

}  // namespace
}  // namespace crmaudit
