// Key files: keygen modes and refusals, ssh-style permission checks, passphrase-protected keys,
// and clear errors for everything that is not a usable private key.
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/signing/report_signer.h"
#include "reports/signing/report_verifier.h"
#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"
#include "tests/unit/signing/signing_test_support.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;
using testing_support::FileMode;
using testing_support::ReadBytes;
using testing_support::TempDir;
using testing_support::WriteBytes;

std::string LoadError(const std::filesystem::path& file, const PassphraseSource& source = {}) {
  try {
    PrivateKey::Load(file, source);
  } catch (const SigningError& error) {
    return error.what();
  }
  return "(no error)";
}

// Environment variable set for one test, restored afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~ScopedEnv() { unsetenv(name_); }

 private:
  const char* name_;
};

PassphraseSource NoPrompt(const std::string& variable) {
  PassphraseSource source;
  source.env_var = variable;
  source.prompt_on_tty = false;
  return source;
}

TEST(KeygenTest, WritesA0600PrivateKeyAndAPublicKeyEvenUnderAPermissiveUmask) {
  TempDir dir;
  mode_t old_umask = umask(0);
  KeygenResult result = WriteKeyPair({dir / "signer", KeyAlgorithm::kEd25519, std::nullopt, false});
  umask(old_umask);
  EXPECT_EQ(FileMode(dir / "signer.key"), 0600u);
  EXPECT_EQ(result.type_name, "ed25519");
  EXPECT_THAT(ReadBytes(dir / "signer.key"), HasSubstr("-----BEGIN PRIVATE KEY-----"));
  EXPECT_THAT(ReadBytes(dir / "signer.pub"), HasSubstr("-----BEGIN PUBLIC KEY-----"));
  PrivateKey key = PrivateKey::Load(dir / "signer.key");
  EXPECT_EQ(key.Public().KeyId(), PublicKey::Load(dir / "signer.pub").KeyId());
  EXPECT_EQ(key.Public().KeyId(), result.key_id);
}

TEST(KeygenTest, RefusesToOverwriteUnlessForced) {
  TempDir dir;
  WriteKeyPair({dir / "signer", KeyAlgorithm::kEd25519, std::nullopt, false});
  std::string original = ReadBytes(dir / "signer.key");
  try {
    WriteKeyPair({dir / "signer", KeyAlgorithm::kEd25519, std::nullopt, false});
    FAIL() << "overwrote an existing key";
  } catch (const SigningError& error) {
    EXPECT_THAT(error.what(), HasSubstr("signer.key already exists"));
  }
  EXPECT_EQ(ReadBytes(dir / "signer.key"), original);

  chmod((dir / "signer.key").c_str(), 0644);  // a replaced key must not inherit this
  WriteKeyPair({dir / "signer", KeyAlgorithm::kEcdsaP256, std::nullopt, true});
  EXPECT_NE(ReadBytes(dir / "signer.key"), original);
  EXPECT_EQ(FileMode(dir / "signer.key"), 0600u);
  EXPECT_EQ(PrivateKey::Load(dir / "signer.key").TypeName(), "ecdsa-p256");
}

TEST(KeygenTest, RefusesWhenOnlyThePublicHalfExists) {
  TempDir dir;
  WriteBytes(dir / "signer.pub", "someone else's key");
  EXPECT_THROW(WriteKeyPair({dir / "signer", KeyAlgorithm::kEd25519, std::nullopt, false}),
               SigningError);
  EXPECT_FALSE(std::filesystem::exists(dir / "signer.key"));
}

TEST(KeyLoadTest, GroupOrWorldReadableKeyIsRefusedLikeSsh) {
  TempDir dir;
  WriteKeyPair({dir / "signer", KeyAlgorithm::kEd25519, std::nullopt, false});
  auto key_file = dir / "signer.key";
  chmod(key_file.c_str(), 0644);
  std::string name = key_file.string();
  EXPECT_EQ(LoadError(key_file),
            "permissions 0644 on " + name + " are too open; chmod 600 " + name);
  chmod(key_file.c_str(), 0640);
  EXPECT_THAT(LoadError(key_file), HasSubstr("permissions 0640 on " + name));
  chmod(key_file.c_str(), 0400);
  EXPECT_NO_THROW(PrivateKey::Load(key_file));
}

