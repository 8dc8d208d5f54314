// Opens the rendered report in a real headless Chromium (scripts/html-check): the page must
// load with no console error or CSP violation, its script must run, hostile names must stay
// text, and the filter and sort state in the URL fragment must take effect. A missing Chromium
// fails these tests; it never skips them.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "reports/html/html_report.h"
#include "sample_scan.h"
#include "test_support.h"

namespace crmaudit {
namespace {

using testing::ArtifactDir;
using testing::CommandResult;
using testing::CountOf;
using testing::Quote;
using testing::RunCommand;

const std::string kHtmlCheck = std::string(CRMAUDIT_SOURCE_DIR) + "/scripts/html-check";

std::filesystem::path WriteReport(const std::string& name) {
  HtmlReportOptions options;
  options.signed_report = true;
  options.key_hint = "crmaudit verify out/ --key audit.pub";
  const std::filesystem::path path = ArtifactDir() / name;
  testing::WriteFile(path, RenderHtmlReport(testing::SampleScan(), options));
  return path;
}

CommandResult HtmlCheck(const std::filesystem::path& html, const std::filesystem::path& png,
                        const std::string& fragment = "") {
  std::string command = Quote(kHtmlCheck) + " " + Quote(html.string()) + " " + Quote(png.string());
  if (!fragment.empty()) command += " " + Quote(fragment);
  return RunCommand(command);
}

// The opening tags of the finding rows, in document order.
std::vector<std::string> FindingRowTags(const std::string& dom) {
  std::vector<std::string> rows;
  const std::regex row(R"(<tr class="finding"[^>]*>)");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), row); it != std::sregex_iterator();
       ++it) {
    rows.push_back(it->str());
  }
  return rows;
}

