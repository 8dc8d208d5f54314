#include "scanner/detect/digit_automaton.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <iterator>
#include <map>
#include <utility>

#include "scanner/model/utf8.h"

namespace crmaudit {
namespace {

constexpr uint16_t kAnyDigit = 0x3FF;  // bit d: the digit d
// A pattern's NFA grows with its counted repeats; past this it is left to RE2.
constexpr size_t kMaxNfaStates = 200000;
// RE2's own bound on a counted repeat ({n,m}).
constexpr int kMaxRepeat = 1000;

// The syntax tree of one pattern.
struct Node {
  enum class Kind { kDigits, kSequence, kChoice, kRepeat };
  Kind kind = Kind::kSequence;
  uint16_t digits = 0;         // kDigits: the digits it takes
  std::vector<Node> children;  // kSequence and kChoice; kRepeat: the one repeated
  int min = 1;                 // kRepeat
  int max = 1;                 // kRepeat; -1 = no bound
};

// Unicode properties (\p{..}) none of whose characters is an ASCII digit: general categories
// other than N (numbers) and C (others, where RE2 puts nothing ASCII-digit either, but kept out
// for simplicity), and scripts (digits are in Common, which is not listed).
bool PropertyHoldsNoAsciiDigit(std::string_view name) {
  static constexpr std::string_view kNone[] = {
      "L",      "Lu",       "Ll",       "Lt",     "Lm",    "Lo",    "M",        "Mn",
      "Mc",     "Me",       "P",        "Pc",     "Pd",    "Ps",    "Pe",       "Pi",
      "Pf",     "Po",       "S",        "Sm",     "Sc",    "Sk",    "So",       "Z",
      "Zs",     "Zl",       "Zp",       "Han",    "Latin", "Greek", "Cyrillic", "Arabic",
      "Hebrew", "Hiragana", "Katakana", "Hangul", "Thai"};
  return std::find(std::begin(kNone), std::end(kNone), name) != std::end(kNone);
}

// Recursive descent. In digit syntax (DigitAutomaton::Syntax::kDigits) it reads exactly the
// syntax the header names; any other character, or a construct it does not know, makes the whole
// pattern "not understood" (nullopt), never a guess. In the projection (kAsciiDigitProjection) it
// reads RE2 syntax and keeps of each element only what it can match of one ASCII digit: a
// letter, a punctuation mark, a character outside ASCII or a class of such characters matches
// none (an element that never matches), `.` and \w any; anchors (^ $ \b \B \A \z) are refused
// unless `anchors_match_empty`, where they match the empty text anywhere (more matches than the
// pattern has, never fewer); flags are passed over (they change no digit's match).
class Parser {
 public:
  Parser(std::string_view text, DigitAutomaton::Syntax syntax, bool anchors_match_empty)
      : text_(text),
        projection_(syntax == DigitAutomaton::Syntax::kAsciiDigitProjection),
        anchors_match_empty_(anchors_match_empty) {}

  std::optional<Node> Parse() {
    std::optional<Node> root = Choice(0);
    if (!root || pos_ != text_.size()) return std::nullopt;
    return root;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  std::optional<Node> Choice(int depth) {
    // RE2 itself nests no deeper than 1000; a pattern of the metadata nests a few levels.
    if (depth > 100) return std::nullopt;
    Node choice;
    choice.kind = Node::Kind::kChoice;
    while (true) {
      std::optional<Node> sequence = Sequence(depth);
      if (!sequence) return std::nullopt;
      choice.children.push_back(std::move(*sequence));
      if (AtEnd() || Peek() != '|') break;
      ++pos_;
    }
    return choice;
  }

  std::optional<Node> Sequence(int depth) {
    Node sequence;
    sequence.kind = Node::Kind::kSequence;
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      std::optional<Node> atom = Atom(depth);
      if (!atom) return std::nullopt;
      if (!AtEnd() && IsRepeatStart(Peek())) {
        int min = 0;
        int max = 0;
        if (!Repeat(&min, &max)) return std::nullopt;
        Node repeat;
        repeat.kind = Node::Kind::kRepeat;
        repeat.min = min;
        repeat.max = max;
        repeat.children.push_back(std::move(*atom));
        atom = std::move(repeat);
        // A repeat of a repeat ("a**", "a{2}{3}") is refused or read differently by engines.
        if (!AtEnd() && IsRepeatStart(Peek())) return std::nullopt;
      }
      sequence.children.push_back(std::move(*atom));
    }
    return sequence;
  }

  static bool IsRepeatStart(char c) { return c == '?' || c == '*' || c == '+' || c == '{'; }

