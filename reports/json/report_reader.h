// Reading a report.json back into a ScanResult, for renderings made after the scan
// (`crmaudit render`, the comparison of two audits, `crmaudit trend`).
//
// The reader is lenient where report versions differ (a field a minor version added may be
// absent; an unknown field is ignored) and strict where the document is not a report at all:
// ReportReadError when the text is not JSON, not an object, or has no findings array. It never
// re-derives anything: verdict, counts and statuses are taken as the report states them.
// Location fields other than the known ones become Location::extra, as the writer made them.
#pragma once

#include <stdexcept>
#include <string>

#include "scanner/model/scan_result.h"

namespace crmaudit {

class ReportReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `what` names the report in the error ("old report", "out/report.json").
ScanResult ReadJsonReport(const std::string& text, const std::string& what);

}  // namespace crmaudit
