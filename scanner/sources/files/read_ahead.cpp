#include "scanner/sources/files/read_ahead.h"

#include <pthread.h>

#include <algorithm>
#include <memory>
#include <utility>

namespace crmaudit {

ReadAhead::ReadAhead(ByteSource& source, TextDecoder& decoder, size_t chunk_bytes,
                     size_t chunks_ahead, std::optional<PieceCutter> cutter)
    : source_(source),
      decoder_(decoder),
      chunk_bytes_(chunk_bytes),
      chunks_ahead_(std::max<size_t>(chunks_ahead, 1)),
      cutter_(std::move(cutter)),
      thread_([this] { Run(); }) {}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool ReadAhead::HandOver(Text& text) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return stopping_ || ready_.size() < chunks_ahead_; });
  if (stopping_) return false;
  ready_.push_back(std::move(text));
  text = Text{};
  if (!spare_.empty()) {
    text.text = std::move(spare_.back());
    spare_.pop_back();
  }
  changed_.notify_all();
  return true;
}

void ReadAhead::Run() {
  // Named so that per-thread profiles (perf report --sort comm) tell reading from the rest.
  pthread_setname_np(pthread_self(), "crmaudit-read");
  try {
    std::unique_ptr<char[]> chunk(new char[chunk_bytes_]);
    std::optional<PieceCutter>& cutter = cutter_;
    Text decoded;
    Text piece;
    bool at_end = false;
    while (!at_end) {
      const size_t got = source_.Read(chunk.get(), chunk_bytes_);
      at_end = got == 0;
      decoded.text.clear();
      decoder_.Decode(std::string_view(chunk.get(), got), at_end, &decoded.text);
      if (!cutter) {
        if (!decoded.text.empty() && !HandOver(decoded)) return;
        continue;
      }
      PieceCutter::Piece cut;
      if (cutter->Add(decoded.text, &cut)) {
        piece.text = std::move(cut.text);
        piece.starts_at_cut = cut.starts_at_cut;
        if (!HandOver(piece)) return;
      }
    }
    if (cutter) {
      PieceCutter::Piece rest = cutter->Rest();
      piece.text = std::move(rest.text);
      piece.starts_at_cut = rest.starts_at_cut;
      piece.rest = true;
      if (!HandOver(piece)) return;
    }
    std::lock_guard lock(mutex_);
    ended_ = true;
    changed_.notify_all();
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
    ended_ = true;
    changed_.notify_all();
  }
}

bool ReadAhead::Next(Text* text) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !ready_.empty() || ended_; });
  if (ready_.empty()) {
    if (error_) std::rethrow_exception(error_);
    return false;
  }
  text->text.clear();
  spare_.push_back(std::move(text->text));
  *text = std::move(ready_.front());
  ready_.pop_front();
  changed_.notify_all();
  return true;
}

}  // namespace crmaudit
