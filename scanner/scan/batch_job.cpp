#include "scanner/scan/batch_job.h"

#include <sched.h>

namespace crmaudit {

bool RunAsBatchJob() {
#if defined(__linux__) && defined(SCHED_BATCH)
  sched_param param{};
  param.sched_priority = 0;  // the only priority SCHED_BATCH has
  // Leaves a real-time policy someone chose on purpose (chrt -f) alone: only the default one
  // becomes a batch job.
  const int current = sched_getscheduler(0);
  if (current == SCHED_BATCH) return true;
  if (current != SCHED_OTHER) return false;
  return sched_setscheduler(0, SCHED_BATCH, &param) == 0;
#else
  return false;
#endif
}

}  // namespace crmaudit
