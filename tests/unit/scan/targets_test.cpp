#include "scanner/scan/targets.h"

#include <gtest/gtest.h>

namespace crmaudit {
namespace {

TEST(Targets, UriPasswordNeverReachesTheDisplayForm) {
  PlannedTarget t =
      ClassifyTarget("postgresql://auditor:s3cr3t-pw@crm-db:5432/crm?sslmode=require", "t1");
  EXPECT_EQ(t.kind, "postgres");
  EXPECT_EQ(t.display, "postgresql://auditor@crm-db:5432/crm?sslmode=require");
  EXPECT_EQ(t.display.find("s3cr3t"), std::string::npos);
  EXPECT_NE(t.location.find("s3cr3t"), std::string::npos);  // still usable for connecting
}

TEST(Targets, QueryAndConninfoPasswordsAreRedacted) {
  EXPECT_EQ(
      RedactConnectionString("postgresql://crm-db/crm?user=a&password=hunter2&sslmode=verify-full"),
      "postgresql://crm-db/crm?user=a&password=REDACTED&sslmode=verify-full");
  std::string conninfo =
      RedactConnectionString(R"(host=crm-db dbname=crm password='it\'s secret' user=a)");
  EXPECT_EQ(conninfo.find("secret"), std::string::npos) << conninfo;
  EXPECT_NE(conninfo.find("user=a"), std::string::npos);
  EXPECT_EQ(RedactConnectionString("host=db password=plain user=x"),
            "host=db password=REDACTED user=x");
}

// A password is bytes, not text: one in Latin-1, with a vertical tab before it or a line break
// inside its quotes, or with its keyword in capitals, is hidden whole, never cut short where
// its bytes stop being UTF-8.
TEST(Targets, PasswordsThatAreNotUtf8OrOddlySpacedAreRedactedWhole) {
  EXPECT_EQ(RedactConnectionString("postgresql://db/crm?PASSWORD=h\xe9llo\xff&sslmode=require"),
            "postgresql://db/crm?PASSWORD=REDACTED&sslmode=require");
  EXPECT_EQ(RedactConnectionString("host=db\vpassword =\t caf\xe9\x80x user=a"),
            "host=db\vpassword =\t REDACTED user=a");
  EXPECT_EQ(RedactConnectionString("host=db SSLPassword='two\nlines' user=a"),
            "host=db SSLPassword=REDACTED user=a");
  EXPECT_TRUE(IsDatabaseTarget("sslmode=require\vhost =db"));
}

TEST(Targets, PathsAndConninfoAreTellApart) {
  EXPECT_TRUE(IsDatabaseTarget("postgres://db/crm"));
  EXPECT_TRUE(IsDatabaseTarget("host=/tmp/sock dbname=crm"));
  EXPECT_FALSE(IsDatabaseTarget("exports/contacts.csv"));
  EXPECT_EQ(ClassifyTarget("/definitely/not/here.csv", "t2").kind, "file");
}

}  // namespace
}  // namespace crmaudit

namespace crmaudit {
namespace {

TEST(Targets, PasswordsAreMaskedInPlaceWithTheSameLength) {
  std::string uri = "postgresql://auditor:s3cr3t@db/crm?password=other&sslmode=require";
  std::string masked = MaskPasswordSameLength(uri);
  EXPECT_EQ(masked.size(), uri.size());
  EXPECT_EQ(masked, "postgresql://auditor:******@db/crm?password=*****&sslmode=require");
  EXPECT_EQ(MaskPasswordSameLength("host=db password='a b' user=x"),
            "host=db password=***** user=x");
  EXPECT_EQ(MaskPasswordSameLength("exports/contacts.csv"), "exports/contacts.csv");
  EXPECT_EQ(MaskPasswordSameLength("host=db sslpassword=k3y password=a&b#c"),
            "host=db sslpassword=*** password=*****");
}

}  // namespace
}  // namespace crmaudit
