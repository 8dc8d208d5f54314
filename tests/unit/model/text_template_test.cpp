#include "scanner/model/text_template.h"

#include <gtest/gtest.h>

namespace crmaudit {
namespace {

TEST(TextTemplate, FillsEveryPlaceholderThatHasAValue) {
  EXPECT_EQ(FillTemplate("{n} tables on {host}", {{"n", "3"}, {"host", "crm-db"}}),
            "3 tables on crm-db");
  EXPECT_EQ(FillTemplate("表 {table} 未加密", {{"table", "contacts"}}), "表 contacts 未加密");
}

TEST(TextTemplate, KeepsAndListsPlaceholdersWithoutAValue) {
  std::vector<std::string> missing;
  EXPECT_EQ(FillTemplate("{a} and {b}", {{"a", "x"}}, &missing), "x and {b}");
  EXPECT_EQ(missing, std::vector<std::string>{"b"});
}

TEST(TextTemplate, KeepsUnclosedBracesAndPlainTextAsWritten) {
  EXPECT_EQ(FillTemplate("no placeholders", {}), "no placeholders");
  EXPECT_EQ(FillTemplate("open { brace", {{"x", "y"}}), "open { brace");
  EXPECT_EQ(FillTemplate("{x} then {", {{"x", "1"}}), "1 then {");
  EXPECT_EQ(FillTemplate("", {}), "");
}

TEST(TextTemplate, DoesNotRefillAValueThatLooksLikeAPlaceholder) {
  // A value (e.g. a table name chosen by a database user) is inserted once, never expanded.
  EXPECT_EQ(FillTemplate("{a}", {{"a", "{b}"}, {"b", "secret"}}), "{b}");
}

}  // namespace
}  // namespace crmaudit
