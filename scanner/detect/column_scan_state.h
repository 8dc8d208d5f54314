// ColumnScanState: the memory a matcher keeps about one column while scanning its values.
#pragma once

#include <memory>

namespace crmaudit {

// What the matcher has learnt about one column from the values it has seen there: the
// detector whose whole-value candidates the column holds, how often the values hit anything,
// and the results of recently seen values that repeat. It only ever saves work: Scan with a
// state gives exactly what Scan without one gives. Not thread-safe: one state per column and
// thread, used with one policy (or its Recompile() copies, whose detector indices agree).
// Holds scanned values in memory for the repeat cache; they never leave the process.
class ColumnScanState {
 public:
  ColumnScanState();
  ~ColumnScanState();
  ColumnScanState(ColumnScanState&&) noexcept;
  ColumnScanState& operator=(ColumnScanState&&) noexcept;

  struct Learnt;  // defined by the matcher
  Learnt& learnt() { return *learnt_; }

 private:
  std::unique_ptr<Learnt> learnt_;
};

}  // namespace crmaudit
