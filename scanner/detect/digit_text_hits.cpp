#include "scanner/detect/digit_text_hits.h"

#include <utility>

#include "scanner/detect/pattern_shape.h"

namespace crmaudit {
namespace {

using Syntax = DigitAutomaton::Syntax;

// True when no text of ASCII digits, the empty one included, matches `pattern` anywhere (its
// anchors read as matching the empty text: more matches than it has, never fewer).
bool NeverMatchesDigits(std::string_view pattern) {
  const std::string text(pattern);
  const auto automaton =
      DigitAutomaton::Compile(std::span<const std::string>(&text, 1), Syntax::kAsciiDigitProjection,
                              /*anchors_match_empty=*/true);
  return automaton && automaton->MatchesNothing();
}

// The top-level alternatives of `text` (a whole group's body or a bare sequence), read past
// escapes, classes and nested groups; nullopt where a class or group is not closed.
std::optional<std::vector<std::string_view>> Alternatives(std::string_view text) {
  std::vector<std::string_view> alternatives;
  size_t begin = 0;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      // A ']' right after '[' or '[^' is a member; "[:name:]" inside is read as members too.
      size_t j = i + 1;
      if (j < text.size() && text[j] == '^') ++j;
      if (j < text.size() && text[j] == ']') ++j;
      while (j < text.size() && text[j] != ']') j += text[j] == '\\' ? 2 : 1;
      if (j >= text.size()) return std::nullopt;
      i = j;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth < 0) return std::nullopt;
    } else if (c == '|' && depth == 0) {
      alternatives.push_back(text.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  if (depth != 0) return std::nullopt;
  alternatives.push_back(text.substr(begin));
  return alternatives;
}

// `edge` ("(?:^|[^0-9])", or "(?:$|...)" for a suffix), read in a text of digits only: 1 when
// it matches only the empty text at that edge of the text (one alternative is the anchor, every
// other matches no digits), 0 when it matches nothing there at all (no anchor alternative and
// none of the others can match), -1 when it may match elsewhere or is not understood.
int OnlyAtEdge(std::string_view edge, std::string_view anchor, std::string_view text_anchor) {
  std::string_view body = edge;
  if (body.size() >= 4 && body.substr(0, 3) == "(?:" && body.back() == ')') {
    const std::optional<std::vector<std::string_view>> outer = Alternatives(body);
    // The outer group spans the whole edge only when nothing follows its ')'.
    if (outer && outer->size() == 1 && Alternatives(body.substr(3, body.size() - 4))) {
      body = body.substr(3, body.size() - 4);
    }
  }
  const std::optional<std::vector<std::string_view>> alternatives = Alternatives(body);
  if (!alternatives || edge.empty()) return -1;
  bool anchored = false;
  for (const std::string_view alternative : *alternatives) {
    if (alternative == anchor || alternative == text_anchor) {
      anchored = true;
    } else if (!NeverMatchesDigits(alternative)) {
      return -1;
    }
  }
  return anchored ? 1 : 0;
}

}  // namespace

std::optional<DigitTextHits> DigitTextHits::For(std::span<const std::string> patterns) {
  std::vector<std::string> cores;
  std::vector<int> pattern_of;
  for (size_t i = 0; i < patterns.size(); ++i) {
    const std::string& pattern = patterns[i];
    if (const std::optional<ValueGroupSplit> split = SplitValueGroup(pattern)) {
      const int prefix = OnlyAtEdge(split->prefix, "^", "\\A");
      const int suffix = OnlyAtEdge(split->suffix, "$", "\\z");
      if (prefix == 0 || suffix == 0) continue;  // it cannot match a text of digits
      if (prefix == 1 && suffix == 1) {
        // Its one possible match in a text of digits is the whole text, as its core.
        const auto core = DigitAutomaton::Compile(std::span<const std::string>(&split->core, 1),
                                                  Syntax::kAsciiDigitProjection);
        if (core) {
          if (!core->MatchesNothing()) {
            cores.push_back(split->core);
            pattern_of.push_back(static_cast<int>(i));
          }
          continue;
        }
      }
    }
    if (!NeverMatchesDigits(pattern)) return std::nullopt;
  }
  if (cores.size() > DigitAutomaton::kMaxPatterns) return std::nullopt;
  // No pattern can hit: an automaton that matches nothing (a letter never is a digit).
  if (cores.empty()) cores.push_back("a");
  std::optional<DigitAutomaton> automaton =
      DigitAutomaton::Compile(cores, Syntax::kAsciiDigitProjection);
  if (!automaton) return std::nullopt;
  return DigitTextHits(std::move(*automaton), std::move(pattern_of));
}

}  // namespace crmaudit
