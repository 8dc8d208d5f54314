#include "scanner/scan/busy_backoff.h"

#include <algorithm>
#include <thread>

#include "scanner/scan/live_database_limits.h"

namespace crmaudit {

bool BusyLimits::Busy(const ServerLoad& load) const {
  if (!load.known) return false;
  if (max_active_sessions > 0 && load.active_sessions > max_active_sessions) return true;
  return max_replication_lag_seconds > 0 && load.replication_lag_seconds &&
         *load.replication_lag_seconds > max_replication_lag_seconds;
}

std::string BusyLimits::Describe() const {
  std::string text;
  if (max_active_sessions > 0) {
    text = "more than " + std::to_string(max_active_sessions) + " other active sessions";
  }
  if (max_replication_lag_seconds > 0) {
    text += (text.empty() ? "" : ", or ") + std::string("replication lag over ") +
            DecimalText(max_replication_lag_seconds) + " s";
  }
  return text;
}

BusyBackoff::BusyBackoff(BusyLimits limits, Probe probe, std::optional<Clock::time_point> deadline,
                         Note note)
    : limits_(limits), probe_(std::move(probe)), deadline_(deadline), note_(std::move(note)) {}

bool BusyBackoff::BusyNow(Clock::time_point now, bool force) {
  if (force || !probed_ || now - *probed_ >= kRecheck) {
    last_ = probe_ ? probe_() : ServerLoad{};
    if (last_.known) sees_all_sessions_ = last_.sees_all_sessions;
    probed_ = Clock::now();
  }
  return limits_.Busy(last_);
}

PaceVerdict BusyBackoff::WaitWhileBusy(const std::string& before) {
  if (!enabled()) return PaceVerdict::kGo;
  std::lock_guard<std::mutex> lock(mutex_);
  Clock::time_point now = Clock::now();
  if (deadline_ && now >= *deadline_) return PaceVerdict::kDeadline;
  if (!BusyNow(now, false)) return PaceVerdict::kGo;
  if (note_) {
    note_("the server is busy (" + limits_.Describe() + "): backing off before " + before);
  }
  const Clock::time_point started = now;
  const Clock::time_point give_up = started + limits_.max_wait;
  Clock::duration pause = kFirstPause;
  PaceVerdict verdict = PaceVerdict::kGo;
  while (true) {
    Clock::time_point wake = std::min(now + pause, give_up);
    if (deadline_ && wake >= *deadline_) {
      std::this_thread::sleep_until(*deadline_);
      verdict = PaceVerdict::kDeadline;
      break;
    }
    std::this_thread::sleep_until(wake);
    now = Clock::now();
    if (!BusyNow(now, true)) break;
    if (now >= give_up) {
      verdict = PaceVerdict::kServerBusy;
      break;
    }
    pause = std::min<Clock::duration>(pause * 2, kLongestPause);
  }
  backed_off_ += Clock::now() - started;
  return verdict;
}

std::chrono::milliseconds BusyBackoff::backed_off() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::chrono::duration_cast<std::chrono::milliseconds>(backed_off_);
}

std::optional<bool> BusyBackoff::sees_all_sessions() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sees_all_sessions_;
}

}  // namespace crmaudit
