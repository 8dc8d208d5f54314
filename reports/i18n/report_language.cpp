#include "reports/i18n/report_language.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

#include "scanner/model/text_template.h"

namespace crmaudit {

// The contents of reports/i18n/ui_strings.json (generated into the build by CMake).
extern const char* const kUiStringsJson;

namespace {

using Table = std::map<std::string, std::map<std::string, std::string>>;

// The table by language, parsed once. A malformed table is a build error, found by the first
// test that renders anything.
const std::map<std::string, std::map<std::string, std::string>>& ByLanguage() {
  static const auto* by_language = [] {
    auto* out = new std::map<std::string, std::map<std::string, std::string>>();
    for (const auto& [key, texts] : UiStringTable()) {
      for (const auto& [language, text] : texts) (*out)[language][key] = text;
    }
    return out;
  }();
  return *by_language;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

const std::map<std::string, std::map<std::string, std::string>>& UiStringTable() {
  static const Table* table = [] {
    auto* out = new Table();
    const nlohmann::json doc = nlohmann::json::parse(kUiStringsJson, nullptr, true, true);
    for (const auto& [key, texts] : doc.items()) {
      if (key.rfind("//", 0) == 0) continue;  // a comment entry
      for (const auto& [language, text] : texts.items()) {
        (*out)[key][language] = text.get<std::string>();
      }
    }
    return out;
  }();
  return *table;
}

const std::vector<std::string>& ReportLanguages() {
  static const std::vector<std::string> languages = {std::string(kEnglish),
                                                     std::string(kSimplifiedChinese)};
  return languages;
}

std::optional<std::string> ParseReportLanguage(std::string_view text) {
  std::string lower = Lower(text);
  std::replace(lower.begin(), lower.end(), '_', '-');
  if (lower == "zh" || lower == "zh-cn" || lower == "zh-hans" || lower == "zh-hans-cn") {
    return std::string(kSimplifiedChinese);
  }
  if (lower == "en" || lower.rfind("en-", 0) == 0) return std::string(kEnglish);
  return std::nullopt;
}

std::string LanguageFromEnvironment() {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    return Lower(value).rfind("zh", 0) == 0 ? std::string(kSimplifiedChinese)
                                            : std::string(kEnglish);
  }
  return std::string(kEnglish);
}

UiText::UiText(std::string language) : language_(std::move(language)) {
  auto it = ByLanguage().find(language_);
  if (it == ByLanguage().end()) {
    throw std::invalid_argument("no interface texts for language " + language_);
  }
  table_ = &it->second;
}

const std::string& UiText::operator()(std::string_view key) const {
  auto it = table_->find(std::string(key));
  if (it == table_->end()) {
    throw std::logic_error("interface text " + std::string(key) + " is not in ui_strings.json");
  }
  return it->second;
}

std::optional<std::string> UiText::Find(std::string_view key) const {
  auto it = table_->find(std::string(key));
  if (it == table_->end()) return std::nullopt;
  return it->second;
}

std::string UiText::Format(std::string_view key,
                           const std::map<std::string, std::string>& values) const {
  return FillTemplate((*this)(key), values);
}

std::string UiText::Framework(std::string_view framework) const {
  return Find("framework." + std::string(framework)).value_or(std::string(framework));
}

std::string UiText::Article(std::string_view framework, std::string_view article) const {
  const std::string name = Framework(framework);
  if (!chinese()) return name + " " + std::string(article);
  // "Art. 32(1)(a)" -> 第32条第1款(a)项; "Art. 28-30" -> 第28-30条; "Recital 30" -> 鉴于条款第30条.
  static const std::regex kArticle(
      R"(^Art(?:icle|\.)?\s*(\d+(?:\s*[-–]\s*\d+)?)((?:\(\d+\))?)((?:\([a-z]\))?)(.*)$)");
  static const std::regex kRecital(R"(^Recital\s+(\d+)$)");
  const std::string text(article);
  std::smatch m;
  if (std::regex_match(text, m, kArticle)) {
    std::string out = "第" + m[1].str() + "条";
    if (m[2].length() > 0) out += "第" + m[2].str().substr(1, m[2].length() - 2) + "款";
    if (m[3].length() > 0) out += m[3].str() + "项";
    out += m[4].str();
    // "GDPR 第32条"; the PIPL's Chinese name is already a title, so no space:
    // 《个人信息保护法》第51条.
    return name + (name.rfind("\xE3\x80\x8B") == name.size() - 3 ? "" : " ") + out;
  }
  if (std::regex_match(text, m, kRecital)) return name + " 鉴于条款第" + m[1].str() + "条";
  return name + " " + text;
}

}  // namespace crmaudit
