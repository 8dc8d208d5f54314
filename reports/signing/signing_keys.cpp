#include "reports/signing/signing_keys.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "reports/signing/crypto_util.h"
#include "reports/signing/signing_error.h"

namespace crmaudit {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

constexpr int kMinimumRsaBits = 2048;

// OpenSSL leaves reasons on a thread-local queue; clear it so one failure never leaks into
// the diagnosis of the next operation.
void ClearOpenSslErrors() { ERR_clear_error(); }

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(length));
}

// Classifies a key; nullopt for anything crmaudit does not sign with.
std::optional<KeyAlgorithm> ClassifyKey(const EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "ED25519")) return KeyAlgorithm::kEd25519;
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {0};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       &length) == 1 &&
        (std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0)) {
      return KeyAlgorithm::kEcdsaP256;
    }
    return std::nullopt;
  }
  if (EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "RSA-PSS")) {
    if (EVP_PKEY_get_bits(key) >= kMinimumRsaBits) return KeyAlgorithm::kRsaPss;
  }
  return std::nullopt;
}

std::string TypeNameOf(KeyAlgorithm algorithm, const EVP_PKEY* key) {
  switch (algorithm) {
    case KeyAlgorithm::kEd25519:
      return "ed25519";
    case KeyAlgorithm::kEcdsaP256:
      return "ecdsa-p256";
    case KeyAlgorithm::kRsaPss:
      return "rsa-pss-" + std::to_string(EVP_PKEY_get_bits(key));
  }
  return "unknown";
}

const char* kSupportedTypes = "supported: ed25519, ecdsa-p256, rsa-pss-3072";

// Sets up a sign or verify context with the parameters of the table in signing_keys.h.
bool InitContext(EVP_MD_CTX* ctx, EVP_PKEY* key, KeyAlgorithm algorithm, bool for_signing) {
  const EVP_MD* digest = algorithm == KeyAlgorithm::kEd25519 ? nullptr : EVP_sha256();
  EVP_PKEY_CTX* pkey_ctx = nullptr;
  int ok = for_signing ? EVP_DigestSignInit(ctx, &pkey_ctx, digest, nullptr, key)
                       : EVP_DigestVerifyInit(ctx, &pkey_ctx, digest, nullptr, key);
  if (ok != 1) return false;
  if (algorithm == KeyAlgorithm::kRsaPss) {
    if (EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pkey_ctx, EVP_sha256()) != 1) {
      return false;
    }
  }
  return true;
}

std::string SubjectPublicKeyInfoDer(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int length = i2d_PUBKEY(key, &der);
  if (length <= 0) throw SigningError("cannot encode public key");
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return bytes;
}

// Passphrase lookup for PEM_read_bio_PrivateKey_ex; OpenSSL calls it only for an encrypted
// key, so an unencrypted key never prompts.
struct PassphraseRequest {
  const PassphraseSource* source;
  bool asked = false;
  bool supplied = false;
};

int PassphraseCallback(char* buffer, int size, int /*rwflag*/, void* user_data) {
  auto* request = static_cast<PassphraseRequest*>(user_data);
  request->asked = true;
  const char* from_env =
      request->source->env_var.empty() ? nullptr : std::getenv(request->source->env_var.c_str());
  if (from_env != nullptr) {
    size_t length = std::strlen(from_env);
    if (length >= static_cast<size_t>(size)) return -1;
    std::memcpy(buffer, from_env, length);
    request->supplied = true;
    return static_cast<int>(length);
  }
  if (request->source->prompt_on_tty && isatty(STDIN_FILENO)) {
    if (EVP_read_pw_string(buffer, size, "Passphrase for the signing key: ", 0) != 0) return -1;
    request->supplied = true;
    return static_cast<int>(std::strlen(buffer));
  }
  return -1;
}

