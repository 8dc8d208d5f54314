// ServerLoad: the signals of a busy database server that a least-privileged auditor role can
// read, as the scan's back-off sees them (scan/busy_backoff.h). Source-agnostic: each database
// source fills it its own way (PostgreSQL: sources/postgres/server_load_reader.h).
#pragma once

#include <cstdint>
#include <optional>

namespace crmaudit {

struct ServerLoad {
  bool known = false;  // false: the load could not be read (the scan then goes on)
  // Client sessions running a statement right now, crmaudit's own left out.
  int64_t active_sessions = 0;
  // Whether every role's sessions were visible. Without it (PostgreSQL: no pg_read_all_stats
  // or pg_monitor) only the auditor role's own sessions were counted.
  bool sees_all_sessions = false;
  // How far a standby's replay is behind its primary; nullopt on a primary.
  std::optional<double> replication_lag_seconds;
};

}  // namespace crmaudit
