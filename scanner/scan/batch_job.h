// RunAsBatchJob: crmaudit schedules itself as the batch job it is (Linux SCHED_BATCH).
//
// A scan is non-interactive work that often runs on a busy host, the database server's own
// included. Under SCHED_BATCH a process keeps its nice level and its fair share of CPU, but when
// one of its threads wakes it does not preempt the thread running on that core (a database
// backend, perhaps in the middle of a statement and holding a lock its peers wait for): it runs
// at the next scheduling decision instead. Called first thing in main(), before any thread
// starts, so every thread of the process inherits it. Nothing else changes: no priority is
// lowered, no privilege is needed, and where the policy cannot be set (another system, or
// refused) the process runs as it was started.
#pragma once

namespace crmaudit {

// True when the calling thread (and so every thread it starts) now runs under SCHED_BATCH.
bool RunAsBatchJob();

}  // namespace crmaudit
