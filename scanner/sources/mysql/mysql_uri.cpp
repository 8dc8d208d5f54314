#include "scanner/sources/mysql/mysql_uri.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

#include "scanner/model/percent_encoding.h"

namespace crmaudit {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; `what` names the part in the error (never its text: it may be the
// password).
std::string PercentDecode(const std::string& text, const char* what) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size() || HexDigit(text[i + 1]) < 0 || HexDigit(text[i + 2]) < 0) {
      throw MysqlUriError(std::string("malformed percent-escape in the URI's ") + what);
    }
    out.push_back(static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2])));
    i += 2;
  }
  return out;
}

unsigned ParseNumber(const std::string& text, const char* what, unsigned max) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > max) {
    // The text is not quoted: in a mistyped URI it may be the password.
    throw MysqlUriError(std::string("invalid ") + what + " in the URI");
  }
  return value;
}

}  // namespace

bool IsMysqlUri(const std::string& text) {
  return text.rfind("mysql://", 0) == 0 || text.rfind("mariadb://", 0) == 0;
}

MysqlSslMode ParseSslMode(const std::string& text) {
  std::string mode = Lower(text);
  std::replace(mode.begin(), mode.end(), '-', '_');
  if (mode == "disabled") return MysqlSslMode::kDisabled;
  if (mode == "preferred") return MysqlSslMode::kPreferred;
  if (mode == "required") return MysqlSslMode::kRequired;
  if (mode == "verify_ca") return MysqlSslMode::kVerifyCa;
  if (mode == "verify_identity") return MysqlSslMode::kVerifyIdentity;
  throw MysqlUriError("unknown ssl-mode \"" + text +
                      "\" (DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY)");
}

const char* SslModeName(MysqlSslMode mode) {
  switch (mode) {
    case MysqlSslMode::kDefault:
      return "default";
    case MysqlSslMode::kDisabled:
      return "DISABLED";
    case MysqlSslMode::kPreferred:
      return "PREFERRED";
    case MysqlSslMode::kRequired:
      return "REQUIRED";
    case MysqlSslMode::kVerifyCa:
      return "VERIFY_CA";
    case MysqlSslMode::kVerifyIdentity:
      return "VERIFY_IDENTITY";
  }
  return "default";
}

MysqlConnectOptions ParseMysqlUri(const std::string& uri) {
  if (!IsMysqlUri(uri)) throw MysqlUriError("not a mysql:// or mariadb:// URI");
  MysqlConnectOptions options;
  std::string rest = uri.substr(uri.find("://") + 3);
  std::string query;
  if (size_t hash = rest.find('#'); hash != std::string::npos) rest.resize(hash);
  if (size_t q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest.resize(q);
  }
  std::string authority = rest;
  if (size_t slash = rest.find('/'); slash != std::string::npos) {
    authority = rest.substr(0, slash);
    options.database = PercentDecode(rest.substr(slash + 1), "database");
    if (options.database.find('/') != std::string::npos) {
      throw MysqlUriError("the URI's path must be one database name");
    }
  }
  if (size_t at = authority.rfind('@'); at != std::string::npos) {
    const std::string user_info = authority.substr(0, at);
    authority = authority.substr(at + 1);
    if (size_t colon = user_info.find(':'); colon != std::string::npos) {
      options.user = PercentDecode(user_info.substr(0, colon), "user name");
      options.password = PercentDecode(user_info.substr(colon + 1), "password");
    } else {
      options.user = PercentDecode(user_info, "user name");
    }
  }
  if (!authority.empty() && authority.front() == '[') {  // [::1]:3306
    size_t close = authority.find(']');
    if (close == std::string::npos) throw MysqlUriError("unterminated [IPv6] host in the URI");
    options.host = authority.substr(1, close - 1);
    std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw MysqlUriError("unexpected text after the URI's [host]");
      options.port = ParseNumber(after.substr(1), "port", 65535);
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string::npos) {
    options.host = PercentDecode(authority.substr(0, colon), "host");
    options.port = ParseNumber(authority.substr(colon + 1), "port", 65535);
  } else {
    options.host = PercentDecode(authority, "host");
  }
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string key = Lower(pair.substr(0, eq));
    std::replace(key.begin(), key.end(), '_', '-');
    const std::string value =
        eq == std::string::npos ? std::string() : PercentDecode(pair.substr(eq + 1), key.c_str());
    if (key == "socket") {
      options.socket = value;
    } else if (key == "defaults-file") {
      options.defaults_file = value;
    } else if (key == "ssl-mode" || key == "sslmode") {
      options.ssl_mode = ParseSslMode(value);
    } else if (key == "ssl-ca") {
      options.ssl_ca = value;
    } else if (key == "ssl-capath") {
      options.ssl_capath = value;
    } else if (key == "ssl-cert") {
      options.ssl_cert = value;
    } else if (key == "ssl-key") {
      options.ssl_key = value;
    } else if (key == "connect-timeout") {
      options.connect_timeout_s = static_cast<int>(ParseNumber(value, "connect-timeout", 3600));
    } else if (key == "password") {
      // Accepted so a URI copied from elsewhere works; redacted like the user-info password.
      options.password = value;
    } else if (key == "user") {
      options.user = value;
    } else {
      throw MysqlUriError("unknown URI parameter \"" + key +
                          "\" (socket, defaults-file, ssl-mode, ssl-ca, ssl-capath, ssl-cert, "
                          "ssl-key, connect-timeout)");
    }
  }
  return options;
}

std::string FormatMysqlUri(const MysqlConnectOptions& options, const std::string& scheme) {
  std::string uri = scheme + "://";
  if (!options.user.empty() || options.password) {
    uri += PercentEncode(options.user, "!$'()*,;");
    if (options.password) uri += ":" + PercentEncode(*options.password, "");
    uri += "@";
  }
  if (options.host.find(':') != std::string::npos) {
    uri += "[" + options.host + "]";  // an IPv6 address
  } else {
    uri += PercentEncode(options.host, "!$'()*,;");
  }
  if (options.port != 0) uri += ":" + std::to_string(options.port);
  uri += "/" + PercentEncode(options.database, "!$'()*,;:@");
  std::string query;
  auto add = [&query](const char* key, const std::string& value) {
    if (value.empty()) return;
    query +=
        (query.empty() ? "?" : "&") + std::string(key) + "=" + PercentEncode(value, "/:@!$'()*,;");
  };
  add("socket", options.socket);
  add("defaults-file", options.defaults_file);
  if (options.ssl_mode != MysqlSslMode::kDefault) add("ssl-mode", SslModeName(options.ssl_mode));
  add("ssl-ca", options.ssl_ca);
  add("ssl-capath", options.ssl_capath);
  add("ssl-cert", options.ssl_cert);
  add("ssl-key", options.ssl_key);
  if (options.connect_timeout_s != MysqlConnectOptions{}.connect_timeout_s) {
    add("connect-timeout", std::to_string(options.connect_timeout_s));
  }
  return uri + query;
}

std::string DescribeEndpoint(const MysqlConnectOptions& options) {
  if (!options.socket.empty()) return "socket " + options.socket;
  if (!options.host.empty()) {
    if (options.host == "localhost" && options.port == 0) return "localhost (default socket)";
    return "host " + options.host + ":" + std::to_string(options.port == 0 ? 3306 : options.port);
  }
  return "the server named in the option files";
}

}  // namespace crmaudit
