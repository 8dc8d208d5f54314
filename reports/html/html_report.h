// report.html: a self-contained, human-readable rendering of a ScanResult.
//
// What must stay true:
//  - One file, readable offline: CSS and the small sorting/filtering script are inline, and a
//    Content-Security-Policy meta element forbids every external request (default-src 'none';
//    the inline style and script are allowed only by their SHA-256 hashes, computed at render
//    time; images only as data: URIs). The report never names a remote URL.
//  - Every string from the model passes through EscapeHtml and lands only in element text or a
//    double-quoted attribute; nothing from the model is ever written into the script, the style
//    or a URL. Data the script needs (sort keys) lives in escaped data-* attributes.
//  - The writer renders the model and derives nothing: verdict, counts, coverage and statuses
//    are shown exactly as ScanResult holds them.
//  - Summary first (verdict, charts, scope, coverage, signature), then the PII inventory, then
//    the findings grouped by category, then "Controls evaluated": every control check per
//    target (ScanResult::controls) with its status, counts and objects, titled from its
//    rules[] entry; failed and not-assessed checks expanded, passed ones collapsed (<details>
//    without `open`). Prints on A4 with the filter controls hidden.
//  - Same ScanResult and options give the same bytes.
#pragma once

#include <optional>
#include <string>

#include "scanner/model/scan_result.h"

namespace crmaudit {

struct HtmlReportOptions {
  // True when a detached signature is written beside the report; the report then shows how to
  // verify it.
  bool signed_report = false;
  // The command a reader runs to verify, e.g. "crmaudit verify out/ --key audit.pub".
  std::string key_hint;
  // The previous audit's summary, for a "since the last audit" comparison; absent = not shown.
  std::optional<Summary> previous_summary;
};

std::string RenderHtmlReport(const ScanResult& result, const HtmlReportOptions& options = {});

}  // namespace crmaudit
