// The keygen and verify subcommands as a user runs them: files, modes, printed lines and exit
// codes (0 verified, 4 verification failed, 2 usage error).
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/signing/chain_head.h"
#include "reports/signing/crypto_util.h"
#include "reports/signing/report_signer.h"
#include "reports/signing/signing_keys.h"
#include "tests/unit/signing/signing_test_support.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;
using testing_support::CommandResult;
using testing_support::FileMode;
using testing_support::Quote;
using testing_support::ReadBytes;
using testing_support::RunCommand;
using testing_support::TempDir;
using testing_support::WriteBytes;
using testing_support::WriteReportFolder;

CommandResult Crmaudit(const std::string& arguments) {
  return RunCommand(Quote(CRMAUDIT_BINARY) + " " + arguments);
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(CRMAUDIT_BINARY)) << "build the crmaudit target first";
  }

  // keygen through the binary, then a signed report folder.
  void MakeSignedFolder(const std::string& type = "ed25519") {
    auto result = Crmaudit("keygen --out " + Quote(temp_ / "signer") + " --type " + type);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    WriteReportFolder(temp_ / "out");
    SignArtifacts(temp_ / "out", {"report.json", "report.html", "report.sarif"},
                  temp_ / "signer.key", testing_support::kSummaryJson);
  }

  std::string KeyFlag() const { return " --key " + Quote(temp_ / "signer.pub"); }

  TempDir temp_;
};

TEST_F(CliTest, KeygenWritesA0600KeyAndRefusesToOverwrite) {
  auto result = Crmaudit("keygen --out " + Quote(temp_ / "signer"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(FileMode(temp_ / "signer.key"), 0600u);
  EXPECT_THAT(ReadBytes(temp_ / "signer.key"), HasSubstr("BEGIN PRIVATE KEY"));
  EXPECT_THAT(ReadBytes(temp_ / "signer.pub"), HasSubstr("BEGIN PUBLIC KEY"));
  EXPECT_EQ(PublicKey::Load(temp_ / "signer.pub").TypeName(), "ed25519");

  std::string original = ReadBytes(temp_ / "signer.key");
  result = Crmaudit("keygen --out " + Quote(temp_ / "signer"));
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("already exists"));
  EXPECT_EQ(ReadBytes(temp_ / "signer.key"), original);

  result = Crmaudit("keygen --force --type ecdsa-p256 --out " + Quote(temp_ / "signer"));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(PublicKey::Load(temp_ / "signer.pub").TypeName(), "ecdsa-p256");
  EXPECT_EQ(FileMode(temp_ / "signer.key"), 0600u);
}

TEST_F(CliTest, KeygenRejectsUnknownTypes) {
  auto result = Crmaudit("keygen --type dsa --out " + Quote(temp_ / "signer"));
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_FALSE(std::filesystem::exists(temp_ / "signer.key"));
}

TEST_F(CliTest, KeygenWithPassphraseEnvWritesAnEncryptedKey) {
  auto result =
      RunCommand("CRMSIGN_CLI_PASS=hunter22 " + Quote(CRMAUDIT_BINARY) +
                 " keygen --passphrase-env CRMSIGN_CLI_PASS --out " + Quote(temp_ / "signer"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(ReadBytes(temp_ / "signer.key"), HasSubstr("BEGIN ENCRYPTED PRIVATE KEY"));
  EXPECT_THAT(result.output, ::testing::Not(HasSubstr("hunter22")));
  // openssl opens it with the same passphrase: standard PKCS#8.
  auto check = RunCommand("openssl pkey -in " + Quote(temp_ / "signer.key") +
                          " -passin pass:hunter22 -noout");
  EXPECT_EQ(check.exit_code, 0) << check.output;

  result = RunCommand("env -u CRMSIGN_CLI_UNSET " + Quote(CRMAUDIT_BINARY) +
                      " keygen --passphrase-env CRMSIGN_CLI_UNSET --out " + Quote(temp_ / "other"));
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_FALSE(std::filesystem::exists(temp_ / "other.key"));
}

TEST_F(CliTest, VerifyPrintsOneOkLinePerFileAndExitsZero) {
  MakeSignedFolder();
  std::string short_id = PublicKey::Load(temp_ / "signer.pub").ShortKeyId();
  auto result = Crmaudit("verify " + Quote(temp_ / "out") + KeyFlag());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("OK  report.json (ed25519, key " + short_id + ")"));
  EXPECT_THAT(result.output, HasSubstr("OK  report.html (ed25519, key " + short_id + ")"));
  EXPECT_THAT(result.output, HasSubstr("OK  report.sarif (ed25519, key " + short_id + ")"));
  EXPECT_THAT(result.output, HasSubstr("OK  report.dsse.json"));
}

TEST_F(CliTest, VerifyNamesTheTamperedFileAndExitsFour) {
  MakeSignedFolder("rsa-pss-3072");
  std::string html = ReadBytes(temp_ / "out" / "report.html");
  html[10] ^= 0x20;
  WriteBytes(temp_ / "out" / "report.html", html);
  auto result = Crmaudit("verify " + Quote(temp_ / "out") + KeyFlag());
  EXPECT_EQ(result.exit_code, 4) << result.output;
  EXPECT_THAT(result.output, HasSubstr("FAIL report.html: signature does not match"));
  EXPECT_THAT(result.output, HasSubstr("OK  report.json (rsa-pss-3072"));
}

TEST_F(CliTest, VerifySingleFileAgainstItsSig) {
  MakeSignedFolder("ecdsa-p256");
  auto result = Crmaudit("verify " + Quote(temp_ / "out" / "report.sarif") + KeyFlag());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("OK  report.sarif (ecdsa-p256"));
  WriteBytes(temp_ / "out" / "report.sarif", "{}");
  result = Crmaudit("verify " + Quote(temp_ / "out" / "report.sarif") + KeyFlag());
  EXPECT_EQ(result.exit_code, 4) << result.output;
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  MakeSignedFolder();
  auto result = Crmaudit("verify " + Quote(temp_ / "out") + " --key " + Quote(temp_ / "no.pub"));
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("no.pub"));
  result = Crmaudit("verify " + Quote(temp_ / "missing-dir") + KeyFlag());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  result = Crmaudit("verify " + Quote(temp_ / "out"));  // no --key
  EXPECT_EQ(result.exit_code, 2) << result.output;
}

