#include "scanner/sources/files/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace crmaudit {

namespace {

constexpr size_t kInputBufferBytes = 256 << 10;

std::string ReasonForErrno(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return "not found";
    case EACCES:
    case EPERM:
      return "permission denied";
    case EISDIR:
      return "is a directory";
    case ELOOP:
      return "symlink loop";
    default:
      return std::strerror(error);
  }
}

}  // namespace

struct ByteSource::Inflater {
  z_stream stream{};
  bool initialised = false;
  bool member_ended = false;
  ~Inflater() {
    if (initialised) inflateEnd(&stream);
  }
};

ByteSource::ByteSource() : input_(new char[kInputBufferBytes]) {}

ByteSource::~ByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::string ByteSource::Open(const std::filesystem::path& path) {
  // O_NONBLOCK so that a FIFO named like an export cannot hang the scan before fstat.
  fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) return ReasonForErrno(errno);
  struct stat st;
  if (::fstat(fd_, &st) != 0) return ReasonForErrno(errno);
  if (S_ISDIR(st.st_mode)) return "is a directory";
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  size_at_open_ = static_cast<uint64_t>(st.st_size);
  return Start();
}

std::string ByteSource::OpenStream(Pull pull) {
  pull_ = std::move(pull);
  return Start();
}

std::string ByteSource::Start() {
  opened_ = true;
  long got = ReadDisk(input_.get(), kInputBufferBytes);
  if (got < 0) return error_;
  input_end_ = static_cast<size_t>(got);
  if (input_end_ >= 2 && static_cast<unsigned char>(input_[0]) == 0x1f &&
      static_cast<unsigned char>(input_[1]) == 0x8b) {
    compressed_ = true;
    inflater_ = std::make_unique<Inflater>();
    // 15 + 16: gzip wrapper only, maximum window.
    if (inflateInit2(&inflater_->stream, 15 + 16) != Z_OK) return "cannot initialise zlib";
    inflater_->initialised = true;
  }
  return {};
}

long ByteSource::ReadDisk(char* buffer, size_t capacity) {
  if (disk_eof_) return 0;
  if (pull_) {
    long got = pull_(buffer, capacity, &error_);
    if (got < 0 && error_.empty())
      error_ = "read error after " + std::to_string(disk_bytes_) + " bytes";
    if (got <= 0) {
      disk_eof_ = true;
      return got < 0 ? -1 : 0;
    }
    disk_bytes_ += static_cast<uint64_t>(got);
    return got;
  }
  if (disk_bytes_ >= size_at_open_) {
    // Everything the file held when it was opened has been read. A file still being written
    // (a log, an export in progress) is not followed: it would never end.
    disk_eof_ = true;
    struct stat st;
    if (::fstat(fd_, &st) == 0 && static_cast<uint64_t>(st.st_size) > size_at_open_) {
      error_ = "the file grew while it was read: only its first " + std::to_string(size_at_open_) +
               " bytes (its size when opened) were read";
      return -1;
    }
    return 0;
  }
  capacity = static_cast<size_t>(std::min<uint64_t>(capacity, size_at_open_ - disk_bytes_));
  for (;;) {
    ssize_t got = ::read(fd_, buffer, capacity);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      error_ =
          "read error after " + std::to_string(disk_bytes_) + " bytes: " + ReasonForErrno(errno);
      return -1;
    }
    if (got == 0) {
      disk_eof_ = true;
      error_ = "the file was truncated while it was read: it ended after " +
               std::to_string(disk_bytes_) + " of the " + std::to_string(size_at_open_) +
               " bytes it had when opened";
      return -1;
    }
    disk_bytes_ += static_cast<uint64_t>(got);
    return got;
  }
}

size_t ByteSource::Read(char* buffer, size_t capacity) {
  if (!opened_ || failed() || capacity == 0) return 0;
  size_t got = compressed_ ? ReadGzip(buffer, capacity) : ReadPlain(buffer, capacity);
  content_bytes_ += got;
  return got;
}

size_t ByteSource::ReadPlain(char* buffer, size_t capacity) {
  if (input_begin_ < input_end_) {
    size_t n = std::min(capacity, input_end_ - input_begin_);
    std::memcpy(buffer, input_.get() + input_begin_, n);
    input_begin_ += n;
    return n;
  }
  long got = ReadDisk(buffer, capacity);
  return got < 0 ? 0 : static_cast<size_t>(got);
}

size_t ByteSource::ReadGzip(char* buffer, size_t capacity) {
  z_stream& z = inflater_->stream;
  z.next_out = reinterpret_cast<Bytef*>(buffer);
  z.avail_out = static_cast<uInt>(capacity);
  while (z.avail_out > 0) {
    if (input_begin_ == input_end_) {
      long got = ReadDisk(input_.get(), kInputBufferBytes);
      if (got < 0) break;
      if (got == 0) {
        if (!inflater_->member_ended) {
          error_ = "truncated gzip stream after " + std::to_string(disk_bytes_) + " bytes (" +
                   std::to_string(content_bytes_ + (capacity - z.avail_out)) +
                   " bytes decompressed)";
        }
        break;
      }
      input_begin_ = 0;
      input_end_ = static_cast<size_t>(got);
    }
    if (inflater_->member_ended) {
      // Another gzip member follows (as `cat a.gz b.gz` makes); anything else after a complete
      // member is trailing padding, which gzip -d ignores too.
      if (static_cast<unsigned char>(input_[input_begin_]) != 0x1f) {
        input_begin_ = input_end_;
        disk_eof_ = true;
        break;
      }
      inflateReset(&z);
      inflater_->member_ended = false;
    }
    z.next_in = reinterpret_cast<Bytef*>(input_.get() + input_begin_);
    z.avail_in = static_cast<uInt>(input_end_ - input_begin_);
    int ret = inflate(&z, Z_NO_FLUSH);
    input_begin_ = input_end_ - z.avail_in;
    if (ret == Z_STREAM_END) {
      inflater_->member_ended = true;
      continue;
    }
    if (ret == Z_OK || (ret == Z_BUF_ERROR && z.avail_in == 0)) continue;
    uint64_t position = disk_bytes_ - (input_end_ - input_begin_);
    error_ = "corrupt gzip stream at byte " + std::to_string(position);
    break;
  }
  return capacity - z.avail_out;
}

}  // namespace crmaudit
