#include "scanner/model/utf8.h"

#include <gtest/gtest.h>

namespace crmaudit {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("客户邮箱 €  \xF0\x9F\x98\x80"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(Utf8, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xFF"));
}

TEST(Utf8, RepairReplacesAndCountsInvalidBytes) {
  uint64_t replaced = 0;
  std::string repaired = RepairUtf8("ok\xFF\xFEok\xC3", &replaced);
  EXPECT_TRUE(IsValidUtf8(repaired));
  EXPECT_EQ(replaced, 3u);
  EXPECT_EQ(repaired.substr(0, 2), "ok");
  EXPECT_NE(repaired.find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_EQ(RepairUtf8("邮箱"), "邮箱");
}

}  // namespace
}  // namespace crmaudit
