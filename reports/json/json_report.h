// report.json: the canonical, signable rendering of a ScanResult.
//
// RenderJsonReport produces RFC 8785 bytes (see canonical_json.h) following the field layout
// of DESIGN.md and docs/report-schema.json; the same ScanResult always gives the same bytes.
// Every string from the model is passed through RepairUtf8, so scanned file names or columns
// with broken encodings can never make the writer throw.
//
// controls[] lists every control check evaluated, per target, passes included (the evidence
// that a control was tested), ordered by (rule, target); rules[] holds the catalog entry of
// each of those checks, ordered by id. Both are rendered from the model as they are: a writer
// never looks up or re-derives a check's title.
#pragma once

#include <string>

#include "reports/diff/report_diff.h"
#include "scanner/model/scan_result.h"

namespace crmaudit {

// Minor versions only add fields (1.1.0: summary.complete and not_assessed, location.line;
// 1.2.0: controls[] and rules[]; 1.3.0: `changes`, what changed since the chained earlier
// report, finding by finding, from reports/diff's CompareScans), so readers of an older report
// (diff, baseline) keep working and a reader of this one must tolerate their absence in older
// reports.
inline constexpr const char* kReportSchemaVersion = "1.3.0";

// `changes`, when given, is written as report.json's "changes" (language-neutral: rule ids and
// English titles, like the findings).
std::string RenderJsonReport(const ScanResult& result, const ReportDiff* changes = nullptr);

// The summary object alone (canonical JSON), used as the DSSE predicate.
std::string RenderSummaryJson(const ScanResult& result);

}  // namespace crmaudit
