#include "scanner/cli/rule_texts_loader.h"

namespace crmaudit {

RuleTexts RuleTextsFor(const std::string& language, const std::vector<PolicyPack>& packs,
                       const CheckCatalog* catalog) {
  RuleTexts texts;
  texts.language = language;
  for (const PolicyPack& pack : packs) {
    for (const DetectorSpec& detector : pack.detectors) {
      RuleWords& words = texts.rules[detector.id];
      words.english_title = detector.title;
      auto it = detector.texts.find(language);
      if (it == detector.texts.end()) continue;
      words.title = it->second.title;
      words.remediation = it->second.remediation;
    }
  }
  if (catalog == nullptr) return texts;
  for (const CheckDefinition& check : catalog->checks()) {
    RuleWords& words = texts.rules[check.id];
    words.english_title = check.title;
    auto localized = check.texts.find(language);
    if (localized != check.texts.end()) {
      words.title = localized->second.title;
      words.risk = localized->second.risk;
    }
    for (const auto& [key, english] : check.outcomes) {
      OutcomeWords outcome;
      outcome.english_title = english.title;
      outcome.english_remediation = english.remediation;
      if (localized != check.texts.end()) {
        auto text = localized->second.outcomes.find(key);
        if (text != localized->second.outcomes.end()) {
          outcome.title = text->second.title;
          outcome.remediation = text->second.remediation;
        }
      }
      words.outcomes.push_back(std::move(outcome));
    }
  }
  return texts;
}

RuleTexts ShippedRuleTexts(const std::string& language) {
  const auto dirs = DefaultPolicySearchDirs();
  std::vector<PolicyPack> packs;
  for (const auto& file : ListPolicyPacks(dirs)) {
    try {
      packs.push_back(LoadPolicyPack(file));
    } catch (const PolicyError&) {
      // A pack that does not load keeps its rules in English; the report still renders.
    }
  }
  const CheckCatalog catalog = LoadShippedCheckCatalog(dirs);
  return RuleTextsFor(language, packs, &catalog);
}

}  // namespace crmaudit
