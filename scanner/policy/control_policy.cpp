// Reading and merging "controls" objects. One table (kFields) says, for every scalar and list
// parameter, its type and what "stricter" means for it; reading, merging and the header's
// contract follow that table, so a parameter is described once.
#include "scanner/policy/control_policy.h"

#include <fnmatch.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "scanner/model/fingerprint.h"
#include "scanner/policy/json_fields.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

using nlohmann::json;

enum class Kind {
  kNames,          // array of non-empty strings (may be empty)
  kNonEmptyNames,  // same, at least one
  kPositiveNumber,
  kDays,  // whole number of days, 1..36500
  kFlag,
  kTlsVersion,
  kPeriod,
  kSeverity,
};

// What wins when two packs set the same parameter.
enum class Stricter {
  kLower,         // ages, factors, periods
  kHigher,        // TLS version, severities
  kTrue,          // requirements
  kIntersection,  // allow-lists, exemptions
  kUnion,         // names that widen what is assessed
};

struct Field {
  const char* path;  // below "controls"
  Kind kind;
  Stricter stricter;
};

constexpr Field kFields[] = {
    {"tls.min_protocol_version", Kind::kTlsVersion, Stricter::kHigher},
    {"roles.superuser_allow_list", Kind::kNames, Stricter::kIntersection},
    {"roles.powerful_allow_list", Kind::kNames, Stricter::kIntersection},
    {"roles.expiry_exempt", Kind::kNames, Stricter::kIntersection},
    {"encryption.sensitive_entities", Kind::kNonEmptyNames, Stricter::kUnion},
    {"backup.max_age_hours", Kind::kPositiveNumber, Stricter::kLower},
    {"backup.require_encryption", Kind::kFlag, Stricter::kTrue},
    {"archive.max_age_hours", Kind::kPositiveNumber, Stricter::kLower},
    {"archive.archive_timeout_factor", Kind::kPositiveNumber, Stricter::kLower},
    {"retention.default_period", Kind::kPeriod, Stricter::kLower},
    {"retention.candidate_columns", Kind::kNonEmptyNames, Stricter::kUnion},
    {"retention.soft_delete_columns", Kind::kNames, Stricter::kUnion},
    {"retention.soft_delete_flag_columns", Kind::kNames, Stricter::kUnion},
    {"retention.modification_columns", Kind::kNames, Stricter::kUnion},
    {"retention.soft_delete_grace", Kind::kPeriod, Stricter::kLower},
    {"exports.max_age_days", Kind::kDays, Stricter::kLower},
    {"exports.readable_severity", Kind::kSeverity, Stricter::kHigher},
    {"exports.plaintext_severity", Kind::kSeverity, Stricter::kHigher},
    {"exports.stale_severity", Kind::kSeverity, Stricter::kHigher},
};

// The checks crmaudit implements: a "checks" key naming another id is a typo.
const std::set<std::string>& KnownChecks() {
  static const std::set<std::string> kChecks = {
      "ENC-01", "ENC-02", "ENC-03", "ENC-04", "ENC-05", "ENC-06", "ENC-07", "AC-01", "AC-02",
      "AC-03", "AC-04", "AC-05", "AUD-01", "AUD-02", "BAK-01", "BAK-02", "BAK-03", "RET-01",
      "RET-02", "RET-03",
      // The hardening and exposure checks.
      "AC-06", "AUD-03", "AUTH-01", "CFG-01", "CFG-02", "EXT-01", "NET-01"};
  return kChecks;
}

const char* const kTlsVersions[] = {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};

int TlsRank(const std::string& version) {
  for (int i = 0; i < 4; ++i) {
    if (version == kTlsVersions[i]) return i;
  }
  return -1;
}

class LayerReader {
 public:
  explicit LayerReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void Fail(const std::string& path, const std::string& message) const {
    throw PolicyError(file_, "controls" + (path.empty() ? "" : "." + path), message);
  }

  void Object(const json& node, const std::string& path) const {
    if (!node.is_object()) Fail(path, "expected an object");
  }

