#include "scanner/sources/postgres/pg_session_pool.h"

#include <utility>

namespace crmaudit {

PgSessionPool::PgSessionPool(std::string polite_conninfo, SessionSettings settings)
    : polite_conninfo_(std::move(polite_conninfo)), settings_(std::move(settings)) {}

std::unique_ptr<PgSession> PgSessionPool::Take(PgFailure* failure) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    while (!idle_.empty()) {
      std::unique_ptr<PgSession> session = std::move(idle_.back());
      idle_.pop_back();
      if (session->is_open()) return session;
    }
  }
  // Connected outside the lock: another thread may give a session back meanwhile.
  PgFailure ignored;
  std::unique_ptr<PgSession> session =
      PgSession::Open(polite_conninfo_, failure != nullptr ? failure : &ignored, settings_);
  if (session) {
    std::lock_guard<std::mutex> lock(mutex_);
    backend_pids_.push_back(session->backend_pid());
  }
  return session;
}

void PgSessionPool::Give(std::unique_ptr<PgSession> session) {
  if (!session || !session->is_open()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(session));
}

std::vector<int> PgSessionPool::backend_pids() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return backend_pids_;
}

int PgSessionPool::opened() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(backend_pids_.size());
}

}  // namespace crmaudit
