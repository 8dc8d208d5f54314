// ReadThrottle: the bound a security officer can promise a DBA on how fast a scan reads —
// at most N records and X bytes per second for the whole scan, every --jobs worker together.
//
// A token bucket per limit, refilled on the monotonic clock (steady_clock: a clock step never
// releases a burst), holding at most a short burst (kBurst of the rate). A reader is charged
// after each record it read and waits, outside the lock, until the buckets are out of debt;
// workers share the buckets, so N workers read at most the limit together, not N times it.
// Source-agnostic: a reader sees it only as a ReadPace (sources/read_pace.h).
//
// Invariants: over any interval T, what was admitted is at most rate × T + one burst + the
// last record; no wait outlives the scan's deadline (Admit then waits until the deadline and
// says so); without a limit nothing waits and nothing is locked.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace crmaudit {

struct ReadLimits {
  double max_records_per_second = 0;  // 0: no limit
  double max_bytes_per_second = 0;    // 0: no limit (the CLI takes MB: 1 MB = 1,000,000 bytes)
  bool any() const { return max_records_per_second > 0 || max_bytes_per_second > 0; }
};

class ReadThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  // The burst a bucket holds, as a fraction of a second at its rate.
  static constexpr double kBurst = 0.05;

  explicit ReadThrottle(ReadLimits limits,
                        std::optional<Clock::time_point> deadline = std::nullopt);
  ReadThrottle(const ReadThrottle&) = delete;
  ReadThrottle& operator=(const ReadThrottle&) = delete;

  const ReadLimits& limits() const { return limits_; }

  // Charges `records` and `bytes` just read and waits until the limits allow them. False when
  // the deadline came first: the wait ended at the deadline and the reader must stop.
  bool Admit(uint64_t records, uint64_t bytes);

 private:
  struct Bucket {
    double rate = 0;  // units per second; 0: unlimited
    double capacity = 0;
    double tokens = 0;  // negative: debt that must be waited off
    void Refill(double seconds);
    // Seconds until the debt is paid (0 when there is none).
    double Charge(double units);
  };

  ReadLimits limits_;
  std::optional<Clock::time_point> deadline_;
  std::mutex mutex_;
  Bucket records_, bytes_;
  Clock::time_point refilled_;
};

}  // namespace crmaudit
