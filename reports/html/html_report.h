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
//  - Ordered by what a reader must do: the verdict (pass / fail / incomplete, with the
//    controls not assessed), then "What needs action" (every open critical and high finding
//    with its location, evidence and remediation), then what changed since the last audit
//    (finding by finding, from reports/diff's comparison), then every finding by category
//    with the charts, the personal-data inventory and the records of processing, "Controls
//    evaluated" (every control check per target, titled from its rules[] entry; failed and
//    not-assessed checks expanded, passed ones collapsed), coverage, scope and the signature.
//    Prints on A4 with the filter controls hidden; on a phone the findings tables become
//    labelled cards.
//  - Written in one language (HtmlReportOptions::language, `<html lang>`): interface words
//    from reports/i18n/ui_strings.json, rule titles, risks and remediation from RuleTexts;
//    values (names, settings, samples) stay as they are.
//  - Same ScanResult and options give the same bytes.
#pragma once

#include <optional>
#include <string>

#include "reports/diff/report_diff.h"
#include "reports/i18n/rule_texts.h"
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
  // What changed since that audit, finding by finding (CompareScans); absent = not compared.
  std::optional<ReportDiff> changes;
  // "en" or "zh-CN" (reports/i18n/report_language.h).
  std::string language = "en";
  // Rule words in `language`; null = the English titles the model holds.
  const RuleTexts* rule_texts = nullptr;
  // The signing key, shown with the verify command: its short id and algorithm ("ed25519").
  std::string signing_key_id;
  std::string signing_algorithm;
  // Set by `crmaudit render`: the page is a rendering of this signed report.json.
  struct Source {
    std::string file_name;
    std::string sha256;
    bool signature_found = false;
    // Verified against --key: true / false; nullopt when no key was given.
    std::optional<bool> signature_verified;
    std::string key_id;  // the key it was verified with
  };
  std::optional<Source> rendered_from;
};

std::string RenderHtmlReport(const ScanResult& result, const HtmlReportOptions& options = {});

}  // namespace crmaudit
