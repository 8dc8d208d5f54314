// ByteSource: the content bytes of one file, streamed, gunzipped when the file starts with the
// gzip magic (1f 8b) whatever its name.
//
// Reads at most the bytes the file had when it was opened: a file that grows meanwhile (an
// export still being written) is read up to that size and error() says it grew; one that is
// cut shorter meanwhile ends where it was cut and error() says so. Either way the read is
// incomplete, never silently "complete" nor endless.
//
// Memory is one fixed input buffer whatever the file size. Concatenated gzip members are read
// as one stream (as gzip -d does). A stream that ends before its gzip trailer is "truncated":
// everything inflated before the cut is still returned, then Read returns 0 and error() says
// so. Reasons and errors never contain file content.
//
// OpenStream reads from a pull function instead of a file (an archive member, archive_reader.h):
// the same gunzipping and error reporting, with "disk" bytes being the bytes the function gave.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace crmaudit {

class ByteSource {
 public:
  ByteSource();
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Opens `path` for reading. Returns an empty string on success, else a short reason:
  // "not found", "permission denied", "is a directory", "not a regular file", ...
  std::string Open(const std::filesystem::path& path);

  // Fills a buffer with raw bytes: returns how many, 0 at the end, or -1 with *error set.
  using Pull = std::function<long(char* buffer, size_t capacity, std::string* error)>;
  // Reads from `pull` instead of a file. Returns an empty string on success, else a reason.
  std::string OpenStream(Pull pull);

  // Fills up to `capacity` bytes of content into `buffer`; returns how many. 0 means the end of
  // the content, or an error (see failed()).
  size_t Read(char* buffer, size_t capacity);

  bool compressed() const { return compressed_; }
  bool failed() const { return !error_.empty(); }
  // Empty, or e.g. "truncated gzip stream after 4096 bytes (10000 bytes decompressed)".
  const std::string& error() const { return error_; }
  uint64_t disk_bytes() const { return disk_bytes_; }
  // The file's size when it was opened (the most that is read); 0 for a stream.
  uint64_t size_at_open() const { return size_at_open_; }
  uint64_t content_bytes() const { return content_bytes_; }

 private:
  struct Inflater;

  // Sniffs the gzip magic in the first raw bytes.
  std::string Start();
  // Reads raw bytes from the file descriptor (or the pull function); -1 on error (error_ set).
  long ReadDisk(char* buffer, size_t capacity);
  size_t ReadPlain(char* buffer, size_t capacity);
  size_t ReadGzip(char* buffer, size_t capacity);

  int fd_ = -1;
  Pull pull_;
  bool opened_ = false;
  bool compressed_ = false;
  bool disk_eof_ = false;
  uint64_t size_at_open_ = 0;  // st_size at Open: the most that is read
  std::unique_ptr<char[]> input_;
  size_t input_begin_ = 0;
  size_t input_end_ = 0;
  std::unique_ptr<Inflater> inflater_;
  uint64_t disk_bytes_ = 0;
  uint64_t content_bytes_ = 0;
  std::string error_;
};

}  // namespace crmaudit
