// The read throttle bounds how fast a scan reads, all workers together, and never waits past
// the scan's deadline. Behaviour with generous margins (a shared machine), not performance.
#include "scanner/scan/read_throttle.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace crmaudit {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(ReadThrottle, WithoutALimitNothingWaits) {
  ReadThrottle throttle(ReadLimits{});
  const auto start = Clock::now();
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(throttle.Admit(1, 1000000));
  EXPECT_LT(SecondsSince(start), 1.0);
}

TEST(ReadThrottle, RecordsPerSecondBoundTheRate) {
  ReadThrottle throttle(ReadLimits{1000, 0});
  const auto start = Clock::now();
  for (int i = 0; i < 400; ++i) ASSERT_TRUE(throttle.Admit(1, 100));
  // 400 records at 1,000/s: 0.4 s less one burst (50 ms).
  const double elapsed = SecondsSince(start);
  EXPECT_GE(elapsed, 0.3);
  EXPECT_LT(elapsed, 3.0);
}

TEST(ReadThrottle, BytesPerSecondBoundTheRate) {
  ReadThrottle throttle(ReadLimits{0, 1e6});
  const auto start = Clock::now();
  for (int i = 0; i < 400; ++i) ASSERT_TRUE(throttle.Admit(1, 1000));  // 400 kB at 1 MB/s
  const double elapsed = SecondsSince(start);
  EXPECT_GE(elapsed, 0.3);
  EXPECT_LT(elapsed, 3.0);
}

TEST(ReadThrottle, RecordsLargerThanTheBurstStillPassAtTheRate) {
  ReadThrottle throttle(ReadLimits{0, 1000});  // one 2,000-byte record: 2 s of budget
  const auto start = Clock::now();
  ASSERT_TRUE(throttle.Admit(1, 2000));  // admitted into debt at once
  ASSERT_TRUE(throttle.Admit(1, 10));    // waits the debt off
  EXPECT_GE(SecondsSince(start), 1.5);
}

TEST(ReadThrottle, TheLimitIsForAllWorkersTogether) {
  ReadThrottle throttle(ReadLimits{1000, 0});
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&throttle] {
      for (int i = 0; i < 150; ++i) throttle.Admit(1, 10);
    });
  }
  for (auto& worker : workers) worker.join();
  // 600 records at 1,000/s for the four together, not 4,000/s.
  EXPECT_GE(SecondsSince(start), 0.45);
}

TEST(ReadThrottle, NoWaitOutlivesTheDeadline) {
  const auto start = Clock::now();
  ReadThrottle throttle(ReadLimits{10, 0}, start + std::chrono::milliseconds(300));
  bool stopped = false;
  for (int i = 0; i < 100 && !stopped; ++i) stopped = !throttle.Admit(1, 10);
  const double elapsed = SecondsSince(start);
  EXPECT_TRUE(stopped) << "100 records at 10/s cannot fit in 0.3 s";
  EXPECT_GE(elapsed, 0.25);
  EXPECT_LT(elapsed, 2.0);
}

}  // namespace
}  // namespace crmaudit
