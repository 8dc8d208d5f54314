// The source root SARIF paths are relative to: `--sarif-root DIR`, or else the repository a
// target lies in (the nearest folder above it holding `.git`, a folder or a worktree's file;
// found without running git). Code-scanning UIs resolve %SRCROOT% to the checkout, so an
// export scanned as `crmaudit scan exports/` is shown at `exports/contacts.csv`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace crmaudit {

// The nearest folder at or above `start` that holds `.git`; nullopt when there is none.
std::optional<std::filesystem::path> FindRepositoryRoot(const std::filesystem::path& start);

// The folder a file or directory target's relative paths start from (a file target: its
// parent folder), relative to `root` when given, else to its repository; '/'-separated, ""
// for the root itself; nullopt when the target is not below that root.
std::optional<std::string> SourceRootPath(const std::filesystem::path& target,
                                          const std::optional<std::filesystem::path>& root);

}  // namespace crmaudit
