// BusyBackoff: the scan steps aside while the database server is busy.
//
// Before each table, and every few seconds during a long paced read, a reader asks
// WaitWhileBusy. It reads the server's load (a probe given by the source; at most once per
// kRecheck for all workers together) and, while the load is above a limit (active sessions
// other than crmaudit's, a standby's replication lag), waits with a growing, bounded pause
// (kFirstPause doubling up to kLongestPause) and asks again. It never waits past the scan's
// deadline, nor longer than `max_wait` in one busy spell; the reader then stops and reports
// the table as not (completely) read, naming why. A load that cannot be read is not "busy":
// the scan goes on (the probe's failure is not the server's load).
//
// One spell is waited by one worker at a time (the others queue behind it and then see the
// fresh verdict), so backed_off() is wall-clock time the scan spent backing off. Notes (one
// per busy spell, naming the limits, never a value read from the database) go to `note`.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "scanner/sources/read_pace.h"
#include "scanner/sources/server_load.h"

namespace crmaudit {

struct BusyLimits {
  int max_active_sessions = 0;                 // 0: not checked
  double max_replication_lag_seconds = 0;      // 0: not checked
  std::chrono::milliseconds max_wait{600000};  // longest single busy spell waited out
  bool any() const { return max_active_sessions > 0 || max_replication_lag_seconds > 0; }
  // Whether `load` is above a limit.
  bool Busy(const ServerLoad& load) const;
  // "more than 8 active sessions, or replication lag over 60 s": the limits, for notes.
  std::string Describe() const;
};

class BusyBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  using Probe = std::function<ServerLoad()>;
  using Note = std::function<void(const std::string&)>;
  static constexpr std::chrono::milliseconds kRecheck{1000};
  static constexpr std::chrono::milliseconds kFirstPause{500};
  static constexpr std::chrono::milliseconds kLongestPause{15000};

  BusyBackoff(BusyLimits limits, Probe probe, std::optional<Clock::time_point> deadline,
              Note note = {});
  BusyBackoff(const BusyBackoff&) = delete;
  BusyBackoff& operator=(const BusyBackoff&) = delete;

  bool enabled() const { return limits_.any(); }
  const BusyLimits& limits() const { return limits_; }

  // kGo when the server is not busy (at once when it was not when last probed, within
  // kRecheck); else waits until it is not, the deadline comes (kDeadline) or `max_wait` passed
  // (kServerBusy). `before` names what waits ("table crm.contacts"), for the note.
  PaceVerdict WaitWhileBusy(const std::string& before);

  // Total time spent waiting while the server was busy.
  std::chrono::milliseconds backed_off() const;
  // From the last load read: whether every role's sessions were visible; nullopt when no load
  // was read.
  std::optional<bool> sees_all_sessions() const;

 private:
  // Reads the load unless the last reading is fresh (or `force`). Called with mutex_ held.
  bool BusyNow(Clock::time_point now, bool force);

  BusyLimits limits_;
  Probe probe_;
  std::optional<Clock::time_point> deadline_;
  Note note_;
  mutable std::mutex mutex_;
  std::optional<Clock::time_point> probed_;
  ServerLoad last_;
  std::optional<bool> sees_all_sessions_;
  Clock::duration backed_off_{};
};

}  // namespace crmaudit
