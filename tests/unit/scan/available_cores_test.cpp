#include "scanner/scan/available_cores.h"

#include <gtest/gtest.h>
#include <sched.h>

namespace crmaudit {
namespace {

// `taskset -c 0 crmaudit scan … --jobs 16` must match on one thread: the affinity mask, not the
// machine's CPU count, is what the process may use.
TEST(AvailableCores, FollowsTheAffinityMask) {
  cpu_set_t original;
  ASSERT_EQ(sched_getaffinity(0, sizeof(original), &original), 0);
  EXPECT_EQ(AvailableCores(), CPU_COUNT(&original));

  int first = 0;
  while (!CPU_ISSET(first, &original)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
  EXPECT_EQ(AvailableCores(), 1);
  ASSERT_EQ(sched_setaffinity(0, sizeof(original), &original), 0);
}

}  // namespace
}  // namespace crmaudit
