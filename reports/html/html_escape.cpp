#include "reports/html/html_escape.h"

#include "scanner/model/utf8.h"

namespace crmaudit {

namespace {

// The bidi controls U+061C, U+200E/F, U+202A..E and U+2066..9 starting at valid[i], as their
// UTF-8 length; 0 for anything else.
size_t BidiControlAt(const std::string& valid, size_t i) {
  const auto at = [&](size_t k) {
    return k < valid.size() ? static_cast<unsigned char>(valid[k]) : 0;
  };
  if (at(i) == 0xD8 && at(i + 1) == 0x9C) return 2;  // U+061C
  if (at(i) != 0xE2) return 0;
  const unsigned char b1 = at(i + 1), b2 = at(i + 2);
  if (b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE))) return 3;
  if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return 3;
  return 0;
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  const std::string valid = RepairUtf8(text);
  std::string out;
  out.reserve(valid.size() + valid.size() / 8);
  for (size_t i = 0; i < valid.size(); ++i) {
    const char c = valid[i];
    if (const size_t length = BidiControlAt(valid, i)) {
      // Shown, never obeyed: "rtl<U+202E>gpj.csv" must not read as "rtlvsc.jpg".
      const unsigned char b1 = static_cast<unsigned char>(valid[i + 1]);
      const unsigned char b2 = length == 3 ? static_cast<unsigned char>(valid[i + 2]) : 0;
      const unsigned code = length == 2 ? 0x061C : 0x2000 | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
      static const char* const kHex = "0123456789ABCDEF";
      out += "[U+";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(code >> shift) & 0xF];
      out += "]";
      i += length - 1;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default: {
        const auto byte = static_cast<unsigned char>(c);
        // Control characters are parse errors in HTML; they carry nothing a reader needs.
        if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f) {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
      }
    }
  }
  return out;
}

}  // namespace crmaudit
