#include "scanner/detect/pattern_shape.h"

#include <cctype>

namespace crmaudit {
namespace {

// The index of the ']' that closes the character class opened at `open` (a leading '^' and a
// leading literal ']' are inside it, as are escapes and POSIX classes such as [:alpha:]);
// nullopt when the class is never closed.
std::optional<size_t> EndOfCharacterClass(std::string_view pattern, size_t open) {
  size_t j = open + 1;
  if (j < pattern.size() && pattern[j] == '^') ++j;
  if (j < pattern.size() && pattern[j] == ']') ++j;  // a leading ']' is a literal
  for (; j < pattern.size() && pattern[j] != ']'; ++j) {
    if (pattern[j] == '\\') {
      ++j;
    } else if (pattern[j] == '[' && j + 1 < pattern.size() && pattern[j + 1] == ':') {
      const size_t end = pattern.find(":]", j + 2);
      if (end == std::string_view::npos) return std::nullopt;
      j = end + 1;
    }
  }
  if (j >= pattern.size()) return std::nullopt;
  return j;
}

// True when `group` is `(?:<edge>|[^C])` with C a list of single characters and ranges (no
// escapes, nested classes or POSIX classes) that holds the range 0-9.
bool EdgeOrNonDigit(std::string_view group, char edge) {
  const std::string prefix = std::string("(?:") + edge + "|[^";
  if (group.size() < prefix.size() + 3 || group.substr(0, prefix.size()) != prefix ||
      group.substr(group.size() - 2) != "])") {
    return false;
  }
  const std::string_view members = group.substr(prefix.size(), group.size() - prefix.size() - 2);
  if (members.empty() || members.front() == ']' ||
      members.find_first_of("\\[]") != std::string_view::npos) {
    return false;
  }
  for (size_t i = 0; i + 3 <= members.size(); ++i) {
    if (members.substr(i, 3) != "0-9") continue;
    // "0-9" as a range of its own: not the end of another range ("a-0-9" is not valid RE2
    // anyway) and not preceded by a '-' that would make "-0" part of one.
    if (i == 0 || members[i - 1] != '-') return true;
  }
  return false;
}

}  // namespace

bool DigitBounded(std::string_view pattern) {
  const std::optional<ValueGroupSplit> split = SplitValueGroup(pattern);
  return split.has_value() && EdgeOrNonDigit(split->prefix, '^') &&
         EdgeOrNonDigit(split->suffix, '$');
}

std::optional<ValueGroupSplit> SplitValueGroup(std::string_view pattern) {
  constexpr std::string_view kOpen = "(?P<value>";
  int depth = 0;
  size_t open = std::string_view::npos;
  size_t close = std::string_view::npos;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (i + 1 < pattern.size() && pattern[i + 1] == 'Q') return std::nullopt;
      ++i;
      continue;
    }
    if (c == '[') {
      const std::optional<size_t> end = EndOfCharacterClass(pattern, i);
      if (!end) return std::nullopt;
      i = *end;
      continue;
    }
    if (c == '|' && depth == 0) return std::nullopt;
    if (c == '(') {
      if (pattern.substr(i, kOpen.size()) == kOpen) {
        if (depth != 0 || open != std::string_view::npos) return std::nullopt;
        open = i;
      } else if (i + 1 < pattern.size() && pattern[i + 1] == '?' &&
                 pattern.substr(i + 2, 2) != "P<") {
        size_t j = i + 2;
        while (j < pattern.size() &&
               (std::isalpha(static_cast<unsigned char>(pattern[j])) || pattern[j] == '-')) {
          ++j;
        }
        if (j >= pattern.size() || pattern[j] != ':') return std::nullopt;  // (?i) etc.
      }
      ++depth;
      continue;
    }
    if (c == ')') {
      --depth;
      if (depth < 0) return std::nullopt;
      if (depth == 0 && open != std::string_view::npos && close == std::string_view::npos) {
        close = i;
      }
    }
  }
  if (open == std::string_view::npos || close == std::string_view::npos || depth != 0) {
    return std::nullopt;
  }
  ValueGroupSplit split;
  split.prefix = std::string(pattern.substr(0, open));
  split.core = std::string(pattern.substr(open + kOpen.size(), close - open - kOpen.size()));
  split.suffix = std::string(pattern.substr(close + 1));
  return split;
}