TEST_F(CliTest, VerifyChainNamesTheFirstBreak) {
  MakeSignedFolder();
  PrivateKey key = PrivateKey::Load(temp_ / "signer.key");
  std::string previous;
  for (const char* name : {"2026-01-01", "2026-02-01", "2026-03-01"}) {
    auto folder = temp_ / "archive" / name;
    WriteReportFolder(folder, previous);
    SignArtifacts(folder, {"report.json", "report.html", "report.sarif"}, key,
                  testing_support::kSummaryJson);
    previous = crypto::Sha256Hex(ReadBytes(folder / "report.json"));
  }
  auto result = Crmaudit("verify --chain " + Quote(temp_ / "archive") + KeyFlag());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("chain OK: 3 report folders"));

  std::filesystem::remove_all(temp_ / "archive" / "2026-02-01");
  result = Crmaudit("verify --chain " + Quote(temp_ / "archive") + KeyFlag());
  EXPECT_EQ(result.exit_code, 4) << result.output;
  EXPECT_THAT(result.output,
              HasSubstr("chain broken at " + (temp_ / "archive" / "2026-03-01").string() +
                        ": previous_sha256 does not match " +
                        (temp_ / "archive" / "2026-01-01" / "report.json").string()));

  // Explicit folder list in the given order.
  result = Crmaudit("verify --chain " + Quote(temp_ / "archive" / "2026-01-01") + " " +
                    Quote(temp_ / "archive" / "2026-03-01") + KeyFlag());
  EXPECT_EQ(result.exit_code, 4) << result.output;
}

TEST_F(CliTest, VerifyHelpNamesStrict) {
  auto result = Crmaudit("verify --help");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("--strict"));
}

TEST_F(CliTest, VerifyWarnsAboutUnlistedFilesAndFailsOnThemWithStrict) {
  MakeSignedFolder();
  WriteBytes(temp_ / "out" / "evil.html", "<script>alert(1)</script>");
  auto result = Crmaudit("verify " + Quote(temp_ / "out") + KeyFlag());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output,
              HasSubstr("WARN evil.html: not listed in report.dsse.json, not verified\n"));
  EXPECT_THAT(result.output, HasSubstr("4 checks OK, 1 warning (--strict fails on warnings)"));
  result = Crmaudit("verify --strict " + Quote(temp_ / "out") + KeyFlag());
  EXPECT_EQ(result.exit_code, 4) << result.output;
  EXPECT_THAT(result.output, HasSubstr("FAIL evil.html: not listed in report.dsse.json"));
}

TEST_F(CliTest, VerifyOfAFolderSaysThatFreshnessNeedsChain) {
  MakeSignedFolder();
  auto result = Crmaudit("verify " + Quote(temp_ / "out") + KeyFlag());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("not checked: that this is the newest report"));
  EXPECT_THAT(result.output, HasSubstr("--chain"));
}

