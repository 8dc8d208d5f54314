// Pattern shape: what a detector pattern's text says about how it may be matched.
//
// Detector patterns come from packs and are matched with RE2. Four shortcuts of the matcher
// depend on a pattern's shape, read here from its syntax, never guessed:
//  - a value that is wholly one candidate can be proved so by one anchored, capture-free match
//    (WholeValueRegex);
//  - values joined by line breaks can be checked for hits as one text, in multi-line mode, when
//    no pattern anchors to the whole text (NeedsWholeText);
//  - a value of digits only has no candidate but itself for a pattern bounded by non-digits
//    (DigitBounded), so once the whole value is refused nothing is searched.
//  - a text that holds none of the bytes every match needs (RequiredBytes) has no match, so
//    once a value's last candidate is found, the rest of it need not be searched when it holds
//    none of them (a note's words after the number in it).
// Whenever the shape is not understood, the answer is the one that disables the shortcut.
#pragma once

#include <re2/re2.h>

#include <bitset>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crmaudit {

// The three parts of a pattern `prefix(?P<value>core)suffix` whose value group sits at the top
// level of a concatenation.
struct ValueGroupSplit {
  std::string prefix, core, suffix;
};

// Finds the top-level `(?P<value>...)` group by reading the pattern's syntax: escapes,
// character classes (with `[:alpha:]` inside) and groups. Gives up (nullopt) on whatever would
// make the split unsound: a top-level alternation, a flag setter such as `(?i)` (it would
// apply to the core too), `\Q...\E` literals, or a value group nested in another group.
std::optional<ValueGroupSplit> SplitValueGroup(std::string_view pattern);

// The regex a value must match from its first to its last byte to be, entirely, one candidate
// of `pattern`, for a pattern with a value group:
//  `prefix(?P<value>core)suffix` gives the core, provided the prefix can match nothing at the
//  start of a value and the suffix nothing at its end (the usual `(?:^|[^0-9])` boundaries),
//  so that the whole value in the value group is one way the full pattern matches.
// Null otherwise (the caller then always searches). A pattern without a value group is its own
// whole-value regex.
std::unique_ptr<RE2> WholeValueRegex(std::string_view pattern, const RE2::Options& options);

// True when every match of `pattern` (matched as a value of its own, not in multi-line mode) is
// the whole value: it starts with ^ (after flag groups that do not turn multi-line mode on) and
// ends with an unescaped $, with no alternation at its top level and no flag group anywhere that
// turns multi-line mode on. Then a value the pattern hits anywhere is wholly its one match
// (person-name's `^\p{L}...$`). False whenever the shape is not understood.
bool MatchesOnlyWholeText(std::string_view pattern);

// True when the pattern is `(?:^|[^C])(?P<value>core)(?:$|[^D])`, both classes plain lists of
// characters and ranges that hold the range 0-9: a candidate then starts at the value's start or
// after a character outside C, and ends at its end or before one outside D, so in a value of
// ASCII digits only the one candidate it can have is the whole value. False whenever the shape
// is not exactly that.
bool DigitBounded(std::string_view pattern);

// A set of byte values.
using ByteSet = std::bitset<256>;

// Bytes of which every match of `pattern` holds at least one, read from the syntax of its value
// group's core (see SplitValueGroup; every match holds a match of the core): in each top-level
// alternative of the core, an element outside any group that the alternative cannot match
// without (not followed by `?`, `*`, `{0,...}` or `{0}`): a literal character, an escaped
// punctuation character, or a character class of literal characters and ranges. A character
// outside ASCII stands for its UTF-8 lead byte (a range, for the lead bytes between its ends'),
// as RE2 matches it in UTF-8 mode. Of several such elements the one with the fewest bytes is
// taken; the answer is the union over the alternatives. Nullopt when the pattern has no value
// group, an alternative has no such element, or the syntax is not understood (an octal escape
// such as \101, \Q...\E); escapes that stand for classes (\d, \p{L}), negated and POSIX
// classes, `.` and groups are passed over, never taken.
std::optional<ByteSet> RequiredBytes(std::string_view pattern);

// The top-level alternatives of `pattern` (a whole pattern, or a group's body), split at the
// '|' outside any group, class or escape. Nullopt when a class is never closed, an escape ends
// the text, or its parentheses do not balance (a ')' before its '(', or one left open).
std::optional<std::vector<std::string_view>> TopLevelAlternatives(std::string_view pattern);

// True when a pattern would behave differently inside a multi-line text than in a value of its
// own: it anchors to the whole text (\A, \z), turns multi-line mode off with a flag group, or
// matches any byte (\C), which could reach across the separator of joined values.
bool NeedsWholeText(std::string_view pattern);

}  // namespace crmaudit
