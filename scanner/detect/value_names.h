// Names that hold values: the second line of defence for column names, JSON keys, sheet and
// file names.
//
// A name ends up in every report. When a detector confirms a value inside a name (a CSV whose
// header row is really data, a JSON object keyed by e-mail address, `frank@example.com.csv`),
// each confirmed candidate is replaced by its mask (detect/masking.h) and the rest of the name
// is kept, so the report still says which column or file it was without the raw value.
#pragma once

#include <string>
#include <string_view>

#include "scanner/detect/compiled_policy.h"

namespace crmaudit {

// `name` with every value a detector confirms in it masked; `name` itself when there is none.
std::string MaskValuesInName(const CompiledPolicy& policy, std::string_view name);

// A '/'-separated path with each segment masked as a name; a segment's file extensions
// (`.csv`, `.json.gz`) are kept apart, so `frank@example.com.csv` is judged as
// `frank@example.com` and shown as `f***@e***.com.csv`.
std::string MaskValuesInPath(const CompiledPolicy& policy, std::string_view path);

}  // namespace crmaudit
