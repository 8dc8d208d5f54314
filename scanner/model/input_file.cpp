#include "scanner/model/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "scanner/model/unique_fd.h"

namespace crmaudit {
namespace {

std::string KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "not a regular file (a FIFO)";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "not a regular file (a device)";
  if (S_ISSOCK(mode)) return "not a regular file (a socket)";
  return "not a regular file";
}

std::string SizeText(uint64_t bytes) {
  if (bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

std::string ErrnoText(int error) {
  switch (error) {
    case ENOENT:
      return "not found";
    case EACCES:
    case EPERM:
      return "permission denied";
    case ENOTDIR:
      return "a folder on its path is not a directory";
    case ELOOP:
      return "too many symbolic links";
    default:
      return std::strerror(error);
  }
}

}  // namespace

std::optional<std::string> ReadInputFile(const std::filesystem::path& path, uint64_t max_bytes,
                                         std::string* reason) {
  auto fail = [&](std::string why) -> std::optional<std::string> {
    if (reason != nullptr) *reason = std::move(why);
    return std::nullopt;
  };
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) return fail(ErrnoText(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail(ErrnoText(errno));
  if (!S_ISREG(st.st_mode)) return fail(KindOf(st.st_mode));
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) return fail("larger than " + SizeText(max_bytes));
  std::string bytes(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd.get(), bytes.data() + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return fail("read error: " + ErrnoText(errno));
    if (got == 0) break;  // truncated meanwhile: what was there is what is read
    done += static_cast<size_t>(got);
  }
  bytes.resize(done);
  return bytes;
}

}  // namespace crmaudit
