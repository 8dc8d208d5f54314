// The tamper-evident archive: report folders linked by scan.chain.previous_sha256.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/signing/crypto_util.h"
#include "reports/signing/report_signer.h"
#include "reports/signing/report_verifier.h"
#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"
#include "tests/unit/signing/signing_test_support.h"

namespace crmaudit {
namespace {

using testing_support::ReadBytes;
using testing_support::TempDir;
using testing_support::WriteReportFolder;

class ChainTest : public ::testing::Test {
 protected:
  // Writes and signs `count` dated folders under archive/, each linked to the one before.
  std::vector<std::filesystem::path> MakeArchive(int count) {
    std::vector<std::filesystem::path> folders;
    std::string previous;
    for (int i = 0; i < count; ++i) {
      auto folder = archive_ / ("2026-0" + std::to_string(i + 1) + "-01");
      WriteReportFolder(folder, previous);
      SignArtifacts(folder, {"report.json", "report.html", "report.sarif"}, key_,
                    testing_support::kSummaryJson);
      previous = crypto::Sha256Hex(ReadBytes(folder / "report.json"));
      folders.push_back(folder);
    }
    return folders;
  }

  TempDir temp_;
  std::filesystem::path archive_ = temp_ / "archive";
  PrivateKey key_ = PrivateKey::Generate(KeyAlgorithm::kEd25519);
};

TEST_F(ChainTest, UnbrokenChainVerifies) {
  auto folders = MakeArchive(3);
  ArchiveReport report = VerifyArchiveChain(folders, key_.Public());
  EXPECT_TRUE(report.ok()) << report.chain_break.value_or("");
  EXPECT_EQ(report.folder_reports.size(), 3u);
}

TEST_F(ChainTest, ParentFolderExpandsToDatedFoldersSortedByName) {
  auto folders = MakeArchive(3);
  // Created out of order on purpose: order must come from the names, not the directory.
  auto expanded = ExpandArchiveFolders({archive_});
  EXPECT_EQ(expanded, folders);
  EXPECT_TRUE(VerifyArchiveChain(expanded, key_.Public()).ok());
}

TEST_F(ChainTest, MissingMiddleReportIsAGapNamingTheFolderAfterIt) {
  auto folders = MakeArchive(3);
  std::filesystem::remove_all(folders[1]);
  ArchiveReport report = VerifyArchiveChain(ExpandArchiveFolders({archive_}), key_.Public());
  EXPECT_FALSE(report.ok());
  ASSERT_TRUE(report.chain_break.has_value());
  EXPECT_EQ(*report.chain_break, "chain broken at " + folders[2].string() +
                                     ": previous_sha256 does not match " +
                                     (folders[0] / "report.json").string());
}

TEST_F(ChainTest, ReorderedFoldersBreakTheChain) {
  auto folders = MakeArchive(3);
  ArchiveReport report = VerifyArchiveChain({folders[0], folders[2], folders[1]}, key_.Public());
  ASSERT_TRUE(report.chain_break.has_value());
  EXPECT_THAT(*report.chain_break, ::testing::StartsWith("chain broken at " + folders[2].string()));
}

TEST_F(ChainTest, ReportWithoutALinkAfterTheFirstBreaksTheChain) {
  auto folders = MakeArchive(2);
  WriteReportFolder(archive_ / "2026-03-01");  // no previous_sha256
  SignArtifacts(archive_ / "2026-03-01", {"report.json", "report.html", "report.sarif"}, key_,
                testing_support::kSummaryJson);
  ArchiveReport report = VerifyArchiveChain(ExpandArchiveFolders({archive_}), key_.Public());
  ASSERT_TRUE(report.chain_break.has_value());
  EXPECT_THAT(*report.chain_break, ::testing::HasSubstr("2026-03-01: report.json has no"));
}

TEST_F(ChainTest, ValidChainWithATamperedFolderStillFails) {
  auto folders = MakeArchive(2);
  testing_support::WriteBytes(folders[1] / "report.html", "<html>changed</html>");
  ArchiveReport report = VerifyArchiveChain(folders, key_.Public());
  EXPECT_FALSE(report.chain_break.has_value());
  EXPECT_FALSE(report.ok());
  EXPECT_FALSE(report.folder_reports[1].ok());
}

TEST_F(ChainTest, ArchiveArgumentThatIsNotAFolderIsAUsageError) {
  EXPECT_THROW(ExpandArchiveFolders({temp_ / "absent"}), SigningError);
}

}  // namespace
}  // namespace crmaudit
