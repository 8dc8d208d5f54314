#include "reports/sarif/sarif_report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <vector>

#include "scanner/model/utf8.h"

namespace crmaudit {

namespace {

// Insertion-ordered so the log reads in the order the SARIF specification describes it.
using Json = nlohmann::ordered_json;

std::string Clean(std::string_view text) { return RepairUtf8(text); }

std::string_view Level(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
    case Severity::kHigh:
      return "error";
    case Severity::kMedium:
      return "warning";
    case Severity::kLow:
    case Severity::kInfo:
      return "note";
  }
  return "warning";
}

// GitHub code scanning ranks security alerts by this score (critical >= 9.0, high >= 7.0).
std::string_view SecuritySeverity(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
      return "9.5";
    case Severity::kHigh:
      return "8.0";
    case Severity::kMedium:
      return "5.5";
    case Severity::kLow:
      return "3.0";
    case Severity::kInfo:
      return "";
  }
  return "";
}

// Percent-encodes one path segment (RFC 3986: only unreserved characters stay as they are), so
// names with spaces, '/', '#', '%' or non-ASCII letters still form one valid relative URI
// segment. Dot segments are encoded too, so no name can climb out of its root.
std::string EncodeSegment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  const bool dot_segment = segment == "." || segment == "..";
  for (char c : segment) {
    const auto byte = static_cast<unsigned char>(c);
    if (!dot_segment && (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~')) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    }
  }
  return out;
}

std::string JoinSegments(const std::vector<std::string_view>& segments) {
  std::string out;
  for (std::string_view segment : segments) {
    if (segment.empty()) continue;
    if (!out.empty()) out += '/';
    out += EncodeSegment(segment);
  }
  return out;
}

// A relative URI for the finding: the file's path under the source root (%SRCROOT%) when the
// target lies below one, else under its target root, or a pseudo-path for database objects
// (code-scanning uploads reject foreign schemes such as postgresql://).
std::string ArtifactUri(const Location& location, const std::optional<std::string>& root_path) {
  if (IsDatabaseLocationKind(location.kind)) {
    std::vector<std::string_view> segments = {location.kind};
    segments.push_back(location.database.empty() ? std::string_view("server")
                                                 : std::string_view(location.database));
    segments.push_back(location.schema);
    segments.push_back(location.table);
    return JoinSegments(segments);
  }
  std::vector<std::string_view> segments;
  auto add_path = [&segments](std::string_view path) {
    while (!path.empty()) {
      const size_t slash = path.find('/');
      segments.push_back(path.substr(0, slash));
      if (slash == std::string_view::npos) break;
      path.remove_prefix(slash + 1);
    }
  };
  if (root_path) add_path(*root_path);
  add_path(location.path);
  std::string uri = JoinSegments(segments);
  if (uri.empty()) uri = EncodeSegment(location.target.empty() ? "target" : location.target);
  return uri;
}

std::string DottedName(const Location& location) {
  std::string out;
  for (const std::string* part :
       {&location.database, &location.schema, &location.table, &location.column}) {
    if (part->empty()) continue;
    if (!out.empty()) out += '.';
    out += *part;
  }
  return out;
}

Json LogicalLocations(const Location& location) {
  Json list = Json::array();
  if (IsDatabaseLocationKind(location.kind)) {
    const std::string qualified = DottedName(location);
    if (qualified.empty()) return list;
    std::string_view kind = "module";
    std::string_view name = location.database;
    if (!location.column.empty()) {
      kind = "member";
      name = location.column;
    } else if (!location.table.empty()) {
      kind = "table";
      name = location.table;
    } else if (!location.schema.empty()) {
      kind = "namespace";
      name = location.schema;
    }
    list.push_back(Json{{"name", Clean(name)},
                        {"fullyQualifiedName", Clean(qualified)},
                        {"kind", std::string(kind)}});
  } else if (!location.column.empty()) {
    list.push_back(Json{{"name", Clean(location.column)},
                        {"fullyQualifiedName", Clean(location.path + "/" + location.column)},
                        {"kind", "member"}});
  }
  return list;
}

std::string LocationText(const Location& location) {
  if (IsDatabaseLocationKind(location.kind)) {
    const std::string dotted = DottedName(location);
    return dotted.empty() ? "the database server" : dotted;
  }
  std::string out = location.path;
  if (!location.column.empty()) out += ", column " + location.column;
  return out;
}

std::string MessageText(const Finding& f) {
  std::string text = f.title.empty() ? f.rule : f.title;
  if (f.status == FindingStatus::kNotAssessed) {
    text = "Not assessed: " + text;
    if (!f.status_reason.empty()) text += " (" + f.status_reason + ")";
  }
  text += " in " + LocationText(f.location);
  for (const auto& [key, value] : f.location.extra) text += " [" + key + "=" + value + "]";
  text += ".";
  if (f.evidence.scanned > 0) {
    text += " " + std::to_string(f.evidence.count) + " of " + std::to_string(f.evidence.scanned) +
            " examined";
    if (!f.entity.empty()) text += " matched " + f.entity;
    text += ".";
  } else if (f.evidence.count > 0) {
    text += " Count: " + std::to_string(f.evidence.count) + ".";
  }
  if (!f.evidence.samples.empty()) {
    text += " Masked samples: ";
    for (size_t i = 0; i < f.evidence.samples.size(); ++i) {
      if (i != 0) text += ", ";
      text += f.evidence.samples[i];
    }
    text += ".";
  }
  for (const auto& [key, value] : f.evidence.facts) text += " " + key + ": " + value + ".";
  return Clean(text);
}

std::string FrameworksText(const std::map<std::string, std::set<std::string>>& frameworks) {
  std::string out;
  for (const auto& [framework, articles] : frameworks) {
    if (!out.empty()) out += " ";
    out += framework + ":";
    bool first = true;
    for (const std::string& article : articles) {
      out += (first ? " " : "; ") + article;
      first = false;
    }
    out += ".";
  }
  return out;
}

// "email-address" -> "EmailAddress": SARIF recommends an identifier-like rule name.
std::string RuleName(std::string_view rule) {
  std::string out;
  bool start = true;
  for (char c : rule) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      start = true;
      continue;
    }
    out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    start = false;
  }
  return out.empty() ? "Rule" : out;
}

