#include "scanner/scan/targets.h"

#include <filesystem>
#include <regex>

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

std::string RedactConnectionString(const std::string& connection) {
  std::string out = connection;
  if (out.rfind("postgresql://", 0) == 0 || out.rfind("postgres://", 0) == 0) {
    // user:password@ in the authority part.
    size_t scheme_end = out.find("://") + 3;
    size_t authority_end = out.find_first_of("/?#", scheme_end);
    if (authority_end == std::string::npos) authority_end = out.size();
    size_t at = out.rfind('@', authority_end);
    if (at != std::string::npos && at > scheme_end) {
      size_t colon = out.find(':', scheme_end);
      if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
    }
    // password=... in the query string.
    static const std::regex kQueryPassword(R"(([?&])password=[^&#]*)", std::regex::icase);
    out = std::regex_replace(out, kQueryPassword, "$1password=REDACTED");
    return out;
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
  if (out.rfind("postgresql://", 0) == 0 || out.rfind("postgres://", 0) == 0) {
    size_t scheme_end = out.find("://") + 3;
    size_t authority_end = out.find_first_of("/?#", scheme_end);
    if (authority_end == std::string::npos) authority_end = out.size();
    size_t at = out.rfind('@', authority_end);
    if (at != std::string::npos && at > scheme_end) {
      size_t colon = out.find(':', scheme_end);
      if (colon != std::string::npos && colon < at) blank(colon + 1, at);
    }
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