TEST_F(CliTest, VerifySingleFileWithoutAnEnvelopeWarnsAndFailsWithStrict) {
  MakeSignedFolder();
  std::filesystem::remove(temp_ / "out" / "report.dsse.json");
  auto result = Crmaudit("verify " + Quote(temp_ / "out" / "report.json") + KeyFlag());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("WARN report.dsse.json: not found beside report.json"));
  result = Crmaudit("verify --strict " + Quote(temp_ / "out" / "report.json") + KeyFlag());
  EXPECT_EQ(result.exit_code, 4) << result.output;
}

TEST_F(CliTest, VerifySymlinkedReportFailsWithExitFour) {
  MakeSignedFolder();
  std::filesystem::create_directories(temp_ / "elsewhere");
  std::filesystem::rename(temp_ / "out" / "report.json", temp_ / "elsewhere" / "report.json");
  std::filesystem::create_symlink("../elsewhere/report.json", temp_ / "out" / "report.json");
  auto result = Crmaudit("verify " + Quote(temp_ / "out") + KeyFlag());
  EXPECT_EQ(result.exit_code, 4) << result.output;
  EXPECT_THAT(result.output, HasSubstr("FAIL report.json: is a symbolic link; artifacts must be "
                                       "regular files in the folder"));
  result = Crmaudit("verify " + Quote(temp_ / "out" / "report.json") + KeyFlag());
  EXPECT_EQ(result.exit_code, 4) << result.output;
}

TEST_F(CliTest, VerifyRefusesAKeyFileWithTwoKeysOrTrailingBytesWithExitTwo) {
  MakeSignedFolder();
  std::string pem = ReadBytes(temp_ / "signer.pub");
  WriteBytes(temp_ / "two.pub", pem + pem);
  auto result = Crmaudit("verify " + Quote(temp_ / "out") + " --key " + Quote(temp_ / "two.pub"));
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("holds 2 PEM blocks; a key file must hold exactly one key"));
  WriteBytes(temp_ / "trailing.pub", pem + "#!\n");
  result = Crmaudit("verify " + Quote(temp_ / "out") + " --key " + Quote(temp_ / "trailing.pub"));
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("has text after its -----END ...----- line"));
}

TEST_F(CliTest, VerifyChainFailsWhenTheNewestReportNamedByTheHeadIsDeleted) {
  MakeSignedFolder();
  PrivateKey key = PrivateKey::Load(temp_ / "signer.key");
  std::string previous;
  for (const char* name : {"2026-01-01", "2026-02-01"}) {
    auto folder = temp_ / "archive" / name;
    WriteReportFolder(folder, previous);
    SignArtifacts(folder, {"report.json", "report.html", "report.sarif"}, key,
                  testing_support::kSummaryJson);
    previous = crypto::Sha256Hex(ReadBytes(folder / "report.json"));
    WriteChainHead(temp_ / "archive", name, &key);
  }
  auto result = Crmaudit("verify --chain " + Quote(temp_ / "archive") + KeyFlag());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("OK  " + (temp_ / "archive" / "chain-head.json").string()));
  std::filesystem::remove_all(temp_ / "archive" / "2026-02-01");
  result = Crmaudit("verify --chain " + Quote(temp_ / "archive") + KeyFlag());
  EXPECT_EQ(result.exit_code, 4) << result.output;
  EXPECT_THAT(result.output, HasSubstr("the newest report named by chain-head.json (2026-02-01) "
                                       "is missing or differs"));
  // A chained archive without its head: a warning, a failure with --strict.
  std::filesystem::remove(temp_ / "archive" / "chain-head.json");
  std::filesystem::remove(temp_ / "archive" / "chain-head.json.sig");
  auto second = temp_ / "archive" / "2026-02-01";
  WriteReportFolder(second,
                    crypto::Sha256Hex(ReadBytes(temp_ / "archive" / "2026-01-01" / "report.json")));
  SignArtifacts(second, {"report.json", "report.html", "report.sarif"}, key,
                testing_support::kSummaryJson);
  result = Crmaudit("verify --chain " + Quote(temp_ / "archive") + KeyFlag());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output,
              HasSubstr("WARN " + (temp_ / "archive" / "chain-head.json").string() + ": missing"));
  result = Crmaudit("verify --strict --chain " + Quote(temp_ / "archive") + KeyFlag());
  EXPECT_EQ(result.exit_code, 4) << result.output;
}

}  // namespace
}  // namespace crmaudit
