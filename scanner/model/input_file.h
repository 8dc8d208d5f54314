// InputFile: reading a whole file that a user names (audit file, signing key, baseline,
// report, chain link, suppressions, policy pack, password file) without hanging and without
// unbounded memory.
//
// Only a regular file is read: a FIFO (which would block), a device such as /dev/zero (which
// never ends), a socket or a directory is refused before any byte is read, also when reached
// through a symbolic link. The file is opened non-blocking, checked with fstat, refused when
// larger than the caller's limit, and read as the bytes it had when opened (a file that grows
// meanwhile cannot make the read endless). Reasons never contain file content.
//
// Export files being scanned are not read here: sources/files/byte_source.h streams them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace crmaudit {

// Limits for the kinds of input: reports and baselines of large scans can be big; keys, audit
// files and password files are small.
inline constexpr uint64_t kMaxReportFileBytes = 512ull << 20;
inline constexpr uint64_t kMaxSmallInputBytes = 16ull << 20;

// The file's bytes, or nullopt with `*reason` (when given) saying why in a few words:
// "not found", "permission denied", "not a regular file (a FIFO)", "larger than 16 MiB", ...
std::optional<std::string> ReadInputFile(const std::filesystem::path& path, uint64_t max_bytes,
                                         std::string* reason = nullptr);

}  // namespace crmaudit
