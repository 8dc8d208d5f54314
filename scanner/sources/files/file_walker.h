// Expanding a file-system target (a file or a directory walked recursively) into export files.
//
// Directories are walked in sorted order so reports are deterministic. `--include` and
// `--exclude` globs match the path relative to the target root ('/'-separated; `*` does not
// cross '/', `**` does; a pattern without '/' also matches the base name).
//
// The walk streams: every file is handed to a WalkVisitor as it is found, and the walker keeps
// only the listing of the directory it is in (plus its ancestors' remaining names) and the
// identity (device, inode) of each directory entered, so memory does not grow with the number
// of files. Three kinds of event:
//   File     a regular file to read;
//   Skipped  deliberately not read, nothing the scan is for is lost: a symlink loop, a FIFO,
//            socket or device, a pseudo file system (/proc, /sys, /dev and other kernel file
//            systems are never entered), a folder holding a crmaudit report, the scan's own
//            output folder;
//   Problem  could not be visited, a gap in the scan: permission denied, broken symlink...
// Nothing is ever opened in a way that can block: FIFOs and devices are recognised by their
// file type before any open, and the readability probe opens with O_NONBLOCK.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace crmaudit {

struct WalkOptions {
  std::vector<std::string> include;  // empty = everything
  std::vector<std::string> exclude;
  bool follow_symlinks = true;  // loops are detected and skipped
  // Folders never entered, matched by identity (so a symlink or another spelling of the path
  // is caught too): the scan's own output folders. Missing ones are ignored.
  std::vector<std::filesystem::path> own_output_folders;
  // Asked before each entry; once true, the walk ends and what was not walked is one Problem
  // ("not walked: ..."), so a deadline (--timeout) also bounds the listing of a huge tree.
  std::function<bool()> stop;
};

struct WalkedFile {
  std::filesystem::path path;  // path to open
  std::string relative;  // relative to the target root, '/'-separated; base name for a file target
};

class WalkVisitor {
 public:
  virtual ~WalkVisitor() = default;
  virtual void File(WalkedFile file) = 0;
  virtual void Skipped(std::string relative, std::string reason) = 0;
  virtual void Problem(std::string relative, std::string reason) = 0;
};

struct WalkRoot {
  bool exists = true;
  bool is_directory = false;
};

// Walks `root`, reporting to `visitor`. A missing root is returned as exists = false and
// reported to nobody (the caller names the target).
WalkRoot WalkTarget(const std::filesystem::path& root, const WalkOptions& options,
                    WalkVisitor& visitor);

// The whole walk collected in memory: for tests and small trees.
struct WalkProblem {
  std::string relative;  // what could not be visited (or was skipped), relative to the root
  std::string reason;    // "permission denied", "symlink loop", "broken symlink", "FIFO"...
};

struct WalkResult {
  bool root_exists = true;
  bool root_is_directory = false;
  std::vector<WalkedFile> files;
  std::vector<WalkProblem> skipped;
  std::vector<WalkProblem> problems;
};

WalkResult WalkTarget(const std::filesystem::path& root, const WalkOptions& options);

// True when `dir` holds a report.json written by crmaudit (its "tool" names crmaudit): a report
// folder, whose contents are masked results, never an export to scan.
bool HoldsCrmauditReport(const std::filesystem::path& dir);

// Glob matching as described above; exposed for tests and for policy table patterns.
bool GlobMatch(std::string_view pattern, std::string_view path);

}  // namespace crmaudit