std::unique_ptr<RE2> WholeValueRegex(std::string_view pattern, const RE2::Options& options) {
  const std::optional<ValueGroupSplit> split = SplitValueGroup(pattern);
  if (!split) return nullptr;
  const RE2 prefix(split->prefix, options);
  const RE2 suffix(split->suffix, options);
  auto core = std::make_unique<RE2>(split->core, options);
  if (!prefix.ok() || !suffix.ok() || !core->ok()) return nullptr;
  // A word boundary's truth at the value's edge depends on the value's first or last
  // character, which the probe below cannot stand in for.
  for (const std::string* part : {&split->prefix, &split->suffix}) {
    if (part->find("\\b") != std::string::npos || part->find("\\B") != std::string::npos) {
      return nullptr;
    }
  }
  // "x" gives both an empty match position where only ^ holds (0) and one where only $ does.
  const re2::StringPiece probe("x");
  if (!prefix.Match(probe, 0, 0, RE2::ANCHOR_BOTH, nullptr, 0) ||
      !suffix.Match(probe, 1, 1, RE2::ANCHOR_BOTH, nullptr, 0)) {
    return nullptr;
  }
  return core;
}

bool NeedsWholeText(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) {
      // \C matches any byte, the separator of joined values included.
      if (pattern[i + 1] == 'A' || pattern[i + 1] == 'z' || pattern[i + 1] == 'C') return true;
      ++i;
      continue;
    }
    if (pattern.substr(i, 2) != "(?") continue;
    // A flag group is "(?flags)" or "(?flags:...)" with flags from i, m, s, U and '-'; any
    // other character ("(?P<name>", "(?:") means it is not one.
    bool negated = false;
    for (size_t j = i + 2; j < pattern.size() && pattern[j] != ':' && pattern[j] != ')'; ++j) {
      const char flag = pattern[j];
      if (flag != '-' && flag != 'i' && flag != 'm' && flag != 's' && flag != 'U') break;
      if (flag == '-') negated = true;
      if (flag == 'm' && negated) return true;
    }
  }
  return false;
}

bool MatchesOnlyWholeText(std::string_view pattern) {
  size_t start = 0;
  // Leading flag groups "(?is)"; one that turns multi-line mode on is not understood.
  while (pattern.substr(start, 2) == "(?") {
    size_t j = start + 2;
    while (j < pattern.size() && (pattern[j] == 'i' || pattern[j] == 's' || pattern[j] == 'U')) {
      ++j;
    }
    if (j >= pattern.size() || pattern[j] != ')') break;  // not a plain flag group
    start = j + 1;
  }
  if (start >= pattern.size() || pattern[start] != '^') return false;
  if (start + 1 < pattern.size() &&
      std::string_view("*+?{").find(pattern[start + 1]) != std::string_view::npos) {
    return false;
  }
  int depth = 0;
  bool ends_with_dollar = false;
  for (size_t i = start + 1; i < pattern.size(); ++i) {
    const char c = pattern[i];
    ends_with_dollar = false;
    if (c == '\\') {
      if (i + 1 < pattern.size() && pattern[i + 1] == 'Q') return false;
      ++i;
      continue;
    }
    if (c == '[') {
      const std::optional<size_t> end = EndOfCharacterClass(pattern, i);
      if (!end) return false;
      i = *end;
      continue;
    }
    if (c == '(') {
      // A flag group that turns multi-line mode on anywhere: not understood.
      if (i + 1 < pattern.size() && pattern[i + 1] == '?') {
        for (size_t j = i + 2; j < pattern.size() && pattern[j] != ':' && pattern[j] != ')'; ++j) {
          if (pattern[j] == 'm') return false;
          if (pattern[j] == '-' || pattern[j] == 'P' || pattern[j] == '<') break;
        }
      }
      ++depth;
      continue;
    }
    if (c == ')') {
      if (--depth < 0) return false;
      continue;
    }
    if (c == '|' && depth == 0) return false;
    if (c == '$' && depth == 0) ends_with_dollar = true;
  }
  return depth == 0 && ends_with_dollar;
}

}  // namespace crmaudit
