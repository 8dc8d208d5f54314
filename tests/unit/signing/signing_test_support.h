// Helpers for the signing tests: throwaway folders, files with exact bytes and modes, and
// running the stock `openssl` command or the crmaudit binary on real files.
#pragma once

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace crmaudit::testing_support {

// A fresh directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::path(::testing::TempDir()) / "crmsign-XXXXXX").string();
    char* made = mkdtemp(pattern.data());
    if (made == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = made;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline void WriteBytes(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write test file " + file.string());
}

inline std::string ReadBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline unsigned FileMode(const std::filesystem::path& file) {
  struct stat info {};
  if (stat(file.c_str(), &info) != 0) return 0;
  return info.st_mode & 07777;
}

inline std::string Quote(const std::filesystem::path& path) {
  std::string quoted = "'";
  for (char c : path.string()) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `command` through /bin/sh, capturing stdout+stderr.
inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t got = 0;
  while ((got = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, got);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// A realistic report folder: three artifacts with distinct bytes.
inline void WriteReportFolder(const std::filesystem::path& dir,
                              const std::string& previous_sha256 = "") {
  std::filesystem::create_directories(dir);
  std::string chain = previous_sha256.empty() ? std::string("{}")
                                              : "{\"previous_sha256\":\"" + previous_sha256 + "\"}";
  WriteBytes(dir / "report.json",
             "{\"scan\":{\"chain\":" + chain + ",\"id\":\"" + dir.filename().string() +
                 "\"},\"schema_version\":\"1\",\"summary\":{\"verdict\":\"pass\"}}");
  WriteBytes(dir / "report.html",
             "<!doctype html><html><body><h1>crmaudit report</h1></body></html>\n");
  WriteBytes(dir / "report.sarif", "{\"runs\":[],\"version\":\"2.1.0\"}\n");
}

inline const char* kSummaryJson = "{\"by_severity\":{\"high\":2},\"verdict\":\"fail\"}";

}  // namespace crmaudit::testing_support
