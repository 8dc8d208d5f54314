// EarlierReport: what a scan takes from reports written before it: the finding ids a baseline
// accepts (--baseline: a previous report.json, or a baseline file) and the summary of the
// report a chain links to (--chain-from, for "since the last audit").
//
// These files come from anywhere (an archive, a colleague, an attacker with write access to a
// share): any bytes give either a result or a BaselineError with a clear message, never an
// exception of the JSON library and never a crash. Fields of the wrong type are ignored.
#pragma once

#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "scanner/model/scan_result.h"

namespace crmaudit {

class BaselineError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Finding ids of a previous report.json ({"findings": [{"id": ...}]}) or of a baseline file
// ({"baseline": ["crm-...", ...]}). Throws BaselineError when `bytes` is not a JSON object;
// `name` names the file in the message.
std::set<std::string> BaselineIdsOf(const std::string& bytes, const std::string& name);

// The baseline file `crmaudit baseline` writes for a report.json: {"baseline": [ids],
// "findings": [{id, rule, severity, location}], "source_scan": scan id}, as pretty JSON text.
// Open and baselined findings only, or every finding with `include_all`. `accepted` receives
// the number of ids. Throws BaselineError when `report_bytes` is not a report.json (no
// "findings" list); fields of the wrong type are left out, never thrown on.
std::string BaselineFileFor(const std::string& report_bytes, const std::string& name,
                            bool include_all, size_t* accepted);

// The summary of an earlier report.json; nullopt when it has none that can be read.
std::optional<Summary> SummaryOf(const std::string& report_bytes);

}  // namespace crmaudit