  // The empty text: an anchor read as matching anywhere.
  static Node Empty() {
    Node node;
    node.kind = Node::Kind::kSequence;
    return node;
  }

  std::optional<Node> Anchor(size_t length) {
    if (!projection_ || !anchors_match_empty_) return std::nullopt;
    pos_ += length;
    return Empty();
  }

  std::optional<Node> Atom(int depth) {
    const char c = Peek();
    if (c >= '0' && c <= '9') {
      ++pos_;
      return Digits(static_cast<uint16_t>(1u << (c - '0')));
    }
    if (c == '\\') {
      if (pos_ + 1 >= text_.size()) return std::nullopt;
      const char e = text_[pos_ + 1];
      if (e == 'd') {
        pos_ += 2;
        return Digits(kAnyDigit);
      }
      if (!projection_) return std::nullopt;
      if (e == 'b' || e == 'B' || e == 'A' || e == 'z') return Anchor(2);
      std::optional<uint16_t> digits = Escape();
      if (!digits) return std::nullopt;
      return Digits(*digits);
    }
    if (c == '[') return Class();
    if (c == '(') {
      ++pos_;
      if (!AtEnd() && Peek() == '?') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == ':') {
          pos_ += 2;
        } else if (!projection_) {
          return std::nullopt;  // only the non-capturing group is digit syntax
        } else if (!OpenSpecialGroup()) {
          return std::nullopt;
        } else if (flags_only_) {
          flags_only_ = false;
          ++pos_;          // ')'
          return Empty();  // (?i) and the like: no digit matches differently
        }
      }
      std::optional<Node> inner = Choice(depth + 1);
      if (!inner || AtEnd() || Peek() != ')') return std::nullopt;
      ++pos_;
      return inner;
    }
    if (!projection_) return std::nullopt;
    if (c == '^' || c == '$') return Anchor(1);
    if (c == '.') {
      ++pos_;
      return Digits(kAnyDigit);
    }
    if (c == ')' || c == '|' || IsRepeatStart(c) || c == ']') return std::nullopt;
    // Any other character stands for itself: never an ASCII digit.
    const size_t length = CharLength(pos_);
    if (length == 0) return std::nullopt;
    pos_ += length;
    return Digits(0);
  }

  // After "(?": a named group "(?P<name>" (read as a group), "(?flags:" (a group) or "(?flags)"
  // (nothing: flags_only_). False for anything else.
  bool OpenSpecialGroup() {
    ++pos_;  // '?'
    if (!AtEnd() && Peek() == 'P') {
      const size_t close = text_.find('>', pos_);
      if (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '<' || close == std::string_view::npos) {
        return false;
      }
      pos_ = close + 1;
      return true;
    }
    while (!AtEnd() &&
           (Peek() == 'i' || Peek() == 'm' || Peek() == 's' || Peek() == 'U' || Peek() == '-')) {
      ++pos_;
    }
    if (AtEnd()) return false;
    if (Peek() == ':') {
      ++pos_;
      return true;
    }
    if (Peek() == ')') {
      flags_only_ = true;  // the caller reads the ')' as the group's end
      return true;
    }
    return false;
  }

  // Length of the UTF-8 character at `at` (1 for ASCII), 0 when it is not well formed.
  size_t CharLength(size_t at) const { return Utf8SequenceLength(text_, at); }

  // An escape outside a class, in the projection: the digits it matches (nullopt: refused).
  std::optional<uint16_t> Escape() {
    const char e = text_[pos_ + 1];
    if (e == 'w' || e == 'S' || e == 'C') {
      pos_ += 2;
      return kAnyDigit;
    }
    if (e == 'D' || e == 'W' || e == 's' || e == 'n' || e == 't' || e == 'r' || e == 'f' ||
        e == 'v') {
      pos_ += 2;
      return uint16_t{0};
    }
    if (e == 'p') return Property();
    if (e == 'x') {
      std::optional<uint32_t> code = HexCode();
      if (!code) return std::nullopt;
      return *code >= '0' && *code <= '9' ? static_cast<uint16_t>(1u << (*code - '0'))
                                          : uint16_t{0};
    }
    // Escaped punctuation stands for itself; letters and digits are codes not read here
    // (\1 and \123 are octal in RE2, \P a negated property, \Q a literal run).
    if (static_cast<unsigned char>(e) < 0x80 && !std::isalnum(static_cast<unsigned char>(e))) {
      pos_ += 2;
      return uint16_t{0};
    }
    return std::nullopt;
  }

