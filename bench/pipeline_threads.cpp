// crmaudit_pipeline_threads: one big file through the file scan's pipeline (ReadExportFile,
// the parallel CSV reader, ParallelMatcher, ColumnProfiler) with any number of matching
// threads, whatever the machine's cores, and what it cost.
//
// The CLI starts at most one matching thread per available core (scan/available_cores.h), so
// `--jobs 16` cannot show on a small machine what 16 threads hold in memory; this program
// starts them anyway and reports the peak RSS, the CPU time, and the reader thread's own share
// (its CPU time less what it spent matching batches itself: the part of the scan that only one
// thread can do, which bounds the speed-up by Amdahl's law), and the CPU time of the thread that
// reads and decodes ahead of it (read_ahead.h: sequential too, but beside the reader, not in
// its way). `--cell-by-cell` hands the
// records to the matcher one cell at a time, as before issue 15, for comparison.
//
//   crmaudit_pipeline_threads FILE [--threads N] [--threads-per-copy K] [--cell-by-cell]
//
// Packs: the shipped ones (CRMAUDIT_POLICY_DIR or the default search path), all of them.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
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

// The CPU time of this process's threads called `name`, watched every millisecond from
// /proc/self/task/*/schedstat (nanoseconds on CPU): the read-ahead thread ends inside
// ReadExportFile, so its time cannot be asked for afterwards. Up to a millisecond of a thread's
// last run may be missed.
class ThreadWatch {
 public:
  explicit ThreadWatch(std::string name) : name_(std::move(name)), thread_([this] { Run(); }) {}
  ~ThreadWatch() { Stop(); }
  double Stop() {
    if (thread_.joinable()) {
      stop_ = true;
      thread_.join();
    }
    double total = 0;
    for (const auto& [tid, ns] : seen_) total += static_cast<double>(ns) * 1e-9;
    return total;
  }

 private:
  void Run() {
    while (!stop_) {
      std::error_code error;
      for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", error)) {
        std::string comm;
        std::getline(std::ifstream(task.path() / "comm"), comm);
        if (comm != name_) continue;
        unsigned long long ns = 0;
        std::ifstream(task.path() / "schedstat") >> ns;
        unsigned long long& kept = seen_[task.path().filename().string()];
        kept = std::max(kept, ns);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  const std::string name_;
  std::map<std::string, unsigned long long> seen_;
  std::atomic<bool> stop_ = false;
  std::thread thread_;
};

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
    ThreadWatch read_ahead("crmaudit-read");
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
    const double read_ahead_cpu = read_ahead.Stop();
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
        "wall %.2f s, CPU %.2f s, reader thread %.3f s of which matching %.3f s -> sequential "
        "%.3f s = %.1f %% of CPU\n"
        "read-ahead thread %.3f s = %.1f %% of CPU (reading and decoding, beside the reader)\n"
        "peak RSS %.1f MB\n",
        threads, threads_per_copy == 0 ? "default" : std::to_string(threads_per_copy).c_str(),
        cell_by_cell ? " (cell by cell)" : "", static_cast<unsigned long long>(outcome.rows),
        static_cast<size_t>(outcome.parsed_pieces), entities,
        static_cast<unsigned long long>(matched), wall, cpu, reader_cpu, reader_matching,
        sequential, 100.0 * sequential / cpu, read_ahead_cpu, 100.0 * read_ahead_cpu / cpu,
        usage.ru_maxrss / 1024.0);
    return outcome.status == crmaudit::ReadStatus::kComplete ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
