// ArchiveReader: members in order, names as labels (never paths), encrypted members and zip
// bombs reported, damaged archives said to be damaged.
#include "scanner/sources/files/archive_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/archive_writer.h"

namespace crmaudit::testing {
namespace {

struct Listed {
  std::string open_problem;
  std::vector<ArchiveMember> members;
  std::vector<std::string> contents;  // per member, or "<error: ...>"
  std::string error;
  std::string format;
  bool limit_reached = false;
};

Listed List(const std::string& bytes, ArchiveLimits limits = {}) {
  Listed out;
  ArchiveReader reader(limits);
  out.open_problem = reader.OpenMemory(bytes);
  if (!out.open_problem.empty()) return out;
  ArchiveMember member;
  while (reader.Next(&member)) {
    out.members.push_back(member);
    std::string content;
    char buffer[4096];
    for (;;) {
      std::string error;
      long got = reader.Read(buffer, sizeof buffer, &error);
      if (got < 0) {
        content = "<error: " + error + ">";
        break;
      }
      if (got == 0) break;
      content.append(buffer, static_cast<size_t>(got));
    }
    out.contents.push_back(content);
    if (reader.limit_reached()) break;
  }
  out.error = reader.error();
  out.format = reader.format();
  out.limit_reached = reader.limit_reached();
  return out;
}

TEST(ArchiveReader, ZipTarAndTarGzMembersInOrder) {
  const std::vector<std::pair<std::string, std::string>> members = {
      {"Account.csv", "Id,Name\n1,Example Ltd\n"},
      {"Contact.csv", "Id,Email\n1,ann@example.com\n"}};
  for (const char* format : {"zip", "tar", "tar.gz"}) {
    ArchiveSpec spec;
    spec.format = format;
    Listed listed = List(BuildArchive(members, spec));
    ASSERT_EQ(listed.open_problem, "") << format;
    ASSERT_EQ(listed.members.size(), 2u) << format;
    EXPECT_EQ(listed.members[1].name, "Contact.csv");
    EXPECT_TRUE(listed.members[1].regular);
    EXPECT_EQ(listed.contents[1], "Id,Email\n1,ann@example.com\n") << format;
    EXPECT_EQ(listed.error, "") << format;
    EXPECT_EQ(listed.format, std::string(format) == "tar.gz" ? "tar+gzip" : format);
  }
}

TEST(ArchiveReader, HostileNamesAreEscapedLabels) {
  Listed listed = List(BuildArchive({{"../../etc/cron.d/x.csv", "a\n1\n"},
                                     {"/abs/Contact.csv", "a\n1\n"},
                                     {std::string("evil\x1b[2J\r.csv"), "a\n1\n"}}));
  ASSERT_EQ(listed.members.size(), 3u);
  EXPECT_EQ(listed.members[0].name, "../../etc/cron.d/x.csv");  // shown, never opened
  EXPECT_EQ(listed.members[2].name, "evil\\x1B[2J\\x0D.csv");
  for (const ArchiveMember& m : listed.members) {
    EXPECT_EQ(m.name.find('\x1b'), std::string::npos);
  }
}

TEST(ArchiveReader, EncryptedMembersAreReportedNotRead) {
  ArchiveSpec spec;
  spec.passphrase = "correct horse";
  Listed listed = List(BuildArchive({{"Contact.csv", "Email\nann@example.com\n"}}, spec));
  ASSERT_EQ(listed.members.size(), 1u);
  EXPECT_TRUE(listed.members[0].encrypted);
  EXPECT_EQ(listed.contents[0], "<error: encrypted>");
}

TEST(ArchiveReader, ZipBombStopsAtTheRatioLimit) {
  std::string zeros(64ull << 20, '0');
  Listed listed = List(BuildArchive({{"bomb.csv", zeros}, {"after.csv", "a\n1\n"}}));
  ASSERT_EQ(listed.members.size(), 1u);
  EXPECT_TRUE(listed.limit_reached);
  EXPECT_NE(listed.contents[0].find("compression ratio over 200:1"), std::string::npos)
      << listed.contents[0].substr(0, 200);
  EXPECT_NE(listed.error.find("the rest of the archive was not read"), std::string::npos);
}

TEST(ArchiveReader, TotalSizeLimit) {
  ArchiveLimits limits;
  limits.max_total_bytes = 1000;
  ArchiveSpec spec;
  spec.store = true;
  Listed listed =
      List(BuildArchive({{"a.csv", std::string(800, 'a')}, {"b.csv", std::string(800, 'b')}}, spec),
           limits);
  ASSERT_EQ(listed.members.size(), 2u);
  EXPECT_EQ(listed.contents[0].size(), 800u);
  EXPECT_NE(listed.contents[1].find("1000 uncompressed bytes"), std::string::npos);
  EXPECT_TRUE(listed.limit_reached);
}

TEST(ArchiveReader, DamagedArchivesSayWhy) {
  Listed text = List("Email,Phone\nann@example.com,1\n");
  EXPECT_TRUE(text.members.empty());
  EXPECT_NE((text.open_problem + text.error).find("not a readable ZIP or tar archive"),
            std::string::npos)
      << text.open_problem << text.error;

  std::string zip = BuildArchive({{"Contact.csv", std::string(20000, 'x')}, {"Lead.csv", "a\n"}});
  Listed cut = List(zip.substr(0, zip.size() / 3));
  EXPECT_TRUE(!cut.error.empty() || !cut.open_problem.empty() ||
              (!cut.contents.empty() && cut.contents[0].starts_with("<error")));
}

}  // namespace
}  // namespace crmaudit::testing
