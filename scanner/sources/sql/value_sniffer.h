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

// The form of a password value (hash, placeholder, plain text) is not sniffed here: the reader
// uses the one classification exports use too, ClassifyPasswordValue in
// scanner/detect/password_form.h.

// True for column names that say "password": password, passwd, pwd, pass_hash, passwort,
// mot de passe, contraseña, 密码, 口令…
bool IsPasswordColumnName(std::string_view name);

}  // namespace crmaudit
