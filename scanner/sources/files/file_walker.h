// Expanding a file-system target (a file or a directory walked recursively) into export files.
//
// Directories are walked in sorted order so reports are deterministic. `--include` and
// `--exclude` globs match the path relative to the target root ('/'-separated; `*` does not
// cross '/', `**` does; a pattern without '/' also matches the base name). Unreadable
// directories, broken symlinks and symlink loops become problems in the result, never fatal.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace crmaudit {

struct WalkOptions {
  std::vector<std::string> include;  // empty = everything
  std::vector<std::string> exclude;
  bool follow_symlinks = true;  // loops are detected and reported
};

struct WalkedFile {
  std::filesystem::path path;  // path to open
  std::string relative;  // relative to the target root, '/'-separated; base name for a file target
};

struct WalkProblem {
  std::string relative;  // what could not be visited, relative to the root
  std::string reason;    // "permission denied", "symlink loop", "broken symlink", "not found"...
};

struct WalkResult {
  bool root_exists = true;
  bool root_is_directory = false;
  std::vector<WalkedFile> files;
  std::vector<WalkProblem> problems;
};

WalkResult WalkTarget(const std::filesystem::path& root, const WalkOptions& options);

// Glob matching as described above; exposed for tests and for policy table patterns.
bool GlobMatch(std::string_view pattern, std::string_view path);

}  // namespace crmaudit