  void OnlyKeys(const json& node, const std::set<std::string>& allowed,
                const std::string& path) const {
    if (auto unknown = FindUnknownField(node, allowed)) {
      Fail(path.empty() ? unknown->key : path + "." + unknown->key, unknown->message);
    }
  }

  std::vector<std::string> Names(const json& node, const std::string& path) const {
    if (!node.is_array()) Fail(path, "expected an array of strings");
    std::vector<std::string> out;
    for (size_t i = 0; i < node.size(); ++i) {
      if (!node[i].is_string() || node[i].get<std::string>().empty()) {
        Fail(path + "[" + std::to_string(i) + "]", "expected a non-empty string");
      }
      out.push_back(node[i].get<std::string>());
    }
    return out;
  }

  std::string Period(const json& node, const std::string& path) const {
    if (!node.is_string() || PeriodDays(node.get<std::string>()) <= 0) {
      Fail(path, "expected a period such as \"90 days\" or \"2 years\" (at least 1)");
    }
    return node.get<std::string>();
  }

  Severity SeverityValue(const json& node, const std::string& path) const {
    auto parsed = node.is_string() ? ParseSeverity(node.get<std::string>()) : std::nullopt;
    if (!parsed) Fail(path, "expected one of info|low|medium|high|critical");
    return *parsed;
  }

  void ReadField(const Field& field, const json& node, ControlLayer* layer) const {
    const std::string path = field.path;
    switch (field.kind) {
      case Kind::kNames:
      case Kind::kNonEmptyNames: {
        auto names = Names(node, path);
        if (field.kind == Kind::kNonEmptyNames && names.empty()) {
          Fail(path, "expected at least one name");
        }
        layer->string_lists[path] = std::move(names);
        break;
      }
      case Kind::kPositiveNumber:
        if (!node.is_number() || !(node.get<double>() > 0)) {
          Fail(path, "expected a number greater than 0");
        }
        layer->numbers[path] = node.get<double>();
        break;
      case Kind::kDays:
        if (!node.is_number_integer() || node.get<int64_t>() < 1 || node.get<int64_t>() > 36500) {
          Fail(path, "expected a whole number of days between 1 and 36500");
        }
        layer->numbers[path] = static_cast<double>(node.get<int64_t>());
        break;
      case Kind::kFlag:
        if (!node.is_boolean()) Fail(path, "expected true or false");
        layer->flags[path] = node.get<bool>();
        break;
      case Kind::kTlsVersion:
        if (!node.is_string() || TlsRank(node.get<std::string>()) < 0) {
          Fail(path, "expected one of TLSv1|TLSv1.1|TLSv1.2|TLSv1.3");
        }
        layer->texts[path] = node.get<std::string>();
        break;
      case Kind::kPeriod:
        layer->texts[path] = Period(node, path);
        break;
      case Kind::kSeverity:
        layer->severities[path] = SeverityValue(node, path);
        break;
    }
  }

  void ReadChecks(const json& checks, ControlLayer* layer) const {
    Object(checks, "checks");
    for (const auto& [rule, spec] : checks.items()) {
      const std::string path = "checks." + rule;
      if (!KnownChecks().count(rule)) {
        std::string list;
        for (const auto& id : KnownChecks()) list += (list.empty() ? "" : ", ") + id;
        Fail(path, "unknown check (expected one of: " + list + ")");
      }
      Object(spec, path);
      OnlyKeys(spec, {"severity", "frameworks", "enabled"}, path);
      CheckSetting setting;
      if (spec.contains("severity")) {
        if (rule == "ENC-07" || rule == "RET-03") {
          Fail(path + ".severity", rule == "ENC-07" ? "set exports.readable_severity and "
                                                      "exports.plaintext_severity instead"
                                                    : "set exports.stale_severity instead");
        }
        setting.severity = SeverityValue(spec["severity"], path + ".severity");
      }
      if (spec.contains("frameworks")) {
        Object(spec["frameworks"], path + ".frameworks");
        for (const auto& [framework, refs] : spec["frameworks"].items()) {
          if (framework.empty()) Fail(path + ".frameworks", "a framework name is empty");
          setting.frameworks[framework] = Names(refs, path + ".frameworks." + framework);
        }
      }
      if (spec.contains("enabled")) {
        if (!spec["enabled"].is_boolean()) Fail(path + ".enabled", "expected true or false");
        setting.enabled = spec["enabled"].get<bool>();
      }
      layer->checks[rule] = std::move(setting);
    }
  }

