// LeakSearch: the distinctive values the leak tests plant in every input, and the search for
// them in what crmaudit wrote or printed: each value and every 8-character piece of it.
// Shared by tests/integration/leak_test.cpp (export files) and the database leak test in
// tests/unit/postgres. The values pass their validators (Luhn, IBAN and resident-ID checksums,
// a real mobile range), so the scan finds them; none of their 8-character pieces is common
// text that a report could hold by chance.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace crmaudit::testing {

inline const std::vector<std::string>& LeakValues() {
  static const std::vector<std::string> kValues = {
      "quentin.zarkleak@wombatmail.org",
      "+49 1523 7781904",
      "4539172683051949",
      "DE29370400440917263548",
      "440305198706127318",
      "Tr0ub4dor&3xyzzyQ",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzqxLEAKEY1",
      "AKIAZQ7LEAKW4MBT9XRV",
      "MIIEowIBAAKCAQEAzqXleakWombatKeyBodyQ9v7Tn2",
      "Quentin Zarkovsky",
  };
  return kValues;
}

// Adds a test failure naming `where` for each piece of a planted value found in `text`.
inline void ExpectNoLeakedValue(const std::string& where, const std::string& text) {
  for (const std::string& value : LeakValues()) {
    for (size_t i = 0; i + 8 <= value.size(); ++i) {
      const std::string piece = value.substr(i, 8);
      EXPECT_EQ(text.find(piece), std::string::npos)
          << where << " holds \"" << piece << "\" of a scanned value";
    }
  }
}

// What the program printed, from a typescript of util-linux `script`: without its "Script
// started on ... [COMMAND=...]" and "Script done on ..." lines, which quote the command line
// (the test's own arguments), not the program's output.
inline std::string ProgramOutput(const std::string& typescript) {
  std::string text = typescript;
  if (text.rfind("Script started on ", 0) == 0) {
    const size_t end = text.find('\n');
    text.erase(0, end == std::string::npos ? text.size() : end + 1);
  }
  const size_t done = text.rfind("\nScript done on ");
  if (done != std::string::npos) text.erase(done + 1);
  return text;
}

// The standard base64 decoding of `text` (characters outside the alphabet are skipped), for
// the DSSE envelope's payload.
inline std::string DecodeBase64(const std::string& text) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0, value = 0;
  for (char c : text) {
    const size_t index = kAlphabet.find(c);
    if (index == std::string::npos) continue;
    value = (value << 6) | static_cast<int>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace crmaudit::testing
