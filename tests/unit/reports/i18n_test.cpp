// The interface words of the human-readable reports, and what a reader of each language sees
// of rule texts and article references.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "reports/i18n/report_language.h"
#include "reports/i18n/rule_texts.h"
#include "scanner/model/text_template.h"

namespace crmaudit {
namespace {

TEST(UiStrings, EveryKeyHasEveryLanguage) {
  const auto& table = UiStringTable();
  ASSERT_GT(table.size(), 100u);
  for (const auto& [key, texts] : table) {
    for (const std::string& language : ReportLanguages()) {
      auto it = texts.find(language);
      ASSERT_NE(it, texts.end()) << key << " has no " << language << " text";
      EXPECT_FALSE(it->second.empty()) << key << " is empty in " << language;
    }
    // A Chinese text that is the English one was not translated (numbers-only texts aside).
    const std::string words = FillTemplate(texts.at("en"), {{"n", ""}});
    if (words.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos &&
        key.rfind("framework.", 0) != 0) {
      EXPECT_NE(texts.at("en"), texts.at("zh-CN")) << key << " is not translated";
    }
  }
}

TEST(UiStrings, UnknownKeyIsAProgrammingError) {
  UiText ui("zh-CN");
  EXPECT_THROW(ui("no.such.key"), std::logic_error);
  EXPECT_THROW(UiText("fr"), std::invalid_argument);
  EXPECT_EQ(ui("verdict.fail"), "未通过");
  EXPECT_EQ(UiText("en").Format("count.finding.many", {{"n", "3"}}), "3 findings");
}

TEST(ReportLanguage, ParsesTheNamesUsersTypeAndReadsTheLocale) {
  EXPECT_EQ(ParseReportLanguage("zh-CN"), "zh-CN");
  EXPECT_EQ(ParseReportLanguage("zh_cn"), "zh-CN");
  EXPECT_EQ(ParseReportLanguage("zh"), "zh-CN");
  EXPECT_EQ(ParseReportLanguage("en-GB"), "en");
  EXPECT_EQ(ParseReportLanguage("fr"), std::nullopt);
  ::unsetenv("LC_ALL");
  ::unsetenv("LC_MESSAGES");
  ::setenv("LANG", "zh_CN.UTF-8", 1);
  EXPECT_EQ(LanguageFromEnvironment(), "zh-CN");
  ::setenv("LC_ALL", "C.UTF-8", 1);  // LC_ALL wins over LANG
  EXPECT_EQ(LanguageFromEnvironment(), "en");
  ::unsetenv("LC_ALL");
  ::unsetenv("LANG");
  EXPECT_EQ(LanguageFromEnvironment(), "en");
}

TEST(ReportLanguage, ArticlesReadAsTheReaderCitesThem) {
  UiText zh("zh-CN");
  EXPECT_EQ(zh.Article("GDPR", "Art. 32"), "GDPR 第32条");
  EXPECT_EQ(zh.Article("GDPR", "Art. 32(1)(a)"), "GDPR 第32条第1款(a)项");
  EXPECT_EQ(zh.Article("PIPL", "Art. 51"), "《个人信息保护法》第51条");
  EXPECT_EQ(zh.Article("PIPL", "Art. 28-30"), "《个人信息保护法》第28-30条");
  EXPECT_EQ(zh.Article("GDPR", "Recital 30"), "GDPR 鉴于条款第30条");
  EXPECT_EQ(zh.Article("CIS", "PostgreSQL 16 Benchmark 6.8"), "CIS PostgreSQL 16 Benchmark 6.8");
  EXPECT_EQ(UiText("en").Article("PIPL", "Art. 51"), "PIPL Art. 51");
}

TEST(RuleTexts, ACheckTitleIsTranslatedWithItsValues) {
  RuleTexts texts;
  texts.language = "zh-CN";
  RuleWords& words = texts.rules["AC-01"];
  words.title = "登录角色只持有其所用的权限";
  words.outcomes.push_back({"Login role {role} is powerful: {privileges}",
                            "登录角色 {role} 权限过大：{privileges}", "Revoke {privileges}.",
                            "撤销 {privileges}。"});
  words.outcomes.push_back({"Roles could not be listed", "无法列出角色", "", ""});
  Finding finding;
  finding.rule = "AC-01";
  finding.title = "Login role crm_dba is powerful: SUPERUSER, CREATEROLE";
  finding.remediation = "Revoke SUPERUSER, CREATEROLE.";
  EXPECT_EQ(texts.Title(finding), "登录角色 crm_dba 权限过大：SUPERUSER, CREATEROLE");
  EXPECT_EQ(texts.Remediation(finding), "撤销 SUPERUSER, CREATEROLE。");
  finding.title = "Roles could not be listed";
  EXPECT_EQ(texts.Title(finding), "无法列出角色");
  // A title no template gives (an older catalog): the rule's title, never a wrong outcome.
  finding.title = "Something an older catalog said";
  EXPECT_EQ(texts.Title(finding), "登录角色只持有其所用的权限");
  // English is the model's words.
  texts.language = "en";
  EXPECT_EQ(texts.Title(finding), "Something an older catalog said");
}

// ENC-03's outcomes share one English title; the remediation tells them apart and gives the
// values (the pg_hba.conf line) the title does not name.
TEST(RuleTexts, OutcomesSharingATitleAreToldApartByTheirRemediation) {
  RuleTexts texts;
  texts.language = "zh-CN";
  RuleWords& words = texts.rules["ENC-03"];
  words.outcomes.push_back({"Rule allows {problems}", "第 {line} 行有弱点（{problems}）",
                            "In line {line}: use {type} with scram-sha-256.",
                            "在第 {line} 行：改用 {type} 并使用 scram-sha-256。"});
  words.outcomes.push_back({"Rule allows {problems}", "第 {line} 行使用弱方法 md5",
                            "In line {line}: use {type} with scram-sha-256 (after re-setting "
                            "passwords), then SELECT pg_reload_conf();",
                            "在第 {line} 行：改用 {type} 并使用 scram-sha-256（须先重设口令），"
                            "然后执行 SELECT pg_reload_conf();"});
  Finding finding;
  finding.rule = "ENC-03";
  finding.title = "Rule allows weak method md5";
  finding.remediation =
      "In line 8: use hostssl with scram-sha-256 (after re-setting passwords), then SELECT "
      "pg_reload_conf();";
  EXPECT_EQ(texts.Title(finding), "第 8 行使用弱方法 md5");
  EXPECT_EQ(texts.Remediation(finding),
            "在第 8 行：改用 hostssl 并使用 scram-sha-256（须先重设口令），然后执行 SELECT "
            "pg_reload_conf();");
  finding.title = "Rule allows TCP without TLS";
  finding.remediation = "In line 4: use hostssl with scram-sha-256.";
  EXPECT_EQ(texts.Title(finding), "第 4 行有弱点（TCP without TLS）");
  EXPECT_EQ(texts.Remediation(finding), "在第 4 行：改用 hostssl 并使用 scram-sha-256。");
  // A remediation no template gives (an older catalog) stays whole, in English.
  finding.remediation = "Fix line 4.";
  EXPECT_EQ(texts.Remediation(finding), "Fix line 4.");
}

TEST(RuleTexts, DetectorTitlesKeepTheFreeTextNote) {
  RuleTexts texts;
  texts.language = "zh-CN";
  texts.rules["email-address"] = {"电子邮件地址", "", "删除。", "Email addresses", {}};
  Finding finding;
  finding.rule = "email-address";
  finding.title = "Email addresses embedded in free text";
  finding.remediation = "Drop them.";
  EXPECT_EQ(texts.Title(finding), "电子邮件地址（嵌于自由文本中）");
  EXPECT_EQ(texts.Remediation(finding), "删除。");
}

TEST(RuleTexts, MatchTemplateTakesTheValuesBack) {
  auto values = MatchTemplate("In line {line}: replace {address}", "In line 7: replace 0.0.0.0/0");
  ASSERT_TRUE(values);
  EXPECT_EQ(values->at("line"), "7");
  EXPECT_EQ(values->at("address"), "0.0.0.0/0");
  EXPECT_FALSE(MatchTemplate("Roles could not be listed", "Roles were listed"));
}

}  // namespace
}  // namespace crmaudit
