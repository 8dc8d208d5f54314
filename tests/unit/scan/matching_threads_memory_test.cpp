// Memory of the file pipeline at 16 matching threads, whatever the machine's cores: the CLI
// starts at most one matching thread per core (available_cores.h), so a small CI machine would
// never show what a 16-core host holds. Issue 15's bound is 200 MB at any --jobs; on this 5 MB
// export 16 threads peak at 105-117 MB here (with a policy copy per thread instead of 8 shared
// ones, about 137 MB: too close to tell apart from run-to-run noise, so the 100 MB figures,
// 229 against about 185 MB, are measured by bench/pipeline_threads.cpp, docs/performance.md).
// The limit below catches what grows with the thread count or the data (batches or pieces
// held too long, a copy per batch). The pipeline runs in a fresh child process so that its
// peak RSS is its own.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "scanner/detect/column_profiler.h"
#include "scanner/scan/parallel_matcher.h"
#include "scanner/scan/scan_runner.h"
#include "scanner/sources/files/file_reader.h"
#include "tests/support/temp_folder.h"

namespace crmaudit {
namespace {

// A CRM contact export of about `bytes`, with the bench's kinds of values, all different.
std::string ContactExport(size_t bytes) {
  std::string text =
      "id,first_name,email,phone,card_number,iban,country,mobile,last_login_ip,notes\n";
  const char* countries[] = {"DE", "FR", "US", "GB", "CN", "NL"};
  const char* phones[] = {"+1 202 555 01", "+86 138 8111 56", "030 901820", "+44 20 7946 00"};
  for (size_t i = 0; text.size() < bytes; ++i) {
    const std::string n = std::to_string(i);
    text += n + ",Anna" + std::to_string(i % 97) + ",user.x" + n + "@example.com," + phones[i % 4] +
            std::to_string(10 + i % 90) + ",4111111111111111,DE89370400440532013000," +
            countries[i % 6] + ",06 12 47 12 " + std::to_string(10 + i % 90) + ",10." +
            std::to_string(i % 250) + "." + std::to_string(i % 199) + ".7," +
            (i % 3 == 0 ? "\"Called back, wants a quote\"" : "Klant gaf BSN 957535144 door") + "\n";
  }
  return text;
}

// In the child: the pipeline over `path` with 16 matching threads; the exit code says whether
// it read and profiled the export.
int RunPipeline(const std::filesystem::path& path) {
  try {
    const auto policy = LoadPolicies({});
    ColumnProfiler profiler(policy, path.string());
    ParallelMatcher matcher(policy, profiler, 16);
    FileReadOptions options;
    options.parse_threads = 16;
    const FileReadOutcome outcome = ReadExportFile(path, options, matcher);
    matcher.Finish();
    const bool read = outcome.status == ReadStatus::kComplete && outcome.parsed_pieces > 1;
    return read && !profiler.Finish().empty() ? 0 : 2;
  } catch (...) {
    return 3;
  }
}

constexpr char kChildVariable[] = "CRMAUDIT_MEMORY_TEST_FILE";

TEST(MatchingThreadsMemory, SixteenMatchingThreadsShareThePolicyCopiesAndStayBounded) {
  if (const char* file = getenv(kChildVariable)) _exit(RunPipeline(file));
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a sanitizer's shadow memory makes RSS meaningless";
#endif
  testing::TempFolder folder("crmaudit-threads-memory");
  folder.Write("contacts.csv", ContactExport(5 << 20));
  const std::string path = (folder / "contacts.csv").string();
  // A fresh process (this test binary again, running only this test), so that the peak RSS
  // is the pipeline's and not what earlier tests left in this one.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    setenv(kChildVariable, path.c_str(), 1);
    setenv("CRMAUDIT_POLICY_DIR", (std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies").c_str(),
           1);
    execl("/proc/self/exe", "unit_scan",
          "--gtest_filter=MatchingThreadsMemory."
          "SixteenMatchingThreadsShareThePolicyCopiesAndStayBounded",
          static_cast<char*>(nullptr));
    _exit(4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "the pipeline did not read and profile the export";
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  const double peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  RecordProperty("peak_rss_mb", std::to_string(peak_mb));
  std::cout << "peak RSS of the pipeline with 16 matching threads: " << peak_mb << " MB\n";
  EXPECT_LT(peak_mb, 150.0) << "16 matching threads";
}

}  // namespace
}  // namespace crmaudit
