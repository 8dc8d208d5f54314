#include "scanner/sources/files/read_ahead.h"

#include <pthread.h>

#include <algorithm>
#include <memory>
#include <utility>

namespace crmaudit {

ReadAhead::ReadAhead(ByteSource& source, TextDecoder& decoder, size_t chunk_bytes,
                     size_t chunks_ahead)
    : source_(source),
      decoder_(decoder),
      chunk_bytes_(chunk_bytes),
      chunks_ahead_(std::max<size_t>(chunks_ahead, 1)),
      thread_([this] { Run(); }) {}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ReadAhead::Run() {
  // Named so that per-thread profiles (perf report --sort comm) tell reading from the rest.
  pthread_setname_np(pthread_self(), "crmaudit-read");
  try {
    std::unique_ptr<char[]> chunk(new char[chunk_bytes_]);
    std::string text;
    bool at_end = false;
    while (!at_end) {
      const size_t got = source_.Read(chunk.get(), chunk_bytes_);
      at_end = got == 0;
      text.clear();
      decoder_.Decode(std::string_view(chunk.get(), got), at_end, &text);
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || ready_.size() < chunks_ahead_; });
      if (stopping_) return;
      if (!text.empty()) {
        ready_.push_back(std::move(text));
        text.clear();
        if (!spare_.empty()) {
          text = std::move(spare_.back());
          spare_.pop_back();
        }
      }
      if (at_end) ended_ = true;
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
    ended_ = true;
    changed_.notify_all();
  }
}

bool ReadAhead::Next(std::string* text) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !ready_.empty() || ended_; });
  if (ready_.empty()) {
    if (error_) std::rethrow_exception(error_);
    return false;
  }
  text->clear();
  spare_.push_back(std::move(*text));
  *text = std::move(ready_.front());
  ready_.pop_front();
  changed_.notify_all();
  return true;
}

}  // namespace crmaudit