  // \pL or \p{Name} at pos_: no digit when the property holds none, else refused.
  std::optional<uint16_t> Property() {
    pos_ += 2;  // "\p"
    std::string_view name;
    if (!AtEnd() && Peek() == '{') {
      const size_t close = text_.find('}', pos_);
      if (close == std::string_view::npos) return std::nullopt;
      name = text_.substr(pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
    } else if (!AtEnd()) {
      name = text_.substr(pos_, 1);
      ++pos_;
    }
    if (!PropertyHoldsNoAsciiDigit(name)) return std::nullopt;
    return uint16_t{0};
  }

  // \x41 or \x{41} at pos_: the code point.
  std::optional<uint32_t> HexCode() {
    pos_ += 2;  // "\x"
    size_t begin = pos_;
    size_t end = pos_ + 2;
    if (!AtEnd() && Peek() == '{') {
      begin = pos_ + 1;
      end = text_.find('}', pos_);
      if (end == std::string_view::npos) return std::nullopt;
    }
    if (end > text_.size() || end == begin || end - begin > 6) return std::nullopt;
    uint32_t code = 0;
    for (size_t k = begin; k < end; ++k) {
      const char h = text_[k];
      const int value = h >= '0' && h <= '9'   ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                               : -1;
      if (value < 0) return std::nullopt;
      code = code * 16 + static_cast<uint32_t>(value);
    }
    pos_ = text_[begin - 1] == '{' ? end + 1 : end;
    return code;
  }

  // One member of a class at pos_ as a range of code points, or the digits of a class escape.
  struct Member {
    uint32_t first = 0, last = 0;    // a character or range
    std::optional<uint16_t> digits;  // set instead for \d, \w, \p{..}, [:alpha:] ...
  };

  std::optional<uint32_t> ClassChar() {
    if (Peek() == '\\') {
      if (pos_ + 1 >= text_.size()) return std::nullopt;
      const char e = text_[pos_ + 1];
      if (e == 'x') return HexCode();
      if (static_cast<unsigned char>(e) < 0x80 && !std::isalnum(static_cast<unsigned char>(e))) {
        pos_ += 2;
        return static_cast<uint32_t>(e);
      }
      if (e == 'n' || e == 't' || e == 'r' || e == 'f' || e == 'v') {
        pos_ += 2;
        return uint32_t{0x0A};  // a control character: no digit either way
      }
      return std::nullopt;
    }
    const size_t length = CharLength(pos_);
    if (length == 0) return std::nullopt;
    uint32_t code = static_cast<unsigned char>(Peek());
    if (length > 1) {
      code &= 0xFFu >> (length + 1);
      for (size_t k = 1; k < length; ++k) code = code << 6 | (text_[pos_ + k] & 0x3F);
    }
    pos_ += length;
    return code;
  }

  std::optional<Member> ClassMember() {
    Member member;
    if (Peek() == '[' && pos_ + 1 < text_.size() && text_[pos_ + 1] == ':') {
      const size_t close = text_.find(":]", pos_);
      if (close == std::string_view::npos || !projection_) return std::nullopt;
      const std::string_view name = text_.substr(pos_ + 2, close - pos_ - 2);
      pos_ = close + 2;
      if (name == "digit" || name == "alnum" || name == "xdigit" || name == "word" ||
          name == "graph" || name == "print" || name == "ascii") {
        member.digits = kAnyDigit;
      } else if (name == "alpha" || name == "upper" || name == "lower" || name == "space" ||
                 name == "punct" || name == "blank" || name == "cntrl") {
        member.digits = 0;
      } else {
        return std::nullopt;
      }
      return member;
    }
    if (Peek() == '\\' && pos_ + 1 < text_.size()) {
      const char e = text_[pos_ + 1];
      if (e == 'd' || (projection_ && (e == 'w' || e == 'S'))) {
        pos_ += 2;
        member.digits = kAnyDigit;
        return member;
      }
      if (projection_ && (e == 'D' || e == 'W' || e == 's')) {
        pos_ += 2;
        member.digits = 0;
        return member;
      }
      if (projection_ && e == 'p') {
        member.digits = Property();
        if (!member.digits) return std::nullopt;
        return member;
      }
    }
    std::optional<uint32_t> first = ClassChar();
    if (!first) return std::nullopt;
    member.first = member.last = *first;
    if (pos_ + 1 < text_.size() && Peek() == '-' && text_[pos_ + 1] != ']') {
      ++pos_;
      std::optional<uint32_t> last = ClassChar();
      if (!last || *last < *first) return std::nullopt;
      member.last = *last;
    }
    if (!projection_ && (member.first < '0' || member.last > '9')) return std::nullopt;
    return member;
  }

  // [..]: in digit syntax of digits, digit ranges and \d, not negated; in the projection any
  // class, its digits those it matches.
  std::optional<Node> Class() {
    ++pos_;  // '['
    bool negated = false;
    if (!AtEnd() && Peek() == '^') {
      if (!projection_) return std::nullopt;
      negated = true;
      ++pos_;
    }
    uint16_t digits = 0;
    bool first = true;
    while (!AtEnd() && (Peek() != ']' || (first && projection_))) {
      first = false;
      std::optional<Member> member = ClassMember();
      if (!member) return std::nullopt;
      if (member->digits) {
        digits |= *member->digits;
        continue;
      }
      for (uint32_t d = '0'; d <= '9'; ++d) {
        if (member->first <= d && d <= member->last)
          digits |= static_cast<uint16_t>(1u << (d - '0'));
      }
    }
    if (AtEnd()) return std::nullopt;
    ++pos_;  // ']'
    if (negated) digits = static_cast<uint16_t>(~digits & kAnyDigit);
    if (!projection_ && digits == 0) return std::nullopt;
    return Digits(digits);
  }

  static Node Digits(uint16_t digits) {
    Node node;
    node.kind = Node::Kind::kDigits;
    node.digits = digits;
    return node;
  }

  // ?, *, +, {n}, {n,}, {n,m}, each optionally lazy (the same set of whole matches).
  bool Repeat(int* min, int* max) {
    const char c = Peek();
    ++pos_;
    if (c == '?') {
      *min = 0;
      *max = 1;
    } else if (c == '*') {
      *min = 0;
      *max = -1;
    } else if (c == '+') {
      *min = 1;
      *max = -1;
    } else {
      if (!Number(min)) return false;
      *max = *min;
      if (!AtEnd() && Peek() == ',') {
        ++pos_;
        *max = -1;
        if (!AtEnd() && Peek() != '}' && !Number(max)) return false;
      }
      if (AtEnd() || Peek() != '}') return false;
      ++pos_;
      if (*min > kMaxRepeat || *max > kMaxRepeat || (*max != -1 && *max < *min)) return false;
    }
    if (!AtEnd() && Peek() == '?') ++pos_;
    return true;
  }

  bool Number(int* out) {
    const size_t begin = pos_;
    int value = 0;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9' && pos_ - begin < 5) {
      value = value * 10 + (Peek() - '0');
      ++pos_;
    }
    *out = value;
    return pos_ > begin;
  }

