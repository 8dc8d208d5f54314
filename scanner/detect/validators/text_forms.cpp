#include "scanner/detect/validators/text_forms.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "scanner/model/byte_words.h"

namespace crmaudit::validators {

namespace {

// The bytes that open a foldable form: 0xEF (full-width forms), 0xE3 (the ideographic space).
bool OpensFoldable(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == 0xEF || byte == 0xE3;
}

// True when `text` may hold a foldable form: a byte of 0xE0 or more, looked for eight bytes at a
// time (most candidates are ASCII, and every validator folds each of them first).
bool MayHoldFoldable(std::string_view text) {
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    if (byte_words::BytesFromE0(word) != 0) return true;
  }
  for (; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0xE0) return true;
  }
  return false;
}

}  // namespace

std::string_view FoldWidth(std::string_view text, CandidateText* storage) {
  if (text.size() > kMaxCandidateBytes || !MayHoldFoldable(text) ||
      std::none_of(text.begin(), text.end(), OpensFoldable)) {
    return text;
  }
  storage->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0xEF && i + 2 < text.size()) {
      // U+FF01..U+FF5E are EF BC 81..EF BC BF and EF BD 80..EF BD 9E; they map to 0x21..0x7E.
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      const unsigned code = ((byte & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if ((b1 & 0xC0u) == 0x80u && (b2 & 0xC0u) == 0x80u && code >= 0xFF01 && code <= 0xFF5E) {
        storage->push_back(static_cast<char>(code - 0xFF01 + 0x21));
        i += 2;
        continue;
      }
    }
    if (byte == 0xE3 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        static_cast<unsigned char>(text[i + 2]) == 0x80) {
      storage->push_back(' ');  // U+3000 ideographic space
      i += 2;
      continue;
    }
    storage->push_back(text[i]);  // fits: the folded form is never longer than `text`
  }
  return storage->view();
}

bool CompactIdentifier(std::string_view text, std::string_view separators, CandidateText* out) {
  out->clear();
  if (text.size() > kMaxCandidateBytes) return false;
  CandidateText folded;
  const std::string_view form = FoldWidth(text, &folded);
  // Runs of digits and capitals are kept as they are: copied a run at a time.
  size_t run = 0;
  for (size_t i = 0; i < form.size(); ++i) {
    const char c = form[i];
    if (IsDigit(c) || IsUpper(c)) continue;
    out->append(form.substr(run, i - run));
    run = i + 1;
    if (c >= 'a' && c <= 'z') {
      out->push_back(static_cast<char>(c - 'a' + 'A'));
    } else if (separators.find(c) == std::string_view::npos) {
      return false;
    }
  }
  out->append(form.substr(run));
  return true;
}

std::string_view TrimSpaces(std::string_view text) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

long long DigitsValue(std::string_view digits) {
  long long value = 0;
  for (char c : digits.substr(0, 18)) value = value * 10 + (c - '0');
  return value;
}

double BitsPerCharacter(std::string_view text) {
  std::array<int, 256> counts{};
  for (char c : text) ++counts[static_cast<unsigned char>(c)];
  double bits = 0;
  for (int count : counts) {
    if (count == 0) continue;
    const double p = static_cast<double>(count) / static_cast<double>(text.size());
    bits -= p * std::log2(p);
  }
  return bits;
}

}  // namespace crmaudit::validators
