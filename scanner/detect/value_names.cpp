#include "scanner/detect/value_names.h"

#include <algorithm>
#include <vector>

#include "scanner/detect/masking.h"

namespace crmaudit {

std::string MaskValuesInName(const CompiledPolicy& policy, std::string_view name) {
  std::vector<ValueMatch> matches;
  policy.Scan(name, ColumnContext{}, &matches);
  if (matches.empty()) return std::string(name);
  // Widest candidate first at each position; overlapping candidates are covered by the first.
  std::sort(matches.begin(), matches.end(), [](const ValueMatch& a, const ValueMatch& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.end > b.end;
  });
  const auto& detectors = policy.detectors();
  std::string out;
  size_t done = 0;
  for (const ValueMatch& m : matches) {
    if (m.begin < done || m.end <= m.begin || m.end > name.size()) continue;
    out.append(name.substr(done, m.begin - done));
    const std::string& entity = detectors.at(static_cast<size_t>(m.detector))->entity;
    out += MaskValue(entity, name.substr(m.begin, m.end - m.begin));
    done = m.end;
  }
  out.append(name.substr(done));
  return out;
}

}  // namespace crmaudit
