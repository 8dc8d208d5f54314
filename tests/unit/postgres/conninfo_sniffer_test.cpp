// Connection strings and value sniffing: pure, no server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/sources/postgres/catalog.h"
#include "scanner/sources/postgres/conninfo.h"
#include "scanner/sources/postgres/table_reader.h"
#include "scanner/sources/sql/value_sniffer.h"

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

// What libpq itself reads back from a connection string: keyword → value.
std::map<std::string, std::string> LibpqParse(const std::string& conninfo) {
  std::map<std::string, std::string> out;
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    ADD_FAILURE() << "libpq could not parse the polite string";
    return out;
  }
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) out[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  return out;
}

TEST(ConnInfo, TlsParametersPassThroughUntouched) {
  // key=value form, with a path that needs quoting.
  auto parsed = LibpqParse(PoliteConnInfo(
      "host=crm-db sslmode=verify-full sslrootcert='/etc/crm ca/root.crt' "
      "sslcert=/etc/crm/client.crt sslkey=/etc/crm/client.key sslcrl=/etc/crm/crl.pem "
      "ssl_min_protocol_version=TLSv1.3",
      SessionSettings{}));
  EXPECT_EQ(parsed["sslmode"], "verify-full");
  EXPECT_EQ(parsed["sslrootcert"], "/etc/crm ca/root.crt");
  EXPECT_EQ(parsed["sslcert"], "/etc/crm/client.crt");
  EXPECT_EQ(parsed["sslkey"], "/etc/crm/client.key");
  EXPECT_EQ(parsed["sslcrl"], "/etc/crm/crl.pem");
  EXPECT_EQ(parsed["ssl_min_protocol_version"], "TLSv1.3");
  EXPECT_EQ(parsed["application_name"], "crmaudit");
  // URI form, percent-encoded.
  auto uri = LibpqParse(PoliteConnInfo(
      "postgresql://auditor@crm-db/crm?sslmode=verify-ca&sslrootcert=%2Ftmp%2Fca%20bundle.pem",
      SessionSettings{}));
  EXPECT_EQ(uri["sslmode"], "verify-ca");
  EXPECT_EQ(uri["sslrootcert"], "/tmp/ca bundle.pem");
  EXPECT_EQ(uri["dbname"], "crm");
  // Nothing is invented: without sslmode the polite string leaves libpq's default alone.
  auto plain = LibpqParse(PoliteConnInfo("host=crm-db", SessionSettings{}));
  EXPECT_EQ(plain.count("sslmode"), 0u);
  EXPECT_EQ(plain.count("sslrootcert"), 0u);
}

TEST(RelationFilterPatterns, SchemaTableGlobsAndExcludesWin) {
  RelationFilter filter{{"crm.*", "海外 Sales"}, {"crm.contact*", "*.users"}};
  EXPECT_TRUE(filter.Accepts("crm", "leads"));
  EXPECT_TRUE(filter.Accepts("海外 Sales", "Kunden \"VIP\" select"));
  EXPECT_FALSE(filter.Accepts("crm", "contacts"));
  EXPECT_FALSE(filter.Accepts("crm", "contact_directory"));
  EXPECT_FALSE(filter.Accepts("crm", "users"));
  EXPECT_FALSE(filter.Accepts("public", "leads"));
  EXPECT_TRUE(RelationFilter{}.Accepts("public", "anything"));
  EXPECT_TRUE((RelationFilter{{}, {"crm.users"}}.Accepts("public", "users")));
}

TEST(ConnInfo, UnparsableStringErrorDoesNotQuoteIt) {
  try {
    PoliteConnInfo("host=db password='s3cret", SessionSettings{});
    FAIL() << "expected ConnInfoError";
  } catch (const ConnInfoError& error) {
    EXPECT_THAT(error.what(), Not(HasSubstr("s3cret")));
  }
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

// The form of a password value is classified by scanner/detect/password_form.h (shared with
// the export detectors; see tests/unit/detect/password_form_test.cpp); the reader only decides
// which columns hold passwords.
TEST(ValueSniffer, PasswordColumnNames) {
  EXPECT_TRUE(IsPasswordColumnName("legacy_password"));
  EXPECT_TRUE(IsPasswordColumnName("登录密码"));
  EXPECT_TRUE(IsPasswordColumnName("Passwort"));
  EXPECT_TRUE(IsPasswordColumnName("mot de passe"));
  EXPECT_TRUE(IsPasswordColumnName("contraseña"));
  EXPECT_TRUE(IsPasswordColumnName("user_hash"));
  EXPECT_FALSE(IsPasswordColumnName("email"));
}

TEST(TableReader, CopyFieldDecoding) {
  std::string out;
  EXPECT_FALSE(DecodeCopyField("\\N", &out));
  ASSERT_TRUE(DecodeCopyField("a\\tb\\nc\\\\d\\x41\\101", &out));
  EXPECT_EQ(out, "a\tb\nc\\dAA");
}

// SplitCopyLine against the obvious byte-at-a-time split, for lines whose tabs and backslashes
// fall anywhere in and across the sixteen-byte blocks it reads.
std::vector<std::string_view> SplitSlowly(std::string_view line, size_t count, bool* backslash) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  *backslash = false;
  while (fields.size() < count && start <= line.size()) {
    size_t end = line.find('\t', start);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view field = line.substr(start, end - start);
    *backslash = *backslash || field.find('\\') != std::string_view::npos;
    fields.push_back(field);
    start = end + 1;
  }
  if (fields.size() < count) *backslash = true;  // short: NULLs the caller must see
  while (fields.size() < count) fields.push_back("\\N");
  return fields;
}

TEST(TableReader, CopyLineSplitting) {
  std::vector<std::string_view> fields(3);
  EXPECT_FALSE(SplitCopyLine("1\tAda Lovelace\tada@example.com", fields));
  EXPECT_EQ(fields, (std::vector<std::string_view>{"1", "Ada Lovelace", "ada@example.com"}));
  EXPECT_TRUE(SplitCopyLine("1\t\\N\ta\\tb", fields));  // a NULL, an escaped tab
  EXPECT_EQ(fields, (std::vector<std::string_view>{"1", "\\N", "a\\tb"}));
  EXPECT_TRUE(SplitCopyLine("1\tonly two", fields));  // short: the third is NULL
  EXPECT_EQ(fields, (std::vector<std::string_view>{"1", "only two", "\\N"}));
  EXPECT_FALSE(SplitCopyLine("a\tb\tc\tignored", fields));  // extra fields are not read
  EXPECT_EQ(fields, (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_FALSE(SplitCopyLine("\t\t", fields));  // empty strings, not NULLs
  EXPECT_EQ(fields, (std::vector<std::string_view>{"", "", ""}));

  std::mt19937 random(15);
  const std::string alphabet = "ab\t\\N\x80\xff";
  for (int round = 0; round < 20000; ++round) {
    std::string line(random() % 70, ' ');
    for (char& c : line) c = alphabet[random() % alphabet.size()];
    const size_t count = 1 + random() % 8;
    std::vector<std::string_view> got(count);
    bool expected_backslash = false;
    const std::vector<std::string_view> expected = SplitSlowly(line, count, &expected_backslash);
    const bool backslash = SplitCopyLine(line, got);
    ASSERT_EQ(got, expected) << "round " << round;
    // A field with a backslash (or a short line) is always told; a backslash past the last
    // field asked may be told too.
    if (expected_backslash) {
      ASSERT_TRUE(backslash) << "round " << round;
    }
  }
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
