// The pace of a PostgreSQL read (PaceForRead): when it asks whether the server is busy. Pure:
// a real ReadThrottle and BusyBackoff, the server's load given by a counting probe.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "scanner/scan/postgres_scan.h"

namespace crmaudit {
namespace {

using namespace std::chrono_literals;

class ReadPaceTest : public ::testing::Test {
 protected:
  ReadPaceTest()
      : backoff_(
            Limits(), [this] { return Probe(); }, std::nullopt) {}

  static BusyLimits Limits() {
    BusyLimits limits;
    limits.max_active_sessions = 2;
    return limits;
  }
  ServerLoad Probe() {
    ++probes_;
    ServerLoad load;
    load.known = true;
    load.active_sessions = 0;
    return load;
  }

  int probes_ = 0;
  BusyBackoff backoff_;
};

TEST_F(ReadPaceTest, AnUnthrottledFullReadChecksTheServerWithin256RowsOnceTwoSecondsPassed) {
  ReadThrottle unthrottled(ReadLimits{});
  ReadPace pace = PaceForRead(unthrottled, backoff_, /*full=*/true, "table \"t\"");
  ASSERT_TRUE(pace);
  for (int row = 0; row < 100000; ++row) ASSERT_EQ(pace(1, 100), PaceVerdict::kGo);
  EXPECT_EQ(probes_, 0) << "100,000 rows in less than 2 s: not yet";
  std::this_thread::sleep_for(2100ms);
  for (int row = 0; row < 256; ++row) ASSERT_EQ(pace(1, 100), PaceVerdict::kGo);
  EXPECT_EQ(probes_, 1) << "asked within 256 rows of the 2 s passing, and only once";
  // A sample without a throttle is not paced at all.
  EXPECT_FALSE(PaceForRead(unthrottled, backoff_, /*full=*/false, "table \"t\""));
}

TEST_F(ReadPaceTest, AThrottledReadChecksTheServerAtTheFirstRowAfterTwoSeconds) {
  ReadLimits limits;
  limits.max_records_per_second = 1e9;  // a throttle that never has to wait here
  ReadThrottle throttle(limits);
  ReadPace pace = PaceForRead(throttle, backoff_, /*full=*/false, "table \"t\"");
  ASSERT_TRUE(pace) << "a throttle paces samples too";
  ASSERT_EQ(pace(1, 100), PaceVerdict::kGo);
  std::this_thread::sleep_for(2100ms);
  ASSERT_EQ(pace(1, 100), PaceVerdict::kGo);
  EXPECT_EQ(probes_, 1);
}

}  // namespace
}  // namespace crmaudit
