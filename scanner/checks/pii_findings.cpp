#include "scanner/checks/pii_findings.h"

#include <algorithm>
#include <map>

#include "scanner/model/fingerprint.h"

namespace crmaudit {

namespace {

std::string FindingTitle(const DetectorSpec& detector, const ColumnProfile& profile) {
  if (profile.free_text) return detector.title + " embedded in free text";
  return detector.title;
}

}  // namespace

void AddPiiResults(const CompiledPolicy& policy, const DatasetRef& dataset,
                   const std::vector<ColumnProfile>& profiles,
                   std::vector<InventoryEntry>* inventory, std::vector<Finding>* findings) {
  const auto& detectors = policy.detectors();
  for (const ColumnProfile& profile : profiles) {
    if (profile.entities.empty()) continue;
    InventoryEntry entry;
    entry.target = dataset.target;
    entry.dataset = dataset.dataset;
    entry.column = profile.column;

    // One finding per (column, entity type). Several detectors may confirm the same type (a
    // generic phone detector and a Chinese-mobile one): the finding is reported under the one
    // that confirmed the most values (then the most severe, then the first loaded), and its id
    // is keyed on the entity type, not the detector, so the id stays put when another detector
    // wins on a later export. Counts take the largest confirmation, samples are merged.
    std::vector<std::string> order;
    std::map<std::string, std::vector<const ColumnEntityProfile*>> by_type;
    for (const ColumnEntityProfile& entity : profile.entities) {
      const std::string& type = detectors.at(entity.detector)->entity;
      if (!by_type.count(type)) order.push_back(type);
      by_type[type].push_back(&entity);
    }
    for (const std::string& type : order) {
      const auto& group = by_type[type];
      const ColumnEntityProfile* lead = group.front();
      uint64_t matched = 0;
      int confidence = 0;
      uint64_t first_row = 0;
      std::vector<std::string> samples;
      for (const ColumnEntityProfile* e : group) {
        const DetectorSpec& d = *detectors.at(e->detector);
        const DetectorSpec& best = *detectors.at(lead->detector);
        if (e->matched > lead->matched ||
            (e->matched == lead->matched &&
             (d.severity > best.severity ||
              (d.severity == best.severity && e->detector < lead->detector)))) {
          lead = e;
        }
        matched = std::max(matched, e->matched);
        confidence = std::max(confidence, e->confidence);
        if (e->first_row > 0 && (first_row == 0 || e->first_row < first_row)) {
          first_row = e->first_row;
        }
        for (const auto& sample : e->masked_samples) {
          if (samples.size() < 3 &&
              std::find(samples.begin(), samples.end(), sample) == samples.end()) {
            samples.push_back(sample);
          }
        }
      }
      // Values confirmed by any detector of the type, when the profiler could count them
      // without including a detector the column was not classified for.
      if (auto union_count = profile.values_by_entity.find(type);
          union_count != profile.values_by_entity.end()) {
        matched = std::max(matched, union_count->second);
      }
      entry.entities.push_back({type, matched, profile.non_empty, confidence});

      const DetectorSpec& detector = *detectors.at(lead->detector);
      Finding finding;
      finding.rule = detector.id;
      finding.title = FindingTitle(detector, profile);
      finding.severity = detector.severity;
      finding.category = detector.category;
      finding.entity = detector.entity;
      finding.confidence = confidence;
      finding.location = dataset.base;
      finding.location.target = dataset.target;
      finding.location.column = profile.column;
      if (first_row > 0) finding.location.row = first_row;
      finding.evidence.count = matched;
      finding.evidence.scanned = profile.non_empty;
      finding.evidence.samples = samples;
      if (profile.free_text) finding.evidence.facts["column_kind"] = "free_text";
      if (group.size() > 1) {
        std::string also;
        for (const ColumnEntityProfile* e : group) {
          if (e == lead) continue;
          also += (also.empty() ? "" : ",") + detectors.at(e->detector)->id;
        }
        finding.evidence.facts["also_detected_by"] = also;
      }
      finding.frameworks = detector.frameworks;
      finding.remediation = detector.remediation;
      finding.id = FindingId("pii:" + type, finding.location);
      findings->push_back(std::move(finding));
    }
    std::sort(entry.entities.begin(), entry.entities.end(),
              [](const EntityCount& a, const EntityCount& b) {
                if (a.matched != b.matched) return a.matched > b.matched;
                return a.type < b.type;
              });
    inventory->push_back(std::move(entry));
  }
}

}  // namespace crmaudit
