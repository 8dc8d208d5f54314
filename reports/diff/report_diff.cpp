#include "reports/diff/report_diff.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "reports/json/report_reader.h"
#include "scanner/model/finding.h"

namespace crmaudit {

namespace {

using nlohmann::json;

FindingChange ChangeFrom(const Finding& finding) {
  FindingChange c;
  c.id = finding.id;
  c.rule = finding.rule;
  c.title = finding.title;
  c.severity = std::string(SeverityName(finding.severity));
  c.location = ChangeLocationText(finding.location);
  c.new_status = std::string(StatusName(finding.status));
  c.new_count = finding.evidence.count;
  return c;
}

std::map<std::string, const Finding*> ById(const ScanResult& result) {
  std::map<std::string, const Finding*> out;
  for (const Finding& f : result.findings) out.emplace(f.id, &f);
  return out;
}

using InventoryKey = std::tuple<std::string, std::string, std::string>;

std::set<InventoryKey> InventoryKeys(const ScanResult& result) {
  std::set<InventoryKey> out;
  for (const InventoryEntry& e : result.inventory) {
    for (const EntityCount& entity : e.entities) out.insert({e.dataset, e.column, entity.type});
  }
  return out;
}

using ControlKey = std::pair<std::string, std::string>;

std::map<ControlKey, std::string> ControlStatuses(const ScanResult& result) {
  std::map<ControlKey, std::string> out;
  for (const ControlResult& c : result.controls) {
    out[{c.rule, c.target}] = std::string(OutcomeStatusName(c.status));
  }
  return out;
}

std::string RuleTitle(const ScanResult& a, const ScanResult& b, const std::string& rule) {
  for (const ScanResult* result : {&b, &a}) {
    for (const RuleDescription& r : result->rules) {
      if (r.id == rule) return r.title;
    }
  }
  return "";
}

json ChangeJson(const FindingChange& c) {
  json out = {{"id", c.id},
              {"rule", c.rule},
              {"title", c.title},
              {"severity", c.severity},
              {"location", c.location},
              {"status", c.new_status},
              {"count", c.new_count}};
  if (!c.old_status.empty() || !c.old_severity.empty()) {
    out["old"] = {{"severity", c.old_severity}, {"status", c.old_status}, {"count", c.old_count}};
  }
  return out;
}

std::string StatusOrNone(const std::string& status) {
  return status.empty() ? "not evaluated" : status;
}

void FillChanges(const ReportDiff& diff, json* target);

json ChangesJsonControls(const ReportDiff& diff) {
  json out = json::array();
  for (const auto& c : diff.controls_changed) {
    out.push_back({{"rule", c.rule},
                   {"target", c.target},
                   {"title", c.title},
                   {"old_status", c.old_status.empty() ? json(nullptr) : json(c.old_status)},
                   {"new_status", c.new_status.empty() ? json(nullptr) : json(c.new_status)}});
  }
  return out;
}

}  // namespace

std::string ChangeLocationText(const Location& l) {
  std::string out;
  if (IsDatabaseLocationKind(l.kind)) {
    for (const std::string* part : {&l.database, &l.schema, &l.table, &l.column}) {
      if (part->empty()) continue;
      out += (out.empty() ? "" : ".") + *part;
    }
    return out;
  }
  out = l.path;
  if (!l.column.empty()) out += " [" + l.column + "]";
  return out;
}

ReportDiff CompareScans(const ScanResult& before, const ScanResult& after) {
  ReportDiff diff;
  diff.old_scan_id = before.scan.id;
  diff.old_finished_at = before.scan.finished_at;
  diff.new_scan_id = after.scan.id;
  diff.new_finished_at = after.scan.finished_at;
  auto old_findings = ById(before);
  auto new_findings = ById(after);
  for (const auto& [id, finding] : new_findings) {
    auto previous = old_findings.find(id);
    if (previous == old_findings.end()) {
      diff.added.push_back(ChangeFrom(*finding));
      continue;
    }
    FindingChange c = ChangeFrom(*finding);
    c.old_severity = std::string(SeverityName(previous->second->severity));
    c.old_status = std::string(StatusName(previous->second->status));
    c.old_count = previous->second->evidence.count;
    if (c.old_severity != c.severity || c.old_status != c.new_status ||
        c.old_count != c.new_count) {
      diff.changed.push_back(c);
    } else {
      ++diff.unchanged;
    }
  }
  for (const auto& [id, finding] : old_findings) {
    if (!new_findings.count(id)) diff.resolved.push_back(ChangeFrom(*finding));
  }
  auto old_inventory = InventoryKeys(before);
  auto new_inventory = InventoryKeys(after);
  for (const auto& key : new_inventory) {
    if (!old_inventory.count(key)) {
      diff.inventory_added.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key)});
    }
  }
  for (const auto& key : old_inventory) {
    if (!new_inventory.count(key)) {
      diff.inventory_removed.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key)});
    }
  }
  // Controls: only reports that list them (1.2.0 and later) can say a check changed; an older
  // report on either side leaves this list empty rather than calling every check new.
  if (!before.controls.empty() && !after.controls.empty()) {
    auto old_controls = ControlStatuses(before);
    auto new_controls = ControlStatuses(after);
    std::set<ControlKey> keys;
    for (const auto& [key, status] : old_controls) keys.insert(key);
    for (const auto& [key, status] : new_controls) keys.insert(key);
    for (const ControlKey& key : keys) {
      auto was = old_controls.find(key);
      auto now = new_controls.find(key);
      const std::string old_status = was == old_controls.end() ? "" : was->second;
      const std::string new_status = now == new_controls.end() ? "" : now->second;
      if (old_status == new_status) continue;
      diff.controls_changed.push_back(
          {key.first, key.second, RuleTitle(before, after, key.first), old_status, new_status});
    }
  }
  return diff;
}

