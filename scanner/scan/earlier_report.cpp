#include "scanner/scan/earlier_report.h"

#include <nlohmann/json.hpp>

namespace crmaudit {
namespace {

using nlohmann::json;

json Parse(const std::string& bytes) {
  // Without exceptions: a malformed text, a number beyond double range, anything, is discarded.
  return json::parse(bytes, nullptr, /*allow_exceptions=*/false);
}

std::string TextOr(const json& object, const char* key, std::string fallback) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

std::set<std::string> BaselineIdsOf(const std::string& bytes, const std::string& name) {
  const json doc = Parse(bytes);
  if (doc.is_discarded() || !doc.is_object()) {
    throw BaselineError("baseline " + name + " is not a JSON object");
  }
  std::set<std::string> ids;
  auto findings = doc.find("findings");
  if (findings != doc.end() && findings->is_array()) {
    for (const auto& f : *findings) {
      if (!f.is_object()) continue;
      auto id = f.find("id");
      if (id != f.end() && id->is_string()) ids.insert(id->get<std::string>());
    }
  }
  auto listed = doc.find("baseline");
  if (listed != doc.end() && listed->is_array()) {
    for (const auto& id : *listed) {
      if (id.is_string()) ids.insert(id.get<std::string>());
    }
  }
  return ids;
}

std::string BaselineFileFor(const std::string& report_bytes, const std::string& name,
                            bool include_all, size_t* accepted) {
  const json report = Parse(report_bytes);
  auto findings = report.is_object() ? report.find("findings") : report.end();
  if (report.is_discarded() || !report.is_object() || findings == report.end() ||
      !findings->is_array()) {
    throw BaselineError(name + " is not a crmaudit report.json");
  }
  json ids = json::array();
  json entries = json::array();
  for (const auto& f : *findings) {
    if (!f.is_object()) continue;
    auto id = f.find("id");
    if (id == f.end() || !id->is_string()) continue;
    const std::string status = TextOr(f, "status", "open");
    if (!include_all && status != "open" && status != "baselined") continue;
    ids.push_back(*id);
    auto location = f.find("location");
    entries.push_back(
        {{"id", *id},
         {"rule", TextOr(f, "rule", "")},
         {"severity", TextOr(f, "severity", "")},
         {"location", location != f.end() && location->is_object() ? *location : json::object()}});
  }
  std::string source_scan;
  auto scan = report.find("scan");
  if (scan != report.end() && scan->is_object()) source_scan = TextOr(*scan, "id", "");
  const json out = {{"baseline", ids}, {"findings", entries}, {"source_scan", source_scan}};
  if (accepted != nullptr) *accepted = ids.size();
  return out.dump(2) + "\n";
}

std::optional<Summary> SummaryOf(const std::string& report_bytes) {
  const json doc = Parse(report_bytes);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  auto found = doc.find("summary");
  if (found == doc.end() || !found->is_object()) return std::nullopt;
  const json& s = *found;
  Summary summary;
  for (const char* key : {"by_severity", "by_category"}) {
    auto counts = s.find(key);
    if (counts == s.end() || !counts->is_object()) continue;
    auto& target = std::string(key) == "by_severity" ? summary.by_severity : summary.by_category;
    for (auto it = counts->begin(); it != counts->end(); ++it) {
      if (it.value().is_number_unsigned()) target[it.key()] = it.value().get<uint64_t>();
    }
  }
  summary.fail_on = TextOr(s, "fail_on", "");
  summary.verdict = TextOr(s, "verdict", "");
  auto complete = s.find("complete");
  summary.complete = complete != s.end() && complete->is_boolean()
                         ? complete->get<bool>()
                         : summary.verdict != "incomplete";
  auto not_assessed = s.find("not_assessed");
  summary.not_assessed = not_assessed != s.end() && not_assessed->is_number_unsigned()
                             ? not_assessed->get<uint64_t>()
                             : 0;
  return summary;
}

}  // namespace crmaudit
