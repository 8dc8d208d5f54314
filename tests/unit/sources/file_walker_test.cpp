#include "scanner/sources/files/file_walker.h"

#include "scanner/sources/files/content_sniffer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "tests/unit/sources/source_test_support.h"

namespace crmaudit {
namespace {

namespace fs = std::filesystem;
using testing::ExpectAsUnprivileged;
using testing::OpenToOthers;
using testing::TempDir;

std::vector<std::string> Relatives(const WalkResult& result) {
  std::vector<std::string> out;
  for (const WalkedFile& f : result.files) out.push_back(f.relative);
  return out;
}

std::string ReasonFor(const WalkResult& result, const std::string& relative) {
  for (const WalkProblem& p : result.problems) {
    if (p.relative == relative) return p.reason;
  }
  return "<no problem>";
}

std::string SkipReasonFor(const WalkResult& result, const std::string& relative) {
  for (const WalkProblem& p : result.skipped) {
    if (p.relative == relative) return p.reason;
  }
  return "<not skipped>";
}

TEST(GlobMatch, StarDoesNotCrossSlash) {
  EXPECT_TRUE(GlobMatch("exports/*.csv", "exports/a.csv"));
  EXPECT_FALSE(GlobMatch("exports/*.csv", "exports/2024/a.csv"));
  EXPECT_FALSE(GlobMatch("*.csv", "a.json"));
}

TEST(GlobMatch, DoubleStarCrossesSlashAndMatchesZeroDirectories) {
  EXPECT_TRUE(GlobMatch("exports/**/*.csv", "exports/2024/q1/a.csv"));
  EXPECT_TRUE(GlobMatch("exports/**/*.csv", "exports/a.csv"));
  EXPECT_TRUE(GlobMatch("**/*.json", "x/y/z.json"));
  EXPECT_TRUE(GlobMatch("archive/**", "archive/old/a.csv"));
  EXPECT_FALSE(GlobMatch("archive/**", "live/a.csv"));
}

TEST(GlobMatch, PatternWithoutSlashAlsoMatchesBaseName) {
  EXPECT_TRUE(GlobMatch("*.csv", "deep/down/contacts.csv"));
  EXPECT_TRUE(GlobMatch("contacts.csv", "deep/contacts.csv"));
  EXPECT_FALSE(GlobMatch("down/*.csv", "deep/down/contacts.csv"));
}

TEST(GlobMatch, QuestionMarkAndClasses) {
  EXPECT_TRUE(GlobMatch("leads_?.csv", "leads_1.csv"));
  EXPECT_FALSE(GlobMatch("leads_?.csv", "leads_10.csv"));
  EXPECT_TRUE(GlobMatch("leads_[0-9].csv", "leads_7.csv"));
  EXPECT_FALSE(GlobMatch("leads_[!0-9].csv", "leads_7.csv"));
}

TEST(WalkTarget, WalksRecursivelyInSortedOrder) {
  TempDir dir;
  dir.Write("b.csv", "x\n");
  dir.Write("a/z.json", "[]");
  dir.Write("a/c.csv", "x\n");
  dir.Write("C.csv", "x\n");
  WalkResult result = WalkTarget(dir.path(), {});
  EXPECT_TRUE(result.root_exists);
  EXPECT_TRUE(result.root_is_directory);
  EXPECT_EQ(Relatives(result), (std::vector<std::string>{"C.csv", "a/c.csv", "a/z.json", "b.csv"}));
  EXPECT_TRUE(result.problems.empty());
  EXPECT_EQ(result.files[0].path, dir.path() / "C.csv");
}

TEST(WalkTarget, FileTargetYieldsItsBaseName) {
  TempDir dir;
  fs::path file = dir.Write("sub/contacts.csv", "x\n");
  WalkResult result = WalkTarget(file, {});
  EXPECT_TRUE(result.root_exists);
  EXPECT_FALSE(result.root_is_directory);
  ASSERT_EQ(result.files.size(), 1u);
  EXPECT_EQ(result.files[0].relative, "contacts.csv");
  EXPECT_EQ(result.files[0].path, file);
}

TEST(WalkTarget, MissingRootIsReportedNotThrown) {
  TempDir dir;
  WalkResult result = WalkTarget(dir.path() / "nope", {});
  EXPECT_FALSE(result.root_exists);
  EXPECT_TRUE(result.files.empty());
}

TEST(WalkTarget, IncludeAndExcludeGlobs) {
  TempDir dir;
  dir.Write("contacts.csv", "x\n");
  dir.Write("notes.txt", "x\n");
  dir.Write("2024/leads.csv", "x\n");
  dir.Write("2024/leads.json", "[]");
  dir.Write("archive/old.csv", "x\n");
  WalkOptions options;
  options.include = {"*.csv", "*.json"};
  options.exclude = {"archive/**", "2024/*.json"};
  WalkResult result = WalkTarget(dir.path(), options);
  EXPECT_EQ(Relatives(result), (std::vector<std::string>{"2024/leads.csv", "contacts.csv"}));
}

TEST(WalkTarget, ExcludedDirectoryIsNotEntered) {
  TempDir dir;
  dir.Write("keep.csv", "x\n");
  dir.Write("tmp/a.csv", "x\n");
  WalkOptions options;
  options.exclude = {"tmp"};
  EXPECT_EQ(Relatives(WalkTarget(dir.path(), options)), (std::vector<std::string>{"keep.csv"}));
  if (geteuid() != 0) {
    // An excluded directory that cannot be read is not a problem: it is never opened.
    fs::permissions(dir.path() / "tmp", fs::perms::none);
    options.exclude = {"tmp/**"};
    WalkResult result = WalkTarget(dir.path(), options);
    EXPECT_TRUE(result.problems.empty());
  }
}

TEST(WalkTarget, SymlinkLoopIsSkippedNotAHang) {
  TempDir dir;
  dir.Write("data/a.csv", "x\n");
  fs::create_directory_symlink("..", dir.path() / "data" / "up");
  fs::create_symlink("self", dir.path() / "self");  // a symlink to itself: ELOOP
  WalkResult result = WalkTarget(dir.path(), {});
  EXPECT_EQ(Relatives(result), (std::vector<std::string>{"data/a.csv"}));
  // A loop leads back to a folder already being scanned: nothing is lost, not a gap.
  EXPECT_EQ(SkipReasonFor(result, "data/up"), "symlink loop");
  EXPECT_EQ(SkipReasonFor(result, "self"), "symlink loop");
  EXPECT_TRUE(result.problems.empty());
}

TEST(WalkTarget, BrokenSymlinkIsAProblem) {
  TempDir dir;
  dir.Write("a.csv", "x\n");
  fs::create_symlink(dir.path() / "gone.csv", dir.path() / "link.csv");
  WalkResult result = WalkTarget(dir.path(), {});
  EXPECT_EQ(Relatives(result), (std::vector<std::string>{"a.csv"}));
  EXPECT_EQ(ReasonFor(result, "link.csv"), "broken symlink");
}

TEST(WalkTarget, SymlinkedDirectoryReachedTwiceIsScannedOnce) {
  TempDir dir;
  dir.Write("real/a.csv", "x\n");
  fs::create_directory_symlink(dir.path() / "real", dir.path() / "alias");
  WalkResult result = WalkTarget(dir.path(), {});
  EXPECT_EQ(Relatives(result), (std::vector<std::string>{"alias/a.csv"}));
  EXPECT_TRUE(result.problems.empty());
}

TEST(WalkTarget, FifoAndDevicesAreSkippedNotOpened) {
  TempDir dir;
  dir.Write("a.csv", "x\n");
  ASSERT_EQ(mkfifo((dir.path() / "pipe.csv").c_str(), 0600), 0);
  fs::create_symlink("/dev/zero", dir.path() / "zero.csv");
  WalkResult result = WalkTarget(dir.path(), {});
  EXPECT_EQ(Relatives(result), (std::vector<std::string>{"a.csv"}));
  EXPECT_EQ(SkipReasonFor(result, "pipe.csv"), "FIFO (named pipe), not a file");
  EXPECT_EQ(SkipReasonFor(result, "zero.csv"), "character device, not a file");
  EXPECT_TRUE(result.problems.empty());
}

TEST(WalkTarget, NamedFifoTargetIsAProblem) {
  TempDir dir;
  ASSERT_EQ(mkfifo((dir.path() / "pipe.csv").c_str(), 0600), 0);
  WalkResult result = WalkTarget(dir.path() / "pipe.csv", {});
  EXPECT_EQ(ReasonFor(result, "pipe.csv"), "FIFO (named pipe), not a file");
}

TEST(WalkTarget, KernelFileSystemsAreNeverEntered) {
  TempDir dir;
  dir.Write("a.csv", "x\n");
  fs::create_directory_symlink("/proc", dir.path() / "proc-link");
  fs::create_directory_symlink("/sys", dir.path() / "sys-link");
  fs::create_directory_symlink("/dev", dir.path() / "dev-link");
  WalkResult result = WalkTarget(dir.path(), {});
  EXPECT_EQ(Relatives(result), (std::vector<std::string>{"a.csv"}));
  EXPECT_NE(SkipReasonFor(result, "proc-link").find("proc"), std::string::npos)
      << SkipReasonFor(result, "proc-link");
  EXPECT_NE(SkipReasonFor(result, "sys-link").find("sys"), std::string::npos);
  EXPECT_NE(SkipReasonFor(result, "dev-link").find("/dev"), std::string::npos)
      << SkipReasonFor(result, "dev-link");
  EXPECT_TRUE(result.problems.empty());
}

TEST(WalkTarget, OwnOutputAndReportFoldersAreNotEntered) {
  TempDir dir;
  dir.Write("a.csv", "x\n");
  dir.Write("out/report.json", "{}");  // not yet a crmaudit report: excluded by identity
  dir.Write("old/2026-01-01T000000Z/report.json",
            R"({"schema_version":"1","tool":{"name":"crmaudit","version":"0.1.0"}})");
  dir.Write("old/2026-01-01T000000Z/report.html", "<html>");
  dir.Write("other/report.json", R"({"tool":{"name":"something-else"}})");
  WalkOptions options;
  options.own_output_folders = {dir.path() / "out"};
  WalkResult result = WalkTarget(dir.path(), options);
  EXPECT_EQ(Relatives(result), (std::vector<std::string>{"a.csv", "other/report.json"}));
  EXPECT_NE(SkipReasonFor(result, "out").find("own output"), std::string::npos);
  EXPECT_NE(SkipReasonFor(result, "old/2026-01-01T000000Z").find("crmaudit report"),
            std::string::npos);
}

TEST(WalkTarget, UnreadableDirectoryAndFileArePermissionProblems) {
  TempDir dir;
  OpenToOthers(dir.path());
  dir.Write("ok.csv", "x\n");
  dir.Write("locked/a.csv", "x\n");
  fs::path secret = dir.Write("secret.csv", "x\n");
  fs::permissions(dir.path() / "locked", fs::perms::none);
  fs::permissions(secret, fs::perms::none);
  ExpectAsUnprivileged([&] {
    WalkResult result = WalkTarget(dir.path(), {});
    return Relatives(result) == std::vector<std::string>{"ok.csv"} &&
           ReasonFor(result, "locked") == "permission denied" &&
           ReasonFor(result, "secret.csv") == "permission denied";
  });
}

TEST(ClassifyFileName, ExportsUnsupportedFormatsAndOtherFiles) {
  for (const char* name : {"a.csv", "A.CSV", "a.csv.gz", "x.tsv", "x.ndjson", "x.json", "x.txt"}) {
    EXPECT_EQ(ClassifyFileName(name), FileNameKind::kExport) << name;
  }
  for (const char* name : {"c.XLS", "dump.sql.gz", "c.vcf", "c.ods", "c.zip.gz", "b.7z"}) {
    EXPECT_EQ(ClassifyFileName(name), FileNameKind::kUnsupported) << name;
  }
  for (const char* name : {"c.xlsx", "Contacts.XLSM"}) {
    EXPECT_EQ(ClassifyFileName(name), FileNameKind::kWorkbook) << name;
  }
  for (const char* name : {"c.zip", "b.tar.gz", "b.tgz", "b.TAR"}) {
    EXPECT_EQ(ClassifyFileName(name), FileNameKind::kArchive) << name;
  }
  for (const char* name : {"README.md", "export.log", "summary.pdf", "logo.PNG", "key.pem"}) {
    EXPECT_EQ(ClassifyFileName(name), FileNameKind::kNotExport) << name;
  }
  // The content decides: no extension, an unknown one, an encrypted container's.
  for (const char* name : {"LICENSE", ".profile", "contacts.bak", "changelog.Debian.gz",
                           "contacts.csv.gpg", "x.age"}) {
    EXPECT_EQ(ClassifyFileName(name), FileNameKind::kUnknown) << name;
  }
  EXPECT_EQ(ExtensionOf("Contacts.XLSX"), ".xlsx");
  EXPECT_EQ(ExtensionOf("dump.sql.gz"), ".sql");
  EXPECT_EQ(ExtensionOf(".profile"), "");
}

}  // namespace
}  // namespace crmaudit