TEST(HtmlChromiumTest, LoadsOfflineWithoutErrorsAndHostileMarkupStaysText) {
  const std::filesystem::path html = WriteReport("report.html");
  const std::filesystem::path png = ArtifactDir() / "report.png";
  const CommandResult check = HtmlCheck(html, png);
  ASSERT_EQ(check.exit_code, 0) << "scripts/html-check failed (is /usr/bin/chromium installed? "
                                   "see the test log for console errors)";
  const std::string& dom = check.output;
  // The inline script ran: the CSP hash matched and nothing threw before the end.
  EXPECT_NE(dom.find("<body data-ready=\"1\">"), std::string::npos);
  EXPECT_NE(dom.find("Showing 9 of 9 findings"), std::string::npos);
  // The payload would set the title to "pwned" if it ever became an element.
  EXPECT_NE(dom.find("<title>crmaudit report 2026-11-24T18:00:00Z</title>"), std::string::npos);
  EXPECT_EQ(dom.find("<title>pwned"), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos);
  EXPECT_EQ(CountOf(dom, "<script"), 1u);
  EXPECT_NE(dom.find("&lt;script&gt;alert(1)&lt;/script&gt;.csv"), std::string::npos);
  EXPECT_NE(dom.find(testing::kChineseColumn), std::string::npos);
  EXPECT_EQ(FindingRowTags(dom).size(), 9u);
  // Controls evaluated: after the page's script ran, failed and not-assessed checks are still
  // expanded and the passed one is collapsed until the reader opens it.
  const std::regex control_tag(R"(<details class="control-check[^>]*>)");
  size_t checks = 0;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), control_tag);
       it != std::sregex_iterator(); ++it, ++checks) {
    const std::string tag = it->str();
    const bool pass = tag.find("data-status=\"pass\"") != std::string::npos;
    EXPECT_EQ(tag.find(" open") == std::string::npos, pass) << tag;
  }
  EXPECT_EQ(checks, 4u);
  EXPECT_NE(dom.find("role &lt;crm_app&gt;"), std::string::npos);

  const std::string image = testing::ReadFile(png);
  ASSERT_GT(image.size(), 10000u) << "screenshot missing or blank: " << png;
  EXPECT_EQ(image.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST(HtmlChromiumTest, FilterFromTheFragmentHidesOtherRows) {
  const std::filesystem::path html = WriteReport("report-filter.html");
  const CommandResult check =
      HtmlCheck(html, ArtifactDir() / "report-filter.png", "severity=high&status=open");
  ASSERT_EQ(check.exit_code, 0);
  const std::vector<std::string> rows = FindingRowTags(check.output);
  ASSERT_EQ(rows.size(), 9u);
  size_t visible = 0;
  for (const std::string& row : rows) {
    const bool wanted = row.find("data-severity=\"high\"") != std::string::npos &&
                        row.find("data-status=\"open\"") != std::string::npos;
    const bool hidden = row.find(" hidden") != std::string::npos;
    EXPECT_NE(wanted, hidden) << row;
    if (!hidden) ++visible;
  }
  EXPECT_EQ(visible, 2u);
  EXPECT_NE(check.output.find("Showing 2 of 9 findings"), std::string::npos);
  // Groups left without a visible row are hidden as a whole.
  EXPECT_NE(check.output.find("<section class=\"finding-group\" id=\"group-retention\" hidden"),
            std::string::npos);
}

TEST(HtmlChromiumTest, TextFilterMatchesChineseColumns) {
  const std::filesystem::path html = WriteReport("report-text.html");
  const CommandResult check =
      HtmlCheck(html, ArtifactDir() / "report-text.png", "q=%E8%BA%AB%E4%BB%BD%E8%AF%81");
  ASSERT_EQ(check.exit_code, 0);
  EXPECT_NE(check.output.find("Showing 1 of 9 findings"), std::string::npos);
}

TEST(HtmlChromiumTest, SortFromTheFragmentOrdersRowsBySeverity) {
  const std::filesystem::path html = WriteReport("report-sort.html");
  const CommandResult check =
      HtmlCheck(html, ArtifactDir() / "report-sort.png", "sort=severity&dir=desc");
  ASSERT_EQ(check.exit_code, 0);
  const std::vector<std::string> rows = FindingRowTags(check.output);
  ASSERT_GE(rows.size(), 4u);
  // The personal-data group comes first; sorted worst first, the critical row leads it.
  EXPECT_NE(rows[0].find("data-severity=\"critical\""), std::string::npos) << rows[0];
  EXPECT_NE(rows[3].find("data-severity=\"medium\""), std::string::npos) << rows[3];
  EXPECT_NE(check.output.find("aria-sort=\"descending\""), std::string::npos);
}

TEST(HtmlChromiumTest, PrintsOnA4Pages) {
  const std::filesystem::path html = WriteReport("report-print.html");
  const std::filesystem::path pdf = ArtifactDir() / "report.pdf";
  const CommandResult check =
      RunCommand("HTML_CHECK_PDF=" + Quote(pdf.string()) + " " + Quote(kHtmlCheck) + " " +
                 Quote(html.string()) + " " + Quote((ArtifactDir() / "report-print.png").string()));
  ASSERT_EQ(check.exit_code, 0);
  const std::string bytes = testing::ReadFile(pdf);
  ASSERT_EQ(bytes.substr(0, 5), "%PDF-");
  // A4 is 595.28 x 841.89 pt; Chromium rounds to whole CSS pixels. Letter would be 612 x 792.
  const std::regex media_box(R"(/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\])");
  size_t pages = 0;
  for (auto it = std::sregex_iterator(bytes.begin(), bytes.end(), media_box);
       it != std::sregex_iterator(); ++it) {
    EXPECT_NEAR(std::stod((*it)[1].str()), 595.28, 1.5);
    EXPECT_NEAR(std::stod((*it)[2].str()), 841.89, 1.5);
    ++pages;
  }
  EXPECT_GE(pages, 2u);
}

TEST(HtmlChromiumTest, ConsoleErrorsAndCspViolationsFailTheCheck) {
  const std::string fixtures = std::string(CRMAUDIT_TEST_FIXTURES) + "/html_sarif/";
  for (const char* page : {"csp-violation.html", "script-error.html"}) {
    const CommandResult check =
        HtmlCheck(fixtures + page, ArtifactDir() / (std::string(page) + ".png"));
    EXPECT_EQ(check.exit_code, 1) << page;
  }
}

TEST(HtmlChromiumTest, MissingChromiumIsAFailureNotASkip) {
  const std::filesystem::path html = WriteReport("report-missing.html");
  const CommandResult check = RunCommand("CHROMIUM=/nonexistent/chromium " + Quote(kHtmlCheck) +
                                         " " + Quote(html.string()) + " " +
                                         Quote((ArtifactDir() / "missing.png").string()) + " 2>&1");
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_NE(check.output.find("not found"), std::string::npos);
}

}  // namespace
}  // namespace crmaudit
