// Sign-then-verify round trips for every key type, and every way a signed report folder can
// be tampered with: each must be reported as a failure naming the affected file.
#include <nlohmann/json.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/signing/crypto_util.h"
#include "reports/signing/dsse.h"
#include "reports/signing/report_signer.h"
#include "reports/signing/report_verifier.h"
#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"
#include "tests/unit/signing/signing_test_support.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;
using testing_support::ReadBytes;
using testing_support::TempDir;
using testing_support::WriteBytes;
using testing_support::WriteReportFolder;

const std::vector<std::string> kArtifacts = {"report.json", "report.html", "report.sarif"};

std::string Failures(const VerifyReport& report) {
  std::string text;
  for (const auto& line : report.lines) {
    if (!line.ok) text += line.Format() + "\n";
  }
  return text;
}

bool HasFailureFor(const VerifyReport& report, const std::string& subject,
                   const std::string& detail_part) {
  for (const auto& line : report.lines) {
    if (!line.ok && line.subject == subject && line.detail.find(detail_part) != std::string::npos)
      return true;
  }
  return false;
}

class SignVerifyTest : public ::testing::TestWithParam<KeyAlgorithm> {
 protected:
  // RSA-3072 generation is slow; one key per algorithm for the whole suite.
  static const PrivateKey& Key(KeyAlgorithm algorithm) {
    static std::map<KeyAlgorithm, PrivateKey> keys;
    auto found = keys.find(algorithm);
    if (found == keys.end()) found = keys.emplace(algorithm, PrivateKey::Generate(algorithm)).first;
    return found->second;
  }

  void SetUp() override {
    WriteReportFolder(dir_.path());
    SignArtifacts(dir_.path(), kArtifacts, Key(GetParam()), testing_support::kSummaryJson);
  }

  TempDir dir_;
};

TEST_P(SignVerifyTest, UntouchedFolderVerifiesWithEveryArtifactAndTheEnvelope) {
  const PrivateKey& key = Key(GetParam());
  VerifyReport report = VerifyReportDirectory(dir_.path(), key.Public());
  EXPECT_TRUE(report.ok()) << Failures(report);
  std::vector<std::string> formatted;
  for (const auto& line : report.lines) formatted.push_back(line.Format());
  std::string label = "(" + key.TypeName() + ", key " + key.Public().ShortKeyId();
  EXPECT_THAT(formatted, ::testing::Contains("OK  report.json " + label + ")"));
  EXPECT_THAT(formatted, ::testing::Contains("OK  report.html " + label + ")"));
  EXPECT_THAT(formatted, ::testing::Contains("OK  report.sarif " + label + ")"));
  EXPECT_THAT(formatted, ::testing::Contains("OK  report.dsse.json " + label + ", 3 subjects)"));
}

TEST_P(SignVerifyTest, SignatureSizesMatchTheAlgorithm) {
  std::string signature = ReadBytes(dir_ / "report.json.sig");
  switch (GetParam()) {
    case KeyAlgorithm::kEd25519:
      EXPECT_EQ(signature.size(), 64u);
      break;
    case KeyAlgorithm::kEcdsaP256:
      ASSERT_GE(signature.size(), 8u);
      EXPECT_EQ(static_cast<unsigned char>(signature[0]), 0x30);  // DER SEQUENCE
      EXPECT_LE(signature.size(), 72u);
      break;
    case KeyAlgorithm::kRsaPss:
      EXPECT_EQ(signature.size(), 384u);  // 3072 bits
      break;
  }
}