  std::string_view text_;
  size_t pos_ = 0;
  const bool projection_;
  const bool anchors_match_empty_;
  bool flags_only_ = false;
};

// A Thompson NFA: a state either steps on some digits to `out` or has empty moves.
struct NfaState {
  uint16_t digits = 0;
  uint32_t out = 0;
  std::vector<uint32_t> empty;
  uint64_t accepts = 0;  // the patterns whose whole match may end here
};

class NfaBuilder {
 public:
  uint32_t New() {
    if (states_.size() >= kMaxNfaStates) too_big_ = true;
    states_.emplace_back();
    return static_cast<uint32_t>(states_.size() - 1);
  }

  // Adds `node` after state `from`; returns the state its matches end in.
  uint32_t Build(const Node& node, uint32_t from) {
    if (too_big_) return from;
    switch (node.kind) {
      case Node::Kind::kDigits: {
        const uint32_t step = New();
        const uint32_t end = New();
        states_[from].empty.push_back(step);
        states_[step].digits = node.digits;
        states_[step].out = end;
        return end;
      }
      case Node::Kind::kSequence: {
        uint32_t at = from;
        for (const Node& child : node.children) at = Build(child, at);
        return at;
      }
      case Node::Kind::kChoice: {
        const uint32_t end = New();
        for (const Node& child : node.children) {
          const uint32_t begin = New();
          states_[from].empty.push_back(begin);
          const uint32_t child_end = Build(child, begin);
          states_[child_end].empty.push_back(end);
        }
        return end;
      }
      case Node::Kind::kRepeat: {
        const Node& child = node.children.front();
        uint32_t at = from;
        for (int i = 0; i < node.min && !too_big_; ++i) at = Build(child, at);
        if (node.max == -1) {
          // Any number more: a state the child leaves from and comes back to.
          const uint32_t loop = New();
          states_[at].empty.push_back(loop);
          const uint32_t child_end = Build(child, loop);
          states_[child_end].empty.push_back(loop);
          return loop;
        }
        for (int i = node.min; i < node.max && !too_big_; ++i) {
          const uint32_t end = New();
          states_[at].empty.push_back(end);  // this copy and every later one left out
          const uint32_t child_end = Build(child, at);
          states_[child_end].empty.push_back(end);
          at = end;
        }
        return at;
      }
    }
    return from;
  }

