// Reports people read, in their language, ordered by what they must do: `scan --lang`, the
// locale default and the audit file's "lang"; `render` of a signed report.json in the other
// language; what changed since the chained earlier audit, in report.json and report.html,
// the same facts as `crmaudit diff`.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_harness.h"

namespace crmaudit::testing {
namespace {

namespace fs = std::filesystem;

std::string Contacts(bool with_phone) {
  std::string csv = with_phone ? "name,email,phone\n" : "name,email\n";
  for (int i = 0; i < 8; ++i) {
    csv += "Person " + std::to_string(i) + ",person" + std::to_string(i) + "@example.com";
    if (with_phone) csv += ",+49 1523 77819" + std::to_string(10 + i);
    csv += "\n";
  }
  return csv;
}

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

bool HasCjk(const std::string& text) {
  // U+4E00..U+9FFF in UTF-8 start with 0xE4..0xE9.
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0xE4 && c <= 0xE9 && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      return true;
    }
  }
  return false;
}

class ReportLanguage : public ::testing::Test {
 protected:
  void SetUp() override { scratch_.Write("export/contacts.csv", Contacts(false)); }
  std::string Path(const std::string& relative) const {
    return (scratch_.path() / relative).string();
  }
  ScratchDir scratch_;
};

// ENC-07's remediation for an export other users can read, in Chinese: the prose translated,
// the commands as the English text gives them.
constexpr const char* kChineseExportRemediation = "将文件权限限制为仅所有者可访问（chmod 600）";
constexpr const char* kExportCommand = "`age -r RECIPIENT -o export.csv.age export.csv`";
constexpr const char* kEnglishExportRemediation = "Restrict the file to its owner (chmod 600)";

TEST_F(ReportLanguage, ChineseScanWritesChineseHtmlAndSummaryAndLanguageNeutralJson) {
  fs::permissions(Path("export/contacts.csv"), fs::perms::others_read, fs::perm_options::add);
  CliRun zh = RunCrmaudit(
      {"scan", Path("export"), "--out", Path("zh"), "--lang", "zh-CN", "--fail-on", "never"});
  ASSERT_EQ(zh.exit_code, 0) << zh.err;
  EXPECT_NE(zh.err.find("审计结论：通过"), std::string::npos) << zh.err;
  EXPECT_NE(zh.err.find("未处理的发现："), std::string::npos) << zh.err;
  const std::string html = ReadFile(Path("zh/report.html"));
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find("<strong>电子邮件地址</strong>"), std::string::npos);
  // The export check's Chinese outcome title (check catalog) and a PIPL article.
  EXPECT_NE(html.find("含个人信息的导出文件以明文存储"), std::string::npos);
  EXPECT_NE(html.find("《个人信息保护法》第4条"), std::string::npos);
  EXPECT_EQ(html.find("Email addresses"), std::string::npos);
  // Its remediation in Chinese, the commands kept; report.json keeps the English one.
  EXPECT_NE(html.find(kChineseExportRemediation), std::string::npos);
  EXPECT_NE(html.find(kExportCommand), std::string::npos);
  EXPECT_EQ(html.find(kEnglishExportRemediation), std::string::npos);
  EXPECT_NE(ReadFile(Path("zh/report.json")).find(kEnglishExportRemediation), std::string::npos);

  CliRun en = RunCrmaudit(
      {"scan", Path("export"), "--out", Path("en"), "--lang", "en", "--fail-on", "never"});
  ASSERT_EQ(en.exit_code, 0) << en.err;
  EXPECT_NE(en.err.find("verdict: PASS"), std::string::npos) << en.err;
  // report.json and SARIF are the same machine record in both runs (English titles, rule
  // ids); only the scan's id and times differ.
  nlohmann::json zh_report = ReadJson(Path("zh/report.json"));
  nlohmann::json en_report = ReadJson(Path("en/report.json"));
  for (nlohmann::json* report : {&zh_report, &en_report}) {
    for (const char* key : {"id", "started_at", "finished_at"}) (*report)["scan"].erase(key);
  }
  EXPECT_EQ(zh_report, en_report);
  for (const auto& finding : zh_report["findings"]) {
    EXPECT_FALSE(HasCjk(finding["title"].get<std::string>())) << finding["title"];
  }
  const std::string sarif = ReadFile(Path("zh/report.sarif"));
  EXPECT_NE(sarif.find("\"Email addresses\""), std::string::npos);
  EXPECT_EQ(sarif.find("电子邮件地址"), std::string::npos);
}

