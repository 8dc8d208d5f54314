// Interoperability with the stock `openssl` command, on real files: what crmaudit signs,
// openssl verifies; what openssl signs, crmaudit verifies; and the DSSE envelope verifies with
// the shell commands documented in docs/signing.md.
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/signing/report_signer.h"
#include "reports/signing/report_verifier.h"
#include "reports/signing/signing_keys.h"
#include "tests/unit/signing/signing_test_support.h"

namespace crmaudit {
namespace {

using testing_support::Quote;
using testing_support::RunCommand;
using testing_support::TempDir;
using testing_support::WriteBytes;
using testing_support::WriteReportFolder;

const std::vector<std::string> kArtifacts = {"report.json", "report.html", "report.sarif"};

// Signs a fresh report folder with a newly generated key of `algorithm`; returns the paths.
struct SignedFolder {
  std::filesystem::path dir;
  std::filesystem::path public_key;
  std::filesystem::path private_key;
};

SignedFolder MakeSignedFolder(const TempDir& temp, KeyAlgorithm algorithm) {
  SignedFolder folder{temp / "out", temp / "signer.pub", temp / "signer.key"};
  WriteKeyPair({temp / "signer", algorithm, std::nullopt, false});
  WriteReportFolder(folder.dir);
  SignArtifacts(folder.dir, kArtifacts, folder.private_key, testing_support::kSummaryJson);
  return folder;
}

TEST(OpensslInteropTest, OpensslVerifiesEd25519ReportSignatures) {
  TempDir temp;
  SignedFolder folder = MakeSignedFolder(temp, KeyAlgorithm::kEd25519);
  for (const auto& artifact : kArtifacts) {
    auto result = RunCommand("openssl pkeyutl -verify -pubin -inkey " + Quote(folder.public_key) +
                             " -rawin -in " + Quote(folder.dir / artifact) + " -sigfile " +
                             Quote(folder.dir / (artifact + ".sig")));
    EXPECT_EQ(result.exit_code, 0) << artifact << ": " << result.output;
    EXPECT_THAT(result.output, ::testing::HasSubstr("Signature Verified Successfully"));
  }
  // And the same command must reject a modified file, or the check above proves nothing.
  WriteBytes(folder.dir / "report.json", "{}");
  auto result = RunCommand("openssl pkeyutl -verify -pubin -inkey " + Quote(folder.public_key) +
                           " -rawin -in " + Quote(folder.dir / "report.json") + " -sigfile " +
                           Quote(folder.dir / "report.json.sig"));
  EXPECT_NE(result.exit_code, 0) << result.output;
}

TEST(OpensslInteropTest, OpensslVerifiesEcdsaP256ReportSignatures) {
  TempDir temp;
  SignedFolder folder = MakeSignedFolder(temp, KeyAlgorithm::kEcdsaP256);
  for (const auto& artifact : kArtifacts) {
    auto result =
        RunCommand("openssl dgst -sha256 -verify " + Quote(folder.public_key) + " -signature " +
                   Quote(folder.dir / (artifact + ".sig")) + " " + Quote(folder.dir / artifact));
    EXPECT_EQ(result.exit_code, 0) << artifact << ": " << result.output;
    EXPECT_THAT(result.output, ::testing::HasSubstr("Verified OK"));
  }
  WriteBytes(folder.dir / "report.html", "<html></html>");
  auto result =
      RunCommand("openssl dgst -sha256 -verify " + Quote(folder.public_key) + " -signature " +
                 Quote(folder.dir / "report.html.sig") + " " + Quote(folder.dir / "report.html"));
  EXPECT_NE(result.exit_code, 0) << result.output;
}

TEST(OpensslInteropTest, OpensslVerifiesRsaPssReportSignaturesWithDigestLengthSalt) {
  TempDir temp;
  SignedFolder folder = MakeSignedFolder(temp, KeyAlgorithm::kRsaPss);
  auto result = RunCommand(
      "openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest "
      "-sigopt rsa_mgf1_md:sha256 -verify " +
      Quote(folder.public_key) + " -signature " + Quote(folder.dir / "report.json.sig") + " " +
      Quote(folder.dir / "report.json"));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  // PKCS#1 v1.5 verification must fail: the padding really is PSS.
  result =
      RunCommand("openssl dgst -sha256 -verify " + Quote(folder.public_key) + " -signature " +
                 Quote(folder.dir / "report.json.sig") + " " + Quote(folder.dir / "report.json"));
  EXPECT_NE(result.exit_code, 0) << result.output;
}

TEST(OpensslInteropTest, CrmauditVerifiesSignaturesMadeByOpenssl) {
  TempDir temp;
  struct Case {
    std::string genpkey;
    std::string sign;  // FILE, SIG and KEY are substituted
  };
  const std::vector<Case> cases = {
      {"-algorithm ed25519", "openssl pkeyutl -sign -inkey KEY -rawin -in FILE -out SIG"},
      {"-algorithm EC -pkeyopt ec_paramgen_curve:P-256",
       "openssl dgst -sha256 -sign KEY -out SIG FILE"},
      {"-algorithm RSA -pkeyopt rsa_keygen_bits:3072",
       "openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sign "
       "KEY -out SIG FILE"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].genpkey);
    auto dir = temp / ("case" + std::to_string(i));
    std::filesystem::create_directories(dir);
    auto key = dir / "cli.key";
    auto pub = dir / "cli.pub";
    auto file = dir / "report.json";
    WriteBytes(file, "{\"findings\":[],\"schema_version\":\"1\"}");
    ASSERT_EQ(RunCommand("openssl genpkey " + cases[i].genpkey + " -out " + Quote(key)).exit_code,
              0);
    ASSERT_EQ(
        RunCommand("openssl pkey -in " + Quote(key) + " -pubout -out " + Quote(pub)).exit_code, 0);
    std::string command = cases[i].sign;
    auto replace = [&](const std::string& token, const std::string& value) {
      command.replace(command.find(token), token.size(), value);
    };
    replace("KEY", Quote(key));
    replace("SIG", Quote(dir / "report.json.sig"));
    replace("FILE", Quote(file));
    auto result = RunCommand(command);
    ASSERT_EQ(result.exit_code, 0) << result.output;

    PublicKey public_key = PublicKey::Load(pub);
    EXPECT_TRUE(VerifySignedFile(file, public_key).ok());
    WriteBytes(file, "{\"findings\":[1],\"schema_version\":\"1\"}");
    EXPECT_FALSE(VerifySignedFile(file, public_key).ok());

    // A key made by openssl also signs here once it is private to its owner.
    chmod(key.c_str(), 0600);
    PrivateKey private_key = PrivateKey::Load(key);
    EXPECT_EQ(private_key.Public().KeyId(), public_key.KeyId());
  }
}

TEST(OpensslInteropTest, KeyIdIsTheSha256OfThePublicKeyDer) {
  TempDir temp;
  KeygenResult result =
      WriteKeyPair({temp / "signer", KeyAlgorithm::kEd25519, std::nullopt, false});
  auto digest = RunCommand("openssl pkey -pubin -in " + Quote(temp / "signer.pub") +
                           " -outform DER | openssl dgst -sha256 -r");
  ASSERT_EQ(digest.exit_code, 0) << digest.output;
  EXPECT_EQ(digest.output.substr(0, 64), result.key_id);
}

// The ```sh block of docs/signing.md that contains `marker`.
std::string DocumentedScript(const std::string& marker) {
  std::string doc = testing_support::ReadBytes(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "docs" /
                                               "signing.md");
  size_t at = doc.find(marker);
  if (at == std::string::npos) return "";
  size_t begin = doc.rfind("```sh\n", at) + 6;
  return doc.substr(begin, doc.find("```", at) - begin);
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

TEST(OpensslInteropTest, DsseEnvelopeVerifiesWithTheShellCommandsFromTheDocs) {
  TempDir temp;
  SignedFolder folder = MakeSignedFolder(temp, KeyAlgorithm::kEd25519);
  std::string jq_script = DocumentedScript("DSSEv1 %d");
  std::string sed_lines = DocumentedScript("sed -E");
  ASSERT_FALSE(jq_script.empty());
  ASSERT_FALSE(sed_lines.empty());
  // The jq-free variant: the same script with the three extraction lines done by sed.
  std::string sed_script = jq_script;
  size_t first = sed_script.find("jq -j .payload");
  size_t last = sed_script.find("\n", sed_script.find("TYPE=$(jq")) + 1;
  sed_script.replace(first, last - first, sed_lines);

  for (const std::string& documented : {jq_script, sed_script}) {
    std::string script = "set -e\ncd " + Quote(folder.dir) + "\n" +
                         ReplaceAll(documented, "signer.pub", Quote(folder.public_key));
    WriteBytes(temp / "verify.sh", script);
    auto result = RunCommand("bash " + Quote(temp / "verify.sh"));
    EXPECT_EQ(result.exit_code, 0) << script << result.output;
    EXPECT_THAT(result.output, ::testing::HasSubstr("Signature Verified Successfully"));
    EXPECT_THAT(result.output, ::testing::HasSubstr("report.sarif: OK"));
  }
  // Following the docs leaves the report folder as it was.
  EXPECT_TRUE(VerifyReportDirectory(folder.dir, PublicKey::Load(folder.public_key)).ok());

  // The documented check must notice a modified report.
  WriteBytes(folder.dir / "report.sarif", "{}");
  auto result = RunCommand("bash " + Quote(temp / "verify.sh"));
  EXPECT_NE(result.exit_code, 0) << result.output;
}

}  // namespace
}  // namespace crmaudit
