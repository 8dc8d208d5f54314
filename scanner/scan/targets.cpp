#include "scanner/scan/targets.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <vector>

#include "scanner/sources/files/content_sniffer.h"
#include "scanner/sources/mysql/mysql_uri.h"

namespace crmaudit {

namespace {

bool IsSqliteUri(const std::string& argument) { return argument.rfind("sqlite:", 0) == 0; }

bool IsPostgresUri(const std::string& connection) {
  return connection.rfind("postgresql://", 0) == 0 || connection.rfind("postgres://", 0) == 0;
}

bool IsUri(const std::string& connection) {
  return IsPostgresUri(connection) || IsMysqlUri(connection);
}

// Where a secret sits in a connection string: [begin, end) of its value.
struct SecretSpan {
  size_t begin = 0, end = 0;
  bool user_info = false;  // the "PASSWORD" of "user:PASSWORD@host" in a URI
};

// Every password in `connection`: the URI user-info password, and the value of each
// password= / sslpassword= parameter — in a URI query up to the next '&' or '#', in key=value
// conninfo a quoted value or up to the next space. Sorted by position. Redaction and argv
// masking both work from these spans, so they cannot disagree about what is secret.
std::vector<SecretSpan> SecretSpans(const std::string& connection) {
  std::vector<SecretSpan> spans;
  const bool uri = IsUri(connection);
  if (uri) {
    size_t scheme_end = connection.find("://") + 3;
    size_t authority_end = connection.find_first_of("/?#", scheme_end);
    if (authority_end == std::string::npos) authority_end = connection.size();
    size_t at = connection.rfind('@', authority_end);
    size_t colon = connection.find(':', scheme_end);
    if (at != std::string::npos && at > scheme_end && colon != std::string::npos && colon < at) {
      spans.push_back({colon + 1, at, true});
    }
  }
  static const std::regex kQueryParameter(R"((?:^|[?&])(?:ssl)?password=([^&#]*))",
                                          std::regex::icase);
  static const std::regex kConninfoParameter(
      R"((?:^|\s)(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'|\S*))", std::regex::icase);
  const std::regex& parameter = uri ? kQueryParameter : kConninfoParameter;
  for (auto it = std::sregex_iterator(connection.begin(), connection.end(), parameter);
       it != std::sregex_iterator(); ++it) {
    size_t begin = static_cast<size_t>(it->position(1));
    spans.push_back({begin, begin + static_cast<size_t>(it->length(1)), false});
  }
  return spans;
}

}  // namespace

bool IsDatabaseTarget(const std::string& argument) {
  if (IsUri(argument)) return true;
  // key=value conninfo: at least one known keyword followed by '=' and no path separator
  // before it ("./dbname=x.csv" is a file).
  static const std::regex kConninfo(R"((^|\s)(host|hostaddr|dbname|user|port|service)\s*=)");
  return std::regex_search(argument, kConninfo) && !std::filesystem::exists(argument);
}

std::string RedactConnectionString(const std::string& connection) {
  std::string out;
  size_t copied = 0;
  for (const SecretSpan& span : SecretSpans(connection)) {
    if (span.user_info) {
      out.append(connection, copied, span.begin - 1 - copied);  // drop ":PASSWORD"
    } else {
      out.append(connection, copied, span.begin - copied);
      out += "REDACTED";
    }
    copied = span.end;
  }
  out.append(connection, copied, std::string::npos);
  return out;
}

std::string MaskPasswordSameLength(const std::string& connection) {
  std::string out = connection;
  for (const SecretSpan& span : SecretSpans(connection)) {
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(span.begin),
              out.begin() + static_cast<std::ptrdiff_t>(span.end), '*');
  }
  return out;
}

std::string SqlitePathFromUri(const std::string& uri) {
  std::string rest = uri.substr(std::string_view("sqlite:").size());
  if (rest.rfind("//", 0) == 0) rest.erase(0, 2);  // the empty authority of sqlite:///path
  const auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string path;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size() && hex(rest[i + 1]) >= 0 && hex(rest[i + 2]) >= 0) {
      path += static_cast<char>(hex(rest[i + 1]) * 16 + hex(rest[i + 2]));
      i += 2;
    } else {
      path += rest[i];
    }
  }
  return path;
}

PlannedTarget ClassifyTarget(const std::string& argument, const std::string& id) {
  PlannedTarget target;
  target.id = id;
  target.location = argument;
  if (IsMysqlUri(argument)) {
    target.kind = "mysql";
    target.display = RedactConnectionString(argument);
    return target;
  }
  if (IsDatabaseTarget(argument)) {
    target.kind = "postgres";
    target.display = RedactConnectionString(argument);
    return target;
  }
  target.display = argument;
  if (IsSqliteUri(argument)) {
    target.kind = "sqlite";
    target.location = SqlitePathFromUri(argument);
    return target;
  }
  std::error_code ec;
  target.kind = std::filesystem::is_directory(argument, ec) ? "directory" : "file";
  const std::string name = std::filesystem::path(argument).filename().string();
  if (target.kind == "file" && ClassifyFileName(name) == FileNameKind::kDatabase) {
    target.kind = "sqlite";
  }
  return target;
}

}  // namespace crmaudit
