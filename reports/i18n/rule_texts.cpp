#include "reports/i18n/rule_texts.h"

#include <utility>

#include "reports/i18n/report_language.h"
#include "scanner/model/text_template.h"

namespace crmaudit {

namespace {

// Backtracking match of pattern[p..] against text[t..]; placeholders bind into `values`.
bool MatchFrom(const std::string& pattern, size_t p, const std::string& text, size_t t,
               std::map<std::string, std::string>* values, int* budget) {
  if (--*budget < 0) return false;  // pathological templates give up rather than spin
  if (p == pattern.size()) return t == text.size();
  const size_t open = pattern.find('{', p);
  const size_t close = open == std::string::npos ? open : pattern.find('}', open);
  if (close == std::string::npos) return pattern.compare(p, std::string::npos, text, t) == 0;
  const size_t literal = open - p;
  if (text.compare(t, literal, pattern, p, literal) != 0) return false;
  t += literal;
  const std::string name = pattern.substr(open + 1, close - open - 1);
  auto bound = values->find(name);
  if (bound != values->end()) {  // the same name twice must be the same value
    if (text.compare(t, bound->second.size(), bound->second) != 0) return false;
    return MatchFrom(pattern, close + 1, text, t + bound->second.size(), values, budget);
  }
  for (size_t end = t; end <= text.size(); ++end) {
    (*values)[name] = text.substr(t, end - t);
    if (MatchFrom(pattern, close + 1, text, end, values, budget)) return true;
  }
  values->erase(name);
  return false;
}

size_t LiteralLength(const std::string& pattern) {
  size_t length = 0;
  bool inside = false;
  for (char c : pattern) {
    if (c == '{') inside = true;
    if (!inside) ++length;
    if (c == '}') inside = false;
  }
  return length;
}

// The outcome of `words` whose English templates give the finding's title and remediation,
// with their values: the most specific (longest literal text) when several match. Outcomes
// that share a title (ENC-03's) are told apart by their remediation; one whose remediation does
// not match still counts, behind those whose does, so a finding from an older catalog keeps
// its translated title.
const OutcomeWords* MatchOutcome(const RuleWords& words, const Finding& finding,
                                 std::map<std::string, std::string>* values) {
  const OutcomeWords* best = nullptr;
  std::pair<bool, size_t> best_rank{false, 0};
  for (const OutcomeWords& outcome : words.outcomes) {
    auto matched = MatchTemplate(outcome.english_title, finding.title);
    if (!matched) continue;
    auto more = MatchTemplate(outcome.english_remediation, finding.remediation);
    const std::pair<bool, size_t> rank{more.has_value(),
                                       LiteralLength(outcome.english_title) +
                                           (more ? LiteralLength(outcome.english_remediation) : 0)};
    if (best == nullptr || rank > best_rank) {
      best = &outcome;
      best_rank = rank;
      *values = std::move(*matched);
      // The English remediation gives the values the title did not name.
      if (more) values->insert(more->begin(), more->end());
    }
  }
  return best;
}

}  // namespace

std::optional<std::map<std::string, std::string>> MatchTemplate(const std::string& pattern,
                                                                const std::string& text) {
  std::map<std::string, std::string> values;
  int budget = 100000;
  if (!MatchFrom(pattern, 0, text, 0, &values, &budget)) return std::nullopt;
  return values;
}

std::string RuleTexts::Title(const Finding& finding) const {
  if (english()) return finding.title;
  auto it = rules.find(finding.rule);
  if (it == rules.end()) return finding.title;
  const RuleWords& words = it->second;
  if (!words.outcomes.empty()) {
    std::map<std::string, std::string> values;
    const OutcomeWords* outcome = MatchOutcome(words, finding, &values);
    if (outcome != nullptr && !outcome->title.empty()) {
      return FillTemplate(outcome->title, values);
    }
    return words.title.empty() ? finding.title : words.title;
  }
  if (words.title.empty()) return finding.title;
  // A detector's finding is its title, or its title with a note that the values were found
  // inside free text (checks/pii_findings.cpp); the note is an interface word.
  if (finding.title == words.english_title) return words.title;
  if (finding.title.rfind(words.english_title, 0) == 0) {
    const std::string rest = finding.title.substr(words.english_title.size());
    if (rest == " embedded in free text") {
      return words.title + UiText(language)("finding.embedded_in_free_text");
    }
  }
  return words.title;
}

std::string RuleTexts::Remediation(const Finding& finding) const {
  if (english()) return finding.remediation;
  auto it = rules.find(finding.rule);
  if (it == rules.end()) return finding.remediation;
  const RuleWords& words = it->second;
  if (!words.outcomes.empty()) {
    std::map<std::string, std::string> values;
    const OutcomeWords* outcome = MatchOutcome(words, finding, &values);
    if (outcome == nullptr || outcome->remediation.empty()) return finding.remediation;
    // Its English remediation must have matched too: otherwise a value would be missing.
    if (!MatchTemplate(outcome->english_remediation, finding.remediation)) {
      return finding.remediation;
    }
    return FillTemplate(outcome->remediation, values);
  }
  return words.remediation.empty() ? finding.remediation : words.remediation;
}

std::string RuleTexts::RuleTitle(const std::string& rule, const std::string& english) const {
  if (this->english()) return english;
  auto it = rules.find(rule);
  return it == rules.end() || it->second.title.empty() ? english : it->second.title;
}

std::string RuleTexts::RuleRisk(const std::string& rule, const std::string& english) const {
  if (this->english()) return english;
  auto it = rules.find(rule);
  return it == rules.end() || it->second.risk.empty() ? english : it->second.risk;
}

}  // namespace crmaudit
