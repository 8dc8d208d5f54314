#include "scanner/scan/live_database_limits.h"

#include <cstdio>

namespace crmaudit {

std::string DecimalText(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

ReadLimits ReadLimitsOf(const ScanPlan& plan) {
  ReadLimits limits;
  limits.max_records_per_second = plan.max_rows_per_second;
  limits.max_bytes_per_second = plan.max_mb_per_second * 1e6;
  return limits;
}

BusyLimits BusyLimitsOf(const ScanPlan& plan) {
  BusyLimits limits;
  limits.max_active_sessions = plan.max_active_sessions;
  limits.max_replication_lag_seconds = plan.max_replication_lag_seconds;
  limits.max_wait = plan.max_backoff;
  return limits;
}

void BackoffTally::Add(std::chrono::milliseconds target_backed_off,
                       std::optional<bool> target_sees_all) {
  backed_off += target_backed_off;
  if (target_sees_all) sees_all_sessions = sees_all_sessions.value_or(true) && *target_sees_all;
}

bool ReadsADatabase(const ScanPlan& plan) {
  for (const auto& target : plan.targets) {
    if (target.kind != "file" && target.kind != "directory") return true;
  }
  return false;
}

void RecordLiveDatabaseLimits(const ScanPlan& plan, std::map<std::string, std::string>* options) {
  if (!ReadsADatabase(plan)) return;
  (*options)["max_rows_per_second"] = DecimalText(plan.max_rows_per_second);
  (*options)["max_mb_per_second"] = DecimalText(plan.max_mb_per_second);
  (*options)["max_active_sessions"] = std::to_string(plan.max_active_sessions);
  (*options)["max_replication_lag_seconds"] = DecimalText(plan.max_replication_lag_seconds);
  (*options)["max_backoff_seconds"] =
      DecimalText(std::chrono::duration<double>(plan.max_backoff).count());
}

void RecordBackoff(const ScanPlan& plan, const BackoffTally& tally,
                   std::map<std::string, std::string>* options) {
  if (!ReadsADatabase(plan)) return;
  (*options)["backed_off_seconds"] =
      DecimalText(std::chrono::duration<double>(tally.backed_off).count(), 1);
  if (tally.sees_all_sessions) {
    (*options)["busy_check_sessions"] = *tally.sees_all_sessions ? "all" : "own role only";
  }
}

}  // namespace crmaudit
