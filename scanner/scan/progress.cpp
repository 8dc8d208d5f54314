#include "scanner/scan/progress.h"

#include <cstdio>

namespace crmaudit {

void Progress::DatasetDone(uint64_t rows, uint64_t bytes) {
  ++done_;
  rows_ += rows;
  bytes_ += bytes;
  if (enabled_) Draw();
}

void Progress::Draw() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(250) && done_ < total_) return;
  last_draw_ = now;
  drawn_ = true;
  std::fprintf(stderr, "\r\033[Kscanning: %llu/%llu datasets, %llu rows, %.1f MB",
               static_cast<unsigned long long>(done_.load()),
               static_cast<unsigned long long>(total_.load()),
               static_cast<unsigned long long>(rows_.load()), bytes_.load() / 1e6);
  std::fflush(stderr);
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace crmaudit
