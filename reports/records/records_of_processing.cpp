#include "reports/records/records_of_processing.h"

#include <algorithm>
#include <map>
#include <set>

#include "scanner/model/finding.h"
#include "scanner/model/utf8.h"

namespace crmaudit {

namespace {

const RuleTexts& EnglishTexts() {
  static const RuleTexts texts;
  return texts;
}

Protection ProtectionOf(const ScanResult& result, const ProcessingRecord& record,
                        FindingCategory category,
                        const std::map<std::string, std::string>& rule_categories) {
  Protection protection;
  bool checked = false;
  for (const ControlResult& control : result.controls) {
    auto it = rule_categories.find(control.rule);
    if (control.target == record.target && it != rule_categories.end() &&
        it->second == CategoryName(category)) {
      checked = true;
    }
  }
  bool gap = false, not_assessed = false;
  for (const Finding& finding : result.findings) {
    if (finding.category != category || finding.location.target != record.target ||
        DatasetOf(finding.location) != record.dataset) {
      continue;
    }
    protection.findings.push_back(&finding);
    (finding.status == FindingStatus::kNotAssessed ? not_assessed : gap) = true;
    checked = true;
  }
  protection.state = gap            ? ProtectionState::kGap
                     : not_assessed ? ProtectionState::kNotAssessed
                     : checked      ? ProtectionState::kNoGapFound
                                    : ProtectionState::kNotChecked;
  return protection;
}

}  // namespace

std::string DatasetOf(const Location& location) {
  if (!IsDatabaseLocationKind(location.kind)) return location.path;
  std::string out;
  for (const std::string* part : {&location.database, &location.schema, &location.table}) {
    if (part->empty()) continue;
    out += (out.empty() ? "" : ".") + *part;
  }
  return out;
}

std::vector<ProcessingRecord> RecordsOfProcessing(const ScanResult& result) {
  std::map<std::string, std::string> rule_categories;
  for (const RuleDescription& rule : result.rules) rule_categories[rule.id] = rule.category;
  std::map<std::string, std::string> displays;
  for (const TargetInfo& target : result.targets) displays[target.id] = target.display;

  std::vector<ProcessingRecord> records;
  std::map<std::pair<std::string, std::string>, size_t> index;
  std::vector<std::set<std::string>> entity_sets;
  for (const InventoryEntry& entry : result.inventory) {
    auto [it, fresh] = index.emplace(std::make_pair(entry.target, entry.dataset), records.size());
    if (fresh) {
      ProcessingRecord record;
      record.target = entry.target;
      record.target_display = displays[entry.target];
      record.dataset = entry.dataset;
      records.push_back(std::move(record));
      entity_sets.emplace_back();
    }
    ProcessingRecord& record = records[it->second];
    record.columns.push_back(entry.column);
    for (const EntityCount& entity : entry.entities) entity_sets[it->second].insert(entity.type);
  }
  for (size_t i = 0; i < records.size(); ++i) {
    ProcessingRecord& record = records[i];
    record.entities.assign(entity_sets[i].begin(), entity_sets[i].end());
    for (const Finding& finding : result.findings) {
      if (finding.entity == "SPECIAL_CATEGORY" && finding.location.target == record.target &&
          DatasetOf(finding.location) == record.dataset) {
        record.special_categories.push_back(&finding);
      }
    }
    record.encryption = ProtectionOf(result, record, FindingCategory::kEncryption, rule_categories);
    record.access = ProtectionOf(result, record, FindingCategory::kAccess, rule_categories);
    record.retention = ProtectionOf(result, record, FindingCategory::kRetention, rule_categories);
  }
  return records;
}

std::string CsvCell(std::string_view text) {
  std::string value = RepairUtf8(std::string(text));
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                         value[0] == '\t' || value[0] == '\r')) {
    value.insert(0, "'");
  }
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string ProtectionText(const Protection& protection, const UiText& ui, const RuleTexts& texts) {
  std::string out;
  switch (protection.state) {
    case ProtectionState::kGap:
      out = ui("records.gap");
      break;
    case ProtectionState::kNotAssessed:
      out = ui("records.not_assessed");
      break;
    case ProtectionState::kNoGapFound:
      return ui("records.no_gap");
    case ProtectionState::kNotChecked:
      return ui("records.not_checked");
  }
  std::set<std::string> seen;
  std::string listed;
  for (const Finding* finding : protection.findings) {
    const std::string title = texts.Title(*finding) + " (" + finding->rule + ")";
    if (!seen.insert(title).second) continue;
    listed += (listed.empty() ? "" : "; ") + title;
  }
  return out + ui("punct.colon") + listed;
}

std::string RenderRecordsCsv(const ScanResult& result, const std::string& language,
                             const RuleTexts* texts) {
  const UiText ui(language);
  const RuleTexts& words = texts != nullptr ? *texts : EnglishTexts();
  std::string out;
  auto row = [&out](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvCell(cells[i]);
    out += "\r\n";
  };
  row({ui("column.target"), ui("records.where"), ui("column.dataset"), ui("records.columns"),
       ui("records.entity_codes"), ui("records.categories"), ui("records.special"),
       ui("records.encryption"), ui("records.access"), ui("records.retention")});
  for (const ProcessingRecord& record : RecordsOfProcessing(result)) {
    std::string columns, codes, labels, special;
    for (const std::string& column : record.columns) {
      columns += (columns.empty() ? "" : "; ") + column;
    }
    for (const std::string& entity : record.entities) {
      codes += (codes.empty() ? "" : "; ") + entity;
      labels += (labels.empty() ? "" : "; ") + ui.Find("entity." + entity).value_or(entity);
    }
    std::set<std::string> seen;
    for (const Finding* finding : record.special_categories) {
      const std::string title = words.Title(*finding);
      if (seen.insert(title).second) special += (special.empty() ? "" : "; ") + title;
    }
    row({record.target, record.target_display, record.dataset, columns, codes, labels, special,
         ProtectionText(record.encryption, ui, words), ProtectionText(record.access, ui, words),
         ProtectionText(record.retention, ui, words)});
  }
  return out;
}

}  // namespace crmaudit
