// What `verify` used to accept without a word (#16 item 8): a single file checked without its
// envelope, files in a report folder nobody signed, artifacts that are symbolic links, key
// files holding more than one key or trailing bytes, and an archive whose newest report was
// deleted. Each must now be a warning or a failure naming the file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/signing/chain_head.h"
#include "reports/signing/crypto_util.h"
#include "reports/signing/report_signer.h"
#include "reports/signing/report_verifier.h"
#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"
#include "tests/unit/signing/signing_test_support.h"

namespace crmaudit {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::ReadBytes;
using testing_support::TempDir;
using testing_support::WriteBytes;
using testing_support::WriteReportFolder;

const std::vector<std::string> kArtifacts = {"report.json", "report.html", "report.sarif"};
constexpr const char* kLinkDetail =
    "is a symbolic link; artifacts must be regular files in the folder";

std::string Lines(const VerifyReport& report) {
  std::string text;
  for (const auto& line : report.lines) text += line.Format() + "\n";
  return text;
}

class VerifyRefusals : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteReportFolder(dir_);
    SignArtifacts(dir_, kArtifacts, key_, testing_support::kSummaryJson);
  }
  const PublicKey& Pub() const { return key_.Public(); }

  TempDir temp_;
  fs::path dir_ = temp_ / "out";
  PrivateKey key_ = PrivateKey::Generate(KeyAlgorithm::kEd25519);
};

// --- single-file mode: the envelope beside the file is checked too

TEST_F(VerifyRefusals, SingleFileIsCheckedAgainstTheEnvelopeBesideIt) {
  VerifyReport report = VerifySignedFile(dir_ / "report.json", Pub());
  EXPECT_TRUE(report.ok()) << Lines(report);
  EXPECT_THAT(Lines(report), HasSubstr("OK  report.dsse.json (ed25519, key " + Pub().ShortKeyId() +
                                       ", lists report.json with this SHA-256)"));
}

TEST_F(VerifyRefusals, SingleFileWithAValidSigButAForeignEnvelopeFails) {
  // A genuine report.json (with its own valid .sig) put into another scan's folder: the .sig
  // alone accepted it; the envelope of that folder lists a different report.json.
  TempDir other;
  WriteReportFolder(other.path() / "out");
  WriteBytes(other.path() / "out" / "report.json", "{\"another\":\"scan\"}");
  SignArtifacts(other.path() / "out", kArtifacts, key_, testing_support::kSummaryJson);
  fs::copy_file(other.path() / "out" / "report.dsse.json", dir_ / "report.dsse.json",
                fs::copy_options::overwrite_existing);
  VerifyReport report = VerifySignedFile(dir_ / "report.json", Pub());
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(Lines(report),
              HasSubstr("FAIL report.json: sha256 does not match the report.dsse.json statement"));
}

TEST_F(VerifyRefusals, SingleFileNotListedInTheEnvelopeFails) {
  WriteBytes(dir_ / "notes.txt", "signed on its own");
  WriteBytes(dir_ / "notes.txt.sig", key_.Sign("signed on its own"));
  VerifyReport report = VerifySignedFile(dir_ / "notes.txt", Pub());
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(Lines(report), HasSubstr("FAIL notes.txt: not listed in report.dsse.json"));
}

TEST_F(VerifyRefusals, SingleFileWithAnEnvelopeSignedByAnotherKeyFails) {
  PrivateKey other = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  TempDir elsewhere;
  WriteReportFolder(elsewhere.path());
  fs::copy_file(dir_ / "report.json", elsewhere.path() / "report.json",
                fs::copy_options::overwrite_existing);
  SignArtifacts(elsewhere.path(), kArtifacts, other, testing_support::kSummaryJson);
  fs::copy_file(elsewhere.path() / "report.dsse.json", dir_ / "report.dsse.json",
                fs::copy_options::overwrite_existing);
  VerifyReport report = VerifySignedFile(dir_ / "report.json", Pub());
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(Lines(report), HasSubstr("FAIL report.dsse.json"));
}

