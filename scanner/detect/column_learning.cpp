#include "scanner/detect/column_learning.h"

namespace crmaudit {

ColumnScanState::ColumnScanState() : learnt_(std::make_unique<Learnt>()) {}
ColumnScanState::~ColumnScanState() = default;
ColumnScanState::ColumnScanState(ColumnScanState&&) noexcept = default;
ColumnScanState& ColumnScanState::operator=(ColumnScanState&&) noexcept = default;

}  // namespace crmaudit
