#include "reports/signing/crypto_util.h"
#include "scanner/model/input_file.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "reports/signing/signing_error.h"

namespace crmaudit::crypto {

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw SigningError("SHA-256 computation failed");
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

std::string Base64Encode(std::string_view bytes) {
  std::string encoded(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                               reinterpret_cast<const unsigned char*>(bytes.data()),
                               static_cast<int>(bytes.size()));
  encoded.resize(static_cast<size_t>(length));
  return encoded;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  // Normalise to the padded standard alphabet, then let OpenSSL decode. EVP_DecodeBlock
  // silently skips surrounding whitespace, so the alphabet check happens here first.
  std::string normalised;
  normalised.reserve(text.size() + 3);
  size_t padding = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
      normalised.push_back(c);
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    if (c == '-') c = '+';
    if (c == '_') c = '/';
    bool in_alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '+' || c == '/';
    if (!in_alphabet) return std::nullopt;
    normalised.push_back(c);
  }
  if (padding > 2) return std::nullopt;
  if (padding > 0 && normalised.size() % 4 != 0) return std::nullopt;
  if (normalised.size() % 4 == 1) return std::nullopt;
  while (normalised.size() % 4 != 0) {
    normalised.push_back('=');
    ++padding;
  }
  if (normalised.empty()) return std::string();
  std::string decoded(normalised.size() / 4 * 3, '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                               reinterpret_cast<const unsigned char*>(normalised.data()),
                               static_cast<int>(normalised.size()));
  if (length < 0 || static_cast<size_t>(length) < padding) return std::nullopt;
  // EVP_DecodeBlock counts the zero bytes that stand for padding; drop them.
  decoded.resize(static_cast<size_t>(length) - padding);
  return decoded;
}

std::string ReadFileBytes(const std::filesystem::path& file) {
  std::string reason;
  std::optional<std::string> bytes = ReadInputFile(file, kMaxReportFileBytes, &reason);
  if (!bytes) throw SigningError("cannot read " + file.string() + ": " + reason);
  return std::move(*bytes);
}

void WriteFileAtomically(const std::filesystem::path& file, std::string_view bytes) {
  std::random_device random;
  std::filesystem::path temporary = file;
  temporary += ".tmp-" + std::to_string(random());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      int saved = errno;
      throw SigningError("cannot write " + file.string() + ": " + std::strerror(saved));
    }
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw SigningError("cannot write " + file.string() + ": write error");
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, file, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw SigningError("cannot write " + file.string() + ": " + error.message());
  }
}

}  // namespace crmaudit::crypto
