// Report languages: which language a human-readable report (report.html, the terminal
// summary, the records-of-processing CSV) is written in, and the interface words of each.
//
// What must stay true:
//  - report.json, report.sarif and their signatures never depend on the language: they are
//    machine records with rule ids and English titles. Only renderings for people take a
//    language, so the same signed report.json can be rendered again in another one
//    (`crmaudit render`).
//  - Every interface word lives in one data file, reports/i18n/ui_strings.json, compiled into
//    the binary (a report renders the same wherever the binary runs; it cannot lose its words
//    to a missing policy folder). Each key carries every language of ReportLanguages(); a test
//    fails when one lacks a translation, and asking for an unknown key is a programming error
//    (std::logic_error), so a typo fails the first test that renders it.
//  - Templates use "{name}" placeholders, filled by UiText::Format; text outside braces is
//    kept as written.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crmaudit {

inline constexpr std::string_view kEnglish = "en";
inline constexpr std::string_view kSimplifiedChinese = "zh-CN";

// "en" and "zh-CN", the languages every interface word is written in.
const std::vector<std::string>& ReportLanguages();

// "zh-CN", "zh_CN", "zh", "ZH-cn" -> "zh-CN"; "en", "en-US", "en_GB" -> "en"; else nullopt.
std::optional<std::string> ParseReportLanguage(std::string_view text);

// The reader's language from the environment: the first set of LC_ALL, LC_MESSAGES, LANG
// (POSIX precedence); a value starting with "zh" is Simplified Chinese, anything else English.
std::string LanguageFromEnvironment();

// The interface words of one language.
class UiText {
 public:
  explicit UiText(std::string language);  // throws std::invalid_argument for an unknown one

  const std::string& language() const { return language_; }
  bool chinese() const { return language_ == kSimplifiedChinese; }

  // The text of `key`. Throws std::logic_error for a key the table lacks.
  const std::string& operator()(std::string_view key) const;
  // The text of `key` with its {placeholders} replaced by `values`.
  std::string Format(std::string_view key, const std::map<std::string, std::string>& values) const;
  // `key` when there is one in the table, else nullopt (labels of open-ended names, such as
  // an evidence fact or a framework, fall back to the name itself).
  std::optional<std::string> Find(std::string_view key) const;

  // "GDPR Art. 32(1)(a)" as the reader names it: English keeps the article as written; Chinese
  // gives "GDPR 第32条第1款(a)项", "《个人信息保护法》第51条", "GDPR 鉴于条款第30条".
  std::string Article(std::string_view framework, std::string_view article) const;
  // A framework's name: "PIPL" -> "《个人信息保护法》" in Chinese; unknown names as given.
  std::string Framework(std::string_view framework) const;

 private:
  std::string language_;
  const std::map<std::string, std::string>* table_;
};

// Every key of the table with its texts by language, for tests.
const std::map<std::string, std::map<std::string, std::string>>& UiStringTable();

}  // namespace crmaudit
