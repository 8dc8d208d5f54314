#include "scanner/sources/postgres/conninfo.h"

#include <libpq-fe.h>

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

std::string Quote(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::string PoliteConnInfo(std::string_view user_conninfo, const SessionSettings& settings,
                           std::string_view database) {
  Options options;
  if (!Parse(user_conninfo, &options)) {
    throw ConnInfoError("the connection string could not be parsed (libpq syntax expected)");
  }
  if (!database.empty()) options["dbname"] = std::string(database);
  options["application_name"] = "crmaudit";
  options["client_encoding"] = "UTF8";
  // Server-side defaults for the whole session, so that even a statement issued outside our
  // explicit READ ONLY transactions cannot write or wait long. Dates and times come in ISO form
  // and UTC whatever the server's defaults, so that reports do not depend on them and the
  // retention tally of a full read (table_reader.h) compares times as the server does. Spaces
  // inside a single option value would need backslash escapes; ours have none.
  std::string server = "-c default_transaction_read_only=on -c statement_timeout=" +
                       std::to_string(settings.statement_timeout_ms) +
                       " -c lock_timeout=" + std::to_string(settings.lock_timeout_ms) +
                       " -c idle_in_transaction_session_timeout=300000 -c bytea_output=hex"
                       " -c DateStyle=ISO -c TimeZone=UTC";
  auto existing = options.find("options");
  options["options"] = existing == options.end() || existing->second.empty()
                           ? server
                           : existing->second + " " + server;
  std::string out;
  for (const auto& [key, value] : options) {
    if (!out.empty()) out += ' ';
    out += key + "=" + Quote(value);
  }
  return out;
}

std::string ConnInfoDatabase(std::string_view user_conninfo) {
  Options options;
  if (!Parse(user_conninfo, &options)) return {};
  auto it = options.find("dbname");
  return it == options.end() ? std::string() : it->second;
}

}  // namespace crmaudit
