#include "scanner/model/coverage.h"

#include <array>

namespace crmaudit {

std::string_view CoverageStatusName(CoverageStatus status) {
  static constexpr std::array<std::string_view, 4> kNames = {"scanned", "partial", "skipped",
                                                             "error"};
  return kNames[static_cast<int>(status)];
}

}  // namespace crmaudit