  std::vector<NfaState>& states() { return states_; }
  bool too_big() const { return too_big_; }

 private:
  std::vector<NfaState> states_;
  bool too_big_ = false;
};

// The subset construction: each DFA state is the set of NFA states that step on digits or
// accept, reached by empty moves (the others decide nothing).
class SubsetBuilder {
 public:
  explicit SubsetBuilder(const std::vector<NfaState>& nfa) : nfa_(nfa), seen_(nfa.size(), 0) {}

  // The NFA states that matter, reachable from `from` by empty moves; sorted.
  std::vector<uint32_t> Closure(const std::vector<uint32_t>& from) {
    ++generation_;
    std::vector<uint32_t> stack = from;
    std::vector<uint32_t> kept;
    for (const uint32_t s : from) seen_[s] = generation_;
    while (!stack.empty()) {
      const uint32_t s = stack.back();
      stack.pop_back();
      ++work_;
      const NfaState& state = nfa_[s];
      if (state.digits != 0 || state.accepts != 0) kept.push_back(s);
      for (const uint32_t t : state.empty) {
        if (seen_[t] != generation_) {
          seen_[t] = generation_;
          stack.push_back(t);
        }
      }
    }
    std::sort(kept.begin(), kept.end());
    kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
    return kept;
  }

  // More NFA states visited than kMaxWork: a pattern whose DFA would take too long to build
  // (a pack's pattern is arbitrary text) is left to RE2.
  bool exhausted() const { return work_ > kMaxWork; }

 private:
  static constexpr uint64_t kMaxWork = 5'000'000;
  const std::vector<NfaState>& nfa_;
  std::vector<uint32_t> seen_;
  uint32_t generation_ = 0;
  uint64_t work_ = 0;
};

}  // namespace

std::optional<DigitAutomaton> DigitAutomaton::Compile(std::span<const std::string> patterns,
                                                      Syntax syntax, bool anchors_match_empty) {
  if (patterns.empty() || patterns.size() > kMaxPatterns) return std::nullopt;
  NfaBuilder builder;
  std::vector<uint32_t> starts;
  for (size_t i = 0; i < patterns.size(); ++i) {
    std::optional<Node> root = Parser(patterns[i], syntax, anchors_match_empty).Parse();
    if (!root) return std::nullopt;
    const uint32_t start = builder.New();
    starts.push_back(start);
    const uint32_t end = builder.Build(*root, start);
    if (builder.too_big()) return std::nullopt;
    builder.states()[end].accepts |= uint64_t{1} << i;
  }
  const std::vector<NfaState>& nfa = builder.states();

  DigitAutomaton automaton;
  SubsetBuilder subsets(nfa);
  std::map<std::vector<uint32_t>, uint32_t> index;
  std::vector<std::vector<uint32_t>> members;
  // State 0 is the dead state: the empty set, which accepts nothing and stays dead.
  index.emplace(std::vector<uint32_t>{}, kDead);
  members.emplace_back();
  automaton.next_.assign(10, kDead);
  automaton.accepts_.push_back(0);
  auto state_of = [&](std::vector<uint32_t> set) -> std::optional<uint32_t> {
    const auto found = index.find(set);
    if (found != index.end()) return found->second;
    if (members.size() >= kMaxStates) return std::nullopt;
    const auto id = static_cast<uint32_t>(members.size());
    uint64_t accepts = 0;
    for (const uint32_t s : set) accepts |= nfa[s].accepts;
    index.emplace(set, id);
    members.push_back(std::move(set));
    automaton.accepts_.push_back(accepts);
    automaton.next_.resize(automaton.next_.size() + 10, kDead);
    return id;
  };
  const std::optional<uint32_t> start = state_of(subsets.Closure(starts));
  if (!start) return std::nullopt;
  automaton.start_ = *start;
  // Breadth-first over the states as they are made; members grows while this runs.
  for (uint32_t id = 1; id < members.size(); ++id) {
    for (uint32_t digit = 0; digit < 10; ++digit) {
      std::vector<uint32_t> after;
      for (const uint32_t s : members[id]) {
        if ((nfa[s].digits >> digit) & 1) after.push_back(nfa[s].out);
      }
      if (after.empty()) continue;
      const std::optional<uint32_t> target = state_of(subsets.Closure(after));
      if (!target || subsets.exhausted()) return std::nullopt;
      automaton.next_[id * 10 + digit] = *target;
    }
  }
  return automaton;
}

}  // namespace crmaudit
