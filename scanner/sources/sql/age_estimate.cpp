#include "scanner/sources/sql/age_estimate.h"

#include <algorithm>
#include <cmath>

namespace crmaudit {

void ScaleAgesToTable(double table_rows, uint64_t sample_rows, AgeProbeResult* result) {
  const double scale = table_rows / static_cast<double>(sample_rows);
  auto scaled = [&](uint64_t counted) {
    return std::max(counted, static_cast<uint64_t>(std::llround(static_cast<double>(counted) *
                                                                std::max(scale, 1.0))));
  };
  result->rows_past = scaled(result->rows_past);
  result->rows_total = std::max(scaled(result->rows_total), result->rows_past);
  result->estimated = true;
  result->sample_rows = sample_rows;
}

}  // namespace crmaudit
