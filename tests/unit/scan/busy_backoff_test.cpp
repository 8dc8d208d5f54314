// The back-off: waits while the server's load is above a limit, growing its pauses, and never
// past the scan's deadline or the longest busy spell it may wait out. The load comes from a
// probe function here; tests/unit/postgres/sandbox_throttle_test.cpp reads a real server's.
#include "scanner/scan/busy_backoff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace crmaudit {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

ServerLoad Load(int64_t active, std::optional<double> lag = std::nullopt) {
  ServerLoad load;
  load.known = true;
  load.active_sessions = active;
  load.sees_all_sessions = true;
  load.replication_lag_seconds = lag;
  return load;
}

BusyLimits Limits(int sessions, double lag = 0, milliseconds max_wait = milliseconds(60000)) {
  BusyLimits limits;
  limits.max_active_sessions = sessions;
  limits.max_replication_lag_seconds = lag;
  limits.max_wait = max_wait;
  return limits;
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(BusyLimits, AboveEitherLimitIsBusy) {
  const BusyLimits limits = Limits(4, 30);
  EXPECT_FALSE(limits.Busy(Load(4)));
  EXPECT_TRUE(limits.Busy(Load(5)));
  EXPECT_FALSE(limits.Busy(Load(0, 30.0)));
  EXPECT_TRUE(limits.Busy(Load(0, 31.0)));
  EXPECT_FALSE(limits.Busy(Load(0, std::nullopt))) << "a primary has no replay lag";
  EXPECT_FALSE(limits.Busy(ServerLoad{})) << "a load that could not be read is not busy";
  EXPECT_FALSE(Limits(0, 0).Busy(Load(1000, 1000.0))) << "0 = not checked";
  EXPECT_EQ(limits.Describe(), "more than 4 other active sessions, or replication lag over 30 s");
}

TEST(BusyBackoff, DisabledLimitsNeverAskTheServer) {
  int probes = 0;
  BusyBackoff backoff(
      Limits(0, 0),
      [&] {
        ++probes;
        return Load(100);
      },
      std::nullopt);
  EXPECT_EQ(backoff.WaitWhileBusy("table t"), PaceVerdict::kGo);
  EXPECT_EQ(probes, 0);
}

TEST(BusyBackoff, AQuietServerIsAskedAtMostOncePerRecheck) {
  int probes = 0;
  BusyBackoff backoff(
      Limits(4),
      [&] {
        ++probes;
        return Load(1);
      },
      std::nullopt);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(backoff.WaitWhileBusy("table t"), PaceVerdict::kGo);
  EXPECT_EQ(probes, 1);
  EXPECT_EQ(backoff.backed_off().count(), 0);
  EXPECT_EQ(backoff.sees_all_sessions(), std::optional<bool>(true));
}

TEST(BusyBackoff, WaitsWhileBusyWithGrowingPausesAndRecordsTheTime) {
  int probes = 0;
  std::vector<std::string> notes;
  // Busy at the first two readings: pauses of 0.5 s and 1 s, then quiet.
  BusyBackoff backoff(
      Limits(4),
      [&] {
        ++probes;
        return Load(probes <= 2 ? 9 : 0);
      },
      std::nullopt, [&](const std::string& note) { notes.push_back(note); });
  const auto start = Clock::now();
  EXPECT_EQ(backoff.WaitWhileBusy("table crm.contacts"), PaceVerdict::kGo);
  EXPECT_GE(SecondsSince(start), 1.4);
  EXPECT_EQ(probes, 3);
  EXPECT_GE(backoff.backed_off().count(), 1400);
  ASSERT_EQ(notes.size(), 1u) << "one note per busy spell";
  EXPECT_EQ(notes[0],
            "the server is busy (more than 4 other active sessions): backing off before table "
            "crm.contacts");
}

TEST(BusyBackoff, ABusySpellLongerThanMaxWaitGivesUp) {
  BusyBackoff backoff(
      Limits(4, 0, milliseconds(1200)), [] { return Load(9); }, std::nullopt);
  const auto start = Clock::now();
  EXPECT_EQ(backoff.WaitWhileBusy("table t"), PaceVerdict::kServerBusy);
  const double elapsed = SecondsSince(start);
  EXPECT_GE(elapsed, 1.1);
  EXPECT_LT(elapsed, 5.0);
}

TEST(BusyBackoff, NeverWaitsPastTheDeadline) {
  const auto start = Clock::now();
  BusyBackoff backoff(
      Limits(4), [] { return Load(9); }, start + milliseconds(800));
  EXPECT_EQ(backoff.WaitWhileBusy("table t"), PaceVerdict::kDeadline);
  const double elapsed = SecondsSince(start);
  EXPECT_GE(elapsed, 0.7);
  EXPECT_LT(elapsed, 3.0);
  EXPECT_EQ(backoff.WaitWhileBusy("table u"), PaceVerdict::kDeadline) << "at once after it";
}

TEST(BusyBackoff, ReplicationLagAboveTheLimitIsWaitedOut) {
  int probes = 0;
  BusyBackoff backoff(
      Limits(0, 10),
      [&] {
        ++probes;
        return Load(0, probes == 1 ? 45.0 : 2.0);
      },
      std::nullopt);
  EXPECT_EQ(backoff.WaitWhileBusy("table t"), PaceVerdict::kGo);
  EXPECT_GE(backoff.backed_off().count(), 400);
}

TEST(BusyBackoff, SaysWhenOnlyTheOwnRolesSessionsWereSeen) {
  BusyBackoff backoff(
      Limits(4),
      [] {
        ServerLoad load = Load(0);
        load.sees_all_sessions = false;
        return load;
      },
      std::nullopt);
  EXPECT_EQ(backoff.sees_all_sessions(), std::nullopt) << "nothing read yet";
  backoff.WaitWhileBusy("table t");
  EXPECT_EQ(backoff.sees_all_sessions(), std::optional<bool>(false));
}

}  // namespace
}  // namespace crmaudit
