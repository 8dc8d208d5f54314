// Connection strings: turning what the user typed into the polite string crmaudit connects with.
//
// Accepts everything libpq accepts (postgresql:// URIs and key=value conninfo; PG* variables and
// .pgpass are applied by libpq at connect time, so they are left out here). The polite string
// always sets application_name=crmaudit, client_encoding=UTF8, and server-side options making
// every transaction read-only with the configured statement_timeout and lock_timeout, and
// no parallel workers (an audit takes one core of the server per connection). It sets
// connect_timeout (default 10 s) unless the user's string or PGCONNECT_TIMEOUT gives one, so
// that a listener that accepts and never answers cannot hang a scan.
// Invariant: no function here returns the password in anything meant for display, and no
// error message quotes the connection string.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace crmaudit {

class ConnInfoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SessionSettings {
  int statement_timeout_ms = 30000;
  int lock_timeout_ms = 1000;
  // libpq connect_timeout when neither the connection string nor PGCONNECT_TIMEOUT sets one.
  int connect_timeout_s = 10;
  // The whole scan's end (--timeout): no connection attempt or statement waits past it.
  std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt;
};

// The string to connect with: the user's parameters plus the politeness settings. When
// `database` is not empty it replaces the dbname. Throws ConnInfoError (message without the
// string) when libpq cannot parse it.
std::string PoliteConnInfo(std::string_view user_conninfo, const SessionSettings& settings,
                           std::string_view database = {});

// `polite_conninfo` with connect_timeout lowered to `seconds` when it allows longer (or sets
// none). libpq waits at least 2 s whatever it is told.
std::string WithConnectTimeoutAtMost(std::string_view polite_conninfo, int seconds);

// The dbname given in the string, or empty when libpq will take it from PGDATABASE/the user.
std::string ConnInfoDatabase(std::string_view user_conninfo);

}  // namespace crmaudit
