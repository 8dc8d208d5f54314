// Password storage validators: strong hash formats, weak unsalted digests, and plain text in a
// password column. The hashes below were produced by crypt(3), hashlib and the argon2
// reference implementation for throwaway passwords.
#include <gtest/gtest.h>

#include <string>

#include "scanner/detect/validators.h"

namespace crmaudit {
namespace {

bool Strong(std::string_view value) { return FindValidator("password_hash_strong")(value, {}); }
bool Weak(std::string_view value) { return FindValidator("password_hash_weak")(value, {}); }
bool Plaintext(std::string_view value, bool hinted = true) {
  ValidationContext context;
  context.column_hinted = hinted;
  return FindValidator("plaintext_password")(value, context);
}

constexpr std::string_view kBcrypt = "$2b$12$RA.EZmC4RcAY/WOUjZIWwOM0r9jSCznpTeFD1EkFoW7qTuaMx5xWG";
constexpr std::string_view kArgon2id =
    "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
constexpr std::string_view kScryptCrypt =
    "$7$CU..../....SodiumChloride$i1xMNfkuSOu9Z1OvCcCvQtwhGTwxpMXhJtfLrniuyW8";
constexpr std::string_view kScryptPasslib =
    "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E";
constexpr std::string_view kDjangoPbkdf2 =
    "pbkdf2_sha256$600000$q8fG2xLr7PzK$MieqAW3pVr7nm/oP+0K6CzZ3C6IJzlk6SW5FidFNFnY=";
constexpr std::string_view kPasslibPbkdf2 =
    "$pbkdf2-sha256$29000$N2YMIWQsBWBMae09x1jrPQ$1t8iyB2A.WF/Z5JZv.lfCIhXXN33N23OSgQYThBYRfk";
constexpr std::string_view kSha512Crypt =
    "$6$X0uMeH6lKXARglz8$qtmneR.54T2CpxF9v7lvtc4.7yW/"
    "flFrEaZVVTB8nihBWMEeSq4trWy7nBMcY5Q2XKwXtWhPjVvqhZTmk2cb1.";
constexpr std::string_view kSha256Crypt =
    "$5$qKoAvG7w.krWNm/I$BZeQwuv5mmtW6S3.KhmU20KsYd4p5W1IunwwuXBhuN3";
constexpr std::string_view kYescrypt =
    "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$YAXMK9Llbqk/FSGbrI16AP6p2zwE4UhuWrJZceAG.p2";

constexpr std::string_view kMd5Hex = "2ab96390c7dbe3439de74d0c9b0b1767";
constexpr std::string_view kSha1Hex = "f3bbbd66a63d4bf1747940578ec3d0103530e21d";
constexpr std::string_view kSha256Hex =
    "f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7";

TEST(StrongPasswordHashValidatorTest, AcceptsEverySaltedSlowFormat) {
  for (std::string_view hash : {kBcrypt, kArgon2id, kScryptCrypt, kScryptPasslib, kDjangoPbkdf2,
                                kPasslibPbkdf2, kSha512Crypt, kSha256Crypt}) {
    EXPECT_TRUE(Strong(hash)) << "format #" << hash.substr(0, 4);
  }
  EXPECT_TRUE(Strong("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"));
  EXPECT_TRUE(Strong(
      "$argon2i$v=19$m=4096,t=3,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A"));
}

TEST(StrongPasswordHashValidatorTest, RejectsTruncatedAndWeakForms) {
  EXPECT_FALSE(Strong(kBcrypt.substr(0, kBcrypt.size() - 1)));
  EXPECT_FALSE(Strong("$2b$99$RA.EZmC4RcAY/WOUjZIWwOM0r9jSCznpTeFD1EkFoW7qTuaMx5xWG"));  // cost
  EXPECT_FALSE(Strong(kSha512Crypt.substr(0, 60)));
  EXPECT_FALSE(Strong(kMd5Hex));
  EXPECT_FALSE(Strong("$1$abcdefgh$0123456789abcdefghijkl"));  // md5-crypt is not strong
  EXPECT_FALSE(Strong("hunter2"));
}

TEST(WeakPasswordHashValidatorTest, AcceptsBareHexDigestsAndLdapUnsaltedForms) {
  EXPECT_TRUE(Weak(kMd5Hex));
  EXPECT_TRUE(Weak(kSha1Hex));
  EXPECT_TRUE(Weak(kSha256Hex));
  EXPECT_TRUE(Weak("2AB96390C7DBE3439DE74D0C9B0B1767"));
  EXPECT_TRUE(Weak("{SHA}87u9ZqY9S/F0eUBXjsPQEDUw4h0="));
  EXPECT_TRUE(Weak("{MD5}KrljkMfb40Od500MmwsXZw=="));
}

TEST(WeakPasswordHashValidatorTest, RejectsOtherLengthsMixedCaseAndStrongHashes) {
  EXPECT_FALSE(Weak(kMd5Hex.substr(0, 31)));
  EXPECT_FALSE(Weak(std::string(kMd5Hex) + "0"));
  EXPECT_FALSE(Weak("2ab96390C7DBE3439de74d0c9b0b1767"));  // mixed case: not a printed digest
  EXPECT_FALSE(Weak("550e8400-e29b-41d4-a716-446655440000"));
  EXPECT_FALSE(Weak("2ab96390c7dbe3439de74d0c9b0b176g"));
  EXPECT_FALSE(Weak(kBcrypt));
}

TEST(PlaintextPasswordValidatorTest, FlagsHumanChosenPasswordsInPasswordColumns) {
  EXPECT_TRUE(Plaintext("hunter2"));
  EXPECT_TRUE(Plaintext("Summer2024!"));
  EXPECT_TRUE(Plaintext("correct horse battery staple"));
  EXPECT_TRUE(Plaintext("密码123456"));
}

TEST(PlaintextPasswordValidatorTest, DoesNotFlagHashesCiphertextPlaceholdersOrUnhintedColumns) {
  for (std::string_view hash : {kBcrypt, kArgon2id, kScryptCrypt, kDjangoPbkdf2, kSha512Crypt,
                                kYescrypt, kMd5Hex, kSha256Hex}) {
    EXPECT_FALSE(Plaintext(hash)) << "format #" << hash.substr(0, 4);
  }
  EXPECT_FALSE(Plaintext("$1$abcdefgh$0123456789abcdefghijkl"));
  EXPECT_FALSE(Plaintext("{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g+aEZ3"));
  EXPECT_FALSE(Plaintext("q7Jk2mXv9PzR4tLw8NcY3bHs6DfG1aEe"));  // base64-like ciphertext
  EXPECT_FALSE(Plaintext("********"));
  EXPECT_FALSE(Plaintext("NULL"));
  EXPECT_FALSE(Plaintext(""));
  EXPECT_FALSE(Plaintext("hunter2", /*hinted=*/false));
}

}  // namespace
}  // namespace crmaudit
