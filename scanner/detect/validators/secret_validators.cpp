// Secrets in CRM data: cloud access key ids, JSON Web Tokens, generic high-entropy tokens and
// passwords written into free text as assignments ("password=…", "密码：…").
//
// Patterns find the shapes; these validators reject the look-alikes that a shape alone lets
// through: documentation example keys, placeholders ("changeme", "${TOKEN}", "********"),
// words and low-entropy strings that follow "token=" in prose.
#include <array>
#include <cmath>
#include <string>

#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// `text` (callers bound it to kMaxCandidateBytes) with ASCII letters in lower case.
std::string_view Lowered(std::string_view text, CandidateText* out) {
  out->clear();
  for (char c : text) out->push_back(IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c);
  return out->view();
}

// Text that stands in for a secret in templates, docs and redacted exports.
bool IsPlaceholderSecret(std::string_view text) {
  if (text.find_first_not_of("*•xX#-_.0") == std::string_view::npos) return true;
  if (text.find("${") != std::string_view::npos || text.find("{{") != std::string_view::npos ||
      text.find('<') != std::string_view::npos || text.find("%s") != std::string_view::npos) {
    return true;
  }
  CandidateText storage;
  const std::string_view lowered = Lowered(text, &storage);
  for (std::string_view word :
       {"example",    "changeme", "change_me",   "placeholder", "your_",         "your-",
        "yourkey",    "dummy",    "redacted",    "hidden",      "xxxx",          "****",
        "null",       "none",     "undefined",   "secret_here", "password_here", "token_here",
        "[filtered]", "env:",     "process.env", "os.environ"}) {
    if (lowered.find(word) != std::string_view::npos) return true;
  }
  return false;
}

// Decodes unpadded base64url; false on any other character or an impossible length.
bool DecodeBase64Url(std::string_view text, std::string* out) {
  if (text.size() % 4 == 1) return false;
  uint32_t buffer = 0;
  int bits = 0;
  out->clear();
  for (char c : text) {
    int value = 0;
    if (IsUpper(c)) {
      value = c - 'A';
    } else if (IsLower(c)) {
      value = c - 'a' + 26;
    } else if (IsDigit(c)) {
      value = c - '0' + 52;
    } else if (c == '-') {
      value = 62;
    } else if (c == '_') {
      value = 63;
    } else {
      return false;
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return true;
}

}  // namespace

bool IsAwsAccessKeyId(std::string_view candidate, const ValidationContext& /*context*/) {
  const std::string_view key = TrimSpaces(candidate);
  if (key.size() != 20) return false;
  if (key.substr(0, 4) != "AKIA" && key.substr(0, 4) != "ASIA") return false;
  for (char c : key) {
    if (!IsUpper(c) && !IsDigit(c)) return false;
  }
  // AWS documentation's sample key ends in EXAMPLE; a real id is random base32-like text.
  if (key.substr(13) == "EXAMPLE" || IsPlaceholderSecret(key)) return false;
  return BitsPerCharacter(key.substr(4)) >= 3.0;
}

bool IsJsonWebToken(std::string_view candidate, const ValidationContext& /*context*/) {
  const std::string_view token = TrimSpaces(candidate);
  if (token.size() > 8192) return false;
  const size_t first_dot = token.find('.');
  if (first_dot == std::string_view::npos) return false;
  const size_t second_dot = token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos) return false;
  if (token.find('.', second_dot + 1) != std::string_view::npos) return false;
  const std::string_view header = token.substr(0, first_dot);
  const std::string_view payload = token.substr(first_dot + 1, second_dot - first_dot - 1);
  const std::string_view signature = token.substr(second_dot + 1);
  std::string decoded;
  if (header.empty() || payload.empty()) return false;
  // Unsigned tokens ("alg":"none") end in a dot and carry no secret of their own, but their
  // claims still authenticate a session in careless services: an empty signature is allowed.
  if (!signature.empty() && !DecodeBase64Url(signature, &decoded)) return false;
  if (!DecodeBase64Url(payload, &decoded) || decoded.empty() || decoded.front() != '{') {
    return false;
  }
  if (!DecodeBase64Url(header, &decoded)) return false;
  const std::string_view json = TrimSpaces(decoded);
  return json.size() >= 2 && json.front() == '{' && json.back() == '}' &&
         json.find("\"alg\"") != std::string_view::npos;
}

bool IsHighEntropySecret(std::string_view candidate, const ValidationContext& /*context*/) {
  const std::string_view text = TrimSpaces(candidate);
  if (text.size() < 16 || text.size() > kMaxCandidateBytes) return false;
  bool letter = false;
  bool digit = false;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return false;
    letter = letter || IsUpper(c) || IsLower(c);
    digit = digit || IsDigit(c);
  }
  // Random tokens mix letters and digits; words, UUID-free prose and dates do not both ways.
  if (!letter || !digit || IsPlaceholderSecret(text)) return false;
  return BitsPerCharacter(text) >= 3.5;
}

bool IsAssignedPassword(std::string_view candidate, const ValidationContext& context) {
  const std::string_view text = TrimSpaces(candidate);
  // Six characters is the shortest password any common policy allows; shorter text after
  // "pwd:" is far more often a word or a fragment.
  if (text.size() < 6 || text.size() > 128) return false;
  if (IsPlaceholderSecret(text)) return false;
  // "password=$2b$12$…" records a hash, which the password-hash detectors judge.
  if (IsStrongPasswordHash(text, context) || IsWeakPasswordHash(text, context)) return false;
  CandidateText storage;
  const std::string_view lowered = Lowered(text, &storage);
  // Prose that follows the word "password": "password: reset", "pwd: see vault".
  for (std::string_view word : {"reset", "vault", "expired", "required", "changed", "sent",
                                "unknown", "empty", "same", "see", "none", "n/a", "tbd"}) {
    if (lowered == word) return false;
  }
  // A person's password mixes at least two of: letters, digits, symbols.
  int classes = 0;
  bool letter = false, digit = false, symbol = false;
  for (char c : text) {
    if (IsUpper(c) || IsLower(c)) {
      letter = true;
    } else if (IsDigit(c)) {
      digit = true;
    } else {
      symbol = true;
    }
  }
  classes = int{letter} + int{digit} + int{symbol};
  return classes >= 2;
}

}  // namespace crmaudit::validators
