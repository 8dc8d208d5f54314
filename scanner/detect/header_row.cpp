#include "scanner/detect/header_row.h"

#include <cstddef>

namespace crmaudit {

namespace {

enum class Shape { kEmpty, kWords, kEmail, kNumber, kShortNumber, kMixed };

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Shape ShapeOf(std::string_view cell) {
  cell = Trim(cell);
  if (cell.empty()) return Shape::kEmpty;
  size_t digits = 0, letters = 0, others = 0, ats = 0, spaces = 0;
  for (char c : cell) {
    if (IsDigit(c)) {
      ++digits;
    } else if (IsAsciiLetter(c) || (static_cast<unsigned char>(c) & 0x80)) {
      ++letters;  // non-ASCII bytes count as letters: 客户邮箱 is a word
    } else if (c == '@') {
      ++ats;
    } else if (c == ' ') {
      ++spaces;
    } else {
      ++others;
    }
  }
  if (ats == 1 && spaces == 0 && cell.find('.', cell.find('@')) != std::string_view::npos) {
    return Shape::kEmail;
  }
  if (letters == 0 && digits > 0) return digits >= 5 ? Shape::kNumber : Shape::kShortNumber;
  if (digits == 0) return Shape::kWords;
  return Shape::kMixed;
}

bool IsValueShape(Shape shape) { return shape == Shape::kEmail || shape == Shape::kNumber; }

}  // namespace

bool FirstRecordIsHeader(const CompiledPolicy& policy, std::span<const std::string_view> first,
                         std::span<const std::vector<std::string_view>> following) {
  std::vector<ValueMatch> matches;
  const ColumnContext no_hints;
  for (std::string_view cell : first) {
    const Shape shape = ShapeOf(cell);
    if (shape == Shape::kEmpty || shape == Shape::kWords) continue;
    matches.clear();
    policy.Scan(Trim(cell), no_hints, &matches);
    if (!matches.empty()) return false;
  }
  for (size_t column = 0; column < first.size(); ++column) {
    const Shape shape = ShapeOf(first[column]);
    if (!IsValueShape(shape)) continue;
    size_t non_empty = 0, same = 0;
    for (const auto& record : following) {
      if (column >= record.size()) continue;
      const Shape below = ShapeOf(record[column]);
      if (below == Shape::kEmpty) continue;
      ++non_empty;
      same += below == shape;
    }
    if (non_empty > 0 && same * 2 > non_empty) return false;
  }
  return true;
}

}  // namespace crmaudit
