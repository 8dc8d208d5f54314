// Suppressions: findings a person has reviewed and accepted for a while, with a reason.
//
// A suppressions file is {"suppressions": [{"id"|"rule"+"path"…, "reason", "expires"}]}. Each
// entry must carry a reason and an expiry date (YYYY-MM-DD): an accepted risk is revisited,
// never forgotten. An entry matches a finding by id, or by rule plus an optional path glob /
// table pattern. A matching live entry marks the finding `suppressed` with the reason; an
// expired entry no longer suppresses, and is reported (a warning, and the finding's
// status_reason says the suppression expired). Strict runs ignore the file entirely
// (`--no-suppressions`).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "scanner/model/finding.h"

namespace crmaudit {

class SuppressionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Suppression {
  std::string id;    // a finding id, or empty
  std::string rule;  // a rule id, or empty
  std::string path;  // glob on the location path or on "database.schema.table"; empty = any
  std::string reason;
  std::string expires;  // YYYY-MM-DD, inclusive
};

// Throws SuppressionError naming the file and the field.
std::vector<Suppression> LoadSuppressions(const std::filesystem::path& file);

// `today` is YYYY-MM-DD. Returns one warning line per expired entry that matched a finding.
std::vector<std::string> ApplySuppressions(const std::vector<Suppression>& suppressions,
                                           const std::string& today,
                                           std::vector<Finding>* findings);

}  // namespace crmaudit
