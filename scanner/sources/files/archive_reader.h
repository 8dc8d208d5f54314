// ArchiveReader: the members of a ZIP, tar or gzip-compressed tar archive, one after the
// other, each streamed (libarchive; no member is extracted to disk or held whole in memory).
//
// Member names are labels, never paths: crmaudit writes nothing out of an archive, so a name
// with "../", an absolute path or control characters cannot reach the file system. `name` is
// the name made safe to show (invalid UTF-8 repaired, control and bidi characters escaped as
// TerminalSafe does); `part` is the repaired name as stored, for matching the parts of an
// OOXML package (xl/workbook.xml).
//
// Zip bombs are bounded (ArchiveLimits, documented in docs/operations.md): a member whose
// uncompressed bytes exceed max_ratio times the compressed bytes it consumed (checked once it
// has produced ratio_floor_bytes, so that small, very repetitive members are not suspect), or an
// archive whose members together exceed max_total_bytes, stops being read: Read returns -1 with
// the reason and limit_reached() is true. Encrypted members are reported as such (encrypted)
// and not read: crmaudit has no passphrase. Errors never quote content.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace crmaudit {

struct ArchiveLimits {
  uint64_t max_ratio = 200;                  // uncompressed : compressed bytes of one member
  uint64_t ratio_floor_bytes = 16ull << 20;  // a member is judged by the ratio from this size
  uint64_t max_total_bytes = 32ull << 30;    // uncompressed bytes read from one archive
  uint64_t max_members = 100000;             // members listed; the rest are counted as a gap
};

struct ArchiveMember {
  std::string name;        // safe to show: repaired and escaped; never used as a path
  std::string part;        // the stored name, UTF-8 repaired; only compared with package part names
  bool regular = false;    // a regular file (not a directory, link or device)
  bool encrypted = false;  // the member's data is encrypted
  uint64_t size = 0;       // declared uncompressed size; 0 when the archive does not say
};

class ArchiveReader {
 public:
  explicit ArchiveReader(ArchiveLimits limits = {});
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  // Opens a ZIP, tar or tar.gz file. Returns an empty string on success, else a reason.
  std::string Open(const std::filesystem::path& path);
  // The same for an archive held in memory (a workbook inside a ZIP, a fuzz input); `bytes`
  // must outlive the reader.
  std::string OpenMemory(std::string_view bytes);

  // Moves to the next member. False at the end of the archive, or when it cannot be read
  // further (error() then says why; members already read stay valid).
  bool Next(ArchiveMember* member);

  // Reads the current member's content: bytes read, 0 at its end, -1 with *error set when it
  // is corrupt, encrypted or over a limit.
  long Read(char* buffer, size_t capacity, std::string* error);

  // Empty, or why the archive could not be read to its end.
  const std::string& error() const { return error_; }
  // True once a zip-bomb limit stopped reading (the rest of the archive is not read).
  bool limit_reached() const { return limit_reached_; }
  // "zip", "tar", "tar+gzip" (known after Open).
  const std::string& format() const { return format_; }
  uint64_t members() const { return members_; }
  uint64_t uncompressed_bytes() const { return total_out_; }

 private:
  struct Handle;
  std::string Start();

  ArchiveLimits limits_;
  std::unique_ptr<Handle> handle_;
  std::string error_;
  std::string format_;
  bool limit_reached_ = false;
  bool current_encrypted_ = false;
  uint64_t members_ = 0;
  uint64_t total_out_ = 0;
  uint64_t member_out_ = 0;
  int64_t member_in_start_ = 0;
};

}  // namespace crmaudit
