// PolicyPack: a policy pack file (policies/*.json, comments allowed) parsed and validated.
//
// Policy is data: detectors, thresholds, severities and GDPR/PIPL references live in the pack;
// C++ holds only mechanisms (validators, checks) that the pack names. Loading never accepts a
// half-valid pack: any problem raises PolicyError naming the file and the JSON path of the
// offending field (e.g. `detectors[3].patterns[0]`).
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "scanner/model/finding.h"
#include "scanner/model/severity.h"
#include "scanner/policy/control_policy.h"
#include "scanner/policy/word_list.h"

namespace crmaudit {

class PolicyError : public std::runtime_error {
 public:
  PolicyError(std::string file, std::string field, const std::string& message)
      : std::runtime_error(file + (field.empty() ? "" : ": " + field) + ": " + message),
        file_(std::move(file)),
        field_(std::move(field)),
        message_(message) {}
  const std::string& file() const { return file_; }
  const std::string& field() const { return field_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  std::string field_;
  std::string message_;
};

// A detector's words in one locale other than English; an empty field falls back to English.
struct DetectorText {
  std::string title;
  std::string remediation;
};

struct DetectorSpec {
  std::string id;      // unique across all loaded packs; the finding's rule id
  std::string entity;  // entity type, e.g. "EMAIL_ADDRESS"
  std::string title;
  FindingCategory category = FindingCategory::kPii;
  std::vector<std::string> patterns;               // RE2 syntax; the match is the candidate value
  std::string validator;                           // name in the validator registry; empty = none
  std::vector<std::string> column_hints;           // header words that raise confidence
  std::vector<std::string> negative_column_hints;  // header words that veto (order_no, sku...)
  // Dataset (file, sheet, table) name words that cancel the column hints for every column of
  // the dataset: in `Account.csv` or `companies`, "Name" and "BillingStreet" are a company's.
  std::vector<std::string> negative_dataset_hints;
  // Header words whose hint still counts in such a dataset: the column is about a person
  // there too (`联系人`, `contact.name`, `FirstName` in a company list are a contact's name).
  std::vector<std::string> negative_dataset_kept_column_hints;
  std::vector<std::string> context_words;  // words near a value in free text
  // Words that, right before a candidate, say it is something else ("version 1.2.3.4" is no
  // IP address): the candidate is dropped (docs/confidence.md, "right before").
  std::vector<std::string> negative_context_words;
  WordLists word_lists;               // data files the validator consults, loaded with the pack
  bool requires_column_hint = false;  // pattern too generic to trust without a header hint
  int min_confidence = 50;            // 0-100: below this a candidate is not reported
  Severity severity = Severity::kMedium;
  std::map<std::string, std::vector<std::string>> frameworks;  // "GDPR" -> articles
  std::string remediation;
  std::map<std::string, DetectorText> texts;  // by locale, e.g. "zh-CN" (report readers only)
  std::vector<std::string> examples_match;
  std::vector<std::string> examples_no_match;
  std::string pack;  // name of the pack that defined it
};

struct PolicyPack {
  std::string name;
  std::string version;
  std::string description;
  std::string sha256;  // hex SHA-256 of the file's bytes
  std::filesystem::path source;
  std::vector<DetectorSpec> detectors;
  // Column classification thresholds, per mille of a column's non-empty values.
  int column_min_ratio_permille = 300;         // values that must validate to classify a column
  int hinted_column_min_ratio_permille = 100;  // same, when the header hints the entity
  ControlLayer controls;  // the pack's "controls" object, read and checked at load time
  // True for the audit file's "controls" (recorded as the "audit-file" pack): it overrides the
  // packs instead of joining the stricter-wins merge (control_policy.h).
  bool audit_file = false;
};

// The control parameters of `packs`, merged by the rule of control_policy.h.
ControlPolicy ControlPolicyFromPacks(const std::vector<PolicyPack>& packs);

// Parses and validates one pack file. Throws PolicyError.
PolicyPack LoadPolicyPack(const std::filesystem::path& file);

// Resolves NAME (looked up as NAME.json in `search_dirs`, in order) or a PATH (anything that
// contains '/' or ends in ".json"). Throws PolicyError for an unknown name.
std::filesystem::path ResolvePolicyPack(const std::string& name_or_path,
                                        const std::vector<std::filesystem::path>& search_dirs);

// Every pack file found in `search_dirs` (first directory wins on duplicate names), sorted.
std::vector<std::filesystem::path> ListPolicyPacks(
    const std::vector<std::filesystem::path>& search_dirs);

// Where shipped packs are looked up: $CRMAUDIT_POLICY_DIR, the source tree's policies/ (for a
// build-tree binary), then the installed share directory.
std::vector<std::filesystem::path> DefaultPolicySearchDirs();

}  // namespace crmaudit
