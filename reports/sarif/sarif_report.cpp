#include "reports/sarif/sarif_report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string_view>
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
  if (location.kind == "postgres") {
    std::vector<std::string_view> segments = {"postgres"};
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
  if (location.kind == "postgres") {
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
  if (location.kind == "postgres") {
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

// What the log says about one rule, gathered from the findings that carry it.
struct RuleSummary {
  const Finding* first = nullptr;  // in model order; gives title, category and remediation
  Severity worst = Severity::kInfo;
  std::set<std::string> entities;
  std::map<std::string, std::set<std::string>> frameworks;
};

Json RuleJson(const std::string& id, const RuleSummary& rule) {
  const Finding& f = *rule.first;
  const std::string title = f.title.empty() ? id : f.title;
  const std::string frameworks = FrameworksText(rule.frameworks);
  std::string full = title + ". Category: " + std::string(CategoryName(f.category)) + ".";
  if (!rule.entities.empty()) {
    full += " Entity types:";
    for (const std::string& entity : rule.entities) full += " " + entity;
    full += ".";
  }
  if (!frameworks.empty()) full += " " + frameworks;
  std::string help =
      f.remediation.empty() ? "Review the finding and fix its cause." : f.remediation;
  if (!frameworks.empty()) help += "\n\nFrameworks: " + frameworks;

  Json tags = Json::array();
  std::set<std::string> seen;
  auto tag = [&](const std::string& value) {
    if (!value.empty() && seen.insert(value).second) tags.push_back(Clean(value));
  };
  tag(std::string(CategoryName(f.category)));
  for (const std::string& entity : rule.entities) tag(entity);
  for (const auto& [framework, articles] : rule.frameworks) tag(framework);
  tag(f.category == FindingCategory::kPii ? "privacy" : "security");

  Json properties = {{"tags", tags}, {"category", std::string(CategoryName(f.category))}};
  const std::string_view score = SecuritySeverity(rule.worst);
  if (!score.empty()) properties["security-severity"] = std::string(score);
  Json frameworks_json = Json::object();
  for (const auto& [framework, articles] : rule.frameworks) {
    Json list = Json::array();
    for (const std::string& article : articles) list.push_back(Clean(article));
    frameworks_json[Clean(framework)] = list;
  }
  properties["frameworks"] = frameworks_json;

  return Json{{"id", Clean(id)},
              {"name", Clean(RuleName(id))},
              {"shortDescription", {{"text", Clean(title)}}},
              {"fullDescription", {{"text", Clean(full)}}},
              {"help", {{"text", Clean(help)}}},
              {"defaultConfiguration", {{"level", std::string(Level(rule.worst))}}},
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

std::string RenderSarifReport(const ScanResult& scan_result) {
  // Rules are keyed (and indexed) by id in sorted order so the log does not depend on the
  // order in which findings were produced.
  std::map<std::string, RuleSummary> rules;
  for (const Finding& f : scan_result.findings) {
    RuleSummary& rule = rules[f.rule];
    if (rule.first == nullptr) {
      rule.first = &f;
      rule.worst = f.severity;
    }
    rule.worst = std::max(rule.worst, f.severity);
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

  Json packs = Json::array();
  for (const PolicyPackRef& pack : scan_result.scan.policy_packs) {
    packs.push_back(
        {{"name", Clean(pack.name)}, {"version", Clean(pack.version)}, {"sha256", pack.sha256}});
  }
  Json run = {{"tool", {{"driver", driver}}},
              {"invocations", Json::array({InvocationJson(scan_result)})},
              {"columnKind", "unicodeCodePoints"},
              {"results", results},
              {"properties",
               {{"scanId", Clean(scan_result.scan.id)},
                {"complete", scan_result.scan.complete},
                {"verdict", Clean(scan_result.summary.verdict)},
                {"notAssessed", scan_result.summary.not_assessed},
                {"failOn", Clean(scan_result.summary.fail_on)},
                {"policyPacks", packs}}}};
  Json log = {{"$schema", kSarifSchemaUri}, {"version", "2.1.0"}, {"runs", Json::array({run})}};
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace crmaudit