  void ReadRetentionTables(const json& tables, ControlLayer* layer) const {
    const std::string path = "retention.tables";
    if (!tables.is_array()) Fail(path, "expected an array of {\"table\", \"period\"} objects");
    layer->sets_retention_rules = true;
    for (size_t i = 0; i < tables.size(); ++i) {
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      const json& item = tables[i];
      Object(item, item_path);
      OnlyKeys(item, {"table", "column", "period"}, item_path);
      if (!item.contains("table")) Fail(item_path + ".table", "is required");
      if (!item.contains("period")) Fail(item_path + ".period", "is required");
      const json& table = item["table"];
      if (!table.is_string() || table.get<std::string>().find('.') == std::string::npos ||
          table.get<std::string>().front() == '.' || table.get<std::string>().back() == '.') {
        Fail(item_path + ".table", "expected a schema.table pattern such as \"*.leads\"");
      }
      RetentionRule rule;
      rule.table_pattern = table.get<std::string>();
      rule.period = Period(item["period"], item_path + ".period");
      if (item.contains("column")) {
        if (!item["column"].is_string() || item["column"].get<std::string>().empty()) {
          Fail(item_path + ".column", "expected a non-empty column name");
        }
        rule.column = item["column"].get<std::string>();
      }
      rule.origin = file_ + ": controls." + item_path;
      layer->retention_rules.push_back(std::move(rule));
    }
  }

 private:
  std::string file_;
};

std::string Section(const std::string& path) { return path.substr(0, path.find('.')); }
std::string Key(const std::string& path) { return path.substr(path.find('.') + 1); }

const Field& FieldFor(const std::string& path) {
  for (const Field& field : kFields) {
    if (path == field.path) return field;
  }
  throw std::logic_error("control parameter missing from kFields: " + path);
}

