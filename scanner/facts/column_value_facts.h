// ColumnValueFacts: what a reader noticed about the *form* of a column's values, as counts.
//
// Filled by readers (sources/postgres) while values stream past, judged by checks (ENC-05,
// ENC-06). Only counts: no value, hash or sample is ever kept here.
#pragma once

#include <cstdint>
#include <string>

namespace crmaudit {

struct ColumnValueFacts {
  std::string column;   // as the source names it
  std::string type;     // database type, e.g. "bytea", "text"
  uint64_t values = 0;  // non-null values examined
  // Binary columns (bytea): values that look like ciphertext (pgcrypto PGP packets, or high
  // entropy), values that are readable UTF-8 text, and other binary data (images, files...).
  uint64_t ciphertext = 0;
  uint64_t readable_text = 0;
  uint64_t other_binary = 0;
  // Columns whose name says "password": how the values are stored.
  bool password_column = false;
  uint64_t strong_hashes = 0;        // bcrypt, argon2, scrypt, PBKDF2, sha-crypt, SCRAM
  uint64_t fast_unsalted = 0;        // bare MD5 / SHA-1 / SHA-256 hex
  uint64_t plaintext_passwords = 0;  // neither a known hash nor high-entropy data
};

}  // namespace crmaudit
