// WalkTarget: expands a file or directory target into export files (see file_walker.h).
//
// Loop detection keys directories by (device, inode): a directory reached again while it is
// still an ancestor is a symlink loop (skipped, it is being scanned already); one reached again
// through another path is skipped silently so no file is scanned twice. That set grows with the
// number of directories, not files (about 50 bytes each).
#include "scanner/sources/files/file_walker.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <regex>
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

std::string ReasonForErrno() { return ReasonFor(std::error_code(errno, std::generic_category())); }

// Opening is the only reliable readability test (ACLs, root, network file systems). O_NONBLOCK:
// a file swapped for a FIFO since it was looked at must not block the walk.
std::string ProblemOpening(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return ReasonForErrno();
  ::close(fd);
  return {};
}

// What a file that is not a regular file or directory is, for the skip reason.
std::string SpecialFileKind(mode_t mode) {
  if (S_ISFIFO(mode)) return "FIFO (named pipe), not a file";
  if (S_ISSOCK(mode)) return "socket, not a file";
  if (S_ISCHR(mode)) return "character device, not a file";
  if (S_ISBLK(mode)) return "block device, not a file";
  return "not a regular file";
}

// Kernel and virtual file systems: their "files" are live kernel state (some endless, some
// blocking), never CRM exports. /dev is devtmpfs, which reports tmpfs's magic like /tmp, so it
// is recognised by identity instead (see PseudoFolders).
const char* PseudoFileSystemName(const fs::path& dir) {
  struct statfs info {};
  if (::statfs(dir.c_str(), &info) != 0) return nullptr;
  switch (static_cast<unsigned long>(info.f_type)) {
    case PROC_SUPER_MAGIC:
      return "proc";
    case SYSFS_MAGIC:
      return "sysfs";
    case DEVPTS_SUPER_MAGIC:
      return "devpts";
    case CGROUP_SUPER_MAGIC:
    case CGROUP2_SUPER_MAGIC:
      return "cgroup";
    case DEBUGFS_MAGIC:
      return "debugfs";
    case TRACEFS_MAGIC:
      return "tracefs";
    case SECURITYFS_MAGIC:
      return "securityfs";
    case PSTOREFS_MAGIC:
      return "pstore";
    case BPF_FS_MAGIC:
      return "bpf";
    case NSFS_MAGIC:
      return "nsfs";
    case EFIVARFS_MAGIC:
      return "efivarfs";
    case SELINUX_MAGIC:
      return "selinuxfs";
    case HUGETLBFS_MAGIC:
      return "hugetlbfs";
    case 0x62656570:  // configfs
      return "configfs";
    case 0x65735543:  // fusectl
      return "fusectl";
    case 0x19800202:  // mqueue
      return "mqueue";
    case 0x42494e4d:  // binfmt_misc
      return "binfmt_misc";
    default:
      return nullptr;
  }
}

// Reads up to `size` bytes at `offset` of an open file.
std::string ReadAt(int fd, off_t offset, size_t size) {
  std::string out(size, '\0');
  ssize_t got = ::pread(fd, out.data(), size, offset);
  out.resize(got > 0 ? static_cast<size_t>(got) : 0);
  return out;
}

class Walker {
 public:
  Walker(const WalkOptions& options, WalkVisitor& visitor) : options_(options), visitor_(visitor) {
    for (const fs::path& folder : options.own_output_folders) {
      struct stat st;
      if (::stat(folder.c_str(), &st) == 0) own_output_.insert({st.st_dev, st.st_ino});
    }
    for (const char* folder : {"/proc", "/sys", "/dev"}) {
      struct stat st;
      if (::stat(folder, &st) == 0) pseudo_folders_[{st.st_dev, st.st_ino}] = folder;
    }
  }

  // Why a directory is not entered, or "" to enter it.
  std::string ReasonNotToEnter(const fs::path& dir, DirectoryKey key) const {
    if (own_output_.count(key)) return "the scan's own output folder (--out), not scanned";
    auto pseudo = pseudo_folders_.find(key);
    if (pseudo != pseudo_folders_.end()) {
      return std::string("system folder ") + pseudo->second +
             " (kernel and device files), not scanned";
    }
    if (const char* type = PseudoFileSystemName(dir)) {
      return std::string("pseudo file system (") + type + "), not scanned";
    }
    if (HoldsCrmauditReport(dir)) return "crmaudit report folder (masked results), not scanned";
    return "";
  }

  void WalkDirectory(const fs::path& dir, const std::string& prefix, DirectoryKey key) {
    visited_.insert(key);
    ancestors_.insert(key);
    std::vector<std::string> names;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    const std::string here = prefix.empty() ? "." : prefix;
    if (ec) {
      visitor_.Problem(here, ReasonFor(ec));
    } else {
      for (; it != fs::directory_iterator(); it.increment(ec)) {
        names.push_back(it->path().filename().string());
      }
      if (ec) visitor_.Problem(here, ReasonFor(ec));
    }
    std::sort(names.begin(), names.end());
    for (std::string& name : names) {
      if (Stopped(here)) break;
      std::string relative = prefix.empty() ? name : prefix + "/" + name;
      VisitEntry(dir / name, relative);
      std::string().swap(name);  // what was visited is not kept
    }
    ancestors_.erase(key);
  }

  void AddFile(const fs::path& path, std::string relative) {
    std::string problem = ProblemOpening(path);
    if (!problem.empty()) {
      visitor_.Problem(std::move(relative), std::move(problem));
      return;
    }
    visitor_.File({path, std::move(relative)});
  }

