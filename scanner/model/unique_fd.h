// UniqueFd: a POSIX file descriptor closed when it goes out of scope, so that every early
// return of code that opens files by hand (model/input_file.cpp, sources/sqlite) closes it.
#pragma once

#include <unistd.h>

namespace crmaudit {

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace crmaudit
