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

// `edge` ("(?:^|[^0-9])", or "(?:$|...)" for a suffix), read in a text of digits only: 1 when
// it matches only the empty text at that edge of the text (one alternative is the anchor, every
// other matches no digits), 0 when it matches nothing there at all (no anchor alternative and
// none of the others can match), -1 when it may match elsewhere or is not understood.
int OnlyAtEdge(std::string_view edge, std::string_view anchor, std::string_view text_anchor) {
  std::string_view body = edge;
  if (body.size() >= 4 && body.starts_with("(?:") && body.ends_with(')')) {
    // One group spans the whole edge when what lies between "(?:" and the last ')' balances.
    const std::string_view inner = body.substr(3, body.size() - 4);
    if (TopLevelAlternatives(inner)) body = inner;
  }
  const std::optional<std::vector<std::string_view>> alternatives = TopLevelAlternatives(body);
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