// A key file holds one PEM block and nothing but whitespace after it. OpenSSL reads the first
// block and ignores the rest, so a file with a second key, or with bytes appended after the
// key, would be used as a key other than the one a reader of the file may believe it holds.
// Text before the block stays allowed (RFC 7468 explanatory text, `openssl pkey -text`).
// The reason never quotes the file's content.
std::optional<std::string> PemShapeProblem(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  constexpr std::string_view kEnd = "-----END ";
  size_t blocks = 0;
  for (size_t at = pem.find(kBegin); at != std::string_view::npos;
       at = pem.find(kBegin, at + kBegin.size())) {
    ++blocks;
  }
  if (blocks > 1) {
    return "holds " + std::to_string(blocks) + " PEM blocks; a key file must hold exactly one key";
  }
  size_t end = pem.find(kEnd);
  if (blocks == 0 || end == std::string_view::npos) return std::nullopt;  // OpenSSL says why
  size_t close = pem.find("-----", end + kEnd.size());
  if (close == std::string_view::npos) return std::nullopt;
  for (char c : pem.substr(close + 5)) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      return std::string(
          "has text after its -----END ...----- line; a key file must hold the "
          "key and nothing else");
    }
  }
  return std::nullopt;
}

}  // namespace

struct PublicKey::Impl {
  PkeyPtr key;
  KeyAlgorithm algorithm;
  std::string type_name;
  std::string key_id;
};

struct PrivateKey::Impl {
  PkeyPtr key;
  KeyAlgorithm algorithm;
};

namespace {

std::shared_ptr<const PublicKey::Impl> MakePublicImpl(PkeyPtr key, std::string_view origin) {
  auto algorithm = ClassifyKey(key.get());
  if (!algorithm) {
    throw SigningError("unsupported key type in " + std::string(origin) + " (" + kSupportedTypes +
                       ")");
  }
  auto impl = std::make_shared<PublicKey::Impl>();
  impl->algorithm = *algorithm;
  impl->type_name = TypeNameOf(*algorithm, key.get());
  impl->key_id = crypto::Sha256Hex(SubjectPublicKeyInfoDer(key.get()));
  impl->key = std::move(key);
  return impl;
}

}  // namespace

std::optional<KeyAlgorithm> ParseKeyType(std::string_view name) {
  if (name == "ed25519") return KeyAlgorithm::kEd25519;
  if (name == "ecdsa-p256") return KeyAlgorithm::kEcdsaP256;
  if (name == "rsa-pss-3072") return KeyAlgorithm::kRsaPss;
  return std::nullopt;
}

PublicKey PublicKey::Load(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    throw SigningError("cannot read public key " + file.string() + ": " +
                       (error ? error.message() : std::string("not a regular file")));
  }
  std::string pem;
  try {
    pem = crypto::ReadFileBytes(file);
  } catch (const SigningError& read_error) {
    throw SigningError(std::string("public key: ") + read_error.what());
  }
  return FromPem(pem, file.string());
}

PublicKey PublicKey::FromPem(std::string_view pem, std::string_view origin) {
  ClearOpenSslErrors();
  if (pem.find("PRIVATE KEY-----") != std::string_view::npos) {
    throw SigningError(std::string(origin) +
                       " holds a private key; verify with the public key (.pub) and keep the "
                       "private key where it is");
  }
  if (std::optional<std::string> problem = PemShapeProblem(pem)) {
    throw SigningError(std::string(origin) + " " + *problem);
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  ClearOpenSslErrors();
  if (!key) {
    throw SigningError(std::string(origin) +
                       " is not a PEM public key (expected -----BEGIN PUBLIC KEY-----)");
  }
  return PublicKey(MakePublicImpl(std::move(key), origin));
}

PublicKey PublicKey::FromDer(std::string_view der, std::string_view origin) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  PkeyPtr key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
  ClearOpenSslErrors();
  if (!key) throw SigningError(std::string(origin) + " is not a DER SubjectPublicKeyInfo");
  return PublicKey(MakePublicImpl(std::move(key), origin));
}

PublicKey PublicKey::FromRawEd25519(std::string_view raw) {
  PkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size()));
  ClearOpenSslErrors();
  if (!key) throw SigningError("not a 32-byte Ed25519 public key");
  return PublicKey(MakePublicImpl(std::move(key), "raw Ed25519 key"));
}

KeyAlgorithm PublicKey::algorithm() const { return impl_->algorithm; }
std::string PublicKey::TypeName() const { return impl_->type_name; }
const std::string& PublicKey::KeyId() const { return impl_->key_id; }
std::string PublicKey::ShortKeyId() const { return impl_->key_id.substr(0, 16); }