TEST_F(VerifyRefusals, SingleFileWithoutAnEnvelopeSaysSoAndFailsOnlyWhenStrict) {
  fs::remove(dir_ / "report.dsse.json");
  VerifyReport report = VerifySignedFile(dir_ / "report.json", Pub());
  EXPECT_TRUE(report.ok()) << Lines(report);
  EXPECT_EQ(report.warnings(), 1u);
  EXPECT_THAT(Lines(report), HasSubstr("WARN report.dsse.json: not found beside report.json: only "
                                       "report.json.sig was checked"));
  VerifyReport strict = VerifySignedFile(dir_ / "report.json", Pub(), {.strict = true});
  EXPECT_FALSE(strict.ok());
  EXPECT_THAT(Lines(strict), HasSubstr("FAIL report.dsse.json: not found beside report.json"));
}

// --- folder mode: files the statement does not list

TEST_F(VerifyRefusals, UnlistedFilesInAFolderAreNamedAsWarnings) {
  WriteBytes(dir_ / "evil.html", "<script>alert(1)</script>");
  WriteBytes(dir_ / "REPORT.JSON", "{}");
  WriteBytes(dir_ / "notes.txt", "hello");
  VerifyReport report = VerifyReportDirectory(dir_, Pub());
  EXPECT_TRUE(report.ok()) << Lines(report);
  EXPECT_EQ(report.warnings(), 3u) << Lines(report);
  for (const char* name : {"evil.html", "REPORT.JSON", "notes.txt"}) {
    EXPECT_THAT(Lines(report), HasSubstr(std::string("WARN ") + name +
                                         ": not listed in report.dsse.json, not verified\n"));
  }
  // The signatures and the envelope are expected: no warning for them.
  EXPECT_THAT(Lines(report), Not(HasSubstr("WARN report")));
}

TEST_F(VerifyRefusals, UnlistedFilesFailUnderStrict) {
  WriteBytes(dir_ / "evil.html", "<script>alert(1)</script>");
  VerifyReport report = VerifyReportDirectory(dir_, Pub(), {.strict = true});
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.failures(), 1u) << Lines(report);
  EXPECT_THAT(Lines(report),
              HasSubstr("FAIL evil.html: not listed in report.dsse.json, not verified"));
}

TEST_F(VerifyRefusals, CleanFolderHasNoWarnings) {
  VerifyReport report = VerifyReportDirectory(dir_, Pub(), {.strict = true});
  EXPECT_TRUE(report.ok()) << Lines(report);
  EXPECT_EQ(report.warnings(), 0u);
}

// --- symbolic links are never followed

TEST_F(VerifyRefusals, ReportSymlinkedToAnotherFolderFailsEvenWhenItsBytesVerify) {
  // The link target is the genuine, signed report: following the link would verify it.
  fs::create_directories(temp_ / "elsewhere");
  fs::rename(dir_ / "report.json", temp_ / "elsewhere" / "report.json");
  fs::create_symlink("../elsewhere/report.json", dir_ / "report.json");
  VerifyReport report = VerifyReportDirectory(dir_, Pub());
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(Lines(report), HasSubstr(std::string("FAIL report.json: ") + kLinkDetail));
  // Named once, although it is an artifact, a signed file and a subject.
  std::string lines = Lines(report);
  EXPECT_EQ(lines.find("FAIL report.json"), lines.rfind("FAIL report.json")) << lines;
}

TEST_F(VerifyRefusals, ReportSymlinkedToDevZeroFailsWithoutReading) {
  fs::remove(dir_ / "report.html");
  fs::create_symlink("/dev/zero", dir_ / "report.html");
  VerifyReport report = VerifyReportDirectory(dir_, Pub());
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(Lines(report), HasSubstr(std::string("FAIL report.html: ") + kLinkDetail));
}

TEST_F(VerifyRefusals, SignatureAndEnvelopeSymlinksFail) {
  fs::rename(dir_ / "report.sarif.sig", temp_ / "sarif.sig");
  fs::create_symlink(temp_ / "sarif.sig", dir_ / "report.sarif.sig");
  fs::rename(dir_ / "report.dsse.json", temp_ / "envelope.json");
  fs::create_symlink(temp_ / "envelope.json", dir_ / "report.dsse.json");
  VerifyReport report = VerifyReportDirectory(dir_, Pub());
  EXPECT_THAT(Lines(report), HasSubstr(std::string("FAIL report.sarif.sig: ") + kLinkDetail));
  EXPECT_THAT(Lines(report), HasSubstr(std::string("FAIL report.dsse.json: ") + kLinkDetail));
}

