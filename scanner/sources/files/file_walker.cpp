// WalkTarget: expands a file or directory target into export files (see file_walker.h).
//
// Loop detection keys directories by (device, inode): a directory reached again while it is
// still an ancestor is a symlink loop (reported); one reached again through another path is
// skipped silently so no file is scanned twice.
#include "scanner/sources/files/file_walker.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <system_error>
#include <utility>

namespace crmaudit {

namespace {

namespace fs = std::filesystem;

using DirectoryKey = std::pair<dev_t, ino_t>;

std::string ReasonFor(const std::error_code& ec) {
  if (ec == std::errc::permission_denied || ec == std::errc::operation_not_permitted) {
    return "permission denied";
  }
  if (ec == std::errc::too_many_symbolic_link_levels) return "symlink loop";
  if (ec == std::errc::no_such_file_or_directory) return "not found";
  return ec.message();
}

// Opening is the only reliable readability test (ACLs, root, network file systems).
std::string ProblemOpening(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return ReasonFor(std::error_code(errno, std::generic_category()));
  ::close(fd);
  return {};
}

class Walker {
 public:
  Walker(const WalkOptions& options, WalkResult* result) : options_(options), result_(result) {}

  void WalkDirectory(const fs::path& dir, const std::string& prefix, DirectoryKey key) {
    visited_.insert(key);
    ancestors_.insert(key);
    std::vector<std::string> names;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      Problem(prefix.empty() ? "." : prefix, ReasonFor(ec));
    } else {
      for (; it != fs::directory_iterator(); it.increment(ec)) {
        names.push_back(it->path().filename().string());
      }
      if (ec) Problem(prefix.empty() ? "." : prefix, ReasonFor(ec));
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      VisitEntry(dir / name, prefix.empty() ? name : prefix + "/" + name);
    }
    ancestors_.erase(key);
  }

  void AddFile(const fs::path& path, std::string relative) {
    std::string problem = ProblemOpening(path);
    if (!problem.empty()) {
      Problem(std::move(relative), std::move(problem));
      return;
    }
    result_->files.push_back({path, std::move(relative)});
  }

 private:
  void VisitEntry(const fs::path& path, const std::string& relative) {
    std::error_code ec;
    fs::file_status link_status = fs::symlink_status(path, ec);
    if (ec) {
      if (Selected(relative)) Problem(relative, ReasonFor(ec));
      return;
    }
    fs::file_status status = link_status;
    if (fs::is_symlink(link_status)) {
      if (!options_.follow_symlinks) return;
      status = fs::status(path, ec);
      if (ec) {
        if (!Selected(relative)) return;
        if (ec == std::errc::no_such_file_or_directory) {
          Problem(relative, "broken symlink");
        } else {
          Problem(relative, ReasonFor(ec));
        }
        return;
      }
    }
    if (fs::is_directory(status)) {
      // "archive/**" excludes the directory itself too, so it is not even listed.
      if (Excluded(relative) || Excluded(relative + "/")) return;
      struct stat st;
      if (::stat(path.c_str(), &st) != 0) {
        Problem(relative, ReasonFor(std::error_code(errno, std::generic_category())));
        return;
      }
      DirectoryKey key{st.st_dev, st.st_ino};
      if (ancestors_.count(key)) {
        Problem(relative, "symlink loop");
        return;
      }
      if (visited_.count(key)) return;
      WalkDirectory(path, relative, key);
      return;
    }
    if (!Selected(relative)) return;
    if (fs::is_regular_file(status)) {
      AddFile(path, relative);
    } else {
      Problem(relative, "not a regular file");
    }
  }

  bool Excluded(const std::string& relative) const {
    for (const std::string& pattern : options_.exclude) {
      if (GlobMatch(pattern, relative)) return true;
    }
    return false;
  }

  bool Selected(const std::string& relative) const {
    if (Excluded(relative)) return false;
    if (options_.include.empty()) return true;
    for (const std::string& pattern : options_.include) {
      if (GlobMatch(pattern, relative)) return true;
    }
    return false;
  }

  void Problem(std::string relative, std::string reason) {
    result_->problems.push_back({std::move(relative), std::move(reason)});
  }

  const WalkOptions& options_;
  WalkResult* result_;
  std::set<DirectoryKey> visited_;
  std::set<DirectoryKey> ancestors_;
};

}  // namespace

WalkResult WalkTarget(const fs::path& root, const WalkOptions& options) {
  WalkResult result;
  Walker walker(options, &result);
  std::string base = root.filename().string();
  if (base.empty()) base = root.parent_path().filename().string();
  if (base.empty()) base = root.string();

  std::error_code ec;
  fs::file_status status = fs::status(root, ec);
  if (ec) {
    std::error_code link_ec;
    bool is_link = fs::is_symlink(fs::symlink_status(root, link_ec)) && !link_ec;
    if (ec == std::errc::no_such_file_or_directory && !is_link) {
      result.root_exists = false;
    } else {
      result.problems.push_back({base, is_link && ec == std::errc::no_such_file_or_directory
                                           ? "broken symlink"
                                           : ReasonFor(ec)});
    }
    return result;
  }
  if (fs::is_directory(status)) {
    result.root_is_directory = true;
    struct stat st;
    if (::stat(root.c_str(), &st) != 0) {
      result.problems.push_back({".", ReasonFor(std::error_code(errno, std::generic_category()))});
      return result;
    }
    walker.WalkDirectory(root, "", {st.st_dev, st.st_ino});
    return result;
  }
  // An explicitly named file is scanned whatever the globs say: the user asked for it.
  if (fs::is_regular_file(status)) {
    walker.AddFile(root, base);
  } else {
    result.problems.push_back({base, "not a regular file"});
  }
  return result;
}

}  // namespace crmaudit
