#include "scanner/checks/pii_findings.h"

#include <algorithm>

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
    for (const ColumnEntityProfile& entity : profile.entities) {
      const DetectorSpec& detector = *detectors.at(entity.detector);
      // Two detectors may report the same entity type (a generic card detector and a
      // UnionPay one): the inventory lists the type once, with the larger count.
      auto same_type =
          std::find_if(entry.entities.begin(), entry.entities.end(),
                       [&](const EntityCount& c) { return c.type == detector.entity; });
      if (same_type == entry.entities.end()) {
        entry.entities.push_back(
            {detector.entity, entity.matched, profile.non_empty, entity.confidence});
      } else if (entity.matched > same_type->matched) {
        same_type->matched = entity.matched;
        same_type->confidence = std::max(same_type->confidence, entity.confidence);
      }

      Finding finding;
      finding.rule = detector.id;
      finding.title = FindingTitle(detector, profile);
      finding.severity = detector.severity;
      finding.category = detector.category;
      finding.entity = detector.entity;
      finding.confidence = entity.confidence;
      finding.location = dataset.base;
      finding.location.target = dataset.target;
      finding.location.column = profile.column;
      if (entity.first_row > 0) finding.location.row = entity.first_row;
      finding.evidence.count = entity.matched;
      finding.evidence.scanned = profile.non_empty;
      finding.evidence.samples = entity.masked_samples;
      if (finding.evidence.samples.size() > 3) finding.evidence.samples.resize(3);
      if (profile.free_text) finding.evidence.facts["column_kind"] = "free_text";
      finding.frameworks = detector.frameworks;
      finding.remediation = detector.remediation;
      finding.id = FindingId(finding.rule, finding.location);
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
