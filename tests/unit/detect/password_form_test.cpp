// The one classification of stored password values (scanner/detect/password_form.h), and the
// guarantee that exports and databases agree on it: the secrets pack's password detectors,
// scanned through the compiled matcher in a password column, report exactly what the
// classification (which the PostgreSQL reader counts for ENC-06) says of every value.
#include "scanner/detect/password_form.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

struct Case {
  std::string_view value;
  PasswordForm form;
};

// Hashes produced by crypt(3), hashlib, passlib and PostgreSQL for throwaway passwords.
const Case kCases[] = {
    {"$2b$12$RA.EZmC4RcAY/WOUjZIWwOM0r9jSCznpTeFD1EkFoW7qTuaMx5xWG", PasswordForm::kStrongHash},
    {"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", PasswordForm::kStrongHash},
    {"$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", PasswordForm::kStrongHash},
    {"$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
     PasswordForm::kStrongHash},
    {"$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
     PasswordForm::kStrongHash},
    {"pbkdf2_sha256$600000$q8fG2xLr7PzK$MieqAW3pVr7nm/oP+0K6CzZ3C6IJzlk6SW5FidFNFnY=",
     PasswordForm::kStrongHash},
    {"$pbkdf2-sha256$29000$N2YMIWQsBWBMae09x1jrPQ$1t8iyB2A.WF/Z5JZv.lfCIhXXN33N23OSgQYThBYRfk",
     PasswordForm::kStrongHash},
    {"$6$X0uMeH6lKXARglz8$qtmneR.54T2CpxF9v7lvtc4.7yW/"
     "flFrEaZVVTB8nihBWMEeSq4trWy7nBMcY5Q2XKwXtWhPjVvqhZTmk2cb1.",
     PasswordForm::kStrongHash},
    {"$y$j9T$F5Jx5fExrKuPp53xLKQ..1$YAXMK9Llbqk/FSGbrI16AP6p2zwE4UhuWrJZceAG.p2",
     PasswordForm::kStrongHash},
    {"SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==:c2VydmVyc2VydmVy",
     PasswordForm::kStrongHash},
    {"2ab96390c7dbe3439de74d0c9b0b1767", PasswordForm::kWeakHash},          // md5
    {"2AB96390C7DBE3439DE74D0C9B0B1767", PasswordForm::kWeakHash},          // md5, upper case
    {"f3bbbd66a63d4bf1747940578ec3d0103530e21d", PasswordForm::kWeakHash},  // sha1
    {"f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7", PasswordForm::kWeakHash},
    {"md5c2b3c2c2a0e7c5c7a1b0e6f0d1c2b3a4", PasswordForm::kWeakHash},        // PostgreSQL verifier
    {"*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19", PasswordForm::kWeakHash},  // MySQL native
    {"565491d704013245", PasswordForm::kWeakHash},                           // MySQL pre-4.1
    {"{SHA}87u9ZqY9S/F0eUBXjsPQEDUw4h0=", PasswordForm::kWeakHash},
    {"$1$abcdefgh$0123456789abcdefghijkl", PasswordForm::kOtherHash},  // md5-crypt
    {"{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g+aEZ3", PasswordForm::kOtherHash},
    {"********", PasswordForm::kPlaceholder},
    {"\u2022\u2022\u2022\u2022\u2022\u2022", PasswordForm::kPlaceholder},
    {"xxxxxxxx", PasswordForm::kPlaceholder},
    {"redacted", PasswordForm::kPlaceholder},
    {"[REDACTED]", PasswordForm::kPlaceholder},
    {"N/A", PasswordForm::kPlaceholder},
    {"<hidden>", PasswordForm::kPlaceholder},
    {"NULL", PasswordForm::kPlaceholder},
    {"hunter22", PasswordForm::kPlaintext},
    {"Summer2024!", PasswordForm::kPlaintext},
    {"correct horse battery staple", PasswordForm::kPlaintext},
    {"密码123456", PasswordForm::kPlaintext},
    {"secret", PasswordForm::kPlaintext},  // a real (bad) password, not a placeholder
    {"q7Jk2mXv9PzR4tLw8NcY3bHs6DfG1aEe", PasswordForm::kUnknown},  // ciphertext-like
    {"", PasswordForm::kUnknown},
};

TEST(PasswordFormTest, ClassifiesEveryForm) {
  for (const Case& c : kCases) {
    EXPECT_EQ(PasswordFormName(ClassifyPasswordValue(c.value)), PasswordFormName(c.form))
        << "case " << (&c - kCases);
  }
}

TEST(PasswordFormTest, PlaceholdersAreNeitherHashesNorPasswords) {
  // The disagreement this header ended: the database check counted a mask as a password.
  EXPECT_EQ(ClassifyPasswordValue("********"), PasswordForm::kPlaceholder);
  EXPECT_EQ(ClassifyPasswordValue("  ****  "), PasswordForm::kPlaceholder);
}

// What the export path reports for `value` in a column named `column`: the entity types of
// the secrets pack's password detectors.
std::set<std::string> ExportEntities(const CompiledPolicy& policy, std::string_view column,
                                     std::string_view value) {
  std::vector<ValueMatch> matches;
  policy.Scan(value, policy.ColumnHints(column), &matches);
  std::set<std::string> entities;
  for (const ValueMatch& match : matches) {
    const DetectorSpec& spec = *policy.detectors()[static_cast<size_t>(match.detector)];
    if (spec.entity == "PASSWORD_HASH" || spec.entity == "PLAINTEXT_PASSWORD") {
      entities.insert(spec.entity);
    }
  }
  return entities;
}

std::set<std::string> EntitiesOf(PasswordForm form) {
  switch (form) {
    case PasswordForm::kStrongHash:
    case PasswordForm::kWeakHash:
      return {"PASSWORD_HASH"};
    case PasswordForm::kPlaintext:
      return {"PLAINTEXT_PASSWORD"};
    default:
      return {};
  }
}

TEST(PasswordFormTest, ExportDetectorsAndDatabaseClassificationAgreeOnEveryValue) {
  const auto policy = CompiledPolicy::Compile(
      {LoadPolicyPack(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "secrets.json")});
  for (std::string_view column : {"password", "user_hash", "Passwort", "mot de passe", "contraseña",
                                  "密码", "encrypted_password"}) {
    for (const Case& c : kCases) {
      EXPECT_EQ(ExportEntities(*policy, column, c.value),
                EntitiesOf(ClassifyPasswordValue(c.value)))
          << "column " << column << ", case " << (&c - kCases);
    }
  }
  // Outside a password column only a strong hash format speaks for itself.
  EXPECT_EQ(ExportEntities(*policy, "comment", "hunter22"), std::set<std::string>{});
  EXPECT_EQ(ExportEntities(*policy, "checksum", "2ab96390c7dbe3439de74d0c9b0b1767"),
            std::set<std::string>{});
  EXPECT_EQ(ExportEntities(*policy, "password_changed_at", "2024-03-12"), std::set<std::string>{});
  // Columns about passwords that hold no password: flags, dates, counters.
  EXPECT_EQ(ExportEntities(*policy, "has_password", "true"), std::set<std::string>{});
  EXPECT_EQ(ExportEntities(*policy, "PasswordLastSet", "2024-03-12"), std::set<std::string>{});
  EXPECT_EQ(ExportEntities(*policy, "password_never_expires", "FALSE"), std::set<std::string>{});
}

}  // namespace
}  // namespace crmaudit
