// Reading and merging "controls" objects. One table (kFields) says, for every scalar and list
// parameter, its type and what "stricter" means for it; reading, merging and the header's
// contract follow that table, so a parameter is described once.
#include "scanner/policy/control_policy.h"

#include <fnmatch.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include <re2/re2.h>

#include "scanner/model/fingerprint.h"
#include "scanner/model/input_file.h"
#include "scanner/policy/check_catalog.h"
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
    {"accounts.admin_allow_list", Kind::kNames, Stricter::kIntersection},
    {"accounts.max_password_lifetime_days", Kind::kPositiveNumber, Stricter::kLower},
    {"encryption.sensitive_entities", Kind::kNonEmptyNames, Stricter::kUnion},
    {"extensions.risky", Kind::kNames, Stricter::kUnion},
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

// The word parameters.json uses for each kind ("type").
const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kNames:
      return "names";
    case Kind::kNonEmptyNames:
      return "non_empty_names";
    case Kind::kPositiveNumber:
      return "positive_number";
    case Kind::kDays:
      return "days";
    case Kind::kFlag:
      return "flag";
    case Kind::kTlsVersion:
      return "tls_version";
    case Kind::kPeriod:
      return "period";
    case Kind::kSeverity:
      return "severity";
  }
  return "";
}

// The per-check settings of parameters.json and their types; their defaults are the catalog
// entry's (severity, references) or CheckMeta's (enabled).
struct CheckSettingParameter {
  const char* name;
  const char* type;
  const char* default_json;
};
constexpr CheckSettingParameter kCheckSettings[] = {
    {"checks.<ID>.severity", "severity", "null"},
    {"checks.<ID>.frameworks", "frameworks", "null"},
    {"checks.<ID>.enabled", "flag", "true"},
};
constexpr const char* kRetentionTables = "retention.tables";

// The checks crmaudit implements, from the shipped check catalog (policy/check_catalog.h):
// a "checks" key naming another id is a typo. Read once, when the first pack maps a check.
const std::set<std::string>& KnownChecks() {
  static const std::set<std::string> kChecks = [] {
    std::set<std::string> ids;
    const CheckCatalog catalog =
        LoadCheckCatalog(ShippedCheckCatalogDir(DefaultPolicySearchDirs()));
    for (const CheckDefinition& check : catalog.checks()) ids.insert(check.id);
    return ids;
  }();
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
  merged->sets_retention_rules = merged->sets_retention_rules || pack.sets_retention_rules;
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
  Take(layer.string_lists, "accounts.admin_allow_list", &db.admin_allow_list);
  Take(layer.numbers, "accounts.max_password_lifetime_days", &db.max_password_lifetime_days);
  Take(layer.string_lists, "encryption.sensitive_entities", &db.sensitive_entities);
  Take(layer.string_lists, "extensions.risky", &db.risky_extensions);
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

ControlPolicy MergeControlPolicy(const ControlLayer& defaults,
                                 const std::vector<const ControlLayer*>& packs,
                                 const ControlLayer* audit_file) {
  ControlLayer merged;
  for (const ControlLayer* pack : packs) {
    if (pack != nullptr) MergeStricter(*pack, &merged);
  }
  // A value the packs set replaces the default (Override); so do their retention rules.
  ControlLayer effective = defaults;
  if (merged.sets_retention_rules) effective.retention_rules.clear();
  Override(merged, &effective);
  if (audit_file != nullptr) Override(*audit_file, &effective);
  return FromLayer(effective);
}

ControlPolicy MergeControlPolicy(const std::vector<const ControlLayer*>& packs,
                                 const ControlLayer* audit_file) {
  return MergeControlPolicy(ShippedControlDefaults(), packs, audit_file);
}

bool ControlParameters::Has(const std::string& name) const {
  return std::any_of(parameters.begin(), parameters.end(),
                     [&](const ControlParameter& parameter) { return parameter.name == name; });
}

ControlParameters ReadControlParameters(const json& doc, const std::string& file) {
  auto fail = [&](const std::string& field, const std::string& message) {
    throw PolicyError(file, field, message);
  };
  if (!doc.is_object()) fail("", "not a JSON object (invalid JSON?)");
  if (auto unknown = FindUnknownField(doc, std::set<std::string>{"description", "parameters"})) {
    fail(unknown->key, unknown->message);
  }
  if (!doc.contains("parameters") || !doc.at("parameters").is_array()) {
    fail("parameters", "expected a list of parameters");
  }
  ControlParameters out;
  out.file = file;
  json controls = json::object();
  const std::set<std::string> kEntryFields = {"name", "type", "default", "description"};
  const json& list = doc.at("parameters");
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = "parameters[" + std::to_string(i) + "]";
    const json& entry = list[i];
    if (!entry.is_object()) fail(where, "expected an object");
    if (auto unknown = FindUnknownField(entry, kEntryFields)) {
      fail(where + "." + unknown->key, unknown->message);
    }
    for (const char* key : {"name", "type", "description"}) {
      if (!entry.contains(key) || !entry.at(key).is_string() ||
          entry.at(key).get<std::string>().empty()) {
        fail(where + "." + key, "expected a non-empty string");
      }
    }
    if (!entry.contains("default")) fail(where + ".default", "missing (null when none)");
    ControlParameter parameter;
    parameter.name = entry.at("name").get<std::string>();
    parameter.type = entry.at("type").get<std::string>();
    parameter.description = entry.at("description").get<std::string>();
    parameter.default_json = entry.at("default").dump();
    if (out.Has(parameter.name))
      fail(where + ".name", "\"" + parameter.name + "\" is listed twice");
    // The type the reader gives the parameter; the file must say the same.
    std::string type;
    const CheckSettingParameter* setting = nullptr;
    for (const auto& candidate : kCheckSettings) {
      if (parameter.name == candidate.name) setting = &candidate;
    }
    if (setting != nullptr) {
      type = setting->type;
      if (parameter.default_json != setting->default_json) {
        fail(where + ".default", std::string("expected ") + setting->default_json +
                                     " (the default of a per-check setting is not data)");
      }
    } else if (parameter.name == kRetentionTables) {
      type = "retention_rules";
    } else {
      for (const Field& field : kFields) {
        if (parameter.name == field.path) type = KindName(field.kind);
      }
      if (type.empty())
        fail(where + ".name", "unknown control parameter \"" + parameter.name + "\"");
    }
    if (parameter.type != type) {
      fail(where + ".type", "\"" + parameter.type + "\" is not the type of " + parameter.name +
                                " (expected \"" + type + "\")");
    }
    if (setting == nullptr) {
      // The default goes through the pack reader, alone first so a refusal names this entry.
      json one = json::object();
      one[Section(parameter.name)][Key(parameter.name)] = entry.at("default");
      try {
        ReadControlLayer(one, file);
      } catch (const PolicyError& error) {
        fail(where + ".default", error.message());
      }
      controls[Section(parameter.name)][Key(parameter.name)] = entry.at("default");
    }
    out.parameters.push_back(std::move(parameter));
  }
  // Every parameter needs its default here: the C++ structs hold none.
  std::vector<std::string> needed = {kRetentionTables};
  for (const Field& field : kFields) needed.push_back(field.path);
  for (const auto& setting : kCheckSettings) needed.push_back(setting.name);
  for (const auto& name : needed) {
    if (!out.Has(name)) fail("parameters", "control parameter " + name + " is missing");
  }
  out.defaults = ReadControlLayer(controls, file);
  // The defaults are not rules written by someone: their origin names the parameters file.
  for (size_t i = 0; i < out.defaults.retention_rules.size(); ++i) {
    out.defaults.retention_rules[i].origin =
        file + ": retention.tables[" + std::to_string(i) + "] (default)";
  }
  return out;
}