TEST_F(ReportLanguage, DefaultComesFromTheLocaleThenTheAuditFile) {
  CliRun from_locale =
      RunCrmaudit({"scan", Path("export"), "--out", Path("loc"), "--fail-on", "never"},
                  "LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8");
  ASSERT_EQ(from_locale.exit_code, 0) << from_locale.err;
  EXPECT_NE(ReadFile(Path("loc/report.html")).find("<html lang=\"zh-CN\">"), std::string::npos);
  CliRun c_locale = RunCrmaudit({"scan", Path("export"), "--out", Path("c"), "--fail-on", "never"},
                                "LC_ALL=C LANG=zh_CN");
  ASSERT_EQ(c_locale.exit_code, 0) << c_locale.err;
  EXPECT_NE(ReadFile(Path("c/report.html")).find("<html lang=\"en\">"), std::string::npos);

  scratch_.Write("audit.json", R"({"targets": [{"path": "export"}], "out": {"dir": "runs",
      "dated_subfolder": false}, "formats": ["json", "html"], "fail_on": "never",
      "lang": "zh-CN"})");
  CliRun audit = RunCrmaudit({"scan", "--config", Path("audit.json")}, "LC_ALL=C");
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(ReadFile(Path("runs/report.html")).find("<html lang=\"zh-CN\">"), std::string::npos);
  // --lang overrides the audit file.
  audit = RunCrmaudit({"scan", "--config", Path("audit.json"), "--lang", "en"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(ReadFile(Path("runs/report.html")).find("<html lang=\"en\">"), std::string::npos);

  CliRun bad = RunCrmaudit({"scan", Path("export"), "--out", Path("x"), "--lang", "fr"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--lang must be en or zh-CN"), std::string::npos) << bad.err;
  scratch_.Write("bad-audit.json", R"({"targets": [{"path": "export"}], "lang": "fr"})");
  bad = RunCrmaudit({"scan", "--config", Path("bad-audit.json")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("lang: expected en or zh-CN"), std::string::npos) << bad.err;
}

TEST_F(ReportLanguage, RenderWritesTheSignedReportAgainInChineseAndSaysWhichReport) {
  fs::permissions(Path("export/contacts.csv"), fs::perms::others_read, fs::perm_options::add);
  ASSERT_EQ(RunCrmaudit({"keygen", "--out", Path("audit")}).exit_code, 0);
  CliRun scan = RunCrmaudit({"scan", Path("export"), "--out", Path("run"), "--sign-key",
                             Path("audit.key"), "--fail-on", "never", "--lang", "en"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  CliRun sha = RunCrmaudit({"verify", Path("run"), "--key", Path("audit.pub")});
  ASSERT_EQ(sha.exit_code, 0) << sha.out;

  CliRun render = RunCrmaudit({"render", Path("run/report.json"), "--lang", "zh-CN", "--out",
                               Path("zh"), "--key", Path("audit.pub")});
  ASSERT_EQ(render.exit_code, 0) << render.err;
  const std::string html = ReadFile(Path("zh/report.zh-CN.html"));
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find("<strong>电子邮件地址</strong>"), std::string::npos);
  // The English report's check finding gets its Chinese remediation back, commands kept.
  EXPECT_NE(html.find(kChineseExportRemediation), std::string::npos);
  EXPECT_NE(html.find(kExportCommand), std::string::npos);
  EXPECT_EQ(html.find(kEnglishExportRemediation), std::string::npos);
  // It names the report it renders, with its hash, and the verified signature.
  const std::string digest = render.err.substr(render.err.find("sha256:") + 7, 64);
  EXPECT_NE(html.find("<code>report.json</code>"), std::string::npos);
  EXPECT_NE(html.find("<code>sha256:" + digest + "</code>"), std::string::npos);
  std::string expected_digest;
  {
    std::string cmd = "sha256sum '" + Path("run/report.json") + "' > '" + Path("sum.txt") + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    expected_digest = ReadFile(Path("sum.txt")).substr(0, 64);
  }
  EXPECT_EQ(digest, expected_digest);
  EXPECT_NE(html.find("其签名已用密钥"), std::string::npos);
  // The signed folder is untouched: it still verifies, strictly.
  EXPECT_EQ(RunCrmaudit({"verify", Path("run"), "--key", Path("audit.pub"), "--strict"}).exit_code,
            0);

  // Without a key: found, not checked. In English the same facts.
  render = RunCrmaudit({"render", Path("run/report.json"), "--lang", "en", "--out", Path("en")});
  ASSERT_EQ(render.exit_code, 0) << render.err;
  EXPECT_NE(
      ReadFile(Path("en/report.en.html")).find("A signature was found beside it but not checked"),
      std::string::npos);

  // A changed report.json: the page says the signature fails, exit 4.
  std::string bytes = ReadFile(Path("run/report.json"));
  bytes.replace(bytes.find("\"fail_on\":\"never\""), 17, "\"fail_on\":\"nevez\"");
  std::ofstream(Path("run/report.json"), std::ios::binary) << bytes;
  render = RunCrmaudit({"render", Path("run/report.json"), "--lang", "zh-CN", "--out", Path("bad"),
                        "--key", Path("audit.pub")});
  EXPECT_EQ(render.exit_code, 4) << render.err;
  EXPECT_NE(ReadFile(Path("bad/report.zh-CN.html")).find("其签名校验失败"), std::string::npos);

  CliRun not_a_report = RunCrmaudit({"render", Path("export/contacts.csv"), "--out", Path("n")});
  EXPECT_EQ(not_a_report.exit_code, 2);
  EXPECT_NE(not_a_report.err.find("is not a crmaudit report.json"), std::string::npos);
}

TEST_F(ReportLanguage, WhatChangedSinceTheChainedAuditIsInJsonAndHtmlLikeDiff) {
  CliRun first = RunCrmaudit({"scan", Path("export"), "--out", Path("one"), "--fail-on", "never"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  scratch_.Write("export/contacts.csv", Contacts(true));
  CliRun second = RunCrmaudit({"scan", Path("export"), "--out", Path("two"), "--fail-on", "never",
                               "--chain-from", Path("one/report.json"), "--lang", "en"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const nlohmann::json report = ReadJson(Path("two/report.json"));
  EXPECT_EQ(report["schema_version"], "1.3.0");
  ASSERT_TRUE(report.contains("changes")) << report.dump(1);
  const nlohmann::json& changes = report["changes"];
  bool phone = false;
  for (const auto& finding : changes["new"]) {
    if (finding["rule"] == "phone-number") {
      phone = true;
      EXPECT_EQ(finding["location"], "contacts.csv [phone]");
    }
  }
  EXPECT_TRUE(phone) << changes.dump(1);
  EXPECT_EQ(changes["since"]["scan_id"], ReadJson(Path("one/report.json"))["scan"]["id"]);
  bool phone_column = false;
  for (const auto& added : changes["inventory"]["added"]) {
    phone_column |= added["column"] == "phone" && added["entity"] == "PHONE_NUMBER";
  }
  EXPECT_TRUE(phone_column);

  // `crmaudit diff` says the same, from the same comparison.
  CliRun diff = RunCrmaudit({"diff", Path("one/report.json"), Path("two/report.json"), "--json"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  const nlohmann::json from_diff = nlohmann::json::parse(diff.out);
  EXPECT_EQ(from_diff["new"], changes["new"]);
  EXPECT_EQ(from_diff["resolved"], changes["resolved"]);
  EXPECT_EQ(from_diff["inventory"], changes["inventory"]);

  const std::string html = ReadFile(Path("two/report.html"));
  const size_t added = html.find("id=\"changes-new\"");
  ASSERT_NE(added, std::string::npos);
  const std::string list = html.substr(added, html.find("</ul>", added) - added);
  EXPECT_NE(list.find("Phone numbers"), std::string::npos) << list;
  EXPECT_NE(list.find("contacts.csv [phone]"), std::string::npos) << list;
  // And from the signed record, in Chinese.
  CliRun render =
      RunCrmaudit({"render", Path("two/report.json"), "--lang", "zh-CN", "--out", Path("two-zh")});
  ASSERT_EQ(render.exit_code, 0) << render.err;
  const std::string zh = ReadFile(Path("two-zh/report.zh-CN.html"));
  EXPECT_NE(zh.find("新增发现"), std::string::npos);
  EXPECT_NE(zh.find("<strong>电话号码</strong> <code>contacts.csv [phone]</code>"),
            std::string::npos);
}

TEST_F(ReportLanguage, RecordsOfProcessingCsvBesideTheReportSignedWithIt) {
  scratch_.Write("export/deals.csv",
                 "deal,owner_email\n1,a@example.com\n2,b@example.com\n"
                 "3,c@example.com\n");
  ASSERT_EQ(RunCrmaudit({"keygen", "--out", Path("audit")}).exit_code, 0);
  CliRun scan =
      RunCrmaudit({"scan", Path("export"), "--out", Path("run"), "--format", "json,records-csv",
                   "--sign-key", Path("audit.key"), "--fail-on", "never", "--lang", "zh-CN"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  const std::string csv = ReadFile(Path("run/records-of-processing.csv"));
  EXPECT_EQ(csv.rfind("\"扫描对象\",\"位置\",\"数据集\"", 0), 0u) << csv;
  size_t rows = 0;
  for (size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) {
    ++rows;
  }
  EXPECT_EQ(rows, 3u) << csv;  // the header, contacts.csv, deals.csv
  const size_t contacts = csv.find("\"contacts.csv\"");
  ASSERT_NE(contacts, std::string::npos) << csv;
  const std::string row = csv.substr(contacts, csv.find("\r\n", contacts) - contacts);
  EXPECT_NE(row.find("EMAIL_ADDRESS"), std::string::npos) << row;
  EXPECT_NE(row.find("电子邮件地址"), std::string::npos) << row;
  EXPECT_NE(row.find("含个人信息的导出文件以明文存储"), std::string::npos) << row;
  EXPECT_FALSE(std::filesystem::exists(Path("run/report.html")));
  EXPECT_TRUE(std::filesystem::exists(Path("run/records-of-processing.csv.sig")));
  CliRun verify = RunCrmaudit({"verify", Path("run"), "--key", Path("audit.pub"), "--strict"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_NE(verify.out.find("records-of-processing.csv"), std::string::npos) << verify.out;
  // A later run without it leaves no stale CSV behind.
  ASSERT_EQ(RunCrmaudit({"scan", Path("export"), "--out", Path("run"), "--format", "json",
                         "--fail-on", "never"})
                .exit_code,
            0);
  EXPECT_FALSE(std::filesystem::exists(Path("run/records-of-processing.csv")));
}

}  // namespace
}  // namespace crmaudit::testing

namespace crmaudit::testing {
namespace {

// `crmaudit trend`: an archive of chained, signed audits verified and drawn over time.
TEST(ArchiveTrend, VerifiesTheChainAndDrawsEachRunWithALink) {
  ScratchDir scratch;
  scratch.Write("export/contacts.csv", Contacts(false));
  ASSERT_EQ(RunCrmaudit({"keygen", "--out", (scratch.path() / "audit").string()}).exit_code, 0);
  scratch.Write("audit.json", R"({"targets": [{"path": "export"}], "out": {"dir": "archive",
      "chain": true}, "formats": ["json", "html"], "fail_on": "never",
      "sign_key": "audit.key"})");
  const std::string audit = (scratch.path() / "audit.json").string();
  ASSERT_EQ(RunCrmaudit({"scan", "--config", audit}).exit_code, 0);
  scratch.Write("export/contacts.csv", Contacts(true));
  ASSERT_EQ(RunCrmaudit({"scan", "--config", audit}).exit_code, 0);
  const fs::path archive = scratch.path() / "archive";
  const std::string pub = (scratch.path() / "audit.pub").string();

  CliRun trend = RunCrmaudit({"trend", archive.string(), "--key", pub, "--lang", "zh-CN"});
  ASSERT_EQ(trend.exit_code, 0) << trend.err;
  const std::string page = ReadFile(archive / "trend.html");
  EXPECT_NE(page.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(page.find("审计链校验通过"), std::string::npos);
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(CountOf(page, "<polyline"), 6u);  // five severities and the personal-data columns
  EXPECT_EQ(CountOf(page, "<tr class=\"run\">"), 2u);
  // Each run links to its own report, relative to the page; the second has one more column.
  std::vector<std::string> links;
  for (size_t at = page.find("<a href=\""); at != std::string::npos;
       at = page.find("<a href=\"", at + 1)) {
    links.push_back(page.substr(at + 9, page.find('"', at + 9) - at - 9));
  }
  ASSERT_EQ(links.size(), 2u);
  for (const std::string& link : links) {
    EXPECT_TRUE(fs::exists(archive / link)) << link;
    EXPECT_EQ(link.find('/'), link.size() - std::string("/report.html").size()) << link;
  }
  // The phone column is new in the second run: one more personal-data column.
  const size_t first_row = page.find("<tr class=\"run\">");
  const std::string first_cells = page.substr(first_row, page.find("</tr>", first_row) - first_row);
  const std::string second_row = page.substr(page.rfind("<tr class=\"run\">"));
  EXPECT_EQ(first_cells.substr(first_cells.rfind("<td")), "<td class=\"num\">1</td>");
  EXPECT_NE(second_row.find("<td class=\"num\">2</td></tr>"), std::string::npos) << second_row;
  // The archive still verifies: the page sits beside the run folders, not inside one.
  EXPECT_EQ(RunCrmaudit({"verify", "--chain", archive.string(), "--key", pub}).exit_code, 0);

  // A changed report breaks the chain: exit 4, and the page says so first.
  const fs::path first = archive / links[0].substr(0, links[0].find('/')) / "report.json";
  std::string bytes = ReadFile(first);
  bytes.replace(bytes.find("\"fail_on\":\"never\""), 17, "\"fail_on\":\"nevez\"");
  std::ofstream(first, std::ios::binary) << bytes;
  trend = RunCrmaudit({"trend", archive.string(), "--key", pub, "--lang", "en", "--out",
                       (scratch.path() / "t.html").string()});
  EXPECT_EQ(trend.exit_code, 4) << trend.err;
  const std::string failed = ReadFile(scratch.path() / "t.html");
  EXPECT_NE(failed.find("Chain verification FAILED"), std::string::npos);
  EXPECT_LT(failed.find("id=\"chain\""), failed.find("id=\"trend-charts\""));
  EXPECT_NE(failed.find("href=\"archive/"), std::string::npos);

  EXPECT_EQ(RunCrmaudit({"trend", (scratch.path() / "export").string(), "--key", pub}).exit_code,
            2);
}

}  // namespace
}  // namespace crmaudit::testing
