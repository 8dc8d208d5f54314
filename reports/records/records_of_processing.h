// Records of processing: per dataset, which categories of personal data it holds, where, and
// how they are protected: the GDPR Art. 30 / PIPL Art. 54-55 table a DPO files. Shown in
// report.html and written as records-of-processing.csv (`--format ...,records-csv`).
//
// Built from the model only, never from a source: the inventory gives the datasets, their
// columns and entity types; findings with entity SPECIAL_CATEGORY give the special categories;
// the protection columns come from the control checks of that category (encryption, access,
// retention) as the report holds them:
//   gap          an open or baselined/suppressed finding of that category on the dataset
//   not assessed a not_assessed finding of that category on the dataset
//   no gap found a check of that category was evaluated on the dataset's target and left no
//                finding on the dataset
//   not checked  no check of that category ran on that target (e.g. no access check exists
//                for files)
// "No gap found" is not "protected": the CSV says which it is, never more.
//
// The CSV is RFC 4180 (every cell quoted, CRLF rows) and safe to open in a spreadsheet: a cell
// starting with = + - @, a tab or a carriage return is prefixed with an apostrophe, so it is
// shown as text, never run as a formula. Column names and entity labels are in the report's
// language; entity type codes are kept beside them for machines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reports/i18n/report_language.h"
#include "reports/i18n/rule_texts.h"
#include "scanner/model/scan_result.h"

namespace crmaudit {

enum class ProtectionState { kGap, kNotAssessed, kNoGapFound, kNotChecked };

struct Protection {
  ProtectionState state = ProtectionState::kNotChecked;
  std::vector<const Finding*> findings;  // the gaps / not-assessed findings
};

struct ProcessingRecord {
  std::string target, target_display, dataset;
  std::vector<std::string> columns;
  std::vector<std::string> entities;               // entity types, sorted, unique
  std::vector<const Finding*> special_categories;  // findings of entity SPECIAL_CATEGORY
  Protection encryption, access, retention;
};

// One record per (target, dataset) of the inventory, in inventory order. The records point
// into `result`, which must outlive them.
std::vector<ProcessingRecord> RecordsOfProcessing(const ScanResult& result);

// The dataset a finding's location is in: "path" for files, "db.schema.table" for databases.
std::string DatasetOf(const Location& location);

// records-of-processing.csv in `language`.
std::string RenderRecordsCsv(const ScanResult& result, const std::string& language,
                             const RuleTexts* texts);

// One CSV cell: quoted, quotes doubled, formula-leading characters neutralised.
std::string CsvCell(std::string_view text);

// "gap: Personal-data export stored in plaintext (ENC-07)" etc., in `ui`'s language.
std::string ProtectionText(const Protection& protection, const UiText& ui, const RuleTexts& texts);

}  // namespace crmaudit
