// ThreadCpuSeconds: the CPU time the calling thread has used (user + system), in seconds.
//
// What a thread of a pipeline spends, apart from the process's total: the matcher counts how
// long its reader thread spends matching (ParallelMatcher::reader_matching_seconds), and
// bench/pipeline_threads.cpp tells the reader's share from it.
#pragma once

#include <ctime>

namespace crmaudit {

inline double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

}  // namespace crmaudit
