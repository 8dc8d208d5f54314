// Signing keys: the three algorithms crmaudit signs reports with, loaded from PEM files,
// built from raw Ed25519 bytes, or generated.
//
//   ed25519       PureEdDSA over the message's exact bytes; 64-byte signature (default)
//   ecdsa-p256    ECDSA on P-256 over SHA-256(message); DER-encoded signature
//   rsa-pss-3072  RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length = 32 (the digest length);
//                 the key itself is an ordinary RSA key (rsaEncryption SubjectPublicKeyInfo),
//                 which every stock tool can read
//
// Signatures made here verify with the stock `openssl` command (docs/signing.md), and
// signatures made by `openssl` with those parameters verify here.
//
// Invariants:
//  - A private key file is read only if no group/other permission bit is set (as ssh does);
//    the refusal message says which mode was found and how to fix it.
//  - The key id is the lower-case hex SHA-256 of the public key's DER SubjectPublicKeyInfo,
//    so anyone holding the .pub file can recompute it with `openssl pkey -pubin -outform DER`.
//  - Passphrases and key bytes never appear in messages; buffers holding them are cleansed.
//  - PublicKey / PrivateKey are cheap to copy (shared, immutable key object).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace crmaudit {

enum class KeyAlgorithm { kEd25519, kEcdsaP256, kRsaPss };

// Parses the --type names "ed25519", "ecdsa-p256", "rsa-pss-3072".
std::optional<KeyAlgorithm> ParseKeyType(std::string_view name);

// Where a passphrase for an encrypted private key comes from: the environment variable first;
// when it is unset and stdin is a terminal, a prompt without echo (if allowed). A scheduled
// run without either fails with a message naming the variable rather than hanging.
struct PassphraseSource {
  std::string env_var = "CRMAUDIT_KEY_PASSPHRASE";
  bool prompt_on_tty = true;
};

class PublicKey {
 public:
  // Reads a SubjectPublicKeyInfo PEM file ("BEGIN PUBLIC KEY"). Throws SigningError naming
  // the file when it is unreadable, a private key, or of an unsupported type.
  static PublicKey Load(const std::filesystem::path& file);
  // `origin` names where the PEM came from, for error messages.
  static PublicKey FromPem(std::string_view pem, std::string_view origin);
  // A DER SubjectPublicKeyInfo.
  static PublicKey FromDer(std::string_view der, std::string_view origin);
  // A 32-byte raw Ed25519 public key (RFC 8032).
  static PublicKey FromRawEd25519(std::string_view raw);

  KeyAlgorithm algorithm() const;
  // "ed25519", "ecdsa-p256" or "rsa-pss-<bits>".
  std::string TypeName() const;
  const std::string& KeyId() const;
  // The first 16 hex digits of KeyId(), for human-readable output.
  std::string ShortKeyId() const;
  std::string Pem() const;

  // True when `signature` is a valid signature of `message` under this key with this key's
  // algorithm (see the table above). Never throws on malformed signatures: they are false.
  bool Verify(std::string_view message, std::string_view signature) const;

  struct Impl;

 private:
  explicit PublicKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
  friend class PrivateKey;
};

class PrivateKey {
 public:
  // Reads a PEM private key (PKCS#8, optionally encrypted). Throws SigningError naming the
  // file for: group/other-readable file, unreadable file, missing or wrong passphrase,
  // something that is not a private key, unsupported algorithm.
  static PrivateKey Load(const std::filesystem::path& file,
                         const PassphraseSource& passphrase = {});
  // A 32-byte Ed25519 seed (RFC 8032 private key).
  static PrivateKey FromRawEd25519Seed(std::string_view seed);
  static PrivateKey Generate(KeyAlgorithm algorithm);

  KeyAlgorithm algorithm() const;
  std::string TypeName() const;
  const PublicKey& Public() const;

  // The signature of `message`'s exact bytes (see the table above).
  std::string Sign(std::string_view message) const;

  // PKCS#8 PEM; encrypted with AES-256-CBC (PBES2) when `passphrase` is given.
  std::string ToPkcs8Pem(const std::string* passphrase = nullptr) const;

  struct Impl;

 private:
  PrivateKey(std::shared_ptr<const Impl> impl, PublicKey public_key)
      : impl_(std::move(impl)), public_(std::move(public_key)) {}
  std::shared_ptr<const Impl> impl_;
  PublicKey public_;
};

struct KeygenOptions {
  std::filesystem::path prefix;  // writes PREFIX.key and PREFIX.pub
  KeyAlgorithm algorithm = KeyAlgorithm::kEd25519;
  std::optional<std::string> passphrase;  // encrypts PREFIX.key when set
  bool overwrite = false;                 // --force
};

struct KeygenResult {
  std::filesystem::path private_key_file;
  std::filesystem::path public_key_file;
  std::string key_id;
  std::string type_name;
};

// Generates a key pair. PREFIX.key is created with O_CREAT|O_EXCL and mode 0600, so it is
// never readable by others, not even for a moment; an existing PREFIX.key or PREFIX.pub is
// refused unless `overwrite`, in which case it is removed first (never reused with its old
// mode). Throws SigningError naming the file.
KeygenResult WriteKeyPair(const KeygenOptions& options);

}  // namespace crmaudit