std::vector<std::string> Combine(const std::vector<std::string>& a,
                                 const std::vector<std::string>& b, Stricter stricter) {
  std::vector<std::string> out;
  if (stricter == Stricter::kIntersection) {
    for (const auto& item : a) {
      if (std::find(b.begin(), b.end(), item) != b.end()) out.push_back(item);
    }
    return out;
  }
  out = a;
  for (const auto& item : b) {
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  return out;
}

std::string StricterText(const std::string& path, const std::string& a, const std::string& b) {
  if (FieldFor(path).kind == Kind::kTlsVersion) return TlsRank(b) > TlsRank(a) ? b : a;
  return PeriodDays(b) < PeriodDays(a) ? b : a;  // periods: the shorter
}

// Folds one pack's layer into the merged packs' layer: the stricter value wins.
void MergeStricter(const ControlLayer& pack, ControlLayer* merged) {
  for (const auto& [rule, setting] : pack.checks) {
    auto [it, fresh] = merged->checks.emplace(rule, setting);
    if (fresh) continue;
    CheckSetting& into = it->second;
    if (setting.severity)
      into.severity = std::max(into.severity.value_or(Severity::kInfo), *setting.severity);
    for (const auto& [framework, refs] : setting.frameworks) {
      into.frameworks[framework] = Combine(into.frameworks[framework], refs, Stricter::kUnion);
    }
    if (setting.enabled) into.enabled = into.enabled.value_or(false) || *setting.enabled;
  }
  for (const auto& [path, names] : pack.string_lists) {
    auto [it, fresh] = merged->string_lists.emplace(path, names);
    if (!fresh) it->second = Combine(it->second, names, FieldFor(path).stricter);
  }
  for (const auto& [path, number] : pack.numbers) {
    auto [it, fresh] = merged->numbers.emplace(path, number);
    if (!fresh) it->second = std::min(it->second, number);
  }
  for (const auto& [path, flag] : pack.flags) {
    auto [it, fresh] = merged->flags.emplace(path, flag);
    if (!fresh) it->second = it->second || flag;
  }
  for (const auto& [path, text] : pack.texts) {
    auto [it, fresh] = merged->texts.emplace(path, text);
    if (!fresh) it->second = StricterText(path, it->second, text);
  }
  for (const auto& [path, severity] : pack.severities) {
    auto [it, fresh] = merged->severities.emplace(path, severity);
    if (!fresh) it->second = std::max(it->second, severity);
  }
  for (const auto& rule : pack.retention_rules) {
    // Two packs mapping the same pattern and column: keep the shorter period.
    auto same =
        std::find_if(merged->retention_rules.begin(), merged->retention_rules.end(),
                     [&](const RetentionRule& r) {
                       return r.table_pattern == rule.table_pattern && r.column == rule.column;
                     });
    if (same == merged->retention_rules.end()) {
      merged->retention_rules.push_back(rule);
    } else if (PeriodDays(rule.period) < PeriodDays(same->period)) {
      *same = rule;
    }
  }
}

// The audit file's layer over the merged packs': its values replace theirs.
void Override(const ControlLayer& audit, ControlLayer* merged) {
  for (const auto& [rule, setting] : audit.checks) {
    CheckSetting& into = merged->checks[rule];
    if (setting.severity) into.severity = setting.severity;
    for (const auto& [framework, refs] : setting.frameworks) into.frameworks[framework] = refs;
    if (setting.enabled) into.enabled = setting.enabled;
  }
  for (const auto& [path, value] : audit.string_lists) merged->string_lists[path] = value;
  for (const auto& [path, value] : audit.numbers) merged->numbers[path] = value;
  for (const auto& [path, value] : audit.flags) merged->flags[path] = value;
  for (const auto& [path, value] : audit.texts) merged->texts[path] = value;
  for (const auto& [path, value] : audit.severities) merged->severities[path] = value;
  // First matching rule applies: the audit file's rules go first.
  merged->retention_rules.insert(merged->retention_rules.begin(), audit.retention_rules.begin(),
                                 audit.retention_rules.end());
}

template <typename T>
void Take(const std::map<std::string, T>& values, const char* path, T* into) {
  auto it = values.find(path);
  if (it != values.end()) *into = it->second;
}

ControlPolicy FromLayer(const ControlLayer& layer) {
  ControlPolicy policy;
  DatabaseControls& db = policy.database;
  for (const auto& [rule, setting] : layer.checks) {
    CheckMeta meta;
    meta.severity_set = setting.severity.has_value();
    if (setting.severity) meta.severity = *setting.severity;
    meta.frameworks = setting.frameworks;
    meta.enabled = setting.enabled.value_or(true);
    if (rule == "ENC-07" || rule == "RET-03") {
      policy.exports.checks[rule] = std::move(meta);
    } else {
      db.checks[rule] = std::move(meta);
    }
  }
  Take(layer.texts, "tls.min_protocol_version", &db.min_tls_version);
  Take(layer.string_lists, "roles.superuser_allow_list", &db.superuser_allow_list);
  Take(layer.string_lists, "roles.powerful_allow_list", &db.powerful_allow_list);
  Take(layer.string_lists, "roles.expiry_exempt", &db.expiry_exempt_roles);
  Take(layer.string_lists, "encryption.sensitive_entities", &db.sensitive_entities);
  Take(layer.numbers, "backup.max_age_hours", &db.backup_max_age_hours);
  Take(layer.flags, "backup.require_encryption", &db.backup_require_encryption);
  Take(layer.numbers, "archive.max_age_hours", &db.archive_max_age_hours);
  Take(layer.numbers, "archive.archive_timeout_factor", &db.archive_timeout_factor);
  Take(layer.texts, "retention.default_period", &db.default_retention);
  Take(layer.string_lists, "retention.candidate_columns", &db.retention_candidate_columns);
  Take(layer.string_lists, "retention.soft_delete_columns", &db.soft_delete_columns);
  Take(layer.string_lists, "retention.soft_delete_flag_columns", &db.soft_delete_flag_columns);
  Take(layer.string_lists, "retention.modification_columns", &db.modification_columns);
  Take(layer.texts, "retention.soft_delete_grace", &db.soft_delete_grace);
  db.retention_rules = layer.retention_rules;
  ExportControls& exports = policy.exports;
  auto days = layer.numbers.find("exports.max_age_days");
  if (days != layer.numbers.end()) exports.max_age_days = static_cast<int>(days->second);
  Take(layer.severities, "exports.readable_severity", &exports.readable_severity);
  Take(layer.severities, "exports.plaintext_severity", &exports.plaintext_severity);
  Take(layer.severities, "exports.stale_severity", &exports.stale_severity);
  return policy;
}

}  // namespace

