// report.html read on a phone (390 px) and a desktop (1280 px), in English and in Chinese, in a
// real headless Chromium: nothing runs off the page, no badge covers its title, no word is
// broken letter by letter ("op en", "GD PR"), and Chinese text is drawn with the installed CJK
// font (fonts-noto-cjk), not a fallback or boxes.
//
// The page measured is the report as rendered, with one change: its Content-Security-Policy
// meta element is removed and a measuring script appended, which writes what it found into
// <body data-layout="...">; --dump-dom brings that back. A screenshot of each case is kept in
// the test artifacts for a human to look at.
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
using testing::Quote;
using testing::RunCommand;

constexpr const char* kMeasure = R"JS(
<script>
(function () {
  var problems = [];
  var width = window.innerWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push('page overflows: ' + document.documentElement.scrollWidth + ' > ' + width);
  }
  Array.prototype.forEach.call(document.querySelectorAll('body *'), function (el) {
    if (el.closest('.table-wrap') || el.closest('[hidden]')) { return; }
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1) {
      problems.push('runs off: ' + el.tagName + '.' + el.className + ' right=' + Math.round(r.right));
    }
  });
  // A badge stays inside its cell and covers none of its neighbours (each line box of a
  // wrapped title is compared, not the box around all of them).
  Array.prototype.forEach.call(document.querySelectorAll('.badge'), function (badge) {
    var b = badge.getBoundingClientRect();
    if (b.width === 0) { return; }
    var cell = badge.closest('td, th');
    if (cell) {
      var c = cell.getBoundingClientRect();
      if (b.right > c.right + 1 || b.left < c.left - 1) { problems.push('badge outside its cell: ' + badge.textContent); }
    }
    Array.prototype.forEach.call(badge.parentNode.children, function (other) {
      if (other === badge) { return; }
      Array.prototype.forEach.call(other.getClientRects(), function (o) {
        if (o.width === 0) { return; }
        var x = Math.min(b.right, o.right) - Math.max(b.left, o.left);
        var y = Math.min(b.bottom, o.bottom) - Math.max(b.top, o.top);
        if (x > 1 && y > 1) { problems.push('overlap: ' + badge.textContent + ' / ' + other.textContent.slice(0, 40)); }
      });
    });
  });
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  var node;
  while ((node = walker.nextNode())) {
    var parent = node.parentElement;
    if (!parent || parent.closest('code, .mono, pre, script, style, svg, [hidden]')) { continue; }
    // Whole words (not pieces of identifiers such as pg_read_all_settings, which may wrap).
    var word = /(^|[\s(,;:.\u3000-\u303f\uff00-\uffef])([A-Za-z]{2,})(?=$|[\s),;:.!?\u3000-\u303f\uff00-\uffef])/g;
    var m;
    while ((m = word.exec(node.data))) {
      var start = m.index + m[1].length;
      var range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + m[2].length);
      var rects = range.getClientRects();
      var lines = {};
      var count = 0;
      for (var i = 0; i < rects.length; i++) {
        var top = Math.round(rects[i].top);
        if (rects[i].width > 0 && !lines[top]) { lines[top] = 1; count += 1; }
      }
      if (count > 1) { problems.push('word broken: ' + m[2]); }
    }
  }
  // The CJK font: Chinese text drawn in the page's font stack must be pixel for pixel the same
  // as in Noto Sans CJK SC, and differ from Noto Serif CJK SC (so the comparison can tell).
  function pixels(family) {
    var canvas = document.createElement('canvas');
    canvas.width = 200; canvas.height = 50;
    var ctx = canvas.getContext('2d');
    ctx.font = '32px ' + family;
    ctx.fillText('\u7535\u5b50\u90ae\u4ef6\u5730\u5740', 0, 36);
    return Array.prototype.join.call(ctx.getImageData(0, 0, 200, 50).data, ',');
  }
  var stack = getComputedStyle(document.body).fontFamily;
  var page = pixels(stack);
  if (page !== pixels('"Noto Sans CJK SC"')) { problems.push('CJK not drawn with Noto Sans CJK SC'); }
  if (page === pixels('"Noto Serif CJK SC"')) { problems.push('CJK font comparison cannot tell fonts apart'); }
  document.body.setAttribute('data-layout', problems.length ? problems.slice(0, 25).join(' | ') : 'ok');
})();
</script>
)JS";

// The sample scan with more to lay out: long titles and remediation in the findings tables,
// an evidence list, and a comparison with an earlier audit.
std::string Page(const std::string& language) {
  ScanResult scan = testing::SampleScan();
  ScanResult before = scan;
  before.findings.pop_back();
  HtmlReportOptions options;
  options.language = language;
  options.signed_report = true;
  options.signing_key_id = "0123456789abcdef";
  options.signing_algorithm = "ed25519";
  options.key_hint =
      "crmaudit verify /var/lib/crmaudit/reports/2026-11-24T020000Z --key signer.pub";
  options.changes = CompareScans(before, scan);
  std::string html = RenderHtmlReport(scan, options);
  html = std::regex_replace(html, std::regex("<meta http-equiv=\"Content-Security-Policy\"[^>]*>"),
                            "");
  html.insert(html.rfind("</body>"), kMeasure);
  return html;
}

struct Case {
  std::string language;
  int width;
};

class HtmlLayoutTest : public ::testing::TestWithParam<Case> {};

TEST_P(HtmlLayoutTest, ReadableWithoutOverflowOverlapOrBrokenWords) {
  const Case c = GetParam();
  const std::string name = "layout-" + c.language + "-" + std::to_string(c.width);
  const std::filesystem::path html = ArtifactDir() / (name + ".html");
  testing::WriteFile(html, Page(c.language));
  const std::string chromium =
      "timeout 90 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
      "--no-first-run --disable-extensions --hide-scrollbars "
      "--user-data-dir=" +
      Quote((ArtifactDir() / (name + "-profile")).string()) +
      " --window-size=" + std::to_string(c.width) + ",2400 ";
  const std::string url = "file://" + html.string();
  const CommandResult dom = RunCommand(chromium + "--dump-dom " + Quote(url) + " 2>/dev/null");
  ASSERT_EQ(dom.exit_code, 0) << "chromium failed";
  const std::smatch found = [&] {
    std::smatch m;
    std::regex_search(dom.output, m, std::regex("data-layout=\"([^\"]*)\""));
    return m;
  }();
  ASSERT_FALSE(found.empty()) << "the measuring script did not run";
  EXPECT_EQ(found[1].str(), "ok") << c.language << " at " << c.width << " px";
  const std::filesystem::path png = ArtifactDir() / (name + ".png");
  std::filesystem::remove(png);
  ASSERT_EQ(RunCommand(chromium + "--screenshot=" + Quote(png.string()) + " " + Quote(url) +
                       " >/dev/null 2>&1")
                .exit_code,
            0);
  EXPECT_GT(std::filesystem::file_size(png), 10000u);
}

INSTANTIATE_TEST_SUITE_P(PhoneAndDesktopInBothLanguages, HtmlLayoutTest,
                         ::testing::Values(Case{"en", 390}, Case{"en", 1280}, Case{"zh-CN", 390},
                                           Case{"zh-CN", 1280}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return (info.param.language == "en" ? std::string("English")
                                                               : std::string("Chinese")) +
                                  std::to_string(info.param.width);
                         });

}  // namespace
}  // namespace crmaudit