// What the log says about one rule: the catalog entry the scan recorded (result.rules; absent
// for detector rules) and what the findings that carry it add.
struct RuleSummary {
  const RuleDescription* description = nullptr;
  const Finding* first = nullptr;  // in model order; gives remediation (and a title without a
                                   // catalog entry)
  std::optional<Severity> worst;
  std::set<std::string> entities;
  std::map<std::string, std::set<std::string>> frameworks;
};

std::string ReferencesText(const std::map<std::string, std::vector<std::string>>& references) {
  std::string out;
  for (const auto& [source, ids] : references) {
    if (!out.empty()) out += " ";
    out += source + ":";
    for (size_t i = 0; i < ids.size(); ++i) out += (i == 0 ? " " : "; ") + ids[i];
    out += ".";
  }
  return out;
}

Json RuleJson(const std::string& id, const RuleSummary& rule) {
  const RuleDescription* d = rule.description;
  const Finding* f = rule.first;
  std::string title = id;
  if (d != nullptr && !d->title.empty()) {
    title = d->title;
  } else if (f != nullptr && !f->title.empty()) {
    title = f->title;
  }
  const std::string category =
      d != nullptr && !d->category.empty()
          ? d->category
          : std::string(CategoryName(f != nullptr ? f->category : FindingCategory::kConfiguration));
  // The check's severity (the catalog's or the packs'), raised by any finding above it (an
  // object whose outcome sets its own severity): code scanning ranks alerts by the rule's score.
  Severity severity = Severity::kInfo;
  if (d != nullptr) severity = d->severity;
  if (rule.worst) severity = d != nullptr ? std::max(severity, *rule.worst) : *rule.worst;

  const std::string frameworks = FrameworksText(rule.frameworks);
  const std::string references = d != nullptr ? ReferencesText(d->references) : "";
  std::string full;
  if (d != nullptr && !d->risk.empty()) {
    full = d->risk;
  } else {
    full = title + ". Category: " + category + ".";
    if (!rule.entities.empty()) {
      full += " Entity types:";
      for (const std::string& entity : rule.entities) full += " " + entity;
      full += ".";
    }
    if (!frameworks.empty()) full += " " + frameworks;
  }
  std::string help;
  if (f != nullptr && !f->remediation.empty()) {
    help = f->remediation;
  } else if (d != nullptr) {
    help = title + "." + (d->risk.empty() ? "" : " " + d->risk);
  } else {
    help = "Review the finding and fix its cause.";
  }
  if (!references.empty()) help += "\n\nReferences: " + references;
  if (!frameworks.empty()) help += "\n\nFrameworks: " + frameworks;

  Json tags = Json::array();
  std::set<std::string> seen;
  auto tag = [&](const std::string& value) {
    if (!value.empty() && seen.insert(value).second) tags.push_back(Clean(value));
  };
  tag(category);
  for (const std::string& entity : rule.entities) tag(entity);
  for (const auto& [framework, articles] : rule.frameworks) tag(framework);
  tag(category == CategoryName(FindingCategory::kPii) ? "privacy" : "security");

  Json properties = {{"tags", tags}, {"category", Clean(category)}};
  const std::string_view score = SecuritySeverity(severity);
  if (!score.empty()) properties["security-severity"] = std::string(score);
  Json frameworks_json = Json::object();
  for (const auto& [framework, articles] : rule.frameworks) {
    Json list = Json::array();
    for (const std::string& article : articles) list.push_back(Clean(article));
    frameworks_json[Clean(framework)] = list;
  }
  properties["frameworks"] = frameworks_json;
  if (d != nullptr) {
    properties["severity"] = std::string(SeverityName(d->severity));
    Json references_json = Json::object();
    for (const auto& [source, ids] : d->references) {
      Json list = Json::array();
      for (const std::string& ref : ids) list.push_back(Clean(ref));
      references_json[Clean(source)] = list;
    }
    properties["references"] = references_json;
  }

  return Json{{"id", Clean(id)},
              {"name", Clean(RuleName(id))},
              {"shortDescription", {{"text", Clean(title)}}},
              {"fullDescription", {{"text", Clean(full)}}},
              {"help", {{"text", Clean(help)}}},
              {"defaultConfiguration", {{"level", std::string(Level(severity))}}},
              {"properties", properties}};
}

