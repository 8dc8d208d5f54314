#include "reports/html/html_report.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <string>
#include <vector>

#include "reports/html/html_escape.h"
#include "sample_scan.h"
#include "scanner/model/utf8.h"
#include "test_support.h"

namespace crmaudit {
namespace {

using testing::CountOf;
using testing::SampleScan;

std::string Between(const std::string& text, const std::string& open, const std::string& close) {
  const size_t start = text.find(open);
  if (start == std::string::npos) return "";
  const size_t body = start + open.size();
  const size_t end = text.find(close, body);
  return end == std::string::npos ? "" : text.substr(body, end - body);
}

std::string Sha256Base64(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  unsigned char encoded[128];
  const int n = EVP_EncodeBlock(encoded, digest, length);
  return std::string(reinterpret_cast<char*>(encoded), static_cast<size_t>(n));
}

TEST(HtmlEscapeTest, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\" title='y'>&</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(EscapeHtml("客户 email"), "客户 email");
  EXPECT_EQ(EscapeHtml(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_TRUE(IsValidUtf8(EscapeHtml("bad\xff\xfe")));
}

// "rtl" U+202E "gpj.csv" would display as "rtlvsc.jpg": bidi controls are shown, not obeyed.
TEST(HtmlEscapeTest, BidiControlsAreShownNotObeyed) {
  EXPECT_EQ(EscapeHtml("rtl\xe2\x80\xae"
                       "gpj.csv"),
            "rtl[U+202E]gpj.csv");
  EXPECT_EQ(EscapeHtml("\xe2\x81\xa6x\xe2\x81\xa9\xe2\x80\x8f\xd8\x9c"),
            "[U+2066]x[U+2069][U+200F][U+061C]");
  EXPECT_EQ(EscapeHtml("客户 – Müller"), "客户 – Müller");  // other characters unchanged
}

TEST(HtmlReportTest, HostileNamesRenderAsText) {
  const std::string html = RenderHtmlReport(SampleScan());
  // Exactly one script element: ours. Injected markup must not appear as markup anywhere.
  EXPECT_EQ(CountOf(html, "<script"), 1u);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("\"><img"), std::string::npos);
  EXPECT_EQ(html.find("</td></tr><script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;.csv"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=document.title=&#39;pwned&#39;&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(2)"), std::string::npos);
}

TEST(HtmlReportTest, ModelTextNeverLandsInScriptOrUnquotedAttribute) {
  const std::string html = RenderHtmlReport(SampleScan());
  const std::string script = Between(html, "<script>", "</script>");
  ASSERT_FALSE(script.empty());
  EXPECT_EQ(script.find("customers.csv"), std::string::npos);
  EXPECT_EQ(script.find("pwned"), std::string::npos);
  // Outside the script and the style, every tag has only double-quoted attribute values (text
  // is escaped, so '>' ends a tag and '<' followed by a letter starts one).
  std::string markup = html;
  for (const char* element : {"script", "style"}) {
    const std::string open = std::string("<") + element + ">";
    const std::string close = std::string("</") + element + ">";
    const size_t start = markup.find(open) + open.size();
    markup.erase(start, markup.find(close) - start);
  }
  const std::regex strict_tag(R"(<[a-zA-Z][a-zA-Z0-9]*(\s+[a-zA-Z:-]+(="[^"<>]*")?)*\s*/?>)");
  size_t tags = 0;
  for (size_t at = markup.find('<'); at != std::string::npos; at = markup.find('<', at + 1)) {
    if (!std::isalpha(static_cast<unsigned char>(markup[at + 1]))) continue;
    const std::string tag = markup.substr(at, markup.find('>', at) - at + 1);
    EXPECT_TRUE(std::regex_match(tag, strict_tag)) << tag;
    ++tags;
  }
  EXPECT_GT(tags, 100u);
}

TEST(HtmlReportTest, ContentSecurityPolicyAllowsOnlyTheInlineAssetsByHash) {
  const std::string html = RenderHtmlReport(SampleScan());
  const size_t csp = html.find("<meta http-equiv=\"Content-Security-Policy\"");
  ASSERT_NE(csp, std::string::npos);
  EXPECT_LT(csp, html.find("<style>"));
  EXPECT_LT(csp, html.find("<script>"));
  const std::string policy = Between(html.substr(csp), "content=\"", "\"");
  EXPECT_NE(policy.find("default-src 'none'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("img-src data:"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << policy;
  const std::string script = Between(html, "<script>", "</script>");
  const std::string style = Between(html, "<style>", "</style>");
  EXPECT_NE(policy.find("script-src 'sha256-" + Sha256Base64(script) + "'"), std::string::npos)
      << policy;
  EXPECT_NE(policy.find("style-src 'sha256-" + Sha256Base64(style) + "'"), std::string::npos)
      << policy;
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
}

TEST(HtmlReportTest, NamesNoRemoteResource) {
  const std::string html = RenderHtmlReport(SampleScan());
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  for (const char* tag : {"<link", "<iframe", "<object", "<embed", "<img", "<base", "<form"}) {
    EXPECT_EQ(html.find(tag), std::string::npos) << tag;
  }
  const std::regex remote(R"((src|href|action)\s*=\s*"?\s*(?!#)[a-zA-Z0-9+.-]*:?//)");
  EXPECT_FALSE(std::regex_search(html, remote));
  // The only links are in-page anchors.
  const std::regex href(R"re(href="([^"]*)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator();
       ++it) {
    EXPECT_EQ((*it)[1].str().substr(0, 1), "#") << (*it)[1].str();
  }
}

TEST(HtmlReportTest, ListsEveryFindingWithStatusReasonAndArticles) {
  const ScanResult result = SampleScan();
  const std::string html = RenderHtmlReport(result);
  EXPECT_EQ(CountOf(html, "<tr class=\"finding\""), result.findings.size());
  for (const Finding& finding : result.findings) {
    EXPECT_NE(html.find("id=\"finding-" + finding.id + "\""), std::string::npos) << finding.id;
    if (!finding.status_reason.empty()) {
      EXPECT_NE(html.find(EscapeHtml(finding.status_reason)), std::string::npos);
    }
    for (const auto& [framework, articles] : finding.frameworks) {
      for (const std::string& article : articles) {
        EXPECT_NE(html.find(EscapeHtml(article)), std::string::npos) << article;
      }
    }
  }
  EXPECT_NE(html.find("data-status=\"baselined\""), std::string::npos);
  EXPECT_NE(html.find("data-status=\"suppressed\""), std::string::npos);
  EXPECT_NE(html.find("data-status=\"not_assessed\""), std::string::npos);
  EXPECT_NE(html.find(">not assessed<"), std::string::npos);
  EXPECT_NE(html.find("j***@e***.com"), std::string::npos);
  EXPECT_NE(html.find("110105********002X"), std::string::npos);
  // Grouped by category: one section per category that has findings, in a fixed order.
  const size_t pii = html.find("id=\"group-pii\"");
  const size_t encryption = html.find("id=\"group-encryption\"");
  const size_t retention = html.find("id=\"group-retention\"");
  ASSERT_NE(pii, std::string::npos);
  ASSERT_NE(encryption, std::string::npos);
  ASSERT_NE(retention, std::string::npos);
  EXPECT_LT(pii, encryption);
  EXPECT_LT(encryption, retention);
  EXPECT_EQ(html.find("id=\"group-secret\""), std::string::npos);
}

TEST(HtmlReportTest, OrderedByWhatAReaderMustDo) {
  const std::string html = RenderHtmlReport(SampleScan());
  // Verdict, what needs action, what changed, all findings (with the charts), the inventory,
  // the controls evaluated, coverage, scope, the signature.
  const std::vector<std::string> order = {"id=\"verdict\"",
                                          "<section id=\"action\">",
                                          "<section id=\"changes\">",
                                          "<section id=\"findings\">",
                                          "<svg class=\"chart\"",
                                          "<section id=\"inventory\">",
                                          "<section id=\"controls-evaluated\">",
                                          "<section id=\"coverage\">",
                                          "<section id=\"scope\">",
                                          "<section id=\"signature\">"};
  size_t previous = 0;
  for (const std::string& marker : order) {
    const size_t at = html.find(marker);
    ASSERT_NE(at, std::string::npos) << marker;
    EXPECT_GT(at, previous) << marker << " is out of order";
    previous = at;
  }
  // The sample scan is incomplete: its banner says so, never pass or fail.
  EXPECT_NE(html.find("<div class=\"verdict incomplete\" id=\"verdict\"><span "
                      "class=\"word\">incomplete"),
            std::string::npos);
  EXPECT_NE(html.find("<strong>1</strong> control not assessed"), std::string::npos);
  EXPECT_EQ(html.find("(s)"), std::string::npos);
  EXPECT_NE(html.find("3 datasets were not read completely"), std::string::npos);
  EXPECT_NE(html.find("severity <strong>high</strong> or worse"), std::string::npos);
  EXPECT_EQ(CountOf(html, "<svg class=\"chart\""), 2u);
  // Two open high findings (the baselined one is not counted by the model's summary).
  EXPECT_NE(html.find(">high</text><rect"), std::string::npos);
  EXPECT_NE(html.find("id=\"incomplete\""), std::string::npos);
  EXPECT_NE(html.find("gdpr-core</td><td>1.2.0"), std::string::npos);
}

// The first section after the verdict lists every open critical and high finding, worst
// first, with where it is, the masked evidence and what to do; nothing else.
TEST(HtmlReportTest, WhatNeedsActionListsOpenCriticalAndHighFindingsFirst) {
  const std::string html = RenderHtmlReport(SampleScan());
  const std::string action = Between(html, "<section id=\"action\">", "</section>");
  ASSERT_FALSE(action.empty());
  EXPECT_EQ(html.find("<section"), html.find("<section id=\"action\">"));
  const std::vector<std::string> items = [&] {
    std::vector<std::string> out;
    for (size_t at = action.find("<article"); at != std::string::npos;
         at = action.find("<article", at + 1)) {
      out.push_back(action.substr(at, action.find("</article>", at) - at));
    }
    return out;
  }();
  // The critical resident-ID finding, then the two open highs; baselined and not-assessed
  // highs are not "to do".
  ASSERT_EQ(items.size(), 3u) << action;
  EXPECT_NE(items[0].find("badge critical"), std::string::npos) << items[0];
  EXPECT_NE(items[0].find(testing::kChineseTitle), std::string::npos);
  EXPECT_NE(items[0].find(testing::kChineseColumn), std::string::npos);
  EXPECT_NE(items[0].find("110105********002X"), std::string::npos);
  EXPECT_NE(items[0].find("encrypt the column."), std::string::npos);
  EXPECT_NE(items[0].find("<dt>Remediation</dt>"), std::string::npos);
  for (const std::string& item : items) {
    EXPECT_EQ(item.find("badge medium"), std::string::npos) << item;
    EXPECT_EQ(item.find("stored in clear</strong></div><dl><dt>Location</dt><dd><code>"
                        "crm.public.contacts"),
              std::string::npos)
        << "the baselined finding is not to do";
  }
  ScanResult clean = SampleScan();
  clean.findings.clear();
  EXPECT_NE(RenderHtmlReport(clean).find("No open critical or high findings."), std::string::npos);
}

// Records of processing: a row per dataset with its categories of personal data and what the
// checks found about its protection.
TEST(HtmlReportTest, RecordsOfProcessingHaveARowPerDataset) {
  const std::string html = RenderHtmlReport(SampleScan());
  const std::string table = Between(html, "id=\"records-table\"", "</table>");
  ASSERT_FALSE(table.empty());
  // customers.csv, the Chinese file, the hostile file and crm.public.contacts.
  EXPECT_EQ(CountOf(table, "<tr class=\"record\">"), 4u) << table;
  const std::string customers = Between(table, "<code>customers.csv</code>", "</tr>");
  EXPECT_NE(customers.find("<li>email address</li>"), std::string::npos) << customers;
  EXPECT_NE(customers.find("<li>person name</li>"), std::string::npos) << customers;
  // RET-02 left a finding on customers.csv: a retention gap, named.
  EXPECT_NE(customers.find("gap: Export older than the retention period (RET-02)"),
            std::string::npos)
      << customers;
  const std::string chinese = Between(table, testing::kChineseFile, "</tr>");
  EXPECT_NE(chinese.find("<li>Chinese resident ID number</li>"), std::string::npos) << chinese;
  HtmlReportOptions zh;
  zh.language = "zh-CN";
  const std::string zh_html = RenderHtmlReport(SampleScan(), zh);
  EXPECT_NE(Between(zh_html, "id=\"records-table\"", "</table>").find("<li>居民身份证号码</li>"),
            std::string::npos);
}

// Evidence facts are labelled for a reader: internal field names never show raw.
TEST(HtmlReportTest, EvidenceFactsHaveHumanLabelsInBothLanguages) {
  ScanResult scan = SampleScan();
  scan.findings.front().evidence.facts = {{"column_kind", "free_text"},
                                          {"also_detected_by", "phone-number"},
                                          {"missing_privilege", "pg_monitor"}};
  for (const char* language : {"en", "zh-CN"}) {
    HtmlReportOptions options;
    options.language = language;
    const std::string html = RenderHtmlReport(scan, options);
    for (const char* raw : {"column_kind", "also_detected_by", "missing_privilege", "free_text"}) {
      EXPECT_EQ(html.find(raw), std::string::npos) << language << " shows " << raw;
    }
    EXPECT_NE(html.find("pg_monitor"), std::string::npos);
  }
  const std::string english = RenderHtmlReport(scan);
  EXPECT_NE(english.find("Column kind: free text (notes, comments)"), std::string::npos);
  EXPECT_NE(english.find("Missing privilege: <code>pg_monitor</code>"), std::string::npos);
}

TEST(HtmlReportTest, ChineseReportForAComplianceReader) {
  HtmlReportOptions options;
  options.language = "zh-CN";
  RuleTexts texts;
  texts.language = "zh-CN";
  texts.rules["cn-resident-id"] = {
      "居民身份证号码", "", "加密存储并限制访问。", "Chinese resident identity card numbers", {}};
  options.rule_texts = &texts;
  ScanResult scan = SampleScan();
  for (Finding& f : scan.findings) {
    if (f.rule == "cn-resident-id") f.title = "Chinese resident identity card numbers";
  }
  const std::string html = RenderHtmlReport(scan, options);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find("<h2>需要处理的问题</h2>"), std::string::npos);
  // The check's Chinese title from rules[].texts, the detector's from the packs.
  EXPECT_NE(html.find("<strong>与服务器的连接已加密 (TLS)</strong>"), std::string::npos);
  EXPECT_NE(html.find("未启用 TLS 时，密码和个人信息以明文在网络中传输。"), std::string::npos);
  EXPECT_NE(html.find("<strong>居民身份证号码</strong>"), std::string::npos);
  EXPECT_NE(html.find("加密存储并限制访问。"), std::string::npos);
  // Articles as a Chinese reader cites them.
  EXPECT_NE(html.find("《个人信息保护法》第51条"), std::string::npos);
  EXPECT_NE(html.find("GDPR 第32条第1款(a)项"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"badge critical\">严重</span>"), std::string::npos);
  EXPECT_NE(html.find("data-template=\"显示 {shown} / {total} 项发现\""), std::string::npos);
  for (const char* english : {"What needs action", "Controls evaluated", "Coverage</h2>",
                              "Remediation", "Not signed.", "Fails on open findings"}) {
    EXPECT_EQ(html.find(english), std::string::npos) << english;
  }
  // Values stay as they are: file, column, masked sample.
  EXPECT_NE(html.find(testing::kChineseColumn), std::string::npos);
  EXPECT_NE(html.find("j***@e***.com"), std::string::npos);
}

// "Since the last audit", finding by finding: the new finding's title and location, the
// resolved one, a control whose status changed and a column newly holding personal data.
TEST(HtmlReportTest, WhatChangedSinceTheLastAuditFindingByFinding) {
  ScanResult before = SampleScan();
  ScanResult now = SampleScan();
  // The resident-ID finding is new.
  before.findings.erase(std::find_if(before.findings.begin(), before.findings.end(),
                                     [](const Finding& f) { return f.rule == "cn-resident-id"; }));
  Finding gone = before.findings[0];
  gone.id = "crm-gone";
  gone.title = "IBAN codes";
  gone.rule = "iban-code";
  before.findings.push_back(gone);
  for (ControlResult& control : before.controls) {
    if (control.rule == "ENC-01") control.status = OutcomeStatus::kPass;  // passed last time
  }
  before.inventory.pop_back();
  HtmlReportOptions options;
  options.changes = CompareScans(before, now);
  const std::string html = RenderHtmlReport(now, options);
  const std::string added = Between(html, "id=\"changes-new\"", "</ul>");
  EXPECT_NE(added.find(testing::kChineseTitle), std::string::npos) << added;
  EXPECT_NE(added.find(testing::kChineseColumn), std::string::npos) << added;
  EXPECT_NE(Between(html, "id=\"changes-resolved\"", "</ul>").find("IBAN codes"),
            std::string::npos);
  const std::string controls = Between(html, "id=\"changes-controls\"", "</ul>");
  EXPECT_NE(controls.find("Connections to the server are encrypted (TLS)"), std::string::npos)
      << controls;
  EXPECT_NE(controls.find("pass \xE2\x86\x92 fail"), std::string::npos) << controls;
  EXPECT_NE(Between(html, "id=\"changes-new-pii\"", "</ul>").find("crm.public.contacts [email]"),
            std::string::npos);
  EXPECT_NE(html.find("1 new, 1 resolved"), std::string::npos);
  EXPECT_NE(RenderHtmlReport(now).find("Not compared with an earlier audit"), std::string::npos);
}

TEST(HtmlReportTest, OnlyACompleteScanShowsPassOrFail) {
  ScanResult scan = SampleScan();
  scan.scan.complete = true;
  Summarize(scan, Severity::kHigh);
  std::string html = RenderHtmlReport(scan);
  EXPECT_NE(html.find("<div class=\"verdict fail\" id=\"verdict\"><span class=\"word\">fail"),
            std::string::npos);
  Summarize(scan, std::nullopt);
  html = RenderHtmlReport(scan);
  EXPECT_NE(html.find("<div class=\"verdict pass\" id=\"verdict\"><span class=\"word\">pass"),
            std::string::npos);
  scan.scan.complete = false;
  Summarize(scan, std::nullopt);
  html = RenderHtmlReport(scan);
  EXPECT_EQ(html.find("class=\"verdict pass\""), std::string::npos);
  EXPECT_NE(html.find("class=\"verdict incomplete\""), std::string::npos);
  EXPECT_NE(html.find("<dt>Controls not assessed</dt><dd>1</dd>"), std::string::npos);
}

TEST(HtmlReportTest, CountsReadAsEnglishInTheSingularAndThePlural) {
  ScanResult scan = SampleScan();
  for (Finding& finding : scan.findings) {
    if (finding.rule == "ENC-01") finding.status = FindingStatus::kNotAssessed;
  }
  Summarize(scan, Severity::kHigh);
  std::string html = RenderHtmlReport(scan);
  EXPECT_NE(html.find("<strong>2</strong> controls not assessed"), std::string::npos);
  EXPECT_NE(html.find(">1 finding</span>"), std::string::npos);   // e.g. encryption
  EXPECT_NE(html.find(">4 findings</span>"), std::string::npos);  // personal data
  scan.coverage.resize(2);                                        // one incomplete dataset left
  html = RenderHtmlReport(scan);
  EXPECT_NE(html.find("1 dataset was not read completely"), std::string::npos);
  EXPECT_EQ(html.find("(s)"), std::string::npos);
}

// The checks section: every check evaluated with its status, its catalog title, counts and
// objects; failures and not-assessed checks open, passes collapsed.
std::vector<std::string> ControlTags(const std::string& html) {
  std::vector<std::string> tags;
  const std::regex tag(R"(<details class="control-check[^>]*>)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator();
       ++it) {
    tags.push_back(it->str());
  }
  return tags;
}

TEST(HtmlReportTest, ListsEveryControlEvaluatedWithPassesCollapsed) {
  const ScanResult scan = SampleScan();
  const std::string html = RenderHtmlReport(scan);
  const std::string section = Between(html, "<section id=\"controls-evaluated\">", "</section>");
  ASSERT_FALSE(section.empty());
  EXPECT_NE(section.find("<h2>Controls evaluated</h2>"), std::string::npos);
  EXPECT_NE(section.find("<strong>1</strong> passed, <strong>2</strong> failed, "
                         "<strong>1</strong> not assessed"),
            std::string::npos)
      << section;
  const std::vector<std::string> tags = ControlTags(section);
  ASSERT_EQ(tags.size(), scan.controls.size());
  // Failures first, then not assessed, then passes; by rule and target within each.
  EXPECT_NE(tags[0].find("data-rule=\"ENC-01\""), std::string::npos) << tags[0];
  EXPECT_NE(tags[1].find("data-rule=\"RET-02\""), std::string::npos) << tags[1];
  EXPECT_NE(tags[2].find("data-rule=\"BAK-01\""), std::string::npos) << tags[2];
  EXPECT_NE(tags[3].find("data-rule=\"ENC-02\""), std::string::npos) << tags[3];
  for (const std::string& tag : tags) {
    const bool pass = tag.find("data-status=\"pass\"") != std::string::npos;
    const bool open = tag.find(" open>") != std::string::npos;
    EXPECT_NE(pass, open) << tag;
  }
  EXPECT_NE(tags[0].find("id=\"control-ENC-01-t2\""), std::string::npos);
  EXPECT_NE(tags[2].find("data-status=\"not_assessed\""), std::string::npos);

  // Titles, severity and risk from rules[]; counts and every object with its status.
  const std::string enc01 = Between(section, tags[0], "</details>");
  EXPECT_NE(enc01.find("<span class=\"status fail\">fail</span>"), std::string::npos) << enc01;
  EXPECT_NE(enc01.find("<strong>Connections to the server are encrypted (TLS)</strong>"),
            std::string::npos);
  EXPECT_NE(enc01.find("<span class=\"badge high\">high</span>"), std::string::npos);
  EXPECT_NE(enc01.find("Without TLS, passwords"), std::string::npos);
  EXPECT_NE(enc01.find("CIS PostgreSQL 16 Benchmark v1.0.0 6.8"), std::string::npos);
  EXPECT_NE(enc01.find("0 passed, 1 failed, 0 not assessed"), std::string::npos);
  const std::string ret02 = Between(section, tags[1], "</details>");
  EXPECT_NE(ret02.find("<li><span class=\"status fail\">fail</span> export customers.csv</li>"),
            std::string::npos)
      << ret02;
  EXPECT_NE(ret02.find(std::string("<li><span class=\"status pass\">pass</span> export ") +
                       testing::kChineseFile + "</li>"),
            std::string::npos)
      << ret02;
  const std::string bak01 = Between(section, tags[2], "</details>");
  EXPECT_NE(bak01.find("<span class=\"status not_assessed\">not assessed</span>"),
            std::string::npos);
  const std::string enc02 = Between(section, tags[3], "</details>");
  EXPECT_NE(enc02.find("2 passed, 0 failed, 0 not assessed"), std::string::npos) << enc02;
  // Catalog text and object names are escaped like any other model text.
  EXPECT_NE(enc02.find(EscapeHtml(testing::kHostileRuleTitle)), std::string::npos) << enc02;
  EXPECT_NE(enc02.find("role &lt;crm_app&gt;"), std::string::npos) << enc02;
  EXPECT_NE(enc02.find("&lt;/td&gt;&lt;script&gt;alert(3)"), std::string::npos) << enc02;
  EXPECT_EQ(html.find("<b>required</b>"), std::string::npos);
}

TEST(HtmlReportTest, AControlWithoutACatalogEntryShowsItsIdOnly) {
  ScanResult scan = SampleScan();
  scan.rules.clear();
  const std::string html = RenderHtmlReport(scan);
  const std::string section = Between(html, "<section id=\"controls-evaluated\">", "</section>");
  EXPECT_EQ(ControlTags(section).size(), scan.controls.size());
  EXPECT_NE(section.find("<code>ENC-02</code>"), std::string::npos);
  EXPECT_EQ(section.find("Connections to the server"), std::string::npos);

  ScanResult none = SampleScan();
  none.controls.clear();
  EXPECT_NE(RenderHtmlReport(none).find("No control check was evaluated in this scan."),
            std::string::npos);
}

TEST(HtmlReportTest, CoverageShowsWhatWasNotReadAndWhy) {
  const std::string html = RenderHtmlReport(SampleScan());
  const std::string table = Between(html, "id=\"coverage-table\"", "</table>");
  EXPECT_NE(table.find("GB18030"), std::string::npos);
  EXPECT_NE(table.find("stopped after 3 undecodable byte sequences"), std::string::npos);
  EXPECT_NE(table.find("gzip stream truncated at byte 4096"), std::string::npos);
  EXPECT_NE(table.find("permission denied for table cards"), std::string::npos);
  EXPECT_NE(table.find(">sampled<"), std::string::npos);
  EXPECT_NE(table.find(">partial<"), std::string::npos);
  EXPECT_NE(table.find(">1,200<"), std::string::npos);
  EXPECT_EQ(CountOf(table, "class=\"coverage incomplete\""), 3u);
}

TEST(HtmlReportTest, ChineseTextIsPreserved) {
  const std::string html = RenderHtmlReport(SampleScan());
  EXPECT_NE(html.find(testing::kChineseFile), std::string::npos);
  EXPECT_NE(html.find(testing::kChineseColumn), std::string::npos);
  EXPECT_NE(html.find(testing::kChineseTitle), std::string::npos);
  EXPECT_NE(html.find("手机号"), std::string::npos);
  EXPECT_NE(html.find("Noto Sans CJK SC"), std::string::npos);
  EXPECT_NE(html.find("WenQuanYi"), std::string::npos);
}

TEST(HtmlReportTest, OutputIsValidUtf8EvenFromBrokenNames) {
  const std::string html = RenderHtmlReport(SampleScan());
  EXPECT_TRUE(IsValidUtf8(html));
  EXPECT_NE(html.find("bad\xEF\xBF\xBD"), std::string::npos);
}

TEST(HtmlReportTest, SignatureSectionTellsHowToVerify) {
  HtmlReportOptions options;
  options.signed_report = true;
  options.key_hint = "crmaudit verify out/ --key <audit>.pub";
  const std::string signed_html = RenderHtmlReport(SampleScan(), options);
  EXPECT_NE(signed_html.find("<strong>Signed.</strong>"), std::string::npos);
  EXPECT_NE(signed_html.find("crmaudit verify out/ --key &lt;audit&gt;.pub"), std::string::npos);
  EXPECT_NE(signed_html.find("openssl pkeyutl -verify"), std::string::npos);
  options.signing_key_id = "0123456789abcdef";
  options.signing_algorithm = "ed25519";
  const std::string with_key = RenderHtmlReport(SampleScan(), options);
  EXPECT_NE(with_key.find("Signed with key <code>0123456789abcdef</code> (<code>ed25519</code>)"),
            std::string::npos);
  EXPECT_LT(with_key.find("id=\"signing-key\""), with_key.find("id=\"verify-command\""));

  const std::string unsigned_html = RenderHtmlReport(SampleScan());
  EXPECT_NE(unsigned_html.find("<strong>Not signed.</strong>"), std::string::npos);
  EXPECT_EQ(unsigned_html.find("<strong>Signed.</strong>"), std::string::npos);
}

TEST(HtmlReportTest, ComparesWithThePreviousAuditWhenGiven) {
  HtmlReportOptions options;
  Summary previous;
  previous.by_severity = {{"critical", 0}, {"high", 5}, {"medium", 1}, {"low", 1}, {"info", 1}};
  previous.verdict = "fail";
  options.previous_summary = previous;
  const std::string html = RenderHtmlReport(SampleScan(), options);
  const std::string table = Between(html, "id=\"since-last\"", "</table>");
  ASSERT_FALSE(table.empty());
  // critical 0 -> 1, high 5 -> 2.
  EXPECT_NE(table.find(">0</td><td class=\"num\">1</td><td class=\"num\">+1<"), std::string::npos)
      << table;
  EXPECT_NE(table.find(">5</td><td class=\"num\">2</td><td class=\"num\">\xE2\x88\x92"
                       "3<"),
            std::string::npos)
      << table;
  EXPECT_EQ(RenderHtmlReport(SampleScan()).find("id=\"since-last\""), std::string::npos);
}

TEST(HtmlReportTest, PrintsOnA4WithControlsHidden) {
  const std::string html = RenderHtmlReport(SampleScan());
  const std::string style = Between(html, "<style>", "</style>");
  EXPECT_NE(style.find("@page { size: A4;"), std::string::npos);
  const std::string print = style.substr(style.find("@media print"));
  EXPECT_NE(print.find(".controls"), std::string::npos);
  EXPECT_NE(print.find("break-inside: avoid"), std::string::npos);
}

TEST(HtmlReportTest, SameInputGivesSameBytes) {
  EXPECT_EQ(RenderHtmlReport(SampleScan()), RenderHtmlReport(SampleScan()));
}

TEST(HtmlReportTest, EmptyScanStillRenders) {
  ScanResult empty;
  Summarize(empty, Severity::kHigh);
  const std::string html = RenderHtmlReport(empty);
  EXPECT_NE(html.find("No findings."), std::string::npos);
  EXPECT_NE(html.find("No control check was evaluated in this scan."), std::string::npos);
  EXPECT_NE(html.find("<span class=\"word\">pass"), std::string::npos);
  EXPECT_EQ(CountOf(html, "<script"), 1u);
}

}  // namespace
}  // namespace crmaudit
