#include "reports/json/json_report.h"

#include <algorithm>
#include <tuple>

#include "reports/json/canonical_json.h"
#include "scanner/model/utf8.h"

namespace crmaudit {

namespace {

using nlohmann::json;

std::string Clean(const std::string& text) { return RepairUtf8(text); }

json StringArray(const std::vector<std::string>& values) {
  json out = json::array();
  for (const auto& v : values) out.push_back(Clean(v));
  return out;
}

json StringMap(const std::map<std::string, std::string>& values) {
  json out = json::object();
  for (const auto& [k, v] : values) out[Clean(k)] = Clean(v);
  return out;
}

json LocationJson(const Location& l) {
  json out = {{"kind", Clean(l.kind)}};
  auto put = [&out](const char* key, const std::string& value) {
    if (!value.empty()) out[key] = Clean(value);
  };
  put("target", l.target);
  put("path", l.path);
  put("database", l.database);
  put("schema", l.schema);
  put("table", l.table);
  put("column", l.column);
  if (l.row) out["row"] = *l.row;
  if (l.line) out["line"] = *l.line;
  for (const auto& [k, v] : l.extra) {
    if (!out.contains(k)) out[Clean(k)] = Clean(v);
  }
  return out;
}

json FindingJson(const Finding& f) {
  json frameworks = json::object();
  for (const auto& [framework, articles] : f.frameworks) {
    frameworks[Clean(framework)] = StringArray(articles);
  }
  json evidence = {{"count", f.evidence.count},
                   {"scanned", f.evidence.scanned},
                   {"samples", StringArray(f.evidence.samples)}};
  if (!f.evidence.facts.empty()) evidence["facts"] = StringMap(f.evidence.facts);
  json out = {{"id", Clean(f.id)},
              {"rule", Clean(f.rule)},
              {"title", Clean(f.title)},
              {"severity", std::string(SeverityName(f.severity))},
              {"category", std::string(CategoryName(f.category))},
              {"status", std::string(StatusName(f.status))},
              {"location", LocationJson(f.location)},
              {"evidence", evidence},
              {"frameworks", frameworks},
              {"remediation", Clean(f.remediation)}};
  if (!f.status_reason.empty()) out["status_reason"] = Clean(f.status_reason);
  if (!f.entity.empty()) out["entity"] = Clean(f.entity);
  if (f.confidence > 0) out["confidence"] = f.confidence;
  return out;
}

json CoverageJson(const CoverageEntry& c) {
  json out = {{"target", Clean(c.target)},
              {"dataset", Clean(c.dataset)},
              {"status", std::string(CoverageStatusName(c.status))},
              {"rows", c.rows},
              {"bytes", c.bytes},
              {"sampled", c.sampled},
              {"reason", Clean(c.reason)}};
  if (!c.format.empty()) out["format"] = Clean(c.format);
  if (!c.encoding.empty()) out["encoding"] = Clean(c.encoding);
  if (c.ragged_rows) out["ragged_rows"] = c.ragged_rows;
  if (c.invalid_bytes) out["invalid_bytes"] = c.invalid_bytes;
  if (c.malformed_records) out["malformed_records"] = c.malformed_records;
  return out;
}

json InventoryJson(const InventoryEntry& e) {
  json entities = json::array();
  for (const auto& entity : e.entities) {
    entities.push_back({{"type", Clean(entity.type)},
                        {"matched", entity.matched},
                        {"scanned", entity.scanned},
                        {"confidence", entity.confidence}});
  }
  return {{"target", Clean(e.target)},
          {"dataset", Clean(e.dataset)},
          {"column", Clean(e.column)},
          {"entities", entities}};
}

json ControlJson(const ControlResult& c) {
  json objects = json::array();
  for (const ControlObject& object : c.objects) {
    objects.push_back(
        {{"name", Clean(object.name)}, {"status", std::string(OutcomeStatusName(object.status))}});
  }
  return {
      {"rule", Clean(c.rule)},
      {"target", Clean(c.target)},
      {"status", std::string(OutcomeStatusName(c.status))},
      {"counts", {{"passed", c.passed}, {"failed", c.failed}, {"not_assessed", c.not_assessed}}},
      {"objects", objects}};
}

json RuleJson(const RuleDescription& r) {
  json references = json::object();
  for (const auto& [source, ids] : r.references) references[Clean(source)] = StringArray(ids);
  json texts = json::object();
  for (const auto& [locale, text] : r.texts) {
    texts[Clean(locale)] = {{"title", Clean(text.title)}, {"risk", Clean(text.risk)}};
  }
  return {{"id", Clean(r.id)},
          {"title", Clean(r.title)},
          {"category", Clean(r.category)},
          {"severity", std::string(SeverityName(r.severity))},
          {"risk", Clean(r.risk)},
          {"references", references},
          {"texts", texts}};
}

// controls[] by (rule, target) and rules[] by id, whatever order the scan filled them in, so
// the same checks always give the same bytes.
json ControlsJson(const std::vector<ControlResult>& controls) {
  std::vector<const ControlResult*> sorted;
  for (const ControlResult& c : controls) sorted.push_back(&c);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const ControlResult* a, const ControlResult* b) {
                     return std::tie(a->rule, a->target) < std::tie(b->rule, b->target);
                   });
  json out = json::array();
  for (const ControlResult* c : sorted) out.push_back(ControlJson(*c));
  return out;
}

