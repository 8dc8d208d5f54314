#include "scanner/scan/progress.h"

#include <cstdio>

#include "scanner/model/human_text.h"

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
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  drawn_ = true;
  std::string line = "scanning: " + std::to_string(done_.load()) + " of " +
                     Plural(found_.load(), "dataset") + " found so far, " +
                     Plural(rows_.load(), "row") + ", " + HumanBytes(bytes_.load());
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
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
