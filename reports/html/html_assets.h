// The fixed stylesheet and script embedded in every report.html.
//
// Both are constants: nothing from the model is ever spliced into them, which is what lets the
// Content-Security-Policy allow them by hash. The script reads what it needs (sort keys,
// severities, categories) from escaped data-* attributes in the DOM, keeps the filter and sort
// state in the URL fragment (so a filtered view can be shared or reopened), and marks
// `<body data-ready="1">` once it is wired up, which the headless-browser test checks.
#pragma once

#include <string>
#include <string_view>

namespace crmaudit {

std::string_view ReportStylesheet();
std::string_view ReportScript();

// The stylesheet of the archive's trend page (reports/trend), also fixed.
std::string_view TrendStylesheet();

// "'sha256-BASE64'": the CSP hash source allowing exactly `text` as an inline style or script.
std::string CspHashSource(std::string_view text);

}  // namespace crmaudit
