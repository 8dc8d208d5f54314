#include "scanner/model/fingerprint.h"

#include <gtest/gtest.h>

namespace crmaudit {
namespace {

Location FileColumn(const std::string& path, const std::string& column) {
  Location l;
  l.kind = "file";
  l.path = path;
  l.column = column;
  return l;
}

TEST(FindingId, SameRuleAndLogicalLocationGiveSameId) {
  Location a = FileColumn("exports/contacts.csv", "email");
  Location b = a;
  b.row = 42;       // where it was first seen is not part of identity
  b.target = "t7";  // nor is the target's position on the command line
  EXPECT_EQ(FindingId("email-address", a), FindingId("email-address", b));
}

TEST(FindingId, DifferentColumnRuleOrTableGiveDifferentIds) {
  Location a = FileColumn("contacts.csv", "email");
  EXPECT_NE(FindingId("email-address", a), FindingId("phone-number", a));
  EXPECT_NE(FindingId("email-address", a),
            FindingId("email-address", FileColumn("contacts.csv", "email2")));
  Location db;
  db.kind = "postgres";
  db.database = "crm";
  db.schema = "public";
  db.table = "contacts";
  db.column = "email";
  Location other_table = db;
  other_table.table = "leads";
  EXPECT_NE(FindingId("email-address", db), FindingId("email-address", other_table));
}

TEST(FindingId, SurvivesDateStampChangesInFileName) {
  EXPECT_EQ(FindingId("iban-code", FileColumn("export-2026-01.csv", "iban")),
            FindingId("iban-code", FileColumn("export-2026-02.csv", "iban")));
  EXPECT_EQ(FindingId("iban-code", FileColumn("crm_20260131.jsonl.gz", "iban")),
            FindingId("iban-code", FileColumn("crm_20260228.jsonl.gz", "iban")));
  // A different folder inside the target is a different logical place.
  EXPECT_NE(FindingId("iban-code", FileColumn("eu/export-2026-01.csv", "iban")),
            FindingId("iban-code", FileColumn("cn/export-2026-01.csv", "iban")));
}

TEST(FindingId, HasStablePrefixAndLength) {
  std::string id = FindingId("email-address", FileColumn("a.csv", "email"));
  EXPECT_EQ(id.rfind("crm-", 0), 0u);
  EXPECT_EQ(id.size(), 4u + 16u);
}

TEST(NormalizeDateStamps, ReplacesDatesButNotOrderNumbers) {
  EXPECT_EQ(NormalizeDateStamps("out/export-2026-01-31.csv"), "out/export-{date}.csv");
  EXPECT_EQ(NormalizeDateStamps("export_2026_01.csv"), "export_{date}.csv");
  EXPECT_EQ(NormalizeDateStamps("20260131-contacts.csv"), "{date}-contacts.csv");
  EXPECT_EQ(NormalizeDateStamps("orders-123456789.csv"), "orders-123456789.csv");
  // Only the base name is normalised: folder names are part of the logical location.
  EXPECT_EQ(NormalizeDateStamps("2026/contacts.csv"), "2026/contacts.csv");
}

TEST(NormalizeDateStamps, ReplacesTimestampsWholeWithTheirZone) {
  EXPECT_EQ(NormalizeDateStamps("export-2026-03-15T0200Z.csv"), "export-{date}.csv");
  EXPECT_EQ(NormalizeDateStamps("export-20260315-0200.csv"), "export-{date}.csv");
  EXPECT_EQ(NormalizeDateStamps("export-2026-03-15_02-00-00.csv"), "export-{date}.csv");
  EXPECT_EQ(NormalizeDateStamps("export-20260315T020000Z.csv"), "export-{date}.csv");
}

TEST(FindingId, TheIdentityPathDecidesWhenSet) {
  Location a = FileColumn("export.csv", "email");
  Location b = a;
  a.identity_path = "a/export.csv";
  b.identity_path = "public_share/export.csv";
  EXPECT_NE(FindingId("pii:EMAIL_ADDRESS", a), FindingId("pii:EMAIL_ADDRESS", b));
  EXPECT_NE(SeparatedFindingId("crm-0000000000000000", "exports/export-2026-01.csv"),
            SeparatedFindingId("crm-0000000000000000", "exports/export-2026-02.csv"));
}

TEST(KeyedValueFingerprint, IsKeyedHmacNotABareHash) {
  // RFC 4231 test case 2.
  EXPECT_EQ(KeyedValueFingerprint("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_NE(KeyedValueFingerprint("key-a", "+8613812345678"),
            KeyedValueFingerprint("key-b", "+8613812345678"));
}

}  // namespace
}  // namespace crmaudit
