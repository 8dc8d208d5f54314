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

std::string MaskValuesInPath(const CompiledPolicy& policy, std::string_view path) {
  std::string out;
  while (true) {
    const size_t slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    // The stem without one extension, then without two (contacts.csv.gz), then the whole
    // segment: the first in which a detector confirms something is masked, the extensions
    // it left out stay as they are.
    std::vector<size_t> stem_ends;
    size_t stem_end = segment.size();
    for (int k = 0; k < 2; ++k) {
      const size_t dot = segment.substr(0, stem_end).rfind('.');
      if (dot == std::string_view::npos || dot == 0 || stem_end - dot > 7) break;
      stem_end = dot;
      stem_ends.push_back(stem_end);
    }
    stem_ends.push_back(segment.size());
    std::string masked(segment);
    for (size_t end : stem_ends) {
      std::string stem = MaskValuesInName(policy, segment.substr(0, end));
      if (stem != segment.substr(0, end)) {
        masked = stem + std::string(segment.substr(end));
        break;
      }
    }
    out += masked;
    if (slash == std::string_view::npos) break;
    out += '/';
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace crmaudit
