#include "reports/diff/report_diff.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "scanner/model/finding.h"

namespace crmaudit {

namespace {

using nlohmann::json;

json ParseReport(const std::string& text, const char* which) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("findings") ||
      !doc["findings"].is_array()) {
    throw ReportDiffError(std::string(which) + " report is not a crmaudit report.json");
  }
  return doc;
}

std::string Str(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

uint64_t Count(const json& finding) {
  auto evidence = finding.find("evidence");
  if (evidence == finding.end() || !evidence->is_object()) return 0;
  auto count = evidence->find("count");
  return count != evidence->end() && count->is_number_unsigned() ? count->get<uint64_t>() : 0;
}

std::string LocationText(const json& finding) {
  auto it = finding.find("location");
  if (it == finding.end() || !it->is_object()) return "";
  const json& l = *it;
  std::string out;
  if (IsDatabaseLocationKind(Str(l, "kind"))) {
    for (const char* key : {"database", "schema", "table", "column"}) {
      std::string part = Str(l, key);
      if (part.empty()) continue;
      out += (out.empty() ? "" : ".") + part;
    }
    return out;
  }
  out = Str(l, "path");
  std::string column = Str(l, "column");
  if (!column.empty()) out += " [" + column + "]";
  return out;
}

FindingChange ChangeFrom(const json& finding) {
  FindingChange c;
  c.id = Str(finding, "id");
  c.rule = Str(finding, "rule");
  c.title = Str(finding, "title");
  c.severity = Str(finding, "severity");
  c.location = LocationText(finding);
  c.new_status = Str(finding, "status");
  c.new_count = Count(finding);
  return c;
}

std::map<std::string, json> ById(const json& report) {
  std::map<std::string, json> out;
  for (const auto& f : report["findings"]) {
    if (f.is_object()) out[Str(f, "id")] = f;
  }
  return out;
}

using InventoryKey = std::tuple<std::string, std::string, std::string>;

std::set<InventoryKey> InventoryKeys(const json& report) {
  std::set<InventoryKey> out;
  auto it = report.find("inventory");
  if (it == report.end() || !it->is_array()) return out;
  for (const auto& e : *it) {
    if (!e.is_object() || !e.contains("entities") || !e["entities"].is_array()) continue;
    for (const auto& entity : e["entities"]) {
      if (entity.is_object()) {
        out.insert({Str(e, "dataset"), Str(e, "column"), Str(entity, "type")});
      }
    }
  }
  return out;
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

}  // namespace

ReportDiff DiffReports(const std::string& old_json, const std::string& new_json) {
  json old_report = ParseReport(old_json, "old");
  json new_report = ParseReport(new_json, "new");
  ReportDiff diff;
  if (old_report.contains("scan") && old_report["scan"].is_object()) {
    diff.old_scan_id = Str(old_report["scan"], "id");
    diff.old_finished_at = Str(old_report["scan"], "finished_at");
  }
  if (new_report.contains("scan") && new_report["scan"].is_object()) {
    diff.new_scan_id = Str(new_report["scan"], "id");
    diff.new_finished_at = Str(new_report["scan"], "finished_at");
  }
  auto old_findings = ById(old_report);
  auto new_findings = ById(new_report);
  for (const auto& [id, finding] : new_findings) {
    auto previous = old_findings.find(id);
    if (previous == old_findings.end()) {
      diff.added.push_back(ChangeFrom(finding));
      continue;
    }
    FindingChange c = ChangeFrom(finding);
    c.old_severity = Str(previous->second, "severity");
    c.old_status = Str(previous->second, "status");
    c.old_count = Count(previous->second);
    if (c.old_severity != c.severity || c.old_status != c.new_status ||
        c.old_count != c.new_count) {
      diff.changed.push_back(c);
    } else {
      ++diff.unchanged;
    }
  }
  for (const auto& [id, finding] : old_findings) {
    if (!new_findings.count(id)) diff.resolved.push_back(ChangeFrom(finding));
  }
  auto old_inventory = InventoryKeys(old_report);
  auto new_inventory = InventoryKeys(new_report);
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

std::string RenderDiffJson(const ReportDiff& diff) {
  json out = {{"old_scan", diff.old_scan_id},
              {"new_scan", diff.new_scan_id},
              {"unchanged", diff.unchanged}};
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
  return out.dump(2) + "\n";
}

}  // namespace crmaudit
