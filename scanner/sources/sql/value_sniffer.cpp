#include "scanner/sources/sql/value_sniffer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string>

#include "scanner/model/utf8.h"

namespace crmaudit {
namespace {

bool IsPgpPacket(std::string_view bytes) {
  if (bytes.size() < 20) return false;
  const auto first = static_cast<unsigned char>(bytes[0]);
  // New-format tags 3 (symmetric-key session key) and 1 (public-key session key), and the
  // old-format encodings of the same tags.
  return first == 0xc3 || first == 0xc1 || first == 0x8c || first == 0x8d || first == 0x84 ||
         first == 0x85;
}

bool IsPrintableUtf8(std::string_view bytes) {
  if (!IsValidUtf8(bytes)) return false;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
    if (u == 0x7f) return false;
  }
  return true;
}

}  // namespace

double ByteEntropy(std::string_view bytes) {
  if (bytes.empty()) return 0;
  std::array<size_t, 256> counts{};
  for (char c : bytes) ++counts[static_cast<unsigned char>(c)];
  double entropy = 0;
  const double n = static_cast<double>(bytes.size());
  for (size_t count : counts) {
    if (count == 0) continue;
    const double p = static_cast<double>(count) / n;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

BinaryForm SniffBinary(std::string_view bytes) {
  if (IsPgpPacket(bytes)) return BinaryForm::kCiphertext;
  if (!bytes.empty() && IsPrintableUtf8(bytes)) return BinaryForm::kReadableText;
  if (bytes.size() >= 16) {
    // Random data of n bytes reaches close to log2(min(n, 256)) bits per byte.
    const double ceiling = std::log2(static_cast<double>(std::min<size_t>(bytes.size(), 256)));
    if (ByteEntropy(bytes) >= 0.85 * ceiling) return BinaryForm::kCiphertext;
  }
  return BinaryForm::kOtherBinary;
}

bool IsPasswordColumnName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::string_view kWords[] = {
      "password",   "passwd",   "pwd",          "pass_hash",    "passhash",   "passwort",
      "user_hash",  "kennwort", "mot_de_passe", "mot de passe", "motdepasse", "contraseña",
      "contrasena", "senha",    "wachtwoord",   "密码",         "口令"};
  for (auto word : kWords) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace crmaudit