TEST_F(VerifyRefusals, SingleFileThatIsASymlinkFails) {
  fs::rename(dir_ / "report.json", temp_ / "real.json");
  fs::create_symlink(temp_ / "real.json", dir_ / "report.json");
  VerifyReport report = VerifySignedFile(dir_ / "report.json", Pub());
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(Lines(report), HasSubstr(std::string("FAIL report.json: ") + kLinkDetail));
}

// --- key files: exactly one PEM block, nothing after it

TEST_F(VerifyRefusals, PublicKeyFileWithTrailingBytesOrTwoKeysIsRefused) {
  const std::string pem = Pub().Pem();
  WriteBytes(temp_ / "ok.pub", pem + "\n  \n");
  EXPECT_EQ(PublicKey::Load(temp_ / "ok.pub").KeyId(), Pub().KeyId());

  WriteBytes(temp_ / "trailing.pub", pem + "garbage\n");
  try {
    PublicKey::Load(temp_ / "trailing.pub");
    ADD_FAILURE() << "trailing bytes accepted";
  } catch (const SigningError& error) {
    EXPECT_THAT(error.what(), HasSubstr("trailing.pub has text after its -----END"));
  }
  PrivateKey other = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  WriteBytes(temp_ / "two.pub", pem + other.Public().Pem());
  try {
    PublicKey::Load(temp_ / "two.pub");
    ADD_FAILURE() << "two keys accepted";
  } catch (const SigningError& error) {
    EXPECT_THAT(error.what(), HasSubstr("two.pub holds 2 PEM blocks"));
  }
}

TEST_F(VerifyRefusals, PrivateKeyFileWithTrailingBytesOrTwoKeysIsRefused) {
  const std::string pem = key_.ToPkcs8Pem();
  auto write_key = [&](const std::string& name, const std::string& bytes) {
    WriteBytes(temp_ / name, bytes);
    fs::permissions(temp_ / name, fs::perms::owner_read | fs::perms::owner_write);
    return temp_ / name;
  };
  EXPECT_NO_THROW(PrivateKey::Load(write_key("ok.key", pem + "\n")));
  try {
    PrivateKey::Load(write_key("trailing.key", pem + "x"));
    ADD_FAILURE() << "trailing bytes accepted";
  } catch (const SigningError& error) {
    EXPECT_THAT(error.what(), HasSubstr("trailing.key has text after its -----END"));
  }
  PrivateKey other = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  try {
    PrivateKey::Load(write_key("two.key", pem + other.ToPkcs8Pem()));
    ADD_FAILURE() << "two keys accepted";
  } catch (const SigningError& error) {
    EXPECT_THAT(error.what(), HasSubstr("two.key holds 2 PEM blocks"));
  }
}

// --- the chain head

class ChainHeadTest : public ::testing::Test {
 protected:
  // `count` chained, signed dated folders and the head naming the last one.
  void MakeArchive(int count, bool write_head = true) {
    std::string previous;
    for (int i = 0; i < count; ++i) {
      auto folder = archive_ / ("2026-0" + std::to_string(i + 1) + "-01");
      WriteReportFolder(folder, previous);
      SignArtifacts(folder, kArtifacts, key_, testing_support::kSummaryJson);
      previous = crypto::Sha256Hex(ReadBytes(folder / "report.json"));
      if (write_head) WriteChainHead(archive_, folder.filename().string(), &key_);
    }
  }
  std::string Run(const VerifyOptions& options = {}) {
    VerifyReport report = VerifyChainHead(archive_, key_.Public(), options);
    ok_ = report.ok() || report.lines.empty();
    warnings_ = report.warnings();
    return Lines(report);
  }

  TempDir temp_;
  fs::path archive_ = temp_ / "archive";
  PrivateKey key_ = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  bool ok_ = false;
  size_t warnings_ = 0;
};

