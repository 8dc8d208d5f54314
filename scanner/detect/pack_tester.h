// PackTester: runs the examples a policy pack ships with each detector (gitleaks-style).
//
// Every `examples.match` value, scanned alone in a column hinted for the detector, must yield
// at least one confirmed candidate of THAT detector; every `examples.no_match` value, scanned
// alone in an ordinary column (no header hint either way), must yield none of it. Examples are
// pack-authored text, not scanned data, so a failure may quote them. Used by `crmaudit policy test`
// and by CI through the unit tests.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "scanner/detect/compiled_policy.h"

namespace crmaudit {

struct ExampleFailure {
  bool expected_match = true;  // true: an examples.match value found nothing
  size_t index = 0;            // position in examples.match / examples.no_match
  std::string example;         // the pack's own example text
};

struct DetectorTestResult {
  std::string pack;      // pack name
  std::string detector;  // detector id
  size_t examples = 0;   // how many examples were run
  std::vector<ExampleFailure> failures;

  bool ok() const { return failures.empty(); }
  // "examples.match[2]" / "examples.no_match[0]", for messages.
  static std::string Field(const ExampleFailure& failure);
};

// One result per detector of `policy`, in detector order. Never throws for a failing example;
// a matcher failure (std::runtime_error from Scan) propagates.
std::vector<DetectorTestResult> TestPolicyExamples(const CompiledPolicy& policy);

}  // namespace crmaudit
