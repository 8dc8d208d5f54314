#include "scanner/scan/batch_job.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/resource.h>

#include <thread>

namespace crmaudit {
namespace {

// crmaudit runs as a batch job: the thread that calls RunAsBatchJob and every thread it starts
// afterwards (the matching threads, the parse workers) are SCHED_BATCH, with the nice level
// they had. Run in a thread of its own so the test process's main thread keeps its policy.
TEST(BatchJob, TheCallerAndTheThreadsItStartsAreBatchJobsAtTheSameNiceLevel) {
  std::thread([] {
    const int nice_before = getpriority(PRIO_PROCESS, 0);
    ASSERT_EQ(sched_getscheduler(0), SCHED_OTHER) << "a thread starts with the default policy";
    ASSERT_TRUE(RunAsBatchJob());
    EXPECT_EQ(sched_getscheduler(0), SCHED_BATCH);
    EXPECT_EQ(getpriority(PRIO_PROCESS, 0), nice_before) << "no priority is lowered";
    int started_policy = -1;
    std::thread([&] { started_policy = sched_getscheduler(0); }).join();
    EXPECT_EQ(started_policy, SCHED_BATCH);
    EXPECT_TRUE(RunAsBatchJob()) << "asking twice is fine";
  }).join();
}

}  // namespace
}  // namespace crmaudit