TEST_F(ChainHeadTest, HeadNamesTheNewestFolderAndVerifies) {
  MakeArchive(3);
  ChainHead head = ParseChainHead(ReadBytes(archive_ / "chain-head.json"));
  EXPECT_EQ(head.newest, "2026-03-01");
  EXPECT_EQ(head.reports, 3u);
  EXPECT_EQ(head.report_sha256,
            crypto::Sha256Hex(ReadBytes(archive_ / "2026-03-01" / "report.json")));
  std::string lines = Run();
  EXPECT_TRUE(ok_) << lines;
  EXPECT_THAT(lines, HasSubstr("OK  chain-head.json (ed25519"));
  EXPECT_TRUE(IsArchiveFolder(archive_));
  EXPECT_FALSE(IsArchiveFolder(archive_ / "2026-03-01"));
}

TEST_F(ChainHeadTest, DeletedNewestReportFails) {
  MakeArchive(3);
  fs::remove_all(archive_ / "2026-03-01");
  // The remaining chain is unbroken: only the head notices.
  EXPECT_TRUE(VerifyArchiveChain(ExpandArchiveFolders({archive_}), key_.Public()).ok());
  std::string lines = Run();
  EXPECT_FALSE(ok_);
  EXPECT_THAT(lines, HasSubstr("FAIL chain-head.json: the newest report named by chain-head.json "
                               "(2026-03-01) is missing or differs"));
}

TEST_F(ChainHeadTest, ReplacedNewestReportFails) {
  MakeArchive(2);
  WriteBytes(archive_ / "2026-02-01" / "report.json", "{\"older\":true}");
  std::string lines = Run();
  EXPECT_FALSE(ok_);
  EXPECT_THAT(lines, HasSubstr("(2026-02-01) is missing or differs"));
}

TEST_F(ChainHeadTest, ForgedOrUnsignedHeadFails) {
  MakeArchive(2);
  std::string bytes = ReadBytes(archive_ / "chain-head.json");
  WriteBytes(archive_ / "chain-head.json",
             bytes.replace(bytes.find("2026-02-01"), 10, "2026-01-01"));
  EXPECT_THAT(Run(), HasSubstr("FAIL chain-head.json: signature does not match"));
  fs::remove(archive_ / "chain-head.json.sig");
  EXPECT_THAT(Run(),
              HasSubstr("FAIL chain-head.json: not signed (chain-head.json.sig is missing)"));
  EXPECT_FALSE(ok_);
}

TEST_F(ChainHeadTest, MissingHeadOfAChainedArchiveWarnsOrFailsWhenStrict) {
  MakeArchive(2, /*write_head=*/false);
  std::string lines = Run();
  EXPECT_TRUE(ok_) << lines;
  EXPECT_EQ(warnings_, 1u);
  EXPECT_THAT(lines, HasSubstr("WARN chain-head.json: missing"));
  lines = Run({.strict = true});
  EXPECT_FALSE(ok_);
  EXPECT_THAT(lines, HasSubstr("FAIL chain-head.json: missing"));
}

TEST_F(ChainHeadTest, UnchainedFolderWithoutHeadSaysNothing) {
  WriteReportFolder(archive_ / "2026-01-01");
  EXPECT_EQ(Run(), "");
}

TEST_F(ChainHeadTest, SymlinkedHeadFails) {
  MakeArchive(1);
  fs::rename(archive_ / "chain-head.json", temp_ / "head.json");
  fs::create_symlink(temp_ / "head.json", archive_ / "chain-head.json");
  EXPECT_THAT(Run(), HasSubstr(std::string("FAIL chain-head.json: ") + kLinkDetail));
}

TEST_F(ChainHeadTest, FolderNewerThanTheHeadIsAWarning) {
  MakeArchive(2);
  WriteReportFolder(archive_ / "2026-03-01");
  std::string lines = Run();
  EXPECT_TRUE(ok_) << lines;
  EXPECT_THAT(lines, HasSubstr("WARN chain-head.json: 1 report folder(s) newer than its newest "
                               "(first: 2026-03-01)"));
}

TEST_F(ChainHeadTest, MalformedHeadIsRefusedByTheParser) {
  EXPECT_THROW(ParseChainHead("[]"), SigningError);
  EXPECT_THROW(ParseChainHead(R"({"newest":"../x","report_sha256":"00","reports":1})"),
               SigningError);
  EXPECT_THROW(ParseChainHead(R"({"newest":"a","report_sha256":"zz","reports":1})"), SigningError);
}

}  // namespace
}  // namespace crmaudit
