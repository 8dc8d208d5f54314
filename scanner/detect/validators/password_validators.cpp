// Stored passwords: strong (salted, slow) hash formats, weak (unsalted, fast) digests, and
// values that are neither — a password kept in plain text.
#include <re2/re2.h>

#include <array>
#include <cmath>
#include <string>

#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {
namespace {

// Patterns live in function-local statics: RE2 objects are immutable and safe to share
// across threads once constructed, and construction is thread-safe in C++11 and later.
const RE2& StrongHashPattern() {
  static const RE2 pattern(
      // bcrypt: cost 04-31, then 22 characters of salt and 31 of hash in bcrypt's base64.
      R"(\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53})"
      // argon2 (PHC string format).
      R"(|\$argon2(id|i|d)\$(v=[0-9]+\$)?m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2})"
      // scrypt: passlib's PHC-like form and crypt(3)'s $7$ form.
      R"(|\$scrypt\$[A-Za-z0-9=,]+\$[A-Za-z0-9+/.]+={0,2}\$[A-Za-z0-9+/.]+={0,2})"
      R"(|\$7\$[./A-Za-z0-9]{11,}\$[./A-Za-z0-9]{43})"
      // PBKDF2: Django (algorithm$iterations$salt$hash) and passlib/PHC ($pbkdf2-sha256$…).
      R"(|pbkdf2_sha(1|256|512)\$[0-9]+\$[^$]+\$[A-Za-z0-9+/]+={0,2})"
      R"(|\$pbkdf2(-sha(1|256|512))?\$[0-9]+\$[./A-Za-z0-9+]+\$[./A-Za-z0-9+]+)"
      // sha256-crypt and sha512-crypt, with optional rounds.
      R"(|\$5\$(rounds=[0-9]+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43})"
      R"(|\$6\$(rounds=[0-9]+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{86})");
  return pattern;
}

const RE2& WeakHashPattern() {
  // Bare MD5, SHA-1, SHA-256 hex (one letter case), or LDAP's unsalted {MD5}/{SHA} base64.
  static const RE2 pattern(
      R"(([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9A-F]{32}|[0-9A-F]{40}|[0-9A-F]{64}))"
      R"(|\{MD5\}[A-Za-z0-9+/]{22}==|\{SHA\}[A-Za-z0-9+/]{27}=|\{SHA256\}[A-Za-z0-9+/]{43}=)");
  return pattern;
}

const RE2& OtherHashPattern() {
  // Formats that are hashes but neither listed as strong nor as unsalted: md5-crypt, salted
  // LDAP digests, yescrypt, and other PHC strings. They rule out "plain text".
  static const RE2 pattern(R"(\$(1|apr1|y|gy|sha1|md5)\$[^\s]{8,})"
                           R"(|\{(SSHA|SSHA256|SSHA512|SMD5|CRYPT|PBKDF2[^}]*)\}[^\s]{8,})"
                           R"(|\$[a-z0-9-]{2,32}\$[^\s]*\$[^\s]{16,})");
  return pattern;
}

bool IsEncodingCharacter(char c) {
  return IsDigit(c) || IsUpper(c) || (c >= 'a' && c <= 'z') || c == '+' || c == '/' || c == '=' ||
         c == '-' || c == '_';
}

// Base64 or hex of random bytes: an encrypted or tokenised value, not a password a person chose.
bool LooksLikeCiphertext(std::string_view text) {
  if (text.size() < 20) return false;
  for (char c : text) {
    if (!IsEncodingCharacter(c)) return false;
  }
  return BitsPerCharacter(text) >= 3.5;
}

// Placeholders that exports write instead of a password.
bool IsPlaceholder(std::string_view text) {
  if (text.find_first_not_of("*•xX#-") == std::string_view::npos) return true;
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (std::string_view word : {"null", "none", "n/a", "na", "redacted", "hidden", "(hidden)",
                                "<redacted>", "[redacted]", "[filtered]", "undefined"}) {
    if (lowered == word) return true;
  }
  return false;
}

}  // namespace

bool IsStrongPasswordHash(std::string_view candidate, const ValidationContext& /*context*/) {
  const std::string_view text = TrimSpaces(candidate);
  if (text.size() > kMaxCandidateBytes) return false;
  return RE2::FullMatch(text, StrongHashPattern());
}

bool IsWeakPasswordHash(std::string_view candidate, const ValidationContext& /*context*/) {
  const std::string_view text = TrimSpaces(candidate);
  if (text.size() > kMaxCandidateBytes) return false;
  return RE2::FullMatch(text, WeakHashPattern());
}

bool IsPlaintextPassword(std::string_view candidate, const ValidationContext& context) {
  // Any short string could be a password; only a password column makes the claim.
  if (!context.column_hinted) return false;
  const std::string_view text = TrimSpaces(candidate);
  if (text.empty() || text.size() > kMaxCandidateBytes || IsPlaceholder(text)) return false;
  if (RE2::FullMatch(text, StrongHashPattern()) || RE2::FullMatch(text, WeakHashPattern()) ||
      RE2::FullMatch(text, OtherHashPattern())) {
    return false;
  }
  return !LooksLikeCiphertext(text);
}

}  // namespace crmaudit::validators
