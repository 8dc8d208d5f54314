#include "scanner/model/sql_identifier.h"

#include <gtest/gtest.h>

namespace crmaudit {
namespace {

// Names are chosen by whoever can create a table: quoting must keep any of them one identifier.
TEST(SqlIdentifier, StandardQuotingDoublesEmbeddedDoubleQuotes) {
  EXPECT_EQ(QuoteSqlIdent("contacts"), "\"contacts\"");
  EXPECT_EQ(QuoteSqlIdent("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteSqlIdent("x\"; DROP TABLE t; --"), "\"x\"\"; DROP TABLE t; --\"");
  EXPECT_EQ(QuoteSqlIdent("客户"), "\"客户\"");
  EXPECT_EQ(QuoteSqlIdent(""), "\"\"");
  EXPECT_EQ(QuoteSqlIdent("`back`"), "\"`back`\"");
}

TEST(SqlIdentifier, MysqlQuotingDoublesEmbeddedBackticks) {
  EXPECT_EQ(QuoteMysqlIdent("contacts"), "`contacts`");
  EXPECT_EQ(QuoteMysqlIdent("a`b"), "`a``b`");
  EXPECT_EQ(QuoteMysqlIdent("say \"hi\""), "`say \"hi\"`");
}

}  // namespace
}  // namespace crmaudit
