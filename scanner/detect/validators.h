// Validators: the C++ mechanisms a policy pack names to reject look-alikes.
//
// A validator receives a candidate exactly as a detector pattern matched it (it may contain
// spaces, dashes, a country prefix or full-width digits) and answers whether it is a real
// identifier by the rules in shared/reference/identifiers.md: checksums, issuer prefixes and
// lengths, embedded dates (real, not in the future). Validators are pure, thread-safe, never
// throw and never log the candidate.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/policy/word_list.h"

namespace crmaudit {

struct ValidationContext {
  // ISO 3166 alpha-2 region national phone numbers are read in: the value's own (its record's
  // country, its header, the dataset majority: RecordRegions), else the scan's --region.
  std::string_view default_region = "US";
  bool column_hinted = false;  // the header names this entity (allows hint-only forms)
  // The detector's word lists (pack field `word_lists`); null when it has none.
  const WordLists* word_lists = nullptr;
  // The day ages are measured from (a birth date is 0-120 years before it); unset means today
  // (UTC) by the system clock. Set by tests and by CompileOptions::today.
  std::optional<std::chrono::sys_days> today;
};

using ValidatorFn = bool (*)(std::string_view candidate, const ValidationContext& context);

// Returns nullptr for an unknown name.
ValidatorFn FindValidator(std::string_view name);

// True when the named validator's verdict depends on ValidationContext::default_region (phone
// numbers written without a country prefix); every other validator judges a candidate the same
// in every region, which lets the matcher reuse a value's results across records of different
// countries. False for an unknown name.
bool ValidatorReadsRegion(std::string_view name);

// Every registered name, sorted; `crmaudit policy show` and the pack reference list them.
std::vector<std::string> ValidatorNames();

}  // namespace crmaudit
