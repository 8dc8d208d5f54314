#include "scanner/checks/retention_plan.h"

namespace crmaudit {
namespace {

const PlannedColumn* Find(const std::vector<PlannedColumn>& columns, const std::string& name) {
  for (const auto& column : columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

bool Is(const std::vector<PlannedColumn>& columns, const std::string& name, ColumnKind kind) {
  const PlannedColumn* column = Find(columns, name);
  return column != nullptr && column->kind == kind;
}

}  // namespace

std::vector<AgeProbe> PlanTableAgeProbes(const std::string& schema, const std::string& table,
                                         const std::vector<PlannedColumn>& columns,
                                         const DatabaseControls& controls) {
  std::vector<AgeProbe> probes;
  RetentionRule rule = RetentionFor(controls, schema, table);
  AgeProbe probe;
  probe.schema = schema;
  probe.table = table;
  probe.period = rule.period;
  if (!rule.column.empty() && Find(columns, rule.column) != nullptr) {
    probe.column = rule.column;
    probe.source = "pack mapping";
  } else {
    for (const auto& candidate : controls.retention_candidate_columns) {
      if (Is(columns, candidate, ColumnKind::kTimestamp)) {
        probe.column = candidate;
        probe.source = "automatic";
        break;
      }
    }
  }
  if (!probe.column.empty()) probes.push_back(probe);
  for (const auto& name : controls.soft_delete_columns) {
    if (!Is(columns, name, ColumnKind::kTimestamp)) continue;
    AgeProbe soft = probe;
    soft.column = name;
    soft.period = controls.soft_delete_grace;
    soft.soft_delete = true;
    soft.source = "automatic";
    probes.push_back(soft);
  }
  // Boolean flags: the deletion is dated by the row's modification timestamp when the table
  // keeps one (an upper bound of the age: the row was flagged at or before it).
  std::string modified;
  for (const auto& name : controls.modification_columns) {
    if (Is(columns, name, ColumnKind::kTimestamp)) {
      modified = name;
      break;
    }
  }
  for (const auto& name : controls.soft_delete_flag_columns) {
    if (!Is(columns, name, ColumnKind::kBoolean)) continue;
    AgeProbe soft = probe;
    soft.column = modified;
    soft.flag_column = name;
    soft.period = controls.soft_delete_grace;
    soft.soft_delete = true;
    soft.source = "automatic";
    probes.push_back(soft);
  }
  return probes;
}

}  // namespace crmaudit