ReportDiff DiffReports(const std::string& old_json, const std::string& new_json) {
  ScanResult before, after;
  try {
    before = ReadJsonReport(old_json, "old report");
    after = ReadJsonReport(new_json, "new report");
  } catch (const ReportReadError& e) {
    throw ReportDiffError(e.what());
  }
  return CompareScans(before, after);
}

namespace {

std::string Text(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

uint64_t Number(const json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  return it != object.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

std::vector<FindingChange> ChangesFrom(const json& list) {
  std::vector<FindingChange> out;
  if (!list.is_array()) return out;
  for (const json& item : list) {
    if (!item.is_object()) continue;
    FindingChange c;
    c.id = Text(item, "id");
    c.rule = Text(item, "rule");
    c.title = Text(item, "title");
    c.severity = Text(item, "severity");
    c.location = Text(item, "location");
    c.new_status = Text(item, "status");
    c.new_count = Number(item, "count");
    if (item.contains("old")) {
      c.old_severity = Text(item["old"], "severity");
      c.old_status = Text(item["old"], "status");
      c.old_count = Number(item["old"], "count");
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<InventoryChange> InventoryFrom(const json& list) {
  std::vector<InventoryChange> out;
  if (!list.is_array()) return out;
  for (const json& item : list) {
    if (item.is_object()) {
      out.push_back({Text(item, "dataset"), Text(item, "column"), Text(item, "entity")});
    }
  }
  return out;
}

}  // namespace

std::optional<ReportDiff> ChangesOfReport(const std::string& report_json) {
  const json doc = json::parse(report_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  auto it = doc.find("changes");
  if (it == doc.end() || !it->is_object()) return std::nullopt;
  const json& changes = *it;
  ReportDiff diff;
  if (changes.contains("since")) {
    diff.old_scan_id = Text(changes["since"], "scan_id");
    diff.old_finished_at = Text(changes["since"], "finished_at");
  }
  if (doc.contains("scan")) {
    diff.new_scan_id = Text(doc["scan"], "id");
    diff.new_finished_at = Text(doc["scan"], "finished_at");
  }
  diff.unchanged = Number(changes, "unchanged");
  diff.added = ChangesFrom(changes.value("new", json()));
  diff.resolved = ChangesFrom(changes.value("resolved", json()));
  diff.changed = ChangesFrom(changes.value("changed", json()));
  if (changes.contains("inventory") && changes["inventory"].is_object()) {
    diff.inventory_added = InventoryFrom(changes["inventory"].value("added", json()));
    diff.inventory_removed = InventoryFrom(changes["inventory"].value("removed", json()));
  }
  if (changes.contains("controls") && changes["controls"].is_array()) {
    for (const json& item : changes["controls"]) {
      if (!item.is_object()) continue;
      diff.controls_changed.push_back({Text(item, "rule"), Text(item, "target"),
                                       Text(item, "title"), Text(item, "old_status"),
                                       Text(item, "new_status")});
    }
  }
  return diff;
}

std::string RenderDiffText(const ReportDiff& diff) {
  std::ostringstream out;
  out << "since " << (diff.old_finished_at.empty() ? "the old report" : diff.old_finished_at)
      << ": " << diff.added.size() << " new, " << diff.resolved.size() << " resolved, "
      << diff.changed.size() << " changed, " << diff.unchanged << " unchanged finding(s)\n";
  auto section = [&out](const char* heading, const std::vector<FindingChange>& list) {
    if (list.empty()) return;
    out << "\n" << heading << "\n";
    for (const auto& c : list) {
      out << "  [" << c.severity << "] " << c.rule << "  " << c.location << "  (" << c.id << ")";
      if (!c.old_status.empty()) {
        out << "  was " << c.old_severity << "/" << c.old_status << " count " << c.old_count
            << ", now " << c.severity << "/" << c.new_status << " count " << c.new_count;
      }
      out << "\n";
    }
  };
  section("new findings:", diff.added);
  section("resolved findings:", diff.resolved);
  section("changed findings:", diff.changed);
  if (!diff.controls_changed.empty()) {
    out << "\ncontrol checks whose status changed:\n";
    for (const auto& c : diff.controls_changed) {
      out << "  " << c.rule << " on " << c.target << ": " << StatusOrNone(c.old_status) << " -> "
          << StatusOrNone(c.new_status);
      if (!c.title.empty()) out << "  (" << c.title << ")";
      out << "\n";
    }
  }
  if (!diff.inventory_added.empty()) {
    out << "\nnew personal data in the inventory:\n";
    for (const auto& i : diff.inventory_added) {
      out << "  + " << i.dataset << " [" << i.column << "] " << i.entity << "\n";
    }
  }
  if (!diff.inventory_removed.empty()) {
    out << "\npersonal data no longer found:\n";
    for (const auto& i : diff.inventory_removed) {
      out << "  - " << i.dataset << " [" << i.column << "] " << i.entity << "\n";
    }
  }
  return out.str();
}

json ChangesJson(const ReportDiff& diff) {
  json out = {{"since", {{"scan_id", diff.old_scan_id}, {"finished_at", diff.old_finished_at}}},
              {"unchanged", diff.unchanged}};
  FillChanges(diff, &out);
  return out;
}

std::string RenderDiffJson(const ReportDiff& diff) {
  json out = {{"old_scan", diff.old_scan_id},
              {"new_scan", diff.new_scan_id},
              {"unchanged", diff.unchanged}};
  FillChanges(diff, &out);
  return out.dump(2) + "\n";
}

namespace {

void FillChanges(const ReportDiff& diff, json* target) {
  json& out = *target;
  for (const auto& [key, list] :
       {std::pair{"new", &diff.added}, std::pair{"resolved", &diff.resolved},
        std::pair{"changed", &diff.changed}}) {
    json array = json::array();
    for (const auto& c : *list) array.push_back(ChangeJson(c));
    out[key] = array;
  }
  json added = json::array(), removed = json::array();
  for (const auto& i : diff.inventory_added) {
    added.push_back({{"dataset", i.dataset}, {"column", i.column}, {"entity", i.entity}});
  }
  for (const auto& i : diff.inventory_removed) {
    removed.push_back({{"dataset", i.dataset}, {"column", i.column}, {"entity", i.entity}});
  }
  out["inventory"] = {{"added", added}, {"removed", removed}};
  out["controls"] = ChangesJsonControls(diff);
}

}  // namespace

}  // namespace crmaudit
