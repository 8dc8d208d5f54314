// Value sniffing: recognising the *form* of a value (ciphertext, password hash, plaintext)
// without classifying its content. Pure, thread-safe, never keeps or logs the value.
#pragma once

#include <string_view>

namespace crmaudit {

enum class BinaryForm { kCiphertext, kReadableText, kOtherBinary };

// pgcrypto PGP packets (symmetric `\xc30d04…`, public-key `\xc1…`, old-format tags) and
// high-entropy data count as ciphertext; well-formed printable UTF-8 is readable text.
BinaryForm SniffBinary(std::string_view bytes);

// Shannon entropy in bits per byte.
double ByteEntropy(std::string_view bytes);

enum class PasswordForm { kStrongHash, kFastUnsalted, kPlaintext, kUnknown };

// bcrypt/argon2/scrypt/PBKDF2/sha-crypt/SCRAM are strong; bare 32/40/64/128-hex is a fast
// unsalted hash; short or low-entropy text is a plaintext password; anything else unknown.
PasswordForm ClassifyPasswordValue(std::string_view value);

// True for column names that say "password": password, passwd, pwd, pass_hash, 密码, 口令…
bool IsPasswordColumnName(std::string_view name);

}  // namespace crmaudit