Json ResultJson(const Finding& f, size_t rule_index,
                const std::map<std::string, std::string>& root_paths) {
  Json result = {{"ruleId", Clean(f.rule)}, {"ruleIndex", rule_index}};
  if (f.status == FindingStatus::kNotAssessed) {
    // A check that could not run is a call for review, not a pass and not a failure; SARIF
    // requires level "none" whenever kind is not "fail".
    result["kind"] = "review";
    result["level"] = "none";
  } else {
    result["kind"] = "fail";
    result["level"] = std::string(Level(f.severity));
  }
  result["message"] = {{"text", MessageText(f)}};

  std::optional<std::string> root_path;
  if (f.location.kind == "file") {
    if (auto it = root_paths.find(f.location.target); it != root_paths.end()) {
      root_path = it->second;
    }
  }
  Json artifact = {{"uri", ArtifactUri(f.location, root_path)}};
  if (root_path) artifact["uriBaseId"] = kSarifSourceRoot;
  Json physical = {{"artifactLocation", artifact}};
  // The file's own line (a header row counts) when the reader knew it for certain; otherwise
  // no region, so the alert sits on the file rather than on a line that is not the row.
  if (f.location.line && *f.location.line > 0) {
    physical["region"] = {{"startLine", *f.location.line}};
  }
  Json location = {{"physicalLocation", physical}};
  Json logical = LogicalLocations(f.location);
  if (!logical.empty()) location["logicalLocations"] = logical;
  result["locations"] = Json::array({location});
  result["partialFingerprints"] = {{kSarifFingerprintKey, Clean(f.id)}};

  // Compared with the baseline given to the scan (none: everything is new).
  result["baselineState"] = f.status == FindingStatus::kBaselined ? "unchanged" : "new";
  if (f.status == FindingStatus::kBaselined) {
    // Also suppressed, so code-scanning UIs that ignore baselineState do not re-open accepted
    // findings.
    result["suppressions"] = Json::array(
        {{{"kind", "external"},
          {"status", "accepted"},
          {"justification",
           Clean("In the accepted baseline" +
                 (f.status_reason.empty() ? std::string() : ": " + f.status_reason))}}});
  } else if (f.status == FindingStatus::kSuppressed) {
    result["suppressions"] = Json::array(
        {{{"kind", "external"},
          {"status", "accepted"},
          {"justification", Clean(f.status_reason.empty() ? "Suppressed" : f.status_reason)}}});
  }

  Json samples = Json::array();
  for (const std::string& sample : f.evidence.samples) samples.push_back(Clean(sample));
  Json properties = {{"severity", std::string(SeverityName(f.severity))},
                     {"category", std::string(CategoryName(f.category))},
                     {"status", std::string(StatusName(f.status))}};
  if (!f.status_reason.empty()) properties["statusReason"] = Clean(f.status_reason);
  if (!f.entity.empty()) properties["entity"] = Clean(f.entity);
  if (f.confidence > 0) properties["confidence"] = f.confidence;
  properties["count"] = f.evidence.count;
  properties["scanned"] = f.evidence.scanned;
  properties["samples"] = samples;
  if (!f.location.target.empty()) properties["target"] = Clean(f.location.target);
  Json frameworks = Json::object();
  for (const auto& [framework, articles] : f.frameworks) {
    Json list = Json::array();
    for (const std::string& article : articles) list.push_back(Clean(article));
    frameworks[Clean(framework)] = list;
  }
  properties["frameworks"] = frameworks;
  result["properties"] = properties;
  return result;
}

