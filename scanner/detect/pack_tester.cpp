// PackTester implementation: examples are scanned the way `docs/policy-packs.md` defines them.
#include "scanner/detect/pack_tester.h"

#include <algorithm>

namespace crmaudit {

std::string DetectorTestResult::Field(const ExampleFailure& failure) {
  return std::string(failure.expected_match ? "examples.match[" : "examples.no_match[") +
         std::to_string(failure.index) + "]";
}

std::vector<DetectorTestResult> TestPolicyExamples(const CompiledPolicy& policy) {
  const auto& detectors = policy.detectors();
  std::vector<DetectorTestResult> results;
  std::vector<ValueMatch> matches;
  for (size_t d = 0; d < detectors.size(); ++d) {
    const DetectorSpec& spec = *detectors[d];
    DetectorTestResult result;
    result.pack = spec.pack;
    result.detector = spec.id;

    // match: the most favourable column (hinted for the detector); no_match: an ordinary one,
    // so an example may show that a bare look-alike is not reported without a header hint.
    ColumnContext hinted;
    hinted.hint.assign(detectors.size(), 0);
    hinted.hint[d] = 1;
    ColumnContext ordinary;
    ordinary.hint.assign(detectors.size(), 0);
    auto found = [&](const std::string& example, const ColumnContext& column) {
      matches.clear();
      policy.Scan(example, column, &matches);
      return std::any_of(matches.begin(), matches.end(), [&](const ValueMatch& match) {
        return match.detector == static_cast<int>(d);
      });
    };

    for (size_t i = 0; i < spec.examples_match.size(); ++i) {
      ++result.examples;
      if (!found(spec.examples_match[i], hinted)) {
        result.failures.push_back({true, i, spec.examples_match[i]});
      }
    }
    for (size_t i = 0; i < spec.examples_no_match.size(); ++i) {
      ++result.examples;
      if (found(spec.examples_no_match[i], ordinary)) {
        result.failures.push_back({false, i, spec.examples_no_match[i]});
      }
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace crmaudit
