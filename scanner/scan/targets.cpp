#include "scanner/scan/targets.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include <re2/re2.h>

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
  // RE2 rather than std::regex: std::regex compiles case-insensitive patterns slowly, and this
  // runs at every start with a database target. Byte for byte as std::regex matched: Latin-1
  // (in UTF-8 mode a negated class skips bytes that are not UTF-8, which would cut a password
  // short), whitespace spelled out as isspace() knows it (RE2's \s lacks \v), and "any
  // character" excluding CR as well as LF, as ECMAScript's "." does.
  static const RE2 kQueryParameter(R"((?i)(?:^|[?&])(?:ssl)?password=([^&#]*))", RE2::Latin1);
  static const RE2 kConninfoParameter(
      R"((?i)(?:^|[ \t\n\v\f\r])(?:ssl)?password[ \t\n\v\f\r]*=[ \t\n\v\f\r]*('(?:[^'\\]|\\[^\n\r])*'|[^ \t\n\v\f\r]*))",
      RE2::Latin1);
  const RE2& parameter = uri ? kQueryParameter : kConninfoParameter;
  const re2::StringPiece text(connection);
  re2::StringPiece groups[2];
  for (size_t from = 0; from <= text.size() &&
                        parameter.Match(text, from, text.size(), RE2::UNANCHORED, groups, 2);) {
    const size_t begin = static_cast<size_t>(groups[1].data() - text.data());
    spans.push_back({begin, begin + groups[1].size(), false});
    const size_t end = static_cast<size_t>(groups[0].data() - text.data()) + groups[0].size();
    from = end > from ? end : from + 1;  // a match is never empty ("password="), but be safe
  }
  return spans;
}

}  // namespace

bool IsDatabaseTarget(const std::string& argument) {
  if (IsUri(argument)) return true;
  // key=value conninfo: at least one known keyword followed by '=' and no path separator
  // before it ("./dbname=x.csv" is a file).
  static const RE2 kConninfo(
      R"((?:^|[ \t\n\v\f\r])(?:host|hostaddr|dbname|user|port|service)[ \t\n\v\f\r]*=)",
      RE2::Latin1);
  return RE2::PartialMatch(argument, kConninfo) && !std::filesystem::exists(argument);
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