// A passed control check on one target: kind "pass" (level "none", as SARIF requires for any
// kind but "fail"), placed on the target itself (the database server's pseudo-path, or the
// folder's path from the source root) since code-scanning uploads reject a result without a
// location.
Json PassJson(const ControlResult& control, size_t rule_index, const RuleSummary& rule,
              const ScanResult& scan_result) {
  Location location;
  location.kind = "file";
  location.target = control.target;
  for (const TargetInfo& target : scan_result.targets) {
    if (target.id == control.target && IsDatabaseLocationKind(target.kind)) {
      location.kind = target.kind;
    }
  }
  std::optional<std::string> root_path;
  if (location.kind == "file") {
    auto it = scan_result.source_root_paths.find(control.target);
    if (it != scan_result.source_root_paths.end() && !it->second.empty()) root_path = it->second;
  }
  Json artifact = {{"uri", ArtifactUri(location, root_path)}};
  if (root_path) artifact["uriBaseId"] = kSarifSourceRoot;

  const std::string title = rule.description != nullptr && !rule.description->title.empty()
                                ? rule.description->title
                                : control.rule;
  std::string text = "Passed: " + title + " on target " + control.target + "; " +
                     std::to_string(control.passed) +
                     (control.passed == 1 ? " object" : " objects") + " examined";
  if (!control.objects.empty()) {
    text += ":";
    for (size_t i = 0; i < control.objects.size(); ++i) {
      text += (i == 0 ? " " : ", ") + control.objects[i].name;
    }
  }
  text += ".";
  Json objects = Json::array();
  for (const ControlObject& object : control.objects) objects.push_back(Clean(object.name));
  return Json{
      {"ruleId", Clean(control.rule)},
      {"ruleIndex", rule_index},
      {"kind", "pass"},
      {"level", "none"},
      {"message", {{"text", Clean(text)}}},
      {"locations", Json::array({{{"physicalLocation", {{"artifactLocation", artifact}}}}})},
      {"partialFingerprints", {{kSarifControlKey, Clean(control.rule + "/" + control.target)}}},
      {"properties",
       {{"status", "pass"},
        {"target", Clean(control.target)},
        {"passed", control.passed},
        {"objects", objects}}}};
}

Json InvocationJson(const ScanResult& scan_result) {
  Json invocation = {{"executionSuccessful", scan_result.scan.complete}};
  invocation["properties"] = {{"verdict", Clean(scan_result.summary.verdict)},
                              {"complete", scan_result.scan.complete},
                              {"notAssessed", scan_result.summary.not_assessed}};
  if (!scan_result.scan.started_at.empty()) {
    invocation["startTimeUtc"] = Clean(scan_result.scan.started_at);
  }
  if (!scan_result.scan.finished_at.empty()) {
    invocation["endTimeUtc"] = Clean(scan_result.scan.finished_at);
  }
  Json notifications = Json::array();
  for (const CoverageEntry& entry : scan_result.coverage) {
    if (!IsIncomplete(entry)) continue;
    std::string text = entry.target + ": " + entry.dataset + " was not read completely (" +
                       std::string(CoverageStatusName(entry.status)) + ")";
    if (!entry.reason.empty()) text += ": " + entry.reason;
    notifications.push_back(
        {{"level", entry.status == CoverageStatus::kError ? "error" : "warning"},
         {"message", {{"text", Clean(text + ".")}}}});
  }
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;
  return invocation;
}

}  // namespace

