#include "scanner/scan/targets.h"

#include <filesystem>
#include <optional>
#include <regex>
#include <utility>

namespace crmaudit {

bool IsDatabaseTarget(const std::string& argument) {
  if (argument.rfind("postgresql://", 0) == 0 || argument.rfind("postgres://", 0) == 0) {
    return true;
  }
  // key=value conninfo: at least one known keyword followed by '=' and no path separator
  // before it ("./dbname=x.csv" is a file).
  static const std::regex kConninfo(R"((^|\s)(host|hostaddr|dbname|user|port|service)\s*=)");
  return std::regex_search(argument, kConninfo) && !std::filesystem::exists(argument);
}

namespace {

bool IsUri(const std::string& connection) {
  return connection.rfind("postgresql://", 0) == 0 || connection.rfind("postgres://", 0) == 0;
}

// [begin, end) of the password in a URI's user-info ("user:PASSWORD@host"), if any.
std::optional<std::pair<size_t, size_t>> UriPasswordSpan(const std::string& uri) {
  size_t scheme_end = uri.find("://") + 3;
  size_t authority_end = uri.find_first_of("/?#", scheme_end);
  if (authority_end == std::string::npos) authority_end = uri.size();
  size_t at = uri.rfind('@', authority_end);
  if (at == std::string::npos || at <= scheme_end) return std::nullopt;
  size_t colon = uri.find(':', scheme_end);
  if (colon == std::string::npos || colon > at) return std::nullopt;
  return std::make_pair(colon + 1, at);
}

}  // namespace

std::string RedactConnectionString(const std::string& connection) {
  std::string out = connection;
  if (IsUri(out)) {
    if (auto span = UriPasswordSpan(out))
      out.erase(span->first - 1, span->second - span->first + 1);
    static const std::regex kQueryPassword(R"(([?&])password=[^&#]*)", std::regex::icase);
    return std::regex_replace(out, kQueryPassword, "$1password=REDACTED");
  }
  static const std::regex kConninfoPassword(R"((^|\s)password\s*=\s*('([^'\\]|\\.)*'|\S*))",
                                            std::regex::icase);
  return std::regex_replace(out, kConninfoPassword, "$1password=REDACTED");
}

std::string MaskPasswordSameLength(const std::string& connection) {
  std::string out = connection;
  auto blank = [&out](size_t begin, size_t end) {
    for (size_t i = begin; i < end && i < out.size(); ++i) out[i] = '*';
  };
  if (IsUri(out)) {
    if (auto span = UriPasswordSpan(out)) blank(span->first, span->second);
  }
  static const std::regex kPassword(R"((password\s*=\s*)('([^'\\]|\\.)*'|[^&#\s]*))",
                                    std::regex::icase);
  for (auto it = std::sregex_iterator(connection.begin(), connection.end(), kPassword);
       it != std::sregex_iterator(); ++it) {
    size_t value_begin = static_cast<size_t>(it->position(2));
    blank(value_begin, value_begin + static_cast<size_t>(it->length(2)));
  }
  return out;
}

PlannedTarget ClassifyTarget(const std::string& argument, const std::string& id) {
  PlannedTarget target;
  target.id = id;
  target.location = argument;
  if (IsDatabaseTarget(argument)) {
    target.kind = "postgres";
    target.display = RedactConnectionString(argument);
    return target;
  }
  std::error_code ec;
  target.kind = std::filesystem::is_directory(argument, ec) ? "directory" : "file";
  target.display = argument;
  return target;
}

}  // namespace crmaudit
