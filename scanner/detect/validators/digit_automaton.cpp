#include "scanner/detect/validators/digit_automaton.h"

#include <algorithm>
#include <deque>
#include <map>
#include <utility>

namespace crmaudit::validators {
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

// Recursive descent over the syntax the header names; any other character, or a construct
// it does not know, makes the whole pattern "not understood" (nullopt), never a guess.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

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

  std::optional<Node> Atom(int depth) {
    const char c = Peek();
    if (c >= '0' && c <= '9') {
      ++pos_;
      return Digits(static_cast<uint16_t>(1u << (c - '0')));
    }
    if (c == '\\') {
      if (pos_ + 1 >= text_.size() || text_[pos_ + 1] != 'd') return std::nullopt;
      pos_ += 2;
      return Digits(kAnyDigit);
    }
    if (c == '[') return Class();
    if (c == '(') {
      ++pos_;
      if (!AtEnd() && Peek() == '?') {
        // Only the non-capturing group: flags and named groups are not this syntax.
        if (pos_ + 1 >= text_.size() || text_[pos_ + 1] != ':') return std::nullopt;
        pos_ += 2;
      }
      std::optional<Node> inner = Choice(depth + 1);
      if (!inner || AtEnd() || Peek() != ')') return std::nullopt;
      ++pos_;
      return inner;
    }
    return std::nullopt;
  }

  // [..] of digits, digit ranges and \d; not negated, not empty.
  std::optional<Node> Class() {
    ++pos_;  // '['
    uint16_t digits = 0;
    if (!AtEnd() && Peek() == '^') return std::nullopt;
    while (!AtEnd() && Peek() != ']') {
      const char c = Peek();
      if (c == '\\') {
        if (pos_ + 1 >= text_.size() || text_[pos_ + 1] != 'd') return std::nullopt;
        digits |= kAnyDigit;
        pos_ += 2;
        continue;
      }
      if (c < '0' || c > '9') return std::nullopt;
      ++pos_;
      char last = c;
      if (pos_ + 1 < text_.size() && Peek() == '-' && text_[pos_ + 1] != ']') {
        last = text_[pos_ + 1];
        if (last < c || last > '9') return std::nullopt;
        pos_ += 2;
      }
      for (char d = c; d <= last; ++d) digits |= static_cast<uint16_t>(1u << (d - '0'));
    }
    if (AtEnd() || digits == 0) return std::nullopt;
    ++pos_;  // ']'
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

 private:
  const std::vector<NfaState>& nfa_;
  std::vector<uint32_t> seen_;
  uint32_t generation_ = 0;
};

}  // namespace

std::optional<DigitAutomaton> DigitAutomaton::Compile(std::span<const std::string> patterns) {
  if (patterns.empty() || patterns.size() > kMaxPatterns) return std::nullopt;
  NfaBuilder builder;
  std::vector<uint32_t> starts;
  for (size_t i = 0; i < patterns.size(); ++i) {
    std::optional<Node> root = Parser(patterns[i]).Parse();
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
      if (!target) return std::nullopt;
      automaton.next_[id * 10 + digit] = *target;
    }
  }
  return automaton;
}

}  // namespace crmaudit::validators
