// TerminalSafe: names chosen by others cannot steer a terminal.
#include "scanner/model/terminal_text.h"

#include <gtest/gtest.h>

namespace crmaudit {
namespace {

TEST(TerminalSafe, ControlCharactersBecomeVisibleEscapes) {
  EXPECT_EQ(TerminalSafe("a\x1b]0;pwned\x07"
                         "b"),
            "a\\x1B]0;pwned\\x07b");
  EXPECT_EQ(TerminalSafe("x\rcrmaudit: scanned 0 dataset(s) OK\n"),
            "x\\x0Dcrmaudit: scanned 0 dataset(s) OK\\x0A");
  EXPECT_EQ(TerminalSafe("tab\there\x7f"), "tab\\x09here\\x7F");
  EXPECT_EQ(TerminalSafe("c1\xc2\x9b"
                         "2J"),
            "c1\\u009B2J");  // CSI as a C1 control
}

TEST(TerminalSafe, BidiOverridesCannotReorderAName) {
  // "rtl" U+202E "gpj.csv" would display as "rtlvsc.jpg".
  EXPECT_EQ(TerminalSafe("rtl\xe2\x80\xae"
                         "gpj.csv"),
            "rtl\\u202Egpj.csv");
  EXPECT_EQ(TerminalSafe("\xe2\x81\xa6x\xe2\x81\xa9"), "\\u2066x\\u2069");
}

TEST(TerminalSafe, OrdinaryTextIncludingChineseIsUnchanged) {
  EXPECT_EQ(TerminalSafe("客户名单 2024.csv: 3 rows"), "客户名单 2024.csv: 3 rows");
  EXPECT_EQ(TerminalSafe("Müller_Ærø.csv"), "Müller_Ærø.csv");
}

TEST(TerminalSafe, BytesThatAreNotUtf8AreEscaped) {
  EXPECT_EQ(TerminalSafe("a\xff"
                         "b"),
            "a\\xFFb");
  EXPECT_EQ(TerminalSafe("\xc0\xaf"), "\\xC0\\xAF");  // overlong '/'
}

}  // namespace
}  // namespace crmaudit