ControlParameters LoadControlParameters(const std::filesystem::path& file) {
  std::string reason;
  const std::optional<std::string> read = ReadInputFile(file, kMaxSmallInputBytes, &reason);
  if (!read) {
    throw PolicyError(file.string(), "", "cannot read the control parameters file: " + reason);
  }
  const std::string& bytes = *read;
  const json doc =
      json::parse(bytes, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (doc.is_discarded()) throw PolicyError(file.string(), "", "not a JSON object (invalid JSON?)");
  return ReadControlParameters(doc, file.string());
}

const ControlLayer& ShippedControlDefaults() {
  static const ControlParameters shipped =
      LoadControlParameters(ShippedCheckCatalogDir(DefaultPolicySearchDirs()) / "parameters.json");
  return shipped.defaults;
}

CheckMeta DatabaseControls::Meta(const std::string& rule, Severity default_severity) const {
  auto it = checks.find(rule);
  CheckMeta meta = it != checks.end() ? it->second : CheckMeta{};
  if (!meta.severity_set) meta.severity = default_severity;
  return meta;
}

double PeriodDays(const std::string& period) {
  // RE2, not std::regex: a case-insensitive std::regex costs a millisecond to compile at every
  // start. Whitespace as isspace() knows it (RE2's \s lacks \v); Latin-1, so that only ASCII
  // letters fold ("ſ" is no "s"), as in std::regex's byte-wise icase.
  static const RE2 kPeriod(
      R"((?i)[ \t\n\v\f\r]*([0-9]{1,6})[ \t\n\v\f\r]*(day|days|week|weeks|month|months|year|years)[ \t\n\v\f\r]*)",
      RE2::Latin1);
  std::string count;
  std::string unit;
  if (!RE2::FullMatch(period, kPeriod, &count, &unit)) return -1;
  const double n = std::stod(count);
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