json RulesJson(const std::vector<RuleDescription>& rules) {
  std::vector<const RuleDescription*> sorted;
  for (const RuleDescription& r : rules) sorted.push_back(&r);
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const RuleDescription* a, const RuleDescription* b) { return a->id < b->id; });
  json out = json::array();
  for (const RuleDescription* r : sorted) out.push_back(RuleJson(*r));
  return out;
}

json SummaryJson(const Summary& s) {
  json by_severity = json::object();
  for (const auto& [k, v] : s.by_severity) by_severity[k] = v;
  json by_category = json::object();
  for (const auto& [k, v] : s.by_category) by_category[k] = v;
  return {{"by_severity", by_severity}, {"by_category", by_category},
          {"fail_on", s.fail_on},       {"verdict", s.verdict},
          {"complete", s.complete},     {"not_assessed", s.not_assessed}};
}

}  // namespace

std::string RenderJsonReport(const ScanResult& result, const ReportDiff* changes) {
  json packs = json::array();
  for (const auto& p : result.scan.policy_packs) {
    packs.push_back({{"name", Clean(p.name)}, {"version", Clean(p.version)}, {"sha256", p.sha256}});
  }
  json chain = json::object();
  chain["previous_sha256"] =
      result.scan.previous_sha256 ? json(*result.scan.previous_sha256) : json(nullptr);
  json scan = {{"id", result.scan.id},
               {"started_at", result.scan.started_at},
               {"finished_at", result.scan.finished_at},
               {"complete", result.scan.complete},
               {"policy_packs", packs},
               {"chain", chain},
               {"options", StringMap(result.scan.options)}};
  json targets = json::array();
  for (const auto& t : result.targets) {
    targets.push_back({{"id", t.id}, {"kind", t.kind}, {"display", Clean(t.display)}});
  }
  json coverage = json::array();
  for (const auto& c : result.coverage) coverage.push_back(CoverageJson(c));
  json inventory = json::array();
  for (const auto& e : result.inventory) inventory.push_back(InventoryJson(e));
  json findings = json::array();
  for (const auto& f : result.findings) findings.push_back(FindingJson(f));

  json report = {{"schema_version", kReportSchemaVersion},
                 {"tool", {{"name", result.tool_name}, {"version", result.tool_version}}},
                 {"scan", scan},
                 {"targets", targets},
                 {"coverage", coverage},
                 {"inventory", inventory},
                 {"findings", findings},
                 {"controls", ControlsJson(result.controls)},
                 {"rules", RulesJson(result.rules)},
                 {"summary", SummaryJson(result.summary)}};
  if (changes != nullptr) report["changes"] = ChangesJson(*changes);
  return CanonicalJson(report);
}

std::string RenderSummaryJson(const ScanResult& result) {
  return CanonicalJson(SummaryJson(result.summary));
}

}  // namespace crmaudit
