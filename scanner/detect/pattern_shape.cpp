#include "scanner/detect/pattern_shape.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "scanner/detect/utf8_text.h"

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

// The index of the last character of the escape or character class that opens at `i` (the
// escaped character, the class's closing ']'), so that a loop over a pattern's syntax steps
// over it whole; `i` itself for any other character. Nullopt for a class that is never closed
// or a backslash that ends the pattern.
std::optional<size_t> EndOfAtom(std::string_view pattern, size_t i) {
  if (pattern[i] == '\\') {
    if (i + 1 >= pattern.size()) return std::nullopt;
    return i + 1;
  }
  if (pattern[i] == '[') return EndOfCharacterClass(pattern, i);
  return i;
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

// One character of a pattern at `i`, a literal: its first byte and its length in bytes; nullopt
// where the bytes are not a well-formed UTF-8 character.
std::optional<std::pair<unsigned char, size_t>> LiteralAt(std::string_view text, size_t i) {
  const size_t length = utf8::CharLength(text, i);
  if (length == 0) return std::nullopt;
  return std::pair{static_cast<unsigned char>(text[i]), length};
}

// True for an escaped character that stands for itself: ASCII punctuation (\. \- \+ \( ...).
// Letters and digits after a backslash are classes, anchors or codes.
bool EscapedLiteral(char c) {
  return c >= 0x21 && c <= 0x7E && !std::isalnum(static_cast<unsigned char>(c));
}

// The first bytes of the characters a class `[...]` (its text between the brackets) matches, a
// character outside ASCII by its UTF-8 lead byte, for a class of literal characters, escaped
// punctuation and ranges; nullopt for a negated or POSIX class, any other escape, or anything
// else not understood.
std::optional<ByteSet> ClassBytes(std::string_view members) {
  if (members.empty() || members.front() == '^') return std::nullopt;
  ByteSet bytes;
  // Reads the class's next character, a literal or an escaped punctuation mark, into its first
  // byte.
  size_t i = 0;
  auto next_char = [&](unsigned char* lead) -> bool {
    if (i >= members.size()) return false;
    if (members[i] == '\\') {
      if (i + 1 >= members.size() || !EscapedLiteral(members[i + 1])) return false;
      *lead = static_cast<unsigned char>(members[i + 1]);
      i += 2;
      return true;
    }
    if (members[i] == '[') return false;  // [:alpha:] or a nested class: not read
    const auto literal = LiteralAt(members, i);
    if (!literal) return false;
    *lead = literal->first;
    i += literal->second;
    return true;
  };
  while (i < members.size()) {
    unsigned char low = 0;
    if (!next_char(&low)) return std::nullopt;
    if (i + 1 < members.size() && members[i] == '-') {
      ++i;
      unsigned char high = 0;
      if (!next_char(&high) || high < low) return std::nullopt;
      // Lead bytes grow with the code point, so a range's characters open with bytes between
      // its ends' lead bytes (from an ASCII end to a non-ASCII one, continuation bytes too: more
      // than needed, never fewer).
      for (unsigned b = low; b <= high; ++b) bytes.set(b);
      continue;
    }
    bytes.set(low);
  }
  if (bytes.none()) return std::nullopt;
  return bytes;
}

// RequiredBytes for one top-level alternative of a core (no top-level '|' in it).
std::optional<ByteSet> AlternativeRequiredBytes(std::string_view branch) {
  std::optional<ByteSet> best;
  size_t i = 0;
  while (i < branch.size()) {
    const char c = branch[i];
    std::optional<ByteSet> element;  // nullopt: an element whose bytes are not taken
    if (c == '\\') {
      if (i + 1 >= branch.size()) return std::nullopt;
      const char escaped = branch[i + 1];
      // \Q...\E quotes, and a digit opens an octal code (\101 is "A"): neither is read.
      if (escaped == 'Q' || std::isdigit(static_cast<unsigned char>(escaped))) return std::nullopt;
      if (EscapedLiteral(escaped)) {
        element = ByteSet().set(static_cast<unsigned char>(escaped));
        i += 2;
      } else if ((escaped == 'p' || escaped == 'P' || escaped == 'x') && i + 2 < branch.size() &&
                 branch[i + 2] == '{') {
        const size_t close = branch.find('}', i + 3);
        if (close == std::string_view::npos) return std::nullopt;
        i = close + 1;
      } else if (escaped == 'x') {
        i += 4;  // \xHH
      } else if (escaped == 'p' || escaped == 'P') {
        i += 3;  // \pL
      } else {
        i += 2;  // \d, \b, \n and the like
      }
    } else if (c == '[') {
      const std::optional<size_t> end = EndOfCharacterClass(branch, i);
      if (!end) return std::nullopt;
      element = ClassBytes(branch.substr(i + 1, *end - i - 1));
      i = *end + 1;
    } else if (c == '(') {
      int depth = 0;
      size_t j = i;
      for (; j < branch.size(); ++j) {
        const std::optional<size_t> atom = EndOfAtom(branch, j);
        if (!atom) return std::nullopt;
        if (*atom != j) {
          j = *atom;
        } else if (branch[j] == '(') {
          ++depth;
        } else if (branch[j] == ')' && --depth == 0) {
          break;
        }
      }
      if (j >= branch.size()) return std::nullopt;
      i = j + 1;
    } else if (c == '^' || c == '$' || c == '.') {
      ++i;
    } else if (c == ')' || c == '|' || c == '*' || c == '+' || c == '?' || c == '{' || c == '}' ||
               c == ']') {
      return std::nullopt;  // not where an element starts: not understood
    } else {
      const auto literal = LiteralAt(branch, i);
      if (!literal) return std::nullopt;
      element = ByteSet().set(literal->first);
      i += literal->second;
    }
    // The quantifier after the element, if any: is the element needed at least once?
    bool needed = true;
    if (i < branch.size()) {
      const char q = branch[i];
      if (q == '?' || q == '*') {
        needed = false;
        ++i;
      } else if (q == '+') {
        ++i;
      } else if (q == '{') {
        const size_t close = branch.find('}', i);
        if (close == std::string_view::npos) return std::nullopt;
        const std::string_view bounds = branch.substr(i + 1, close - i - 1);
        if (bounds.empty() || !std::isdigit(static_cast<unsigned char>(bounds.front())) ||
            bounds.find_first_not_of("0123456789,") != std::string_view::npos) {
          return std::nullopt;
        }
        size_t minimum = 0;
        for (size_t k = 0; k < bounds.size() && bounds[k] != ','; ++k) {
          minimum = std::min<size_t>(minimum * 10 + static_cast<size_t>(bounds[k] - '0'), 1000);
        }
        needed = minimum > 0;
        i = close + 1;
      }
      if (i < branch.size() && branch[i] == '?') ++i;  // lazy: the same bounds
    }
    if (needed && element && (!best || element->count() < best->count())) best = element;
  }
  return best;
}

}  // namespace

