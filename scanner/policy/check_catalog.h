// CheckCatalog: the control checks as data. Each check (ENC-01, AC-03, NET-01, ...) is an entry
// of policies/checks/*.json (one file per family): its id, title, category, default severity,
// risk, the control parameters it reads, references (CIS PostgreSQL benchmark with its version,
// GDPR, PIPL), its outcomes (the title and remediation template of each way it can fail or not
// be assessed), texts per locale and fixtures (facts in, expected outcomes out).
//
// C++ computes outcomes (checks/); checks/outcome_findings.h renders them into findings from
// this catalog, the one home of every check's words. Reading is strict, like the packs: an
// unknown key, a wrong type, a duplicate id or a template placeholder that is not a plain name
// is a PolicyError naming the file and the field (exit 2).
//
// The folder also holds parameters.json, the control parameters with their types and defaults
// (policy/control_policy.h): it is read first, and every name a check lists in "parameters"
// must be one of them (PolicyError naming the check's field otherwise).
//
// Templates: "{name}" is replaced by the outcome's value `name` (model/control_outcome.h);
// a name is [a-z0-9_]+. Text outside braces is kept as written. A translated outcome
// ("texts": {"zh-CN": {"outcomes": {key: {"title", "remediation"}}}}) is checked against the
// English one: its remediation has exactly the English remediation's placeholders, its title
// only placeholders of the English title or remediation (PolicyError naming the field).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/model/control_outcome.h"
#include "scanner/model/finding.h"
#include "scanner/model/severity.h"
#include "scanner/policy/control_policy.h"

namespace crmaudit {

// One way a check can end for an object other than a pass.
struct OutcomeText {
  std::string title;
  std::string remediation;
};

// The texts of a check in one locale other than English; missing fields fall back to English.
struct LocalizedCheckText {
  std::string title;
  std::string risk;
  std::map<std::string, OutcomeText> outcomes;
};

struct CheckDefinition {
  std::string id;     // "ENC-01"
  std::string title;  // what is tested, in English: "Server connections require TLS"
  FindingCategory category = FindingCategory::kConfiguration;
  Severity severity = Severity::kMedium;  // default; packs may override (control_policy.h)
  std::vector<std::string> engines;       // "postgres", "files", "backups"
  std::string risk;                       // why it matters, for the reader of a report
  std::vector<std::string> parameters;    // control parameters it reads: "tls.min_protocol_version"
  std::map<std::string, std::vector<std::string>> references;  // "CIS" -> {...}, "GDPR" -> {...}
  std::map<std::string, OutcomeText> outcomes;                 // by outcome key
  std::map<std::string, LocalizedCheckText> texts;             // by locale, e.g. "zh-CN"
  std::string fixtures_json;  // the entry's "fixtures" array as JSON text ("[]" when none)
  std::string file;           // the catalog file it came from, for messages
  std::string field;          // where in that file: "checks[3]", for messages
};

class CheckCatalog {
 public:
  // nullptr when no check has this id.
  const CheckDefinition* Find(const std::string& id) const;
  const std::vector<CheckDefinition>& checks() const { return checks_; }
  // The catalog files read, in order, for `crmaudit policy test` and the report's pack list.
  const std::vector<std::filesystem::path>& files() const { return files_; }
  // The control parameters (parameters.json); empty until that file is added.
  const ControlParameters& parameters() const { return parameters_; }

  // Adds one catalog file: parameters.json (the parameters; once, before any check naming a
  // parameter) or a file of checks. Throws PolicyError (file, field) as described above, also
  // when an id is already in the catalog or a check names a parameter that is not listed.
  void AddFile(const std::filesystem::path& file);

 private:
  std::vector<CheckDefinition> checks_;
  std::vector<std::filesystem::path> files_;
  ControlParameters parameters_;
  bool has_parameters_ = false;
};

// The name of the parameters file in a catalog folder.
inline constexpr const char* kControlParametersFile = "parameters.json";

// parameters.json, then every other *.json file of `dir` in name order. Throws PolicyError when
// parameters.json is missing.
CheckCatalog LoadCheckCatalog(const std::filesystem::path& dir);

// The catalog of the first search directory (DefaultPolicySearchDirs order) that has a
// checks/ folder. Throws PolicyError when none has.
CheckCatalog LoadShippedCheckCatalog(const std::vector<std::filesystem::path>& search_dirs);
// That folder (".../checks"). Throws PolicyError when no search directory has one.
std::filesystem::path ShippedCheckCatalogDir(const std::vector<std::filesystem::path>& search_dirs);

// The description report.json's rules[] carries for `check`, with `severity` the one its
// findings carry (the catalog default or the packs' override).
RuleDescription DescribeCheck(const CheckDefinition& check, Severity severity);

}  // namespace crmaudit
