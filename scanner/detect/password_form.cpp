// The one classification of stored password values (see password_form.h).
#include "scanner/detect/password_form.h"

#include <re2/re2.h>

#include <string>

#include "scanner/detect/validators/text_forms.h"

namespace crmaudit {
namespace {

constexpr size_t kMaxPasswordBytes = 512;

// Patterns live in function-local statics: RE2 objects are immutable and safe to share across
// threads once constructed, and construction is thread-safe in C++11 and later.
const RE2& StrongHashPattern() {
  static const RE2 pattern(
      // bcrypt: cost 04-31, then 22 characters of salt and 31 of hash in bcrypt's base64.
      R"(\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53})"
      // argon2 (PHC string format).
      R"(|\$argon2(id|i|d)\$(v=[0-9]+\$)?m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2})"
      // scrypt: passlib's PHC-like form and crypt(3)'s $7$ form.
      R"(|\$scrypt\$[A-Za-z0-9=,]+\$[A-Za-z0-9+/.]+={0,2}\$[A-Za-z0-9+/.]+={0,2})"
      R"(|\$7\$[./A-Za-z0-9]{11,}\$[./A-Za-z0-9]{43})"
      // PBKDF2: Django (algorithm$iterations$salt$hash), passlib/PHC ($pbkdf2-sha256$…) and
      // LDAP ({PBKDF2}, {PBKDF2-SHA256}…).
      R"(|pbkdf2_sha(1|256|512)\$[0-9]+\$[^$\s]+\$[A-Za-z0-9+/]+={0,2})"
      R"(|\$pbkdf2(-sha(1|256|512))?\$[0-9]+\$[./A-Za-z0-9+]+\$[./A-Za-z0-9+]+)"
      R"(|\{PBKDF2(-SHA(1|256|512))?\}[0-9]+\$[./A-Za-z0-9+=]+\$[./A-Za-z0-9+=]+)"
      // sha256-crypt and sha512-crypt, with optional rounds; yescrypt.
      R"(|\$5\$(rounds=[0-9]+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43})"
      R"(|\$6\$(rounds=[0-9]+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{86})"
      R"(|\$y\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+\$[./A-Za-z0-9]{43})"
      // SCRAM-SHA-256 verifiers as PostgreSQL stores them (RFC 5803 layout).
      R"(|SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2})");
  return pattern;
}

const RE2& WeakHashPattern() {
  static const RE2 pattern(
      // Bare MD5, SHA-1, SHA-256, SHA-512 hex, in one letter case.
      R"([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})"
      R"(|[0-9A-F]{32}|[0-9A-F]{40}|[0-9A-F]{64}|[0-9A-F]{128})"
      // PostgreSQL's md5 verifier: "md5" + md5(password || user).
      R"(|md5[0-9a-f]{32})"
      // MySQL: pre-4.1 PASSWORD() (16 hex) and mysql_native_password ("*" + 40 hex, unsalted).
      R"(|[0-9a-f]{16}|\*[0-9A-F]{40})"
      // LDAP's unsalted {MD5}/{SHA}/{SHA256} base64.
      R"(|\{MD5\}[A-Za-z0-9+/]{22}==|\{SHA\}[A-Za-z0-9+/]{27}=|\{SHA256\}[A-Za-z0-9+/]{43}=)");
  return pattern;
}

const RE2& OtherHashPattern() {
  // md5-crypt, salted LDAP digests, and other PHC strings: hashes, but neither listed as
  // strong nor as unsalted. They rule out "plain text".
  static const RE2 pattern(R"(\$(1|apr1|gy|sha1|md5)\$[^\s]{8,})"
                           R"(|\{(SSHA|SSHA256|SSHA512|SMD5|CRYPT|ARGON2)\}[^\s]{8,})"
                           R"(|\$[a-z0-9-]{2,32}\$[^\s]*\$[^\s]{16,})");
  return pattern;
}

bool IsEncodingCharacter(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '+' ||
         c == '/' || c == '=' || c == '-' || c == '_';
}

// Base64 or hex of random bytes: an encrypted or tokenised value, not a password a person chose.
bool LooksLikeEncodedData(std::string_view text) {
  if (text.size() < 20) return false;
  for (char c : text) {
    if (!IsEncodingCharacter(c)) return false;
  }
  return validators::BitsPerCharacter(text) >= 3.5;
}

std::string Lowered(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lowered;
}

// Masks and words that exports write instead of a password.
bool IsPlaceholder(std::string_view text) {
  // Masks: one mask character repeated (ASCII or the bullets U+2022 / U+25CF).
  std::string_view rest = text;
  for (std::string_view mask : {"*", "#", "x", "X", "-", ".", "\u2022", "\u25CF"}) {
    if (rest.size() < mask.size()) continue;
    bool all = rest.size() % mask.size() == 0;
    for (size_t i = 0; all && i < rest.size(); i += mask.size()) {
      all = rest.substr(i, mask.size()) == mask;
    }
    if (all) return true;
  }
  const std::string lowered = Lowered(text);
  static constexpr std::string_view kWords[] = {
      "null",       "none",     "n/a",       "na",         "nil",        "redacted",   "hidden",
      "(hidden)",   "<hidden>", "[hidden]",  "<redacted>", "[redacted]", "(redacted)", "[filtered]",
      "<filtered>", "filtered", "undefined", "masked",     "removed",    "[removed]",  "not set",
      "unset",      "<empty>",  "<secret>",  "[secret]"};
  for (std::string_view word : kWords) {
    if (lowered == word) return true;
  }
  return false;
}

}  // namespace

PasswordForm ClassifyPasswordValue(std::string_view value) {
  const std::string_view text = validators::TrimSpaces(value);
  if (text.empty() || text.size() > kMaxPasswordBytes) return PasswordForm::kUnknown;
  if (IsPlaceholder(text)) return PasswordForm::kPlaceholder;
  if (RE2::FullMatch(text, StrongHashPattern())) return PasswordForm::kStrongHash;
  if (RE2::FullMatch(text, WeakHashPattern())) return PasswordForm::kWeakHash;
  if (RE2::FullMatch(text, OtherHashPattern())) return PasswordForm::kOtherHash;
  if (LooksLikeEncodedData(text)) return PasswordForm::kUnknown;
  return PasswordForm::kPlaintext;
}

std::string_view PasswordFormName(PasswordForm form) {
  switch (form) {
    case PasswordForm::kStrongHash:
      return "strong_hash";
    case PasswordForm::kWeakHash:
      return "weak_hash";
    case PasswordForm::kOtherHash:
      return "other_hash";
    case PasswordForm::kPlaceholder:
      return "placeholder";
    case PasswordForm::kPlaintext:
      return "plaintext";
    case PasswordForm::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace crmaudit