TEST_P(SignVerifyTest, EnvelopeCarriesAnInTotoStatementOverEveryArtifact) {
  auto envelope = nlohmann::json::parse(ReadBytes(dir_ / "report.dsse.json"));
  EXPECT_EQ(envelope["payloadType"], "application/vnd.in-toto+json");
  ASSERT_EQ(envelope["signatures"].size(), 1u);
  EXPECT_EQ(envelope["signatures"][0]["keyid"], Key(GetParam()).Public().KeyId());
  auto statement =
      nlohmann::json::parse(*crypto::Base64Decode(envelope["payload"].get<std::string>()));
  EXPECT_EQ(statement["_type"], "https://in-toto.io/Statement/v1");
  EXPECT_EQ(statement["predicateType"], "https://crmaudit.dev/report-summary/v1");
  EXPECT_EQ(statement["predicate"]["verdict"], "fail");
  EXPECT_EQ(statement["predicate"]["by_severity"]["high"], 2);
  ASSERT_EQ(statement["subject"].size(), 3u);
  for (const auto& subject : statement["subject"]) {
    std::string name = subject["name"];
    EXPECT_EQ(subject["digest"]["sha256"], crypto::Sha256Hex(ReadBytes(dir_ / name))) << name;
  }
}

TEST_P(SignVerifyTest, OneFlippedByteInAnyArtifactFailsThatArtifact) {
  for (const auto& artifact : kArtifacts) {
    TempDir copy;
    std::filesystem::copy(dir_.path(), copy.path(),
                          std::filesystem::copy_options::recursive |
                              std::filesystem::copy_options::overwrite_existing);
    std::string bytes = ReadBytes(copy / artifact);
    bytes[bytes.size() / 2] ^= 0x01;
    WriteBytes(copy / artifact, bytes);
    VerifyReport report = VerifyReportDirectory(copy.path(), Key(GetParam()).Public());
    EXPECT_FALSE(report.ok()) << artifact;
    EXPECT_TRUE(HasFailureFor(report, artifact, "signature does not match")) << Failures(report);
    EXPECT_TRUE(HasFailureFor(report, artifact, "sha256 does not match")) << Failures(report);
  }
}

TEST_P(SignVerifyTest, TruncatedArtifactFails) {
  std::string bytes = ReadBytes(dir_ / "report.html");
  WriteBytes(dir_ / "report.html", bytes.substr(0, bytes.size() - 5));
  VerifyReport report = VerifyReportDirectory(dir_.path(), Key(GetParam()).Public());
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(HasFailureFor(report, "report.html", "signature does not match")) << Failures(report);
}

TEST_P(SignVerifyTest, SwappedSignatureFails) {
  std::filesystem::copy_file(dir_ / "report.html.sig", dir_ / "report.json.sig",
                             std::filesystem::copy_options::overwrite_existing);
  VerifyReport report = VerifyReportDirectory(dir_.path(), Key(GetParam()).Public());
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(HasFailureFor(report, "report.json", "signature does not match")) << Failures(report);
}

TEST_P(SignVerifyTest, WrongKeyFailsEverything) {
  PrivateKey other = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  VerifyReport report = VerifyReportDirectory(dir_.path(), other.Public());
  EXPECT_FALSE(report.ok());
  for (const auto& artifact : kArtifacts) {
    EXPECT_TRUE(HasFailureFor(report, artifact, "signature does not match")) << artifact;
  }
  EXPECT_TRUE(HasFailureFor(report, "report.dsse.json", "not by the given key"))
      << Failures(report);
}

TEST_P(SignVerifyTest, ChangedPayloadTypeFails) {
  auto envelope = nlohmann::json::parse(ReadBytes(dir_ / "report.dsse.json"));
  envelope["payloadType"] = "application/vnd.in-toto+json ";
  WriteBytes(dir_ / "report.dsse.json", envelope.dump());
  VerifyReport report = VerifyReportDirectory(dir_.path(), Key(GetParam()).Public());
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(HasFailureFor(report, "report.dsse.json", "payloadType")) << Failures(report);
}

TEST_P(SignVerifyTest, ResignedStatementWithWrongDigestFailsTheSubject) {
  // An attacker who holds the key cannot make a stale statement match a changed file: the
  // envelope verifies, the subject digest does not.
  const PrivateKey& key = Key(GetParam());
  std::string statement =
      BuildStatement({{"report.json", std::string(64, 'a')},
                      {"report.html", crypto::Sha256Hex(ReadBytes(dir_ / "report.html"))},
                      {"report.sarif", crypto::Sha256Hex(ReadBytes(dir_ / "report.sarif"))}},
                     testing_support::kSummaryJson);
  WriteBytes(dir_ / "report.dsse.json",
             SerializeEnvelope(SignEnvelope(kInTotoPayloadType, statement, key)));
  VerifyReport report = VerifyReportDirectory(dir_.path(), key.Public());
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(HasFailureFor(report, "report.json", "sha256 does not match")) << Failures(report);
}