 private:
  void VisitEntry(const fs::path& path, const std::string& relative) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      if (Selected(relative)) visitor_.Problem(relative, ReasonForErrno());
      return;
    }
    if (S_ISLNK(st.st_mode)) {
      if (!options_.follow_symlinks) return;
      if (::stat(path.c_str(), &st) != 0) {
        int error = errno;
        if (!Selected(relative)) return;
        if (error == ENOENT) {
          visitor_.Problem(relative, "broken symlink");
        } else if (error == ELOOP) {
          visitor_.Skipped(relative, "symlink loop");
        } else {
          visitor_.Problem(relative, ReasonFor(std::error_code(error, std::generic_category())));
        }
        return;
      }
    }
    if (S_ISDIR(st.st_mode)) {
      // "archive/**" excludes the directory itself too, so it is not even listed.
      if (Excluded(relative) || Excluded(relative + "/")) return;
      DirectoryKey key{st.st_dev, st.st_ino};
      if (ancestors_.count(key)) {
        visitor_.Skipped(relative, "symlink loop");
        return;
      }
      if (visited_.count(key)) return;
      std::string reason = ReasonNotToEnter(path, key);
      if (!reason.empty()) {
        visited_.insert(key);
        visitor_.Skipped(relative, std::move(reason));
        return;
      }
      WalkDirectory(path, relative, key);
      return;
    }
    if (!Selected(relative)) return;
    if (S_ISREG(st.st_mode)) {
      AddFile(path, relative);
    } else {
      visitor_.Skipped(relative, SpecialFileKind(st.st_mode));
    }
  }

  // True once options_.stop() said so; the first time, the unwalked rest is reported.
  bool Stopped(const std::string& where) {
    if (stopped_) return true;
    if (!options_.stop || !options_.stop()) return false;
    stopped_ = true;
    visitor_.Problem(where, "not walked further: the scan's --timeout expired");
    return true;
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

  const WalkOptions& options_;
  WalkVisitor& visitor_;
  std::set<DirectoryKey> visited_;
  std::set<DirectoryKey> ancestors_;
  std::set<DirectoryKey> own_output_;
  std::map<DirectoryKey, const char*> pseudo_folders_;
  bool stopped_ = false;
};

class Collector : public WalkVisitor {
 public:
  explicit Collector(WalkResult* result) : result_(result) {}
  void File(WalkedFile file) override { result_->files.push_back(std::move(file)); }
  void Skipped(std::string relative, std::string reason) override {
    result_->skipped.push_back({std::move(relative), std::move(reason)});
  }
  void Problem(std::string relative, std::string reason) override {
    result_->problems.push_back({std::move(relative), std::move(reason)});
  }

 private:
  WalkResult* result_;
};

}  // namespace

bool HoldsCrmauditReport(const fs::path& dir) {
  int fd = ::open((dir / "report.json").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return false;
  struct stat st;
  std::string head, tail;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    // Canonical (RFC 8785) JSON sorts keys, so "tool" is the last member; a pretty-printed
    // report may have it first. Both ends are enough, whatever the report's size.
    constexpr size_t kProbe = 8192;
    head = ReadAt(fd, 0, kProbe);
    off_t size = st.st_size;
    if (size > static_cast<off_t>(kProbe))
      tail = ReadAt(fd, size - static_cast<off_t>(kProbe), kProbe);
  }
  ::close(fd);
  static const std::regex kTool(R"re("tool"\s*:\s*\{\s*"name"\s*:\s*"crmaudit")re");
  return std::regex_search(head, kTool) || std::regex_search(tail, kTool);
}

WalkRoot WalkTarget(const fs::path& root, const WalkOptions& options, WalkVisitor& visitor) {
  WalkRoot result;
  Walker walker(options, visitor);
  std::string base = root.filename().string();
  if (base.empty()) base = root.parent_path().filename().string();
  if (base.empty()) base = root.string();

  struct stat st;
  if (::stat(root.c_str(), &st) != 0) {
    int error = errno;
    struct stat link;
    bool is_link = ::lstat(root.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
    if ((error == ENOENT || error == ENOTDIR) && !is_link) {
      result.exists = false;
    } else {
      visitor.Problem(base, is_link && error == ENOENT
                                ? "broken symlink"
                                : ReasonFor(std::error_code(error, std::generic_category())));
    }
    return result;
  }
  if (S_ISDIR(st.st_mode)) {
    result.is_directory = true;
    DirectoryKey key{st.st_dev, st.st_ino};
    std::string reason = walker.ReasonNotToEnter(root, key);
    if (!reason.empty()) {
      visitor.Skipped(".", std::move(reason));
      return result;
    }
    walker.WalkDirectory(root, "", key);
    return result;
  }
  // An explicitly named file is scanned whatever the globs say: the user asked for it. Anything
  // else the user named (a FIFO, a device) cannot be scanned: a problem, not a deliberate skip.
  if (S_ISREG(st.st_mode)) {
    walker.AddFile(root, base);
  } else {
    visitor.Problem(base, SpecialFileKind(st.st_mode));
  }
  return result;
}

WalkResult WalkTarget(const fs::path& root, const WalkOptions& options) {
  WalkResult result;
  Collector collector(&result);
  WalkRoot walked = WalkTarget(root, options, collector);
  result.root_exists = walked.exists;
  result.root_is_directory = walked.is_directory;
  return result;
}

}  // namespace crmaudit
