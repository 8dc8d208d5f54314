#include "reports/json/report_reader.h"

#include <nlohmann/json.hpp>

namespace crmaudit {

namespace {

using nlohmann::json;

std::string Str(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

uint64_t Num(const json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  return it != object.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

bool Bool(const json& object, const char* key, bool fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

const json& Member(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::vector<std::string> Strings(const json& value) {
  std::vector<std::string> out;
  if (!value.is_array()) return out;
  for (const auto& item : value) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::map<std::string, std::vector<std::string>> StringLists(const json& value) {
  std::map<std::string, std::vector<std::string>> out;
  if (!value.is_object()) return out;
  for (const auto& [key, list] : value.items()) out[key] = Strings(list);
  return out;
}

std::map<std::string, std::string> StringMap(const json& value) {
  std::map<std::string, std::string> out;
  if (!value.is_object()) return out;
  for (const auto& [key, item] : value.items()) {
    if (item.is_string()) out[key] = item.get<std::string>();
  }
  return out;
}

Location ReadLocation(const json& l) {
  Location out;
  if (!l.is_object()) return out;
  for (const auto& [key, value] : l.items()) {
    if (key == "row" || key == "line") {
      if (value.is_number_unsigned()) (key == "row" ? out.row : out.line) = value.get<uint64_t>();
      continue;
    }
    if (!value.is_string()) continue;
    const std::string text = value.get<std::string>();
    if (key == "kind") {
      out.kind = text;
    } else if (key == "target") {
      out.target = text;
    } else if (key == "path") {
      out.path = text;
    } else if (key == "database") {
      out.database = text;
    } else if (key == "schema") {
      out.schema = text;
    } else if (key == "table") {
      out.table = text;
    } else if (key == "column") {
      out.column = text;
    } else {
      out.extra[key] = text;
    }
  }
  return out;
}

Finding ReadFinding(const json& f) {
  Finding out;
  out.id = Str(f, "id");
  out.rule = Str(f, "rule");
  out.title = Str(f, "title");
  out.severity = ParseSeverity(Str(f, "severity")).value_or(Severity::kMedium);
  out.category = ParseCategory(Str(f, "category")).value_or(FindingCategory::kConfiguration);
  const std::string status = Str(f, "status");
  for (FindingStatus s : {FindingStatus::kOpen, FindingStatus::kSuppressed,
                          FindingStatus::kBaselined, FindingStatus::kNotAssessed}) {
    if (StatusName(s) == status) out.status = s;
  }
  out.status_reason = Str(f, "status_reason");
  out.location = ReadLocation(Member(f, "location"));
  const json& evidence = Member(f, "evidence");
  out.evidence.count = Num(evidence, "count");
  out.evidence.scanned = Num(evidence, "scanned");
  out.evidence.samples = Strings(Member(evidence, "samples"));
  out.evidence.facts = StringMap(Member(evidence, "facts"));
  out.frameworks = StringLists(Member(f, "frameworks"));
  out.remediation = Str(f, "remediation");
  out.entity = Str(f, "entity");
  out.confidence = static_cast<int>(Num(f, "confidence"));
  return out;
}

OutcomeStatus ReadOutcome(const std::string& text) {
  if (text == "fail") return OutcomeStatus::kFail;
  if (text == "not_assessed") return OutcomeStatus::kNotAssessed;
  return OutcomeStatus::kPass;
}

}  // namespace

ScanResult ReadJsonReport(const std::string& text, const std::string& what) {
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("findings") ||
      !doc["findings"].is_array()) {
    throw ReportReadError(what + " is not a crmaudit report.json");
  }
  ScanResult out;
  const json& tool = Member(doc, "tool");
  if (!Str(tool, "name").empty()) out.tool_name = Str(tool, "name");
  out.tool_version = Str(tool, "version");
  const json& scan = Member(doc, "scan");
  out.scan.id = Str(scan, "id");
  out.scan.started_at = Str(scan, "started_at");
  out.scan.finished_at = Str(scan, "finished_at");
  out.scan.complete = Bool(scan, "complete", true);
  for (const json& pack : Member(scan, "policy_packs")) {
    out.scan.policy_packs.push_back({Str(pack, "name"), Str(pack, "version"), Str(pack, "sha256")});
  }
  const std::string previous = Str(Member(scan, "chain"), "previous_sha256");
  if (!previous.empty()) out.scan.previous_sha256 = previous;
  out.scan.options = StringMap(Member(scan, "options"));
  for (const json& t : Member(doc, "targets")) {
    out.targets.push_back({Str(t, "id"), Str(t, "kind"), Str(t, "display")});
  }
  for (const json& c : Member(doc, "coverage")) {
    CoverageEntry entry;
    entry.target = Str(c, "target");
    entry.dataset = Str(c, "dataset");
    const std::string status = Str(c, "status");
    for (CoverageStatus s : {CoverageStatus::kScanned, CoverageStatus::kPartial,
                             CoverageStatus::kSkipped, CoverageStatus::kError}) {
      if (CoverageStatusName(s) == status) entry.status = s;
    }
    entry.rows = Num(c, "rows");
    entry.bytes = Num(c, "bytes");
    entry.sampled = Bool(c, "sampled", false);
    entry.reason = Str(c, "reason");
    entry.format = Str(c, "format");
    entry.encoding = Str(c, "encoding");
    entry.ragged_rows = Num(c, "ragged_rows");
    entry.invalid_bytes = Num(c, "invalid_bytes");
    entry.malformed_records = Num(c, "malformed_records");
    // report.json does not say whether a skip was deliberate; in a complete scan every one was.
    entry.deliberate = entry.status == CoverageStatus::kSkipped && out.scan.complete;
    out.coverage.push_back(std::move(entry));
  }
  for (const json& e : Member(doc, "inventory")) {
    InventoryEntry entry;
    entry.target = Str(e, "target");
    entry.dataset = Str(e, "dataset");
    entry.column = Str(e, "column");
    for (const json& entity : Member(e, "entities")) {
      EntityCount count;
      count.type = Str(entity, "type");
      count.matched = Num(entity, "matched");
      count.scanned = Num(entity, "scanned");
      count.confidence = static_cast<int>(Num(entity, "confidence"));
      entry.entities.push_back(std::move(count));
    }
    out.inventory.push_back(std::move(entry));
  }
  for (const json& f : doc["findings"]) {
    if (f.is_object()) out.findings.push_back(ReadFinding(f));
  }
  for (const json& c : Member(doc, "controls")) {
    ControlResult control;
    control.rule = Str(c, "rule");
    control.target = Str(c, "target");
    control.status = ReadOutcome(Str(c, "status"));
    const json& counts = Member(c, "counts");
    control.passed = Num(counts, "passed");
    control.failed = Num(counts, "failed");
    control.not_assessed = Num(counts, "not_assessed");
    for (const json& object : Member(c, "objects")) {
      control.objects.push_back({Str(object, "name"), ReadOutcome(Str(object, "status"))});
    }
    out.controls.push_back(std::move(control));
  }
  for (const json& r : Member(doc, "rules")) {
    RuleDescription rule;
    rule.id = Str(r, "id");
    rule.title = Str(r, "title");
    rule.category = Str(r, "category");
    rule.severity = ParseSeverity(Str(r, "severity")).value_or(Severity::kMedium);
    rule.risk = Str(r, "risk");
    rule.references = StringLists(Member(r, "references"));
    for (const auto& [locale, text] : Member(r, "texts").items()) {
      rule.texts[locale] = RuleText{Str(text, "title"), Str(text, "risk")};
    }
    out.rules.push_back(std::move(rule));
  }
  const json& summary = Member(doc, "summary");
  for (const auto& [key, value] : Member(summary, "by_severity").items()) {
    if (value.is_number_unsigned()) out.summary.by_severity[key] = value.get<uint64_t>();
  }
  for (const auto& [key, value] : Member(summary, "by_category").items()) {
    if (value.is_number_unsigned()) out.summary.by_category[key] = value.get<uint64_t>();
  }
  out.summary.fail_on = Str(summary, "fail_on");
  out.summary.verdict = Str(summary, "verdict");
  out.summary.complete = Bool(summary, "complete", out.scan.complete);
  out.summary.not_assessed = Num(summary, "not_assessed");
  return out;
}

}  // namespace crmaudit
