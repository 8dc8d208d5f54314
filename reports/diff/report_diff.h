// Report diff: what changed between two audits (`crmaudit diff OLD.json NEW.json`).
//
// Findings are matched by their stable id (rule + logical location), so a re-export in another
// folder or with another date stamp is "unchanged", not "resolved + new". A finding present in
// both whose severity, status or count changed is "changed". Inventory changes are per
// (dataset, column, entity type): a new PII column appearing is what a scheduled audit must
// surface. Works on report.json files only; never reads a source.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace crmaudit {

class ReportDiffError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct FindingChange {
  std::string id, rule, title, severity, location;   // location as a readable one-liner
  std::string old_severity, old_status, new_status;  // for "changed"
  uint64_t old_count = 0, new_count = 0;
};

struct InventoryChange {
  std::string dataset, column, entity;
};

struct ReportDiff {
  std::vector<FindingChange> added, resolved, changed;
  uint64_t unchanged = 0;
  std::vector<InventoryChange> inventory_added, inventory_removed;
  std::string old_scan_id, new_scan_id, old_finished_at, new_finished_at;
  bool empty() const {
    return added.empty() && resolved.empty() && changed.empty() && inventory_added.empty() &&
           inventory_removed.empty();
  }
};

// Parses two report.json texts. Throws ReportDiffError naming which report is malformed.
ReportDiff DiffReports(const std::string& old_json, const std::string& new_json);

std::string RenderDiffText(const ReportDiff& diff);
std::string RenderDiffJson(const ReportDiff& diff);

}  // namespace crmaudit
