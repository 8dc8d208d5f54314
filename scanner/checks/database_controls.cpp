#include "scanner/checks/database_controls.h"

#include <fnmatch.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

namespace crmaudit {
namespace {

using nlohmann::json;

[[noreturn]] void Fail(const PolicyPack& pack, const std::string& field, const std::string& what) {
  throw PolicyError(pack.source.string(), "controls." + field, what);
}

std::vector<std::string> StringList(const PolicyPack& pack, const json& node,
                                    const std::string& field) {
  if (!node.is_array()) Fail(pack, field, "must be an array of strings");
  std::vector<std::string> out;
  for (const auto& item : node) {
    if (!item.is_string()) Fail(pack, field, "must be an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

double Number(const PolicyPack& pack, const json& node, const std::string& field) {
  if (!node.is_number() || node.get<double>() <= 0) Fail(pack, field, "must be a positive number");
  return node.get<double>();
}

std::string Period(const PolicyPack& pack, const json& node, const std::string& field) {
  if (!node.is_string() || PeriodDays(node.get<std::string>()) <= 0) {
    Fail(pack, field, "must be a period such as \"90 days\" or \"2 years\"");
  }
  return node.get<std::string>();
}

std::string Shorter(const std::string& a, const std::string& b) {
  return PeriodDays(b) < PeriodDays(a) ? b : a;
}

std::vector<std::string> Intersect(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& item : a) {
    if (std::find(b.begin(), b.end(), item) != b.end()) out.push_back(item);
  }
  return out;
}

}  // namespace

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

CheckMeta DatabaseControls::Meta(const std::string& rule, Severity default_severity) const {
  auto it = checks.find(rule);
  if (it != checks.end()) return it->second;
  CheckMeta meta;
  meta.severity = default_severity;
  return meta;
}

RetentionRule RetentionFor(const DatabaseControls& controls, const std::string& schema,
                           const std::string& table) {
  const std::string name = schema + "." + table;
  for (const auto& rule : controls.retention_rules) {
    if (fnmatch(rule.table_pattern.c_str(), name.c_str(), 0) == 0) return rule;
  }
  RetentionRule rule;
  rule.table_pattern = name;
  rule.period = controls.default_retention;
  return rule;
}

DatabaseControls DatabaseControlsFromPacks(const std::vector<PolicyPack>& packs) {
  DatabaseControls out;
  bool superusers_set = false, powerful_set = false, exempt_set = false, sensitive_set = false;
  bool retention_default_set = false;
  std::set<std::string> sensitive;
  for (const auto& pack : packs) {
    if (pack.controls_json.empty()) continue;
    json controls = json::parse(pack.controls_json, nullptr, false, /*ignore_comments=*/true);
    if (controls.is_discarded() || !controls.is_object()) Fail(pack, "", "must be an object");

    if (controls.contains("checks")) {
      const json& checks = controls["checks"];
      if (!checks.is_object()) Fail(pack, "checks", "must be an object keyed by rule id");
      for (const auto& [rule, spec] : checks.items()) {
        const std::string field = "checks." + rule;
        if (!spec.is_object()) Fail(pack, field, "must be an object");
        CheckMeta meta =
            out.checks.count(rule) ? out.checks[rule] : CheckMeta{Severity::kInfo, {}, true};
        if (spec.contains("severity")) {
          auto severity = spec["severity"].is_string()
                              ? ParseSeverity(spec["severity"].get<std::string>())
                              : std::nullopt;
          if (!severity) Fail(pack, field + ".severity", "must be info|low|medium|high|critical");
          meta.severity = std::max(meta.severity, *severity);
        }
        if (spec.contains("frameworks")) {
          if (!spec["frameworks"].is_object())
            Fail(pack, field + ".frameworks", "must be an object");
          for (const auto& [framework, refs] : spec["frameworks"].items()) {
            for (const auto& ref : StringList(pack, refs, field + ".frameworks." + framework)) {
              auto& list = meta.frameworks[framework];
              if (std::find(list.begin(), list.end(), ref) == list.end()) list.push_back(ref);
            }
          }
        }
        if (spec.contains("enabled")) {
          if (!spec["enabled"].is_boolean()) Fail(pack, field + ".enabled", "must be a boolean");
          meta.enabled = meta.enabled && spec["enabled"].get<bool>();
        }
        out.checks[rule] = meta;
      }
    }
    if (controls.contains("tls")) {
      const json& tls = controls["tls"];
      if (tls.contains("min_protocol_version")) {
        if (!tls["min_protocol_version"].is_string())
          Fail(pack, "tls.min_protocol_version", "must be a string");
        out.min_tls_version =
            std::max(out.min_tls_version, tls["min_protocol_version"].get<std::string>());
      }
    }
    if (controls.contains("roles")) {
      const json& roles = controls["roles"];
      auto merge = [&](const char* key, std::vector<std::string>* list, bool* set) {
        if (!roles.contains(key)) return;
        auto values = StringList(pack, roles[key], std::string("roles.") + key);
        *list = *set ? Intersect(*list, values) : values;
        *set = true;
      };
      merge("superuser_allow_list", &out.superuser_allow_list, &superusers_set);
      merge("powerful_allow_list", &out.powerful_allow_list, &powerful_set);
      merge("expiry_exempt", &out.expiry_exempt_roles, &exempt_set);
    }
    if (controls.contains("encryption")) {
      const json& encryption = controls["encryption"];
      if (encryption.contains("sensitive_entities")) {
        for (const auto& entity :
             StringList(pack, encryption["sensitive_entities"], "encryption.sensitive_entities")) {
          sensitive.insert(entity);
        }
        sensitive_set = true;
      }
    }
    if (controls.contains("backup")) {
      const json& backup = controls["backup"];
      if (backup.contains("max_age_hours")) {
        out.backup_max_age_hours =
            std::min(out.backup_max_age_hours,
                     Number(pack, backup["max_age_hours"], "backup.max_age_hours"));
      }
      if (backup.contains("require_encryption")) {
        if (!backup["require_encryption"].is_boolean())
          Fail(pack, "backup.require_encryption", "must be a boolean");
        out.backup_require_encryption =
            out.backup_require_encryption || backup["require_encryption"].get<bool>();
      }
    }
    if (controls.contains("archive")) {
      const json& archive = controls["archive"];
      if (archive.contains("max_age_hours")) {
        out.archive_max_age_hours =
            std::min(out.archive_max_age_hours,
                     Number(pack, archive["max_age_hours"], "archive.max_age_hours"));
      }
      if (archive.contains("archive_timeout_factor")) {
        out.archive_timeout_factor = std::min(
            out.archive_timeout_factor,
            Number(pack, archive["archive_timeout_factor"], "archive.archive_timeout_factor"));
      }
    }
    if (controls.contains("retention")) {
      const json& retention = controls["retention"];
      if (retention.contains("default_period")) {
        std::string period = Period(pack, retention["default_period"], "retention.default_period");
        out.default_retention =
            retention_default_set ? Shorter(out.default_retention, period) : period;
        retention_default_set = true;
      }
      if (retention.contains("candidate_columns")) {
        for (const auto& column :
             StringList(pack, retention["candidate_columns"], "retention.candidate_columns")) {
          if (std::find(out.retention_candidate_columns.begin(),
                        out.retention_candidate_columns.end(),
                        column) == out.retention_candidate_columns.end()) {
            out.retention_candidate_columns.push_back(column);
          }
        }
      }
      if (retention.contains("soft_delete_columns")) {
        for (const auto& column :
             StringList(pack, retention["soft_delete_columns"], "retention.soft_delete_columns")) {
          if (std::find(out.soft_delete_columns.begin(), out.soft_delete_columns.end(), column) ==
              out.soft_delete_columns.end()) {
            out.soft_delete_columns.push_back(column);
          }
        }
      }
      for (const auto& [key, list] :
           {std::pair<const char*, std::vector<std::string>*>{"soft_delete_flag_columns",
                                                              &out.soft_delete_flag_columns},
            {"modification_columns", &out.modification_columns}}) {
        if (!retention.contains(key)) continue;
        for (const auto& column :
             StringList(pack, retention[key], std::string("retention.") + key)) {
          if (std::find(list->begin(), list->end(), column) == list->end()) {
            list->push_back(column);
          }
        }
      }
      if (retention.contains("soft_delete_grace")) {
        out.soft_delete_grace =
            Shorter(out.soft_delete_grace,
                    Period(pack, retention["soft_delete_grace"], "retention.soft_delete_grace"));
      }
      if (retention.contains("tables")) {
        const json& tables = retention["tables"];
        if (!tables.is_array()) Fail(pack, "retention.tables", "must be an array");
        for (size_t i = 0; i < tables.size(); ++i) {
          const std::string field = "retention.tables[" + std::to_string(i) + "]";
          const json& item = tables[i];
          if (!item.is_object() || !item.contains("table") || !item["table"].is_string() ||
              !item.contains("period")) {
            Fail(pack, field, "needs \"table\" (a schema.table pattern) and \"period\"");
          }
          RetentionRule rule;
          rule.table_pattern = item["table"].get<std::string>();
          rule.period = Period(pack, item["period"], field + ".period");
          if (item.contains("column")) {
            if (!item["column"].is_string()) Fail(pack, field + ".column", "must be a string");
            rule.column = item["column"].get<std::string>();
          }
          // Two packs mapping the same pattern and column: keep the shorter period.
          auto same = std::find_if(
              out.retention_rules.begin(), out.retention_rules.end(), [&](const RetentionRule& r) {
                return r.table_pattern == rule.table_pattern && r.column == rule.column;
              });
          if (same != out.retention_rules.end()) {
            same->period = Shorter(same->period, rule.period);
          } else {
            out.retention_rules.push_back(rule);
          }
        }
      }
    }
  }
  if (sensitive_set) out.sensitive_entities.assign(sensitive.begin(), sensitive.end());
  return out;
}

}  // namespace crmaudit