TEST(KeyLoadTest, SignArtifactsRefusesAnOpenKeyAndSignsNothing) {
  TempDir dir;
  WriteKeyPair({dir / "signer", KeyAlgorithm::kEd25519, std::nullopt, false});
  chmod((dir / "signer.key").c_str(), 0644);
  testing_support::WriteReportFolder(dir / "out");
  try {
    SignArtifacts(dir / "out", {"report.json"}, dir / "signer.key", testing_support::kSummaryJson);
    FAIL() << "signed with a world-readable key";
  } catch (const SigningError& error) {
    EXPECT_THAT(error.what(), HasSubstr("too open"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "report.json.sig"));
}

TEST(KeyLoadTest, MissingKeyNamesTheFile) {
  TempDir dir;
  EXPECT_THAT(LoadError(dir / "absent.key"),
              HasSubstr("cannot read private key " + (dir / "absent.key").string()));
}

TEST(KeyLoadTest, UnreadableKeyNamesTheFileAndTheReason) {
  TempDir dir;
  WriteKeyPair({dir / "signer", KeyAlgorithm::kEd25519, std::nullopt, false});
  // A path through a regular file cannot be opened, whoever runs the test.
  auto through_file = dir / "signer.key" / "key";
  EXPECT_EQ(LoadError(through_file),
            "cannot read private key " + through_file.string() + ": Not a directory");
  if (geteuid() != 0) {  // root reads mode-000 files, so this half needs a normal user
    chmod((dir / "signer.key").c_str(), 0000);
    EXPECT_THAT(LoadError(dir / "signer.key"), HasSubstr("Permission denied"));
  }
}

TEST(KeyLoadTest, DirectoryGivenAsKeyIsRefused) {
  TempDir dir;
  std::filesystem::create_directories(dir / "keys");
  chmod((dir / "keys").c_str(), 0700);
  EXPECT_THAT(LoadError(dir / "keys"),
              HasSubstr("private key " + (dir / "keys").string() + " is not a regular file"));
}

TEST(KeyLoadTest, PublicKeyOrGarbageIsNotAPrivateKey) {
  TempDir dir;
  WriteKeyPair({dir / "signer", KeyAlgorithm::kEd25519, std::nullopt, false});
  std::filesystem::copy_file(dir / "signer.pub", dir / "copy.key");
  chmod((dir / "copy.key").c_str(), 0600);
  EXPECT_THAT(LoadError(dir / "copy.key"), HasSubstr("holds a public key, not a private key"));
  WriteBytes(dir / "junk.key", "not a key at all\n");
  chmod((dir / "junk.key").c_str(), 0600);
  EXPECT_THAT(LoadError(dir / "junk.key"),
              HasSubstr((dir / "junk.key").string() + " is not a PEM private key"));
}

TEST(KeyLoadTest, UnsupportedCurveIsRefused) {
  TempDir dir;
  auto result = testing_support::RunCommand(
      "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out " +
      testing_support::Quote(dir / "p384.key"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  chmod((dir / "p384.key").c_str(), 0600);
  EXPECT_THAT(LoadError(dir / "p384.key"), HasSubstr("unsupported key type"));
}

TEST(PassphraseTest, EncryptedKeyRoundTripsWithTheRightPassphrase) {
  TempDir dir;
  WriteKeyPair({dir / "signer", KeyAlgorithm::kEd25519, std::string("correct horse"), false});
  std::string pem = ReadBytes(dir / "signer.key");
  EXPECT_THAT(pem, HasSubstr("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  // Really AES-256-CBC inside PBES2, as promised.
  auto info = testing_support::RunCommand("openssl asn1parse -in " +
                                          testing_support::Quote(dir / "signer.key"));
  EXPECT_THAT(info.output, HasSubstr("aes-256-cbc"));

  ScopedEnv env("CRMSIGN_TEST_PASS", "correct horse");
  PrivateKey key = PrivateKey::Load(dir / "signer.key", NoPrompt("CRMSIGN_TEST_PASS"));
  testing_support::WriteReportFolder(dir / "out");
  SignArtifacts(dir / "out", {"report.json", "report.html", "report.sarif"}, dir / "signer.key",
                testing_support::kSummaryJson, NoPrompt("CRMSIGN_TEST_PASS"));
  EXPECT_TRUE(VerifyReportDirectory(dir / "out", PublicKey::Load(dir / "signer.pub")).ok());
  EXPECT_EQ(key.Public().KeyId(), PublicKey::Load(dir / "signer.pub").KeyId());
}

TEST(PassphraseTest, WrongPassphraseSaysSoAndNamesTheKey) {
  TempDir dir;
  WriteKeyPair({dir / "signer", KeyAlgorithm::kEcdsaP256, std::string("correct horse"), false});
  ScopedEnv env("CRMSIGN_TEST_PASS", "battery staple");
  std::string error = LoadError(dir / "signer.key", NoPrompt("CRMSIGN_TEST_PASS"));
  EXPECT_EQ(error, "wrong passphrase for private key " + (dir / "signer.key").string());
  EXPECT_THAT(error, ::testing::Not(HasSubstr("battery")));
}

TEST(PassphraseTest, MissingPassphraseNamesTheVariableInsteadOfHanging) {
  TempDir dir;
  WriteKeyPair({dir / "signer", KeyAlgorithm::kEd25519, std::string("correct horse"), false});
  unsetenv("CRMSIGN_TEST_UNSET");
  EXPECT_THAT(LoadError(dir / "signer.key", NoPrompt("CRMSIGN_TEST_UNSET")),
              HasSubstr("passphrase-protected: set CRMSIGN_TEST_UNSET"));
}

TEST(PassphraseTest, EncryptedKeyFromOpensslCliLoads) {
  TempDir dir;
  auto result = testing_support::RunCommand(
      "openssl genpkey -algorithm ed25519 -aes-256-cbc -pass pass:from-cli -out " +
      testing_support::Quote(dir / "cli.key"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  chmod((dir / "cli.key").c_str(), 0600);
  ScopedEnv env("CRMSIGN_TEST_PASS", "from-cli");
  EXPECT_EQ(PrivateKey::Load(dir / "cli.key", NoPrompt("CRMSIGN_TEST_PASS")).TypeName(), "ed25519");
}

TEST(KeyTypeTest, ParsesTheCommandLineNames) {
  EXPECT_EQ(ParseKeyType("ed25519"), KeyAlgorithm::kEd25519);
  EXPECT_EQ(ParseKeyType("ecdsa-p256"), KeyAlgorithm::kEcdsaP256);
  EXPECT_EQ(ParseKeyType("rsa-pss-3072"), KeyAlgorithm::kRsaPss);
  EXPECT_EQ(ParseKeyType("rsa"), std::nullopt);
}

TEST(KeyTypeTest, PublicKeyFileHoldingAPrivateKeyIsRefused) {
  TempDir dir;
  WriteKeyPair({dir / "signer", KeyAlgorithm::kEd25519, std::nullopt, false});
  EXPECT_THROW(PublicKey::Load(dir / "signer.key"), SigningError);
  EXPECT_THROW(PublicKey::Load(dir / "absent.pub"), SigningError);
}

}  // namespace
}  // namespace crmaudit
