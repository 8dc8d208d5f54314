// PII findings: turning column profiles of one dataset into inventory rows and findings.
//
// Pure: no I/O. One inventory entry per column holding at least one entity; one finding per
// (column, entity type) with counts, at most three masked samples, and the severity,
// frameworks and remediation of the detector that confirmed the most values. The finding id is
// keyed on the entity type and logical location, so it survives a change of winning detector. Used
// for files and database tables alike; the caller supplies the dataset's base location (kind, path
// or database/schema/table).
#pragma once

#include <string>
#include <vector>

#include "scanner/detect/column_profiler.h"
#include "scanner/detect/compiled_policy.h"
#include "scanner/model/finding.h"
#include "scanner/model/inventory.h"

namespace crmaudit {

struct DatasetRef {
  std::string target;   // report.targets[].id
  std::string dataset;  // relative file path, or "database.schema.table"
  Location base;        // kind + path, or kind + database/schema/table; column is filled in
};

void AddPiiResults(const CompiledPolicy& policy, const DatasetRef& dataset,
                   const std::vector<ColumnProfile>& profiles,
                   std::vector<InventoryEntry>* inventory, std::vector<Finding>* findings);

}  // namespace crmaudit
