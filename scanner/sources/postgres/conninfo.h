// Connection strings: turning what the user typed into the polite string crmaudit connects with.
//
// Accepts everything libpq accepts (postgresql:// URIs and key=value conninfo; PG* variables and
// .pgpass are applied by libpq at connect time, so they are left out here). The polite string
// always sets application_name=crmaudit, client_encoding=UTF8, and server-side options making
// every transaction read-only with the configured statement_timeout and lock_timeout.
// Invariant: no function here returns the password in anything meant for display, and no
// error message quotes the connection string.
#pragma once

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
};

// The string to connect with: the user's parameters plus the politeness settings. When
// `database` is not empty it replaces the dbname. Throws ConnInfoError (message without the
// string) when libpq cannot parse it.
std::string PoliteConnInfo(std::string_view user_conninfo, const SessionSettings& settings,
                           std::string_view database = {});

// The dbname given in the string, or empty when libpq will take it from PGDATABASE/the user.
std::string ConnInfoDatabase(std::string_view user_conninfo);

}  // namespace crmaudit
