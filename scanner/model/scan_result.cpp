#include "scanner/model/scan_result.h"

#include <algorithm>
#include <tuple>

namespace crmaudit {

void Summarize(ScanResult& result, std::optional<Severity> fail_on) {
  Summary summary;
  // Every severity and category appears, with zero counts, so readers need no defaults.
  for (int s = 0; s <= static_cast<int>(Severity::kCritical); ++s) {
    summary.by_severity[std::string(SeverityName(static_cast<Severity>(s)))] = 0;
  }
  for (int c = 0; c <= static_cast<int>(FindingCategory::kConfiguration); ++c) {
    summary.by_category[std::string(CategoryName(static_cast<FindingCategory>(c)))] = 0;
  }
  bool fail = false;
  for (const Finding& finding : result.findings) {
    if (finding.status == FindingStatus::kNotAssessed) ++summary.not_assessed;
    if (finding.status != FindingStatus::kOpen) continue;
    ++summary.by_severity[std::string(SeverityName(finding.severity))];
    ++summary.by_category[std::string(CategoryName(finding.category))];
    if (fail_on && finding.severity >= *fail_on) fail = true;
  }
  summary.fail_on = fail_on ? std::string(SeverityName(*fail_on)) : "never";
  summary.complete = result.scan.complete;
  summary.verdict = !summary.complete ? "incomplete" : fail ? "fail" : "pass";
  result.summary = std::move(summary);
}

void SortForOutput(ScanResult& result) {
  auto location_key = [](const Location& l) {
    return std::tie(l.target, l.kind, l.path, l.database, l.schema, l.table, l.column);
  };
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [&](const Finding& a, const Finding& b) {
                     if (location_key(a.location) != location_key(b.location))
                       return location_key(a.location) < location_key(b.location);
                     if (a.rule != b.rule) return a.rule < b.rule;
                     return a.id < b.id;
                   });
  std::stable_sort(result.inventory.begin(), result.inventory.end(),
                   [](const InventoryEntry& a, const InventoryEntry& b) {
                     return std::tie(a.target, a.dataset) < std::tie(b.target, b.dataset);
                   });
  std::stable_sort(result.coverage.begin(), result.coverage.end(),
                   [](const CoverageEntry& a, const CoverageEntry& b) {
                     return std::tie(a.target, a.dataset) < std::tie(b.target, b.dataset);
                   });
}

}  // namespace crmaudit
