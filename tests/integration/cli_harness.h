// Test harness: runs the real crmaudit binary in a scratch folder and captures what a user
// would see (exit code, stdout, stderr, report.json).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace crmaudit::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  long max_rss_kib = 0;    // peak resident memory of crmaudit (RunCrmauditDirect only)
  bool timed_out = false;  // killed after the time limit (RunCrmauditDirect only)
};

// Peak-memory bounds are the release binary's. Under AddressSanitizer (the `debug` preset,
// scripts/sanitize-test) shadow memory and the free quarantine decide the peak RSS, so tests
// assert their memory bounds only when this is true; everything else they check still holds.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kMemoryBoundsApply = false;
#else
inline constexpr bool kMemoryBoundsApply = true;
#endif

// A fresh temporary folder, removed when the object goes away.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path Write(const std::string& relative, const std::string& bytes) const;

 private:
  std::filesystem::path path_;
};

// Runs `crmaudit ARGS...` (each argument shell-quoted) with `env` prepended (e.g.
// "CRMAUDIT_POLICY_DIR=/x"), optionally as another user via runuser.
CliRun RunCrmaudit(const std::vector<std::string>& args, const std::string& env = "",
                   const std::string& as_user = "");

// Runs crmaudit directly (no shell) in `cwd`, killing it after `timeout_seconds` (a hang is a
// failed test, not a stuck suite), and measures its own peak RSS (wait4's rusage).
CliRun RunCrmauditDirect(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                         int timeout_seconds = 120);

std::string ReadFile(const std::filesystem::path& path);
nlohmann::json ReadJson(const std::filesystem::path& path);

// The coverage entry whose dataset ends with `suffix`, or null.
const nlohmann::json* CoverageFor(const nlohmann::json& report, const std::string& suffix);

// Findings of one entity type whose location path ends with `path_suffix`.
std::vector<nlohmann::json> FindingsFor(const nlohmann::json& report, const std::string& entity,
                                        const std::string& path_suffix);

// gzip-compresses bytes (level 6).
std::string Gzip(const std::string& bytes);

}  // namespace crmaudit::testing
