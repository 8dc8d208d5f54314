// GlobMatch (declared in file_walker.h): '/'-aware glob matching for --include/--exclude.
//
// Supported syntax: `*` (any run of characters except '/'), `**` (any run including '/'; a
// `**/` prefix or `/**/` middle also matches zero directories), `?` (one character except
// '/'), `[abc]` / `[a-z]` / `[!abc]` classes. A pattern without '/' is also tried against the
// base name, so `*.csv` selects CSV files at any depth.
#include <string_view>

#include "scanner/sources/files/file_walker.h"

namespace crmaudit {

namespace {

// Matches a bracket class starting at pattern[p] ('['). Returns the index after ']' and sets
// *matched, or returns npos when the class is not closed (then '[' is a literal).
size_t MatchClass(std::string_view pattern, size_t p, char c, bool* matched) {
  size_t i = p + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negate = true;
    ++i;
  }
  bool found = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    char low = pattern[i];
    char high = low;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      high = pattern[i + 2];
      i += 2;
    }
    if (c >= low && c <= high) found = true;
    ++i;
  }
  if (i >= pattern.size()) return std::string_view::npos;
  *matched = (found != negate) && c != '/';
  return i + 1;
}

bool MatchFrom(std::string_view pattern, size_t p, std::string_view text, size_t t) {
  while (p < pattern.size()) {
    char pc = pattern[p];
    if (pc == '*') {
      bool double_star = p + 1 < pattern.size() && pattern[p + 1] == '*';
      if (double_star) {
        size_t next = p + 2;
        // "**/" may match zero directories: try skipping the slash too.
        if (next < pattern.size() && pattern[next] == '/' &&
            MatchFrom(pattern, next + 1, text, t)) {
          return true;
        }
        for (size_t k = t; k <= text.size(); ++k) {
          if (MatchFrom(pattern, next, text, k)) return true;
        }
        return false;
      }
      for (size_t k = t; k <= text.size(); ++k) {
        if (MatchFrom(pattern, p + 1, text, k)) return true;
        if (k < text.size() && text[k] == '/') break;
      }
      return false;
    }
    if (t >= text.size()) return false;
    if (pc == '?') {
      if (text[t] == '/') return false;
      ++p;
      ++t;
      continue;
    }
    if (pc == '[') {
      bool matched = false;
      size_t after = MatchClass(pattern, p, text[t], &matched);
      if (after != std::string_view::npos) {
        if (!matched) return false;
        p = after;
        ++t;
        continue;
      }
    }
    if (pc != text[t]) return false;
    ++p;
    ++t;
  }
  return t == text.size();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) {
  if (MatchFrom(pattern, 0, path, 0)) return true;
  if (pattern.find('/') == std::string_view::npos) {
    size_t slash = path.rfind('/');
    if (slash != std::string_view::npos) return MatchFrom(pattern, 0, path.substr(slash + 1), 0);
  }
  return false;
}

}  // namespace crmaudit
