#include "scanner/sources/postgres/conninfo.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <map>
#include <memory>

namespace crmaudit {
namespace {

using Options = std::map<std::string, std::string>;

// libpq parses both URI and key=value forms; we never hand-parse connection strings.
bool Parse(std::string_view conninfo, Options* out) {
  char* error = nullptr;
  std::string copy(conninfo);
  PQconninfoOption* options = PQconninfoParse(copy.c_str(), &error);
  if (error != nullptr) PQfreemem(error);  // may quote the string: dropped, never shown
  if (options == nullptr) return false;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) (*out)[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  return true;
}

Options ParseOrThrow(std::string_view conninfo) {
  Options options;
  if (!Parse(conninfo, &options)) {
    throw ConnInfoError("the connection string could not be parsed (libpq syntax expected)");
  }
  return options;
}

std::string Quote(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string Build(const Options& options) {
  std::string out;
  for (const auto& [key, value] : options) {
    if (!out.empty()) out += ' ';
    out += key + "=" + Quote(value);
  }
  return out;
}

// PGCONNECT_TIMEOUT, libpq's own default for connect_timeout; null when unset or empty.
const char* ConnectTimeoutFromEnvironment() {
  const char* value = std::getenv("PGCONNECT_TIMEOUT");
  return value == nullptr || *value == '\0' ? nullptr : value;
}

}  // namespace

std::string PoliteConnInfo(std::string_view user_conninfo, const SessionSettings& settings,
                           std::string_view database) {
  Options options = ParseOrThrow(user_conninfo);
  if (!database.empty()) options["dbname"] = std::string(database);
  options["application_name"] = "crmaudit";
  options["client_encoding"] = "UTF8";
  // Server-side defaults for the whole session, so that even a statement issued outside our
  // explicit READ ONLY transactions cannot write or wait long. Dates and times come in ISO form
  // and UTC whatever the server's defaults, so that reports do not depend on them and the
  // retention tally of a full read (table_reader.h) compares times as the server does. No
  // parallel workers: an audit's counts and reads take one core of the server, never the
  // workers its own clients' queries would get. Spaces inside a single option value would need
  // backslash escapes; ours have none.
  std::string server = "-c default_transaction_read_only=on -c statement_timeout=" +
                       std::to_string(settings.statement_timeout_ms) +
                       " -c lock_timeout=" + std::to_string(settings.lock_timeout_ms) +
                       " -c idle_in_transaction_session_timeout=300000 -c bytea_output=hex"
                       " -c DateStyle=ISO -c TimeZone=UTC -c max_parallel_workers_per_gather=0";
  auto existing = options.find("options");
  options["options"] = existing == options.end() || existing->second.empty()
                           ? server
                           : existing->second + " " + server;
  // Never wait forever for a server that accepts and does not answer. The user's own value
  // (in the string or PGCONNECT_TIMEOUT, which libpq applies) wins.
  if (options.count("connect_timeout") == 0 && ConnectTimeoutFromEnvironment() == nullptr) {
    options["connect_timeout"] = std::to_string(settings.connect_timeout_s);
  }
  return Build(options);
}

std::string WithConnectTimeoutAtMost(std::string_view polite_conninfo, int seconds) {
  Options options = ParseOrThrow(polite_conninfo);
  auto it = options.find("connect_timeout");
  const char* given = it != options.end() ? it->second.c_str() : ConnectTimeoutFromEnvironment();
  int current = 0;  // 0 or none: libpq would wait forever
  if (given != nullptr) current = std::atoi(given);
  if (current > 0 && current <= seconds) return std::string(polite_conninfo);
  options["connect_timeout"] = std::to_string(seconds);
  return Build(options);
}

std::string ConnInfoDatabase(std::string_view user_conninfo) {
  Options options;
  if (!Parse(user_conninfo, &options)) return {};
  auto it = options.find("dbname");
  return it == options.end() ? std::string() : it->second;
}

}  // namespace crmaudit