std::string RenderSarifReport(const ScanResult& scan_result, const SarifOptions& options) {
  // Rules are keyed (and indexed) by id in sorted order so the log does not depend on the
  // order in which findings and controls were produced: every rule a finding carries, and
  // every control check the scan evaluated (described by its catalog entry).
  std::map<std::string, RuleSummary> rules;
  for (const RuleDescription& description : scan_result.rules) {
    rules[description.id].description = &description;
  }
  for (const ControlResult& control : scan_result.controls) rules[control.rule];
  for (const Finding& f : scan_result.findings) {
    RuleSummary& rule = rules[f.rule];
    if (rule.first == nullptr) rule.first = &f;
    rule.worst = rule.worst ? std::max(*rule.worst, f.severity) : f.severity;
    if (!f.entity.empty()) rule.entities.insert(f.entity);
    for (const auto& [framework, articles] : f.frameworks) {
      rule.frameworks[framework].insert(articles.begin(), articles.end());
    }
  }
  std::map<std::string, size_t> rule_index;
  Json rules_json = Json::array();
  for (const auto& [id, rule] : rules) {
    rule_index[id] = rules_json.size();
    rules_json.push_back(RuleJson(id, rule));
  }

  Json driver = {
      {"name", Clean(scan_result.tool_name.empty() ? "crmaudit" : scan_result.tool_name)}};
  if (!scan_result.tool_version.empty()) {
    driver["version"] = Clean(scan_result.tool_version);
    driver["semanticVersion"] = Clean(scan_result.tool_version);
  }
  driver["rules"] = rules_json;

  Json results = Json::array();
  for (const Finding& f : scan_result.findings) {
    results.push_back(ResultJson(f, rule_index.at(f.rule), scan_result.source_root_paths));
  }
  uint64_t passed = 0, failed = 0, not_assessed = 0;
  std::vector<const ControlResult*> passes;
  for (const ControlResult& control : scan_result.controls) {
    if (control.status == OutcomeStatus::kPass) {
      ++passed;
      passes.push_back(&control);
    }
    if (control.status == OutcomeStatus::kFail) ++failed;
    if (control.status == OutcomeStatus::kNotAssessed) ++not_assessed;
  }
  if (options.include_passes) {
    std::stable_sort(passes.begin(), passes.end(),
                     [](const ControlResult* a, const ControlResult* b) {
                       return std::tie(a->rule, a->target) < std::tie(b->rule, b->target);
                     });
    for (const ControlResult* control : passes) {
      results.push_back(
          PassJson(*control, rule_index.at(control->rule), rules.at(control->rule), scan_result));
    }
  }

  Json packs = Json::array();
  for (const PolicyPackRef& pack : scan_result.scan.policy_packs) {
    packs.push_back(
        {{"name", Clean(pack.name)}, {"version", Clean(pack.version)}, {"sha256", pack.sha256}});
  }
  Json run = {
      {"tool", {{"driver", driver}}},
      {"invocations", Json::array({InvocationJson(scan_result)})},
      {"columnKind", "unicodeCodePoints"},
      {"results", results},
      {"properties",
       {{"scanId", Clean(scan_result.scan.id)},
        {"complete", scan_result.scan.complete},
        {"verdict", Clean(scan_result.summary.verdict)},
        {"notAssessed", scan_result.summary.not_assessed},
        {"controls", {{"passed", passed}, {"failed", failed}, {"notAssessed", not_assessed}}},
        {"failOn", Clean(scan_result.summary.fail_on)},
        {"policyPacks", packs}}}};
  Json log = {{"$schema", kSarifSchemaUri}, {"version", "2.1.0"}, {"runs", Json::array({run})}};
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace crmaudit
