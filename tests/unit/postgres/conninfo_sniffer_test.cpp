// Connection strings and value sniffing: pure, no server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scanner/sources/postgres/catalog.h"
#include "scanner/sources/postgres/conninfo.h"
#include "scanner/sources/postgres/table_reader.h"
#include "scanner/sources/postgres/value_sniffer.h"

namespace crmaudit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ConnInfo, PoliteStringAddsReadOnlyTimeoutsAndApplicationName) {
  SessionSettings settings{1234, 567};
  const std::string polite =
      PoliteConnInfo("postgresql://auditor:s3cret@crm-db:5433/crm?sslmode=verify-full", settings);
  EXPECT_THAT(polite, HasSubstr("application_name='crmaudit'"));
  EXPECT_THAT(polite, HasSubstr("default_transaction_read_only=on"));
  EXPECT_THAT(polite, HasSubstr("statement_timeout=1234"));
  EXPECT_THAT(polite, HasSubstr("lock_timeout=567"));
  EXPECT_THAT(polite, HasSubstr("sslmode='verify-full'"));
  EXPECT_THAT(polite, HasSubstr("dbname='crm'"));
  // The user's application_name never wins over ours.
  EXPECT_THAT(PoliteConnInfo("host=h application_name=evil", settings), Not(HasSubstr("evil")));
  EXPECT_THAT(PoliteConnInfo("host=h dbname=crm", settings, "other"), HasSubstr("dbname='other'"));
}

TEST(ConnInfo, KeepsExistingServerOptionsAndQuotes) {
  const std::string polite =
      PoliteConnInfo("host=h options='-c search_path=crm' password='it\\'s'", SessionSettings{});
  EXPECT_THAT(polite, HasSubstr("options='-c search_path=crm -c default_transaction_read_only=on"));
  EXPECT_THAT(polite, HasSubstr("password='it\\'s'"));
}

TEST(ConnInfo, RedactionDropsPasswordsInBothForms) {
  EXPECT_THAT(RedactedConnInfo("postgresql://auditor:s3cret@crm-db/crm"), Not(HasSubstr("s3cret")));
  EXPECT_THAT(RedactedConnInfo("postgresql://auditor:s3cret@crm-db/crm"),
              HasSubstr("user=auditor"));
  EXPECT_THAT(RedactedConnInfo("host=db password=s3cret sslpassword=k3y user=a"),
              Not(HasSubstr("s3cret")));
  EXPECT_THAT(RedactedConnInfo("host=db password=s3cret sslpassword=k3y user=a"),
              Not(HasSubstr("k3y")));
}

TEST(ConnInfo, UnparsableStringErrorDoesNotQuoteIt) {
  try {
    PoliteConnInfo("host=db password='s3cret", SessionSettings{});
    FAIL() << "expected ConnInfoError";
  } catch (const ConnInfoError& error) {
    EXPECT_THAT(error.what(), Not(HasSubstr("s3cret")));
  }
  EXPECT_EQ(RedactedConnInfo("postgresql://u:s3cret@[bad"), "(unparsable connection string)");
}

TEST(ValueSniffer, PgcryptoOutputIsCiphertextPlainTextIsNot) {
  std::string pgp_sym = "\xc3\x0d\x04\x07\x03\x02";
  pgp_sym += std::string(40, '\x5a');
  EXPECT_EQ(SniffBinary(pgp_sym), BinaryForm::kCiphertext);
  std::string pgp_pub = "\xc1\x4c\x03";
  pgp_pub += std::string(40, '\x11');
  EXPECT_EQ(SniffBinary(pgp_pub), BinaryForm::kCiphertext);
  EXPECT_EQ(SniffBinary("110105198001011234"), BinaryForm::kReadableText);
  std::string random;
  for (int i = 0; i < 256; ++i) random.push_back(static_cast<char>((i * 73 + 11) % 256));
  EXPECT_EQ(SniffBinary(random), BinaryForm::kCiphertext);
  EXPECT_EQ(SniffBinary(std::string(64, '\0')), BinaryForm::kOtherBinary);
}

TEST(ValueSniffer, PasswordForms) {
  EXPECT_EQ(ClassifyPasswordValue("$2a$06$abcdefghijklmnopqrstuuXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
            PasswordForm::kStrongHash);
  EXPECT_EQ(ClassifyPasswordValue("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"),
            PasswordForm::kStrongHash);
  EXPECT_EQ(ClassifyPasswordValue("5f4dcc3b5aa765d61d8327deb882cf99"), PasswordForm::kFastUnsalted);
  EXPECT_EQ(ClassifyPasswordValue("Winter2024!crm"), PasswordForm::kPlaintext);
  EXPECT_TRUE(IsPasswordColumnName("legacy_password"));
  EXPECT_TRUE(IsPasswordColumnName("登录密码"));
  EXPECT_FALSE(IsPasswordColumnName("email"));
}

TEST(TableReader, CopyFieldDecoding) {
  std::string out;
  EXPECT_FALSE(DecodeCopyField("\\N", &out));
  ASSERT_TRUE(DecodeCopyField("a\\tb\\nc\\\\d\\x41\\101", &out));
  EXPECT_EQ(out, "a\tb\nc\\dAA");
}

TEST(TableReader, QueryQuotesEveryIdentifierAndSamples) {
  PgRelation relation;
  relation.schema = "海外 Sales";
  relation.name = "Kunden \"VIP\" select";
  relation.relkind = 'r';
  relation.estimated_rows = 1e7;
  std::vector<PgColumn> columns = {{"order", "integer", PgColumnKind::kOther, true},
                                   {"tags", "text[]", PgColumnKind::kArray, true}};
  TableReadOptions options;
  options.sample_rows = 100;
  const std::string query = BuildReadQuery(relation, columns, options);
  EXPECT_THAT(query, HasSubstr("FROM \"海外 Sales\".\"Kunden \"\"VIP\"\" select\""));
  EXPECT_THAT(query, HasSubstr("SELECT \"order\", to_json(\"tags\")::text"));
  EXPECT_THAT(query, HasSubstr("TABLESAMPLE SYSTEM (0.001500)"));
  EXPECT_THAT(query, HasSubstr("LIMIT 100"));
  relation.estimated_rows = 150;  // small table: a plain LIMIT
  EXPECT_THAT(BuildReadQuery(relation, columns, options), Not(HasSubstr("TABLESAMPLE")));
  relation.relkind = 'v';
  relation.estimated_rows = 1e7;  // views cannot be sampled
  EXPECT_THAT(BuildReadQuery(relation, columns, options), Not(HasSubstr("TABLESAMPLE")));
  options.full = true;
  EXPECT_THAT(BuildReadQuery(relation, columns, options), Not(HasSubstr("LIMIT")));
}

TEST(RelationFilterTest, IncludeExcludeBySchemaAndTable) {
  RelationFilter filter{{"crm.*", "海外 Sales"}, {"crm.audit_*"}};
  EXPECT_TRUE(filter.Accepts("crm", "contacts"));
  EXPECT_FALSE(filter.Accepts("crm", "audit_log"));
  EXPECT_TRUE(filter.Accepts("海外 Sales", "Kunden"));
  EXPECT_FALSE(filter.Accepts("public", "contacts"));
  EXPECT_TRUE(RelationFilter{}.Accepts("anything", "at_all"));
}

}  // namespace
}  // namespace crmaudit