std::optional<std::vector<std::string_view>> TopLevelAlternatives(std::string_view pattern) {
  std::vector<std::string_view> alternatives;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::optional<size_t> atom = EndOfAtom(pattern, i);
    if (!atom) return std::nullopt;
    if (*atom != i) {
      i = *atom;
      continue;
    }
    const char c = pattern[i];
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) return std::nullopt;
    if (c == '|' && depth == 0) {
      alternatives.push_back(pattern.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0) return std::nullopt;
  alternatives.push_back(pattern.substr(start));
  return alternatives;
}

std::optional<ByteSet> RequiredBytes(std::string_view pattern) {
  const std::optional<ValueGroupSplit> split = SplitValueGroup(pattern);
  if (!split) return std::nullopt;
  const std::optional<std::vector<std::string_view>> alternatives =
      TopLevelAlternatives(split->core);
  if (!alternatives) return std::nullopt;
  ByteSet bytes;
  for (const std::string_view branch : *alternatives) {
    const std::optional<ByteSet> alternative = AlternativeRequiredBytes(branch);
    if (!alternative) return std::nullopt;
    bytes |= *alternative;
  }
  if (bytes.none()) return std::nullopt;  // no alternative was read: nothing is known
  return bytes;
}

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
    if (pattern.substr(i, 2) == "\\Q") return std::nullopt;
    const std::optional<size_t> atom = EndOfAtom(pattern, i);
    if (!atom) return std::nullopt;
    if (*atom != i) {
      i = *atom;
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
    if (pattern.substr(i, 2) == "\\Q") return false;
    const std::optional<size_t> atom = EndOfAtom(pattern, i);
    if (!atom) return false;
    if (*atom != i) {
      i = *atom;
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
