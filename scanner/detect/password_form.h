// Password forms: the one classification of how a stored password value is written.
//
// A value read from a password column is a strong (salted, slow) hash, a weak (unsalted or
// fast) hash, some other recognised hash, a placeholder an export wrote instead of the secret
// (`********`, `redacted`, `N/A`, `<hidden>`), random-looking data (ciphertext, a token), or a
// password kept in plain text. Two paths ask this question and must agree on every value:
//  - exports: the secrets pack's password detectors, through their validators
//    (password_hash_strong, password_hash_weak, plaintext_password);
//  - databases: the PostgreSQL reader counting forms for check ENC-06.
// It lives in detect/ because it is value classification (DESIGN.md: detect/ is value
// classification), and both the validators (inside detect/) and sources/postgres (which links
// detect/) may read it; checks/ only sees the counts. A second copy of any of these rules in
// either path is a bug: tests/unit/detect/password_form_test.cpp fails when the two diverge.
//
// Pure, thread-safe, never throws, never keeps or logs the value.
#pragma once

#include <string_view>

namespace crmaudit {

enum class PasswordForm {
  // bcrypt ($2a$/$2b$/$2y$), argon2 (PHC), scrypt ($scrypt$, $7$), PBKDF2 (Django pbkdf2_sha*,
  // PHC $pbkdf2-sha*$, LDAP {PBKDF2…}), sha256-/sha512-crypt ($5$, $6$), yescrypt ($y$),
  // SCRAM-SHA-256 verifiers.
  kStrongHash,
  // Unsalted or fast digests: bare MD5/SHA-1/SHA-256/SHA-512 hex (one letter case),
  // PostgreSQL `md5` + 32 hex verifiers, MySQL's old 16-hex hash and `*` + 40 hex native
  // password, LDAP {MD5}/{SHA}/{SHA256} base64.
  kWeakHash,
  // Recognised hashes that are neither listed as strong nor as weak: md5-crypt ($1$, $apr1$),
  // salted LDAP digests ({SSHA}, {SMD5}), other PHC strings. Not plain text.
  kOtherHash,
  // What exports write instead of a password: masks (`********`, `•••`, `xxxx`), `redacted`,
  // `hidden`, `<hidden>`, `N/A`, `null`, `-`. Neither a hash nor a password.
  kPlaceholder,
  // A password a person could type and remember.
  kPlaintext,
  // Empty, too long to be a password (over 512 bytes), or random-looking encoded data
  // (base64/hex of 20+ characters with at least 3.5 bits per character): ciphertext or a token
  // we do not recognise. Not called plain text.
  kUnknown,
};

PasswordForm ClassifyPasswordValue(std::string_view value);

// A stable lower-case name for the form ("strong_hash", "weak_hash", …) for tests and evidence.
std::string_view PasswordFormName(PasswordForm form);

}  // namespace crmaudit
