#include "scanner/model/percent_encoding.h"

#include <gtest/gtest.h>

namespace crmaudit {
namespace {

TEST(PercentEncoding, KeepsUnreservedAndNamedCharactersAndEncodesEveryOtherByte) {
  EXPECT_EQ(PercentEncode("Abc-1.2_x~"), "Abc-1.2_x~");
  EXPECT_EQ(PercentEncode("p@ss:w/rd&=?#% "), "p%40ss%3Aw%2Frd%26%3D%3F%23%25%20");
  EXPECT_EQ(PercentEncode("密"), "%E5%AF%86");
  EXPECT_EQ(PercentEncode("/run/my sock", "/"), "/run/my%20sock");
  EXPECT_EQ(PercentEncode(""), "");
}

}  // namespace
}  // namespace crmaudit
