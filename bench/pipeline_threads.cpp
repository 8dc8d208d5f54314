// crmaudit_pipeline_threads: one big file through the file scan's pipeline (ReadExportFile,
// the parallel CSV reader, ParallelMatcher, ColumnProfiler) with any number of matching
// threads, whatever the machine's cores, and what it cost.
//
// The CLI starts at most one matching thread per available core (scan/available_cores.h), so
// `--jobs 16` cannot show on a small machine what 16 threads hold in memory; this program
// starts them anyway and reports the peak RSS, the CPU time, and the reader thread's own share
// (its CPU time less what it spent matching batches itself: the part of the scan that only one
// thread can do, which bounds the speed-up by Amdahl's law). `--cell-by-cell` hands the
// records to the matcher one cell at a time, as before issue 15, for comparison.
//
//   crmaudit_pipeline_threads FILE [--threads N] [--threads-per-copy K] [--cell-by-cell]
//
// Packs: the shipped ones (CRMAUDIT_POLICY_DIR or the default search path), all of them.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "scanner/detect/column_profiler.h"
#include "scanner/scan/parallel_matcher.h"
#include "scanner/scan/scan_runner.h"
#include "scanner/scan/thread_cpu_time.h"
#include "scanner/sources/files/file_reader.h"

namespace {

// Forwards cell by cell: hides that the matcher takes whole runs of records.
class CellByCell final : public crmaudit::RecordSink {
 public:
  explicit CellByCell(crmaudit::RecordSink& to) : to_(to) {}
  size_t DeclareColumn(std::string_view name) override { return to_.DeclareColumn(name); }
  bool IsHeaderRow(std::span<const std::string_view> first,
                   std::span<const std::vector<std::string_view>> following) override {
    return to_.IsHeaderRow(first, following);
  }
  void Field(size_t column, std::string_view value) override { to_.Field(column, value); }
  void EndRecord() override { to_.EndRecord(); }

 private:
  crmaudit::RecordSink& to_;
};

double Seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [--threads N] [--threads-per-copy K] [--cell-by-cell]\n",
                 argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  int threads = 16;
  bool cell_by_cell = false;
  int threads_per_copy = 0;  // the matcher's own choice
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--threads-per-copy") == 0 && i + 1 < argc) {
      threads_per_copy = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--cell-by-cell") == 0) {
      cell_by_cell = true;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  try {
    const auto policy = crmaudit::LoadPolicies({});
    const auto start = std::chrono::steady_clock::now();
    const double reader_start = crmaudit::ThreadCpuSeconds();
    crmaudit::ColumnProfiler profiler(policy, path);
    crmaudit::FileReadOutcome outcome;
    double reader_matching = 0;
    {
      crmaudit::ParallelMatcher matcher(policy, profiler, threads, threads_per_copy);
      crmaudit::FileReadOptions options;
      options.parse_threads = threads;
      CellByCell cells(matcher);
      crmaudit::RecordSink& sink =
          cell_by_cell ? static_cast<crmaudit::RecordSink&>(cells) : matcher;
      outcome = crmaudit::ReadExportFile(path, options, sink);
      matcher.Finish();
      reader_matching = matcher.reader_matching_seconds();
    }
    const std::vector<crmaudit::ColumnProfile> profiles = profiler.Finish();
    const double reader_cpu = crmaudit::ThreadCpuSeconds() - reader_start;
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double cpu = Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
    size_t entities = 0;
    uint64_t matched = 0;
    for (const auto& profile : profiles) {
      entities += profile.entities.size();
      for (const auto& entity : profile.entities) matched += entity.matched;
    }
    const double sequential = reader_cpu - reader_matching;
    std::printf(
        "threads %d (%s per policy copy)%s: %llu rows, %zu pieces, %zu classified (column, "
        "entity), %llu matched "
        "values\n"
        "wall %.2f s, CPU %.2f s, reader thread %.2f s of which matching %.2f s -> sequential "
        "%.2f s = %.1f %% of CPU\n"
        "peak RSS %.1f MB\n",
        threads, threads_per_copy == 0 ? "default" : std::to_string(threads_per_copy).c_str(),
        cell_by_cell ? " (cell by cell)" : "", static_cast<unsigned long long>(outcome.rows),
        static_cast<size_t>(outcome.parsed_pieces), entities,
        static_cast<unsigned long long>(matched), wall, cpu, reader_cpu, reader_matching,
        sequential, 100.0 * sequential / cpu, usage.ru_maxrss / 1024.0);
    return outcome.status == crmaudit::ReadStatus::kComplete ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
