// CheckFixtures: runs the fixtures of the check catalog (policies/checks/*.json, each entry's
// "fixtures"): facts in, expected outcomes out, like the detectors' examples. `crmaudit policy
// test` and CI run them for every check; a check without fixtures fails ("no fixtures").
//
// A fixture (docs/policy-packs.md "Check fixtures"):
//   {"name": "...",
//    "facts": {partial DatabaseFacts},        database checks: applied over the baseline below
//    "mysql": {partial MysqlServerFacts},     MY-* checks: over the MariaDB baseline below
//    "pii": [{"schema", "table", "column", "entities": [...], "relkind": "r"}],   (optional)
//    "controls": {a pack's "controls" object},                                    (optional)
//    "backups": {BackupFacts}, "now": epoch seconds          BAK-02/BAK-03 instead of "facts"
//    "file": {FileFacts}, "pii_columns": n, "now": epoch s    ENC-07/RET-03 instead of "facts"
//    "expect": [{"status": "pass|fail|not_assessed", "outcome": "<key>", "object": "<name>"}]}
// Field names are the C++ member names of the fact structs (facts/*.h). "expect" lists every
// outcome of THIS check, in order; "outcome" and "object" are compared when given.
//
// The baseline (BaselineFactsJson) is a well-run server where every fact group is assessed and
// nothing is wrong (the same server as CleanFacts() in tests/unit/checks); a fixture's "facts"
// replace its fields one by one, except "settings", merged key by key. "controls" is read by
// ReadControlLayer and merged as a pack over the catalog's parameter defaults, as a scan does.
// MysqlBaselineFactsJson is the same for the MY-* checks: a well-run MariaDB server; a
// fixture's "mysql" replaces its fields one by one, except "variables", merged name by name.
//
// Beyond the expectations, every outcome is rendered through JudgeOutcomes and each template of
// its catalog outcome (every locale) must be filled: an outcome key missing from the catalog or
// a {placeholder} without its value fails the fixture.
//
// A malformed fixture (unknown field, wrong type) fails with a PolicyError-style message naming
// the catalog file and the field (`checks[0].fixtures[2].facts.rolez: unknown field ...`).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "scanner/facts/backup_facts.h"
#include "scanner/facts/database_facts.h"
#include "scanner/facts/file_facts.h"
#include "scanner/facts/mysql_facts.h"
#include "scanner/policy/check_catalog.h"

namespace crmaudit {

struct FixtureFailure {
  std::string fixture;                // its "name" (or "fixtures[i]" when it has none)
  std::vector<std::string> problems;  // "expect[1]: expected fail outcome ssl-off, found pass"
};

struct CheckFixtureResult {
  std::string check;  // the check id
  size_t fixtures = 0;
  size_t passed = 0;
  std::vector<FixtureFailure> failures;  // also "no fixtures" for a check without any

  bool ok() const { return failures.empty(); }
};

// Runs the fixtures of one check of `catalog`.
CheckFixtureResult RunCheckFixtures(const CheckDefinition& check, const CheckCatalog& catalog);

// Every check of the catalog, in catalog order.
std::vector<CheckFixtureResult> RunCatalogFixtures(const CheckCatalog& catalog);

// The baseline server the fixtures' "facts" apply to, as JSON (the fixture format).
const char* BaselineFactsJson();
// The baseline MariaDB server of the fixtures' "mysql" facts, as JSON.
const char* MysqlBaselineFactsJson();

// The fact readers, one per fact struct, field names = member names. Unknown fields and wrong
// types throw PolicyError(file, field). Exposed for tests and for facts files.
DatabaseFacts ReadDatabaseFactsJson(const std::string& json_text, const std::string& file);
BackupFacts ReadBackupFactsJson(const std::string& json_text, const std::string& file);
FileFacts ReadFileFactsJson(const std::string& json_text, const std::string& file);
MysqlServerFacts ReadMysqlServerFactsJson(const std::string& json_text, const std::string& file);

}  // namespace crmaudit