TEST_P(SignVerifyTest, TamperedPayloadFailsTheEnvelopeSignature) {
  auto envelope = nlohmann::json::parse(ReadBytes(dir_ / "report.dsse.json"));
  auto statement =
      nlohmann::json::parse(*crypto::Base64Decode(envelope["payload"].get<std::string>()));
  statement["predicate"]["verdict"] = "pass";
  envelope["payload"] = crypto::Base64Encode(statement.dump());
  WriteBytes(dir_ / "report.dsse.json", envelope.dump());
  VerifyReport report = VerifyReportDirectory(dir_.path(), Key(GetParam()).Public());
  EXPECT_TRUE(HasFailureFor(report, "report.dsse.json", "signature does not match"))
      << Failures(report);
}

INSTANTIATE_TEST_SUITE_P(AllKeyTypes, SignVerifyTest,
                         ::testing::Values(KeyAlgorithm::kEd25519, KeyAlgorithm::kEcdsaP256,
                                           KeyAlgorithm::kRsaPss),
                         [](const auto& info) {
                           switch (info.param) {
                             case KeyAlgorithm::kEd25519:
                               return std::string("Ed25519");
                             case KeyAlgorithm::kEcdsaP256:
                               return std::string("EcdsaP256");
                             case KeyAlgorithm::kRsaPss:
                               return std::string("RsaPss3072");
                           }
                           return std::string("unknown");
                         });

class FolderRulesTest : public ::testing::Test {
 protected:
  PrivateKey key_ = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  TempDir dir_;
};

TEST_F(FolderRulesTest, ArtifactWithoutSignatureFails) {
  WriteReportFolder(dir_.path());
  SignArtifacts(dir_.path(), {"report.json", "report.html"}, key_, testing_support::kSummaryJson);
  VerifyReport report = VerifyReportDirectory(dir_.path(), key_.Public());
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(HasFailureFor(report, "report.sarif", "not signed")) << Failures(report);
  EXPECT_TRUE(HasFailureFor(report, "report.sarif", "not listed in report.dsse.json"))
      << Failures(report);
}

TEST_F(FolderRulesTest, ArtifactSignedButMissingFromStatementFails) {
  WriteReportFolder(dir_.path());
  SignArtifacts(dir_.path(), kArtifacts, key_, testing_support::kSummaryJson);
  // Replace the envelope by one that leaves report.sarif out.
  std::string statement =
      BuildStatement({{"report.json", crypto::Sha256Hex(ReadBytes(dir_ / "report.json"))},
                      {"report.html", crypto::Sha256Hex(ReadBytes(dir_ / "report.html"))}},
                     testing_support::kSummaryJson);
  WriteBytes(dir_ / "report.dsse.json",
             SerializeEnvelope(SignEnvelope(kInTotoPayloadType, statement, key_)));
  VerifyReport report = VerifyReportDirectory(dir_.path(), key_.Public());
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(HasFailureFor(report, "report.sarif", "not listed")) << Failures(report);
}

TEST_F(FolderRulesTest, MissingEnvelopeFails) {
  WriteReportFolder(dir_.path());
  SignArtifacts(dir_.path(), kArtifacts, key_, testing_support::kSummaryJson);
  std::filesystem::remove(dir_ / "report.dsse.json");
  VerifyReport report = VerifyReportDirectory(dir_.path(), key_.Public());
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(HasFailureFor(report, "report.dsse.json", "missing")) << Failures(report);
}

