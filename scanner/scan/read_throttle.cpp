#include "scanner/scan/read_throttle.h"

#include <algorithm>
#include <thread>

namespace crmaudit {
namespace {

// Debts shorter than this are carried to the next record instead of slept off: a sleep that
// short costs more than it waits, and the bucket's arithmetic keeps the rate exact either way.
constexpr double kShortestSleep = 0.001;

}  // namespace

void ReadThrottle::Bucket::Refill(double seconds) {
  if (rate <= 0) return;
  tokens = std::min(capacity, tokens + seconds * rate);
}

double ReadThrottle::Bucket::Charge(double units) {
  if (rate <= 0) return 0;
  tokens -= units;
  return tokens >= 0 ? 0 : -tokens / rate;
}

ReadThrottle::ReadThrottle(ReadLimits limits, std::optional<Clock::time_point> deadline)
    : limits_(limits), deadline_(deadline), refilled_(Clock::now()) {
  auto start = [](Bucket& bucket, double rate) {
    bucket.rate = std::max(0.0, rate);
    // At least one unit, so a bucket always admits something before waiting.
    bucket.capacity = std::max(1.0, bucket.rate * kBurst);
    bucket.tokens = bucket.capacity;
  };
  start(records_, limits_.max_records_per_second);
  start(bytes_, limits_.max_bytes_per_second);
}

bool ReadThrottle::Admit(uint64_t records, uint64_t bytes) {
  if (!limits_.any()) return true;
  double wait = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const Clock::time_point now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - refilled_).count();
    refilled_ = now;
    records_.Refill(elapsed);
    bytes_.Refill(elapsed);
    // The debt is shared: a worker charged after another waits for both debts.
    wait = std::max(records_.Charge(static_cast<double>(records)),
                    bytes_.Charge(static_cast<double>(bytes)));
  }
  if (wait < kShortestSleep) return !(deadline_ && Clock::now() >= *deadline_);
  const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(wait));
  if (deadline_ && until >= *deadline_) {
    std::this_thread::sleep_until(*deadline_);
    return false;
  }
  std::this_thread::sleep_until(until);
  return true;
}

}  // namespace crmaudit
