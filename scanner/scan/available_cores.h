// The cores this process may run on: the CPUs of its affinity mask (taskset, a cgroup cpuset),
// else std::thread::hardware_concurrency(), and never less than 1.
//
// Why it matters: matching is CPU-bound, so threads beyond the cores cannot finish a file
// sooner, while each matching thread costs memory: up to eight threads hold a compiled copy of
// the packs and its regex caches each (about 10 MB), more share those copies
// (parallel_matcher.h), and every thread still has batches in flight and a malloc arena. File
// scans therefore start at most this many matching threads whatever --jobs asks
// (docs/operations.md); database scans are not capped by it, because there --jobs also counts
// connections that mostly wait on the server.
#pragma once

namespace crmaudit {

int AvailableCores();

}  // namespace crmaudit
