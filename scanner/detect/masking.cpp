// Masks per entity type. Each mask keeps a fixed, documented set of characters (masking.h);
// everything else becomes '*'. Masks are built from characters, never from byte cuts, and the
// result passes through utf8::Repaired so a malformed input cannot yield malformed output.
#include "scanner/detect/masking.h"

#include <algorithm>
#include <vector>

#include "scanner/detect/utf8_text.h"

namespace crmaudit {
namespace {

constexpr size_t kLongValueChars = 8;  // shorter generic values are masked completely
constexpr std::string_view kShortMask = "****";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Full-width digits (U+FF10–U+FF19) are common in Chinese exports; they count as digits.
std::string AsciiDigitsAndLetters(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    const auto byte = static_cast<unsigned char>(value[i]);
    if (IsAsciiAlnum(value[i])) {
      out.push_back(value[i]);
    } else if (byte == 0xEF && i + 2 < value.size()) {
      const auto b1 = static_cast<unsigned char>(value[i + 1]);
      const auto b2 = static_cast<unsigned char>(value[i + 2]);
      // U+FF10..U+FF19 (digits), U+FF21..U+FF3A (A-Z), U+FF41..U+FF5A (a-z): EF BC/BD xx.
      const unsigned codepoint = ((byte & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if (codepoint >= 0xFF10 && codepoint <= 0xFF19) {
        out.push_back(static_cast<char>('0' + (codepoint - 0xFF10)));
        i += 2;
      } else if (codepoint >= 0xFF21 && codepoint <= 0xFF3A) {
        out.push_back(static_cast<char>('A' + (codepoint - 0xFF21)));
        i += 2;
      } else if (codepoint >= 0xFF41 && codepoint <= 0xFF5A) {
        out.push_back(static_cast<char>('a' + (codepoint - 0xFF41)));
        i += 2;
      }
    }
  }
  return out;
}

std::string OnlyDigits(std::string_view value) {
  std::string all = AsciiDigitsAndLetters(value);
  std::string digits;
  std::copy_if(all.begin(), all.end(), std::back_inserter(digits), IsDigit);
  return digits;
}

std::vector<std::string_view> Characters(std::string_view text) {
  std::vector<std::string_view> chars;
  for (size_t pos = 0; pos < text.size();) {
    const size_t length = std::max<size_t>(1, utf8::CharLength(text, pos));
    chars.push_back(text.substr(pos, length));
    pos += length;
  }
  return chars;
}

std::string Trimmed(std::string_view value) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
  return std::string(value);
}

// Keeps at most the first and the last character of a long value: "Z****i".
std::string MaskGeneric(std::string_view value) {
  const std::vector<std::string_view> chars = Characters(value);
  if (chars.size() < kLongValueChars) return std::string(kShortMask);
  return std::string(chars.front()) + std::string(kShortMask) + std::string(chars.back());
}

// First character and "***": "j***".
std::string FirstAndStars(std::string_view part) {
  const std::vector<std::string_view> chars = Characters(part);
  if (chars.empty()) return "***";
  return std::string(chars.front()) + "***";
}

// j***@e***.com: first character of the local part, of the first domain label, and the
// top-level domain (shared by millions of addresses, so it identifies nobody).
std::string MaskEmail(std::string_view value) {
  const size_t at = value.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= value.size()) {
    return MaskGeneric(value);
  }
  const std::string_view local = value.substr(0, at);
  const std::string_view domain = value.substr(at + 1);
  const size_t last_dot = domain.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0 || last_dot + 1 >= domain.size()) {
    return FirstAndStars(local) + "@***";
  }
  const std::string_view tld = domain.substr(last_dot + 1);
  // Real top-level domains are short words; anything else might be data and is not kept.
  const bool tld_is_word = Characters(tld).size() <= 24 &&
                           std::none_of(tld.begin(), tld.end(), [](char c) { return IsDigit(c); });
  return FirstAndStars(local) + "@" + FirstAndStars(domain) + "." +
         (tld_is_word ? std::string(tld) : std::string("***"));
}

