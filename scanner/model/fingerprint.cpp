#include "scanner/model/fingerprint.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <cctype>
#include <string>

namespace crmaudit {

namespace {

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A run of digits (with '-', '_' or '.' between groups) that reads as a date stamp:
// YYYY, YYYY-MM, YYYY-MM-DD, YYYYMM, YYYYMMDD, optionally followed by a time part (hours,
// minutes, seconds, separated by '-', '_', '.' or 'T' or not at all, and a 'Z'). Years 1970-2099.
size_t DateStampLength(std::string_view s, size_t pos) {
  auto digits_at = [&](size_t p, size_t n) {
    if (p + n > s.size()) return false;
    for (size_t i = 0; i < n; ++i)
      if (!IsDigit(s[p + i])) return false;
    return true;
  };
  if (!digits_at(pos, 4)) return 0;
  int year = std::stoi(std::string(s.substr(pos, 4)));
  if (year < 1970 || year > 2099) return 0;
  size_t end = pos + 4;
  // Groups of two digits (month, day, hour, minute, second), separated or not.
  int groups = 0;
  while (groups < 5) {
    size_t p = end;
    if (p < s.size() && (s[p] == '-' || s[p] == '_' || s[p] == '.' || s[p] == 'T')) ++p;
    if (!digits_at(p, 2)) break;
    if (p + 2 < s.size() && IsDigit(s[p + 2]) && groups >= 2 && !digits_at(p, 4)) break;
    end = p + 2;
    ++groups;
  }
  // A time written in UTC ends in 'Z' (2026-03-15T0200Z): the zone belongs to the stamp.
  if (groups >= 3 && end < s.size() && (s[end] == 'Z' || s[end] == 'z')) ++end;
  // A bare 4-digit number is only a stamp when something date-like follows or it is the
  // whole token; "v2024" or "room1999" inside a word stays.
  if (groups == 0 && pos > 0 && std::isalpha(static_cast<unsigned char>(s[pos - 1]))) return 0;
  // Do not swallow a longer digit run (an order number is not a date).
  if (end < s.size() && IsDigit(s[end])) return 0;
  return end - pos;
}

}  // namespace

std::string NormalizeDateStamps(std::string_view relative_path) {
  size_t slash = relative_path.rfind('/');
  size_t base_start = slash == std::string_view::npos ? 0 : slash + 1;
  std::string out(relative_path.substr(0, base_start));
  std::string_view base = relative_path.substr(base_start);
  for (size_t i = 0; i < base.size();) {
    bool at_token_start = i == 0 || !IsDigit(base[i - 1]);
    size_t length = at_token_start ? DateStampLength(base, i) : 0;
    if (length > 0) {
      out += "{date}";
      i += length;
    } else {
      out.push_back(base[i]);
      ++i;
    }
  }
  return out;
}

std::string FindingId(std::string_view rule, const Location& location) {
  // Length-prefixed fields so that no two different locations can produce the same input.
  std::string material;
  auto add = [&material](std::string_view field) {
    material += std::to_string(field.size());
    material.push_back(':');
    material.append(field);
  };
  add("crmaudit-finding-v1");
  add(rule);
  add(location.kind);
  add(location.identity_path.empty() ? NormalizeDateStamps(location.path) : location.identity_path);
  add(location.database);
  add(location.schema);
  add(location.table);
  add(location.column);
  for (const auto& [key, value] : location.extra) {
    add(key);
    add(value);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(material.data()), material.size(), digest);
  return "crm-" + Hex(digest, 8);
}

std::string SeparatedFindingId(std::string_view id, std::string_view identity_path) {
  std::string material = "crmaudit-finding-separated-v1:" + std::to_string(id.size()) + ":" +
                         std::string(id) + std::string(identity_path);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(material.data()), material.size(), digest);
  return "crm-" + Hex(digest, 8);
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return Hex(digest, sizeof digest);
}

std::string KeyedValueFingerprint(std::string_view key, std::string_view value) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(value.data()), value.size(), mac, &mac_length);
  return Hex(mac, mac_length);
}

}  // namespace crmaudit
