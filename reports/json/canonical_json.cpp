#include "reports/json/canonical_json.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "scanner/model/utf8.h"

namespace crmaudit {

namespace {

constexpr int64_t kMaxSafeInteger = 9007199254740992;  // 2^53

// Decodes valid UTF-8 into UTF-16 code units.
std::u16string ToUtf16(const std::string& text) {
  std::u16string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    uint32_t cp;
    size_t n;
    if (lead < 0x80) {
      cp = lead;
      n = 1;
    } else if (lead < 0xE0) {
      cp = lead & 0x1F;
      n = 2;
    } else if (lead < 0xF0) {
      cp = lead & 0x0F;
      n = 3;
    } else {
      cp = lead & 0x07;
      n = 4;
    }
    for (size_t k = 1; k < n && i + k < text.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

void WriteString(const std::string& text, std::string& out) {
  if (!IsValidUtf8(text)) {
    throw std::invalid_argument("canonical JSON: string is not valid UTF-8");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void Write(const nlohmann::json& value, std::string& out) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      out += "null";
      break;
    case nlohmann::json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      break;
    case nlohmann::json::value_t::number_integer: {
      int64_t n = value.get<int64_t>();
      if (n > kMaxSafeInteger || n < -kMaxSafeInteger) {
        throw std::invalid_argument("canonical JSON: integer beyond 2^53");
      }
      out += std::to_string(n);
      break;
    }
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t n = value.get<uint64_t>();
      if (n > static_cast<uint64_t>(kMaxSafeInteger)) {
        throw std::invalid_argument("canonical JSON: integer beyond 2^53");
      }
      out += std::to_string(n);
      break;
    }
    case nlohmann::json::value_t::number_float:
      throw std::invalid_argument("canonical JSON: floating-point numbers are not allowed");
    case nlohmann::json::value_t::string:
      WriteString(value.get_ref<const std::string&>(), out);
      break;
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value) {
        if (!first) out.push_back(',');
        first = false;
        Write(element, out);
      }
      out.push_back(']');
      break;
    }
    case nlohmann::json::value_t::object: {
      std::vector<const std::string*> keys;
      keys.reserve(value.size());
      for (auto it = value.begin(); it != value.end(); ++it) keys.push_back(&it.key());
      std::sort(keys.begin(), keys.end(),
                [](const std::string* a, const std::string* b) { return Utf16Less(*a, *b); });
      out.push_back('{');
      bool first = true;
      for (const std::string* key : keys) {
        if (!first) out.push_back(',');
        first = false;
        WriteString(*key, out);
        out.push_back(':');
        Write(value.at(*key), out);
      }
      out.push_back('}');
      break;
    }
    case nlohmann::json::value_t::binary:
    case nlohmann::json::value_t::discarded:
      throw std::invalid_argument("canonical JSON: unsupported value type");
  }
}

}  // namespace

bool Utf16Less(const std::string& a, const std::string& b) {
  // ASCII-only keys (the common case) compare the same in both encodings.
  return ToUtf16(a) < ToUtf16(b);
}

std::string CanonicalJson(const nlohmann::json& value) {
  std::string out;
  Write(value, out);
  return out;
}

}  // namespace crmaudit
