// Live-database limits: the plan's promise to a DBA (throttle, back-off) as the throttle and
// the back-off take it, and as report.json records it (scan.options), so an auditor can show
// the DBA the bound that was promised and how long the scan stepped aside.
//
// Recorded options (strings, as every scan option): max_rows_per_second and max_mb_per_second
// ("0" = no limit), max_active_sessions and max_replication_lag_seconds ("0" = not checked),
// max_backoff_seconds; after a scan with database targets, backed_off_seconds (one decimal)
// and busy_check_sessions ("all", or "own role only" when the role could not see the others').
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "scanner/scan/busy_backoff.h"
#include "scanner/scan/read_throttle.h"
#include "scanner/scan/scan_plan.h"

namespace crmaudit {

ReadLimits ReadLimitsOf(const ScanPlan& plan);
BusyLimits BusyLimitsOf(const ScanPlan& plan);

// What the database targets of one scan did: time backed off, sessions the check saw.
struct BackoffTally {
  std::chrono::milliseconds backed_off{0};
  std::optional<bool> sees_all_sessions;  // false when any target's check saw only its own
  void Add(std::chrono::milliseconds target_backed_off, std::optional<bool> target_sees_all);
};

// Whether the plan reads a database (the limits apply to database reads only).
bool ReadsADatabase(const ScanPlan& plan);

// The limits into `options` (before the scan) and what the scan did (after it); nothing for
// a scan without a database target.
void RecordLiveDatabaseLimits(const ScanPlan& plan, std::map<std::string, std::string>* options);
void RecordBackoff(const ScanPlan& plan, const BackoffTally& tally,
                   std::map<std::string, std::string>* options);

// "2.5" for 2.5; at most `decimals` decimals, trailing zeros dropped; C locale.
std::string DecimalText(double value, int decimals = 3);

}  // namespace crmaudit