// **** **** **** 4242: only the last four digits, as printed on receipts (PCI DSS allows
// first six and last four; we keep less).
std::string MaskCard(std::string_view value) {
  const std::string digits = OnlyDigits(value);
  if (digits.size() < 12) return std::string(kShortMask);
  return "**** **** **** " + digits.substr(digits.size() - 4);
}

// 110105********002X: region code and the last four (sequence and check character); the
// birth date in the middle is what identifies a person.
std::string MaskCnResidentId(std::string_view value) {
  const std::string compact = AsciiDigitsAndLetters(value);
  if (compact.size() != 18 && compact.size() != 15) return MaskGeneric(value);
  std::string out = compact.substr(0, 6);
  out.append(compact.size() - 10, '*');
  out += compact.substr(compact.size() - 4);
  for (char& c : out) {
    if (c == 'x') c = 'X';
  }
  return out;
}

// +86 138****5678: the country prefix, and of the national number the last four digits; an
// 11-digit national number (mainland China mobiles) also keeps its 3-digit carrier prefix.
std::string MaskPhone(std::string_view value) {
  const std::string trimmed = Trimmed(value);
  std::string digits = OnlyDigits(trimmed);
  std::string country;
  const bool plus =
      !trimmed.empty() && (trimmed.front() == '+' || trimmed.rfind("\xEF\xBC\x8B", 0) == 0);
  const bool double_zero = !plus && digits.size() > 2 && digits.compare(0, 2, "00") == 0;
  if (double_zero) digits.erase(0, 2);
  if (plus || double_zero) {
    // Country calling codes are prefix-free: 1 and 7 are one digit, the rest two or three.
    size_t length = 3;
    if (!digits.empty() && (digits[0] == '1' || digits[0] == '7')) {
      length = 1;
    } else if (digits.size() >= 2) {
      static constexpr std::string_view kTwoDigit[] = {
          "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
          "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
          "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"};
      const std::string_view first_two = std::string_view(digits).substr(0, 2);
      if (std::find(std::begin(kTwoDigit), std::end(kTwoDigit), first_two) != std::end(kTwoDigit)) {
        length = 2;
      }
    }
    length = std::min(length, digits.size());
    country = "+" + digits.substr(0, length) + " ";
    digits.erase(0, length);
  }
  if (digits.size() < 6) return country + std::string(kShortMask);
  const size_t keep_front = digits.size() == 11 ? 3 : 0;
  std::string national = digits.substr(0, keep_front);
  national.append(digits.size() - keep_front - 4, '*');
  national += digits.substr(digits.size() - 4);
  return country + national;
}

// DE**************3000: the country code and the last four characters.
std::string MaskIban(std::string_view value) {
  std::string compact = AsciiDigitsAndLetters(value);
  if (compact.size() < 12) return MaskGeneric(value);
  for (char& c : compact) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  std::string out = compact.substr(0, 2);
  out.append(compact.size() - 6, '*');
  out += compact.substr(compact.size() - 4);
  return out;
}

}  // namespace

std::string MaskValue(std::string_view entity, std::string_view value) {
  const std::string input = utf8::Repaired(value);
  std::string masked;
  if (entity == "EMAIL_ADDRESS") {
    masked = MaskEmail(Trimmed(input));
  } else if (entity == "CREDIT_CARD_NUMBER") {
    masked = MaskCard(input);
  } else if (entity == "CN_RESIDENT_ID") {
    masked = MaskCnResidentId(input);
  } else if (entity == "PHONE_NUMBER") {
    masked = MaskPhone(input);
  } else if (entity == "IBAN_CODE") {
    masked = MaskIban(input);
  } else {
    masked = MaskGeneric(Trimmed(input));
  }
  return utf8::Repaired(masked);
}

}  // namespace crmaudit
