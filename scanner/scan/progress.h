// Progress: a single self-overwriting status line on stderr for long scans.
//
// Only active when stderr is a terminal (and the plan asks for it): piped or redirected output
// stays free of control characters. Thread-safe; redraws at most a few times per second. Shows
// counts and sizes only — never a value, never a column's content. Folders are walked as they
// are read, so the line counts the datasets found so far, not a total known in advance.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace crmaudit {

class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled) {}
  ~Progress() { Finish(); }

  void DatasetFound() { ++found_; }
  void DatasetDone(uint64_t rows, uint64_t bytes);
  // Erases the line so the summary starts on a clean line.
  void Finish();

  bool enabled() const { return enabled_; }

 private:
  void Draw();

  bool enabled_;
  std::atomic<uint64_t> found_{0}, done_{0}, rows_{0}, bytes_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace crmaudit