std::string PublicKey::Pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), impl_->key.get()) != 1) {
    ClearOpenSslErrors();
    throw SigningError("cannot encode public key as PEM");
  }
  return BioContents(bio.get());
}

bool PublicKey::Verify(std::string_view message, std::string_view signature) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok =
      ctx && InitContext(ctx.get(), impl_->key.get(), impl_->algorithm, false) &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ClearOpenSslErrors();
  return ok;
}

namespace {

// A public-only copy, so verification never touches the private half.
PublicKey DerivePublic(EVP_PKEY* private_key) {
  return PublicKey::FromDer(SubjectPublicKeyInfoDer(private_key), "derived public key");
}

}  // namespace

PrivateKey PrivateKey::Load(const std::filesystem::path& file, const PassphraseSource& source) {
  const std::string name = file.string();
  // O_NONBLOCK: a FIFO given as the key must be refused below, not wait for a writer.
  int fd = open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    throw SigningError("cannot read private key " + name + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    throw SigningError("private key " + name + " is not a regular file");
  }
  if ((info.st_mode & 077) != 0) {
    close(fd);
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(info.st_mode & 07777));
    throw SigningError(std::string("permissions ") + mode + " on " + name +
                       " are too open; chmod 600 " + name);
  }
  std::string pem;
  char chunk[4096];
  for (;;) {
    ssize_t got = read(fd, chunk, sizeof(chunk));
    if (got < 0) {
      int saved = errno;
      close(fd);
      OPENSSL_cleanse(pem.data(), pem.size());
      throw SigningError("cannot read private key " + name + ": " + std::strerror(saved));
    }
    if (got == 0) break;
    pem.append(chunk, static_cast<size_t>(got));
  }
  close(fd);
  OPENSSL_cleanse(chunk, sizeof(chunk));

  if (std::optional<std::string> problem = PemShapeProblem(pem)) {
    OPENSSL_cleanse(pem.data(), pem.size());
    throw SigningError("private key " + name + " " + *problem);
  }
  ClearOpenSslErrors();
  PassphraseRequest request{&source};
  PkeyPtr key;
  {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (bio) {
      key.reset(PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, PassphraseCallback, &request,
                                           nullptr, nullptr));
    }
  }
  bool looks_public = pem.find("-----BEGIN PUBLIC KEY-----") != std::string::npos;
  OPENSSL_cleanse(pem.data(), pem.size());
  ClearOpenSslErrors();
  if (!key) {
    if (request.asked && !request.supplied) {
      throw SigningError(
          "private key " + name + " is passphrase-protected: set " +
          (source.env_var.empty() ? std::string("a passphrase variable") : source.env_var) +
          " or run on a terminal to be prompted");
    }
    if (request.asked) throw SigningError("wrong passphrase for private key " + name);
    if (looks_public) {
      throw SigningError(name + " holds a public key, not a private key");
    }
    throw SigningError(name +
                       " is not a PEM private key (expected PKCS#8, -----BEGIN PRIVATE KEY-----)");
  }
  auto algorithm = ClassifyKey(key.get());
  if (!algorithm) {
    throw SigningError("unsupported key type in " + name + " (" + kSupportedTypes + ")");
  }
  PublicKey public_key = DerivePublic(key.get());
  auto impl = std::make_shared<Impl>();
  impl->algorithm = *algorithm;
  impl->key = std::move(key);
  return PrivateKey(std::move(impl), std::move(public_key));
}

PrivateKey PrivateKey::FromRawEd25519Seed(std::string_view seed) {
  PkeyPtr key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size()));
  ClearOpenSslErrors();
  if (!key) throw SigningError("not a 32-byte Ed25519 seed");
  PublicKey public_key = DerivePublic(key.get());
  auto impl = std::make_shared<Impl>();
  impl->algorithm = KeyAlgorithm::kEd25519;
  impl->key = std::move(key);
  return PrivateKey(std::move(impl), std::move(public_key));
}

