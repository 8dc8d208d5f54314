// ScratchPath: a file or folder in the temporary directory that belongs to one fuzzing process
// and is removed when that process ends normally (libFuzzer's run or time limit, a corpus
// replay under ctest). Fuzz runs in CI and their replays in every ctest run must not leave
// files behind in /tmp. A process that crashes keeps it, beside the crash input.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace crmaudit::fuzz {

class ScratchPath {
 public:
  enum Kind { kFile, kFolder };
  // `<temp dir>/<stem>-<pid><suffix>`: a folder is created, a file is left to the caller.
  explicit ScratchPath(const std::string& stem, const std::string& suffix = "", Kind kind = kFile)
      : path_(std::filesystem::temp_directory_path() /
              (stem + "-" + std::to_string(::getpid()) + suffix)) {
    if (kind == kFolder) std::filesystem::create_directories(path_);
  }
  ~ScratchPath() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchPath(const ScratchPath&) = delete;
  ScratchPath& operator=(const ScratchPath&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace crmaudit::fuzz
