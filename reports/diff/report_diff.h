// Report diff: what changed between two audits. One comparison (CompareScans) serves
// `crmaudit diff OLD.json NEW.json`, the "since the last audit" section of report.html and
// report.json's `changes` (a scan run with --chain-from), so the three always say the same.
//
// Findings are matched by their stable id (rule + logical location), so a re-export in another
// folder or with another date stamp is "unchanged", not "resolved + new". A finding present in
// both whose severity, status or count changed is "changed". Inventory changes are per
// (dataset, column, entity type): a new PII column appearing is what a scheduled audit must
// surface. A control check (rule, target) whose status changed (pass -> fail, ...) is listed
// too. Works on report.json files or their model only; never reads a source.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "scanner/model/scan_result.h"

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

// A control check on one target whose status is not what it was ("pass" -> "fail"); a check
// evaluated only now has old_status "" and one no longer evaluated new_status "".
struct ControlChange {
  std::string rule, target, title;  // title: the rule's English title from rules[]
  std::string old_status, new_status;
};

struct ReportDiff {
  std::vector<FindingChange> added, resolved, changed;
  uint64_t unchanged = 0;
  std::vector<InventoryChange> inventory_added, inventory_removed;
  std::vector<ControlChange> controls_changed;
  std::string old_scan_id, new_scan_id, old_finished_at, new_finished_at;
  bool empty() const {
    return added.empty() && resolved.empty() && changed.empty() && inventory_added.empty() &&
           inventory_removed.empty() && controls_changed.empty();
  }
};

// The comparison of two audits' results.
ReportDiff CompareScans(const ScanResult& before, const ScanResult& after);

// Parses two report.json texts and compares them. Throws ReportDiffError naming which report
// is malformed.
ReportDiff DiffReports(const std::string& old_json, const std::string& new_json);

// The location of a finding as one line: "db.schema.table.column" or "path [column]".
std::string ChangeLocationText(const Location& location);

// report.json's `changes` object (canonical-JSON friendly: no floats): the earlier scan's
// id and finish time, the finding lists, inventory changes and control status changes.
nlohmann::json ChangesJson(const ReportDiff& diff);

// The `changes` a report.json holds (written from ChangesJson), or nullopt when it has none
// (not chained, or written before 1.3.0). Malformed entries are skipped, never fatal.
std::optional<ReportDiff> ChangesOfReport(const std::string& report_json);

std::string RenderDiffText(const ReportDiff& diff);
std::string RenderDiffJson(const ReportDiff& diff);

}  // namespace crmaudit