bool ControlLayer::empty() const {
  return checks.empty() && string_lists.empty() && numbers.empty() && flags.empty() &&
         texts.empty() && severities.empty() && !sets_retention_rules;
}

ControlLayer ReadControlLayer(const json& controls, const std::string& file) {
  LayerReader reader(file);
  ControlLayer layer;
  layer.file = file;
  layer.sha256 = Sha256Hex(controls.dump());
  reader.Object(controls, "");
  std::set<std::string> sections = {"checks"};
  for (const Field& field : kFields) sections.insert(Section(field.path));
  reader.OnlyKeys(controls, sections, "");
  for (const auto& [section, body] : controls.items()) {
    if (section == "checks") {
      reader.ReadChecks(body, &layer);
      continue;
    }
    reader.Object(body, section);
    std::set<std::string> keys;
    for (const Field& field : kFields) {
      if (Section(field.path) == section) keys.insert(Key(field.path));
    }
    if (section == "retention") keys.insert("tables");
    reader.OnlyKeys(body, keys, section);
    for (const auto& [key, value] : body.items()) {
      if (section == "retention" && key == "tables") {
        reader.ReadRetentionTables(value, &layer);
      } else {
        reader.ReadField(FieldFor(section + "." + key), value, &layer);
      }
    }
  }
  return layer;
}

ControlPolicy MergeControlPolicy(const std::vector<const ControlLayer*>& packs,
                                 const ControlLayer* audit_file) {
  ControlLayer merged;
  for (const ControlLayer* pack : packs) {
    if (pack != nullptr) MergeStricter(*pack, &merged);
  }
  if (audit_file != nullptr) Override(*audit_file, &merged);
  return FromLayer(merged);
}

CheckMeta DatabaseControls::Meta(const std::string& rule, Severity default_severity) const {
  auto it = checks.find(rule);
  CheckMeta meta = it != checks.end() ? it->second : CheckMeta{};
  if (!meta.severity_set) meta.severity = default_severity;
  return meta;
}

double PeriodDays(const std::string& period) {
  static const std::regex kPeriod(
      R"(^\s*(\d{1,6})\s*(day|days|week|weeks|month|months|year|years)\s*$)", std::regex::icase);
  std::smatch match;
  if (!std::regex_match(period, match, kPeriod)) return -1;
  const double n = std::stod(match[1].str());
  std::string unit = match[2].str();
  std::transform(unit.begin(), unit.end(), unit.begin(), ::tolower);
  if (unit.rfind("day", 0) == 0) return n;
  if (unit.rfind("week", 0) == 0) return 7 * n;
  if (unit.rfind("month", 0) == 0) return 30 * n;
  return 365 * n;
}

std::vector<RetentionRule> RetentionRulesMatchingNothing(const DatabaseControls& controls,
                                                         const std::vector<std::string>& tables) {
  std::vector<RetentionRule> out;
  for (const auto& rule : controls.retention_rules) {
    const bool matches = std::any_of(tables.begin(), tables.end(), [&](const std::string& name) {
      return fnmatch(rule.table_pattern.c_str(), name.c_str(), 0) == 0;
    });
    if (!matches) out.push_back(rule);
  }
  return out;
}

}  // namespace crmaudit