TEST_F(FolderRulesTest, DeletedArtifactListedInStatementFails) {
  WriteReportFolder(dir_.path());
  SignArtifacts(dir_.path(), kArtifacts, key_, testing_support::kSummaryJson);
  std::filesystem::remove(dir_ / "report.html");
  VerifyReport report = VerifyReportDirectory(dir_.path(), key_.Public());
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(HasFailureFor(report, "report.html", "missing")) << Failures(report);
}

TEST_F(FolderRulesTest, StatementSubjectOutsideTheFolderIsRejected) {
  WriteReportFolder(dir_.path());
  SignArtifacts(dir_.path(), kArtifacts, key_, testing_support::kSummaryJson);
  std::string statement =
      BuildStatement({{"report.json", crypto::Sha256Hex(ReadBytes(dir_ / "report.json"))},
                      {"report.html", crypto::Sha256Hex(ReadBytes(dir_ / "report.html"))},
                      {"report.sarif", crypto::Sha256Hex(ReadBytes(dir_ / "report.sarif"))},
                      {"../etc/passwd", std::string(64, '0')}},
                     testing_support::kSummaryJson);
  WriteBytes(dir_ / "report.dsse.json",
             SerializeEnvelope(SignEnvelope(kInTotoPayloadType, statement, key_)));
  VerifyReport report = VerifyReportDirectory(dir_.path(), key_.Public());
  EXPECT_TRUE(HasFailureFor(report, "report.dsse.json", "not a plain file name"))
      << Failures(report);
}

TEST_F(FolderRulesTest, EmptyFolderIsAFailureNotASuccess) {
  VerifyReport report = VerifyReportDirectory(dir_.path(), key_.Public());
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(HasFailureFor(report, "report.json", "no signed reports")) << Failures(report);
}

TEST_F(FolderRulesTest, MissingFolderIsAUsageError) {
  EXPECT_THROW(VerifyReportDirectory(dir_ / "nope", key_.Public()), SigningError);
}

TEST_F(FolderRulesTest, SingleFileVerifiesAgainstItsSig) {
  WriteBytes(dir_ / "export-audit.txt", "anything at all\n");
  WriteBytes(dir_ / "export-audit.txt.sig", key_.Sign("anything at all\n"));
  EXPECT_TRUE(VerifySignedFile(dir_ / "export-audit.txt", key_.Public()).ok());
  EXPECT_TRUE(VerifySignedFile(dir_ / "export-audit.txt.sig", key_.Public()).ok());
  WriteBytes(dir_ / "export-audit.txt", "anything at all!\n");
  VerifyReport report = VerifySignedFile(dir_ / "export-audit.txt", key_.Public());
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(HasFailureFor(report, "export-audit.txt", "signature does not match"));
}

TEST_F(FolderRulesTest, SigningRefusesMissingArtifactAndWritesNothing) {
  WriteReportFolder(dir_.path());
  EXPECT_THROW(SignArtifacts(dir_.path(), {"report.json", "report.pdf"}, key_,
                             testing_support::kSummaryJson),
               SigningError);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "report.json.sig"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "report.dsse.json"));
}

TEST_F(FolderRulesTest, SigningRefusesPathsOutsideTheFolder) {
  WriteReportFolder(dir_.path());
  EXPECT_THROW(SignArtifacts(dir_.path(), {"../report.json"}, key_, testing_support::kSummaryJson),
               SigningError);
}

TEST_F(FolderRulesTest, SigningRefusesASummaryThatIsNotJson) {
  WriteReportFolder(dir_.path());
  EXPECT_THROW(SignArtifacts(dir_.path(), kArtifacts, key_, "verdict: pass"), SigningError);
}

TEST_F(FolderRulesTest, SameInputsGiveTheSameEnvelopeBytesWithEd25519) {
  WriteReportFolder(dir_.path());
  SignArtifacts(dir_.path(), kArtifacts, key_, testing_support::kSummaryJson);
  std::string first = ReadBytes(dir_ / "report.dsse.json");
  SignArtifacts(dir_.path(), kArtifacts, key_, testing_support::kSummaryJson);
  EXPECT_EQ(first, ReadBytes(dir_ / "report.dsse.json"));
}

}  // namespace
}  // namespace crmaudit
