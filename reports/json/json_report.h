// report.json: the canonical, signable rendering of a ScanResult.
//
// RenderJsonReport produces RFC 8785 bytes (see canonical_json.h) following the field layout
// of DESIGN.md and docs/report-schema.json; the same ScanResult always gives the same bytes.
// Every string from the model is passed through RepairUtf8, so scanned file names or columns
// with broken encodings can never make the writer throw.
#pragma once

#include <string>

#include "scanner/model/scan_result.h"

namespace crmaudit {

inline constexpr const char* kReportSchemaVersion = "1.1.0";

std::string RenderJsonReport(const ScanResult& result);

// The summary object alone (canonical JSON), used as the DSSE predicate.
std::string RenderSummaryJson(const ScanResult& result);

}  // namespace crmaudit
