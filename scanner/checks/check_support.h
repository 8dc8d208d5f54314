// CheckSupport: what the database check families share: the finding emitter of the checks
// not yet moved to outcomes, quoting of SQL identifiers for remediation texts, and small
// readers of DatabaseFacts. Internal to checks/ (included by the *_checks.cpp files only).
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/outcome_recorder.h"
#include "scanner/model/fingerprint.h"

namespace crmaudit::check_support {

// Built-in defaults when no pack names a rule; packs normally override them.
struct RuleDefaults {
  const char* rule;
  Severity severity;
  FindingCategory category;
  const char* gdpr;
  const char* pipl;
};

constexpr RuleDefaults kDefaults[] = {
    {"ENC-01", Severity::kHigh, FindingCategory::kEncryption, "Art. 32(1)(a)", "Art. 51"},
    {"ENC-02", Severity::kHigh, FindingCategory::kEncryption, "Art. 32(1)(a)", "Art. 51"},
    {"ENC-03", Severity::kHigh, FindingCategory::kEncryption, "Art. 32(1)(a)", "Art. 51"},
    {"ENC-04", Severity::kHigh, FindingCategory::kEncryption, "Art. 32", "Art. 51"},
    {"ENC-05", Severity::kHigh, FindingCategory::kEncryption, "Art. 32(1)(a)", "Art. 51"},
    {"ENC-06", Severity::kCritical, FindingCategory::kEncryption, "Art. 32", "Art. 51"},
    {"AC-01", Severity::kHigh, FindingCategory::kAccess, "Art. 32(4)", "Art. 51"},
    {"AC-02", Severity::kMedium, FindingCategory::kAccess, "Art. 32(4)", "Art. 51"},
    {"AC-03", Severity::kCritical, FindingCategory::kAccess, "Art. 25(2)", "Art. 51"},
    {"AC-04", Severity::kMedium, FindingCategory::kAccess, "Art. 25", "Art. 51"},
    {"AC-05", Severity::kMedium, FindingCategory::kAccess, "Art. 32(4)", "Art. 51"},
    {"AUD-01", Severity::kMedium, FindingCategory::kAudit, "Art. 5(2)", "Art. 54"},
    {"AUD-02", Severity::kMedium, FindingCategory::kAudit, "Art. 5(1)(c)", "Art. 6"},
    {"BAK-01", Severity::kHigh, FindingCategory::kBackup, "Art. 32(1)(c)", "Art. 51"},
    {"RET-01", Severity::kMedium, FindingCategory::kRetention, "Art. 5(1)(e)", "Art. 19"},
    {"RET-02", Severity::kMedium, FindingCategory::kRetention, "Art. 17", "Art. 47"},
};

inline const RuleDefaults& DefaultsFor(const std::string& rule) {
  for (const auto& d : kDefaults) {
    if (rule == d.rule) return d;
  }
  return kDefaults[0];
}

inline std::string Q(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

class Emitter {
 public:
  Emitter(const DatabaseControls& controls, const DatabaseCheckContext& context,
          std::vector<Finding>* out)
      : controls_(controls), context_(context), out_(out) {}

  bool Enabled(const std::string& rule) const {
    auto it = controls_.checks.find(rule);
    return it == controls_.checks.end() || it->second.enabled;
  }

  Location Base() const {
    Location location;
    location.kind = "postgres";
    location.target = context_.target;
    location.database = context_.database;
    return location;
  }

  Finding& Add(const std::string& rule, std::string title, Location location,
               std::string remediation, std::optional<Severity> escalate = std::nullopt) {
    const RuleDefaults& d = DefaultsFor(rule);
    CheckMeta meta = controls_.Meta(rule, d.severity);
    Finding finding;
    finding.rule = rule;
    finding.title = std::move(title);
    finding.severity = escalate ? std::max(*escalate, meta.severity) : meta.severity;
    finding.category = d.category;
    finding.frameworks = meta.frameworks;
    if (finding.frameworks.empty()) {
      finding.frameworks["GDPR"] = {d.gdpr};
      finding.frameworks["PIPL"] = {d.pipl};
    }
    finding.location = std::move(location);
    finding.remediation = std::move(remediation);
    finding.id = FindingId(rule, finding.location);
    out_->push_back(std::move(finding));
    return out_->back();
  }

  void NotAssessed(const std::string& rule, const std::string& title, const Assessment& assessment,
                   const std::string& remediation) {
    Finding& finding = Add(rule, title, Base(), remediation);
    finding.status = FindingStatus::kNotAssessed;
    finding.status_reason = "not assessed: missing " + assessment.missing_privilege;
    finding.evidence.facts["missing_privilege"] = assessment.missing_privilege;
  }

 private:
  const DatabaseControls& controls_;
  const DatabaseCheckContext& context_;
  std::vector<Finding>* out_;
};

// The server as a location: kind postgres, the target and the database.
inline Location ServerLocation(const DatabaseCheckContext& context) {
  Location location;
  location.kind = "postgres";
  location.target = context.target;
  location.database = context.database;
  return location;
}

inline std::string Setting(const DatabaseFacts& facts, const std::string& name) {
  auto it = facts.settings.find(name);
  return it == facts.settings.end() ? std::string() : it->second;
}

inline bool IsOn(const std::string& value) {
  return value == "on" || value == "true" || value == "1";
}

inline bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Tables (schema, table) holding personal data.
inline std::set<std::pair<std::string, std::string>> PiiTables(
    const std::vector<PiiColumnRef>& pii) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& column : pii) out.insert({column.schema, column.table});
  return out;
}

inline std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// A table (or one of its columns) of the server at `base`.
inline Location TableLocation(const Location& base, const std::string& schema,
                              const std::string& table, const std::string& column = {}) {
  Location location = base;
  location.schema = schema;
  location.table = table;
  location.column = column;
  return location;
}

// The one not_assessed outcome of a check whose facts could not be collected: the reason and
// the evidence name the missing privilege.
inline ControlOutcome& RecordNotAssessed(OutcomeRecorder& record, const Assessment& assessment,
                                         Location location, std::string object = "server",
                                         std::string outcome = "not-assessed") {
  ControlOutcome& missing =
      record.NotAssessed(std::move(outcome), std::move(object), std::move(location),
                         "missing " + assessment.missing_privilege);
  missing.evidence.facts["missing_privilege"] = assessment.missing_privilege;
  return missing;
}

inline Location TableLocation(const Emitter& emit, const std::string& schema,
                              const std::string& table, const std::string& column = {}) {
  return TableLocation(emit.Base(), schema, table, column);
}

}  // namespace crmaudit::check_support
