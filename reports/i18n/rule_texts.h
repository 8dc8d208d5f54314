// RuleTexts: the words of detectors and control checks in the reader's language, for the
// renderings people read (report.html, the terminal summary, records-of-processing.csv).
//
// Findings and report.json keep English titles (the machine record); a rendering in another
// language looks the rule up here. The translations are data in the packs (a detector's
// "texts") and the check catalog (a check's "texts"); the CLI copies them in
// (scanner/cli/rule_texts_loader.h), so the writers never read a policy file.
//
// A check finding's title was filled from its outcome's English template ("Login role {role}
// is powerful: {privileges}"); report.json does not keep the values. TranslateTitle matches
// the title against each English template of the rule, takes the values back out, and fills
// the same outcome's template in the reader's language. Only when no template matches (an
// older catalog wrote the report) does the rule's translated title stand in, so a reader never
// sees a half-translated or wrong title. Values (role names, settings, SQL) stay as written.
// The finding's remediation is matched too: it tells apart outcomes that share a title and
// gives the values the title does not name; the translated remediation is used only when the
// English one matched, so a Chinese reader gets the whole statement or the English one.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/model/finding.h"

namespace crmaudit {

struct OutcomeWords {
  std::string english_title, title;              // templates
  std::string english_remediation, remediation;  // templates; remediation may be empty
};

struct RuleWords {
  std::string title;        // the rule's own title (a check's "what is tested")
  std::string risk;         // checks only
  std::string remediation;  // detectors only
  std::string english_title;
  std::vector<OutcomeWords> outcomes;  // checks only
};

struct RuleTexts {
  std::string language = "en";
  std::map<std::string, RuleWords> rules;  // by rule id

  bool english() const { return language == "en"; }
  // The finding's title and remediation in `language`; the English ones when there is no
  // translation.
  std::string Title(const Finding& finding) const;
  std::string Remediation(const Finding& finding) const;
  // A rule's title / risk in `language`, or `english` when none is known.
  std::string RuleTitle(const std::string& rule, const std::string& english) const;
  std::string RuleRisk(const std::string& rule, const std::string& english) const;
};

// The values that make `text` equal to `pattern` with its {placeholders} filled, or nullopt
// when no filling does. A placeholder matches the shortest text that lets the rest match.
std::optional<std::map<std::string, std::string>> MatchTemplate(const std::string& pattern,
                                                                const std::string& text);

}  // namespace crmaudit