PrivateKey PrivateKey::Generate(KeyAlgorithm algorithm) {
  PkeyPtr key;
  switch (algorithm) {
    case KeyAlgorithm::kEd25519:
      key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
      break;
    case KeyAlgorithm::kEcdsaP256:
      key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
      break;
    case KeyAlgorithm::kRsaPss:
      key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(3072)));
      break;
  }
  ClearOpenSslErrors();
  if (!key) throw SigningError("key generation failed");
  PublicKey public_key = DerivePublic(key.get());
  auto impl = std::make_shared<Impl>();
  impl->algorithm = algorithm;
  impl->key = std::move(key);
  return PrivateKey(std::move(impl), std::move(public_key));
}

KeyAlgorithm PrivateKey::algorithm() const { return impl_->algorithm; }
std::string PrivateKey::TypeName() const { return public_.TypeName(); }
const PublicKey& PrivateKey::Public() const { return public_; }

std::string PrivateKey::Sign(std::string_view message) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  if (!ctx || !InitContext(ctx.get(), impl_->key.get(), impl_->algorithm, true) ||
      EVP_DigestSign(ctx.get(), nullptr, &length, data, message.size()) != 1) {
    ClearOpenSslErrors();
    throw SigningError("signing failed (" + TypeName() + ")");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                     message.size()) != 1) {
    ClearOpenSslErrors();
    throw SigningError("signing failed (" + TypeName() + ")");
  }
  signature.resize(length);  // DER ECDSA signatures vary in length
  return signature;
}

std::string PrivateKey::ToPkcs8Pem(const std::string* passphrase) const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  int ok = 0;
  if (bio) {
    if (passphrase != nullptr) {
      ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), impl_->key.get(), EVP_aes_256_cbc(),
                                         passphrase->data(), static_cast<int>(passphrase->size()),
                                         nullptr, nullptr);
    } else {
      ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), impl_->key.get(), nullptr, nullptr, 0, nullptr,
                                         nullptr);
    }
  }
  if (ok != 1) {
    ClearOpenSslErrors();
    throw SigningError("cannot encode private key as PKCS#8");
  }
  std::string pem = BioContents(bio.get());
  // The memory BIO held the key too; wipe it before it is freed.
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  if (data != nullptr && length > 0) OPENSSL_cleanse(data, static_cast<size_t>(length));
  return pem;
}

namespace {

// Creates `file` exclusively with `mode` and writes `bytes`. The mode is set by open() itself,
// so there is no window in which a private key exists with wider permissions.
void WriteNewFile(const std::filesystem::path& file, std::string_view bytes, mode_t mode) {
  int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    throw SigningError("cannot create " + file.string() + ": " + std::strerror(errno));
  }
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t put = write(fd, bytes.data() + written, bytes.size() - written);
    if (put < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      close(fd);
      throw SigningError("cannot write " + file.string() + ": " + std::strerror(saved));
    }
    written += static_cast<size_t>(put);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    throw SigningError("cannot write " + file.string() + ": " + std::strerror(errno));
  }
}

}  // namespace

KeygenResult WriteKeyPair(const KeygenOptions& options) {
  KeygenResult result;
  result.private_key_file = options.prefix;
  result.private_key_file += ".key";
  result.public_key_file = options.prefix;
  result.public_key_file += ".pub";
  for (const auto& file : {result.private_key_file, result.public_key_file}) {
    std::error_code error;
    bool present = std::filesystem::exists(std::filesystem::symlink_status(file, error));
    if (!present) continue;
    if (!options.overwrite) {
      throw SigningError(file.string() + " already exists; refusing to overwrite it (use --force)");
    }
    // Removed rather than truncated so the new key never inherits the old file's mode.
    if (!std::filesystem::remove(file, error) || error) {
      throw SigningError("cannot replace " + file.string() + ": " + error.message());
    }
  }
  PrivateKey key = PrivateKey::Generate(options.algorithm);
  std::string pem = key.ToPkcs8Pem(options.passphrase ? &*options.passphrase : nullptr);
  try {
    WriteNewFile(result.private_key_file, pem, 0600);
  } catch (...) {
    OPENSSL_cleanse(pem.data(), pem.size());
    throw;
  }
  OPENSSL_cleanse(pem.data(), pem.size());
  WriteNewFile(result.public_key_file, key.Public().Pem(), 0644);
  result.key_id = key.Public().KeyId();
  result.type_name = key.TypeName();
  return result;
}

}  // namespace crmaudit
