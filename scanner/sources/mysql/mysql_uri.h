// MySQL/MariaDB connection strings: what a `mysql://` or `mariadb://` URI asks for.
//
//   mysql://[USER[:PASSWORD]@][HOST][:PORT][/DATABASE][?KEY=VALUE&...]
//
// Keys (`-` and `_` are interchangeable): socket=PATH (Unix socket; HOST then only names the
// server), defaults-file=PATH (an option file read instead of ~/.my.cnf, its [client] group),
// ssl-mode=DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY, ssl-ca, ssl-capath, ssl-cert,
// ssl-key, connect-timeout=SECONDS. Percent-escapes are decoded in every part. Values not given
// come from the option files (~/.my.cnf, or defaults-file), as with the `mariadb` client; the
// password is never needed on the command line (MYSQL_PWD is not read either).
// Pure: no libmariadb here; a malformed string throws MysqlUriError, whose message never holds
// the password.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace crmaudit {

class MysqlUriError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class MysqlSslMode { kDefault, kDisabled, kPreferred, kRequired, kVerifyCa, kVerifyIdentity };

struct MysqlConnectOptions {
  std::string user, host, database, socket;
  std::optional<std::string> password;  // nullopt: from the option files, or none
  unsigned port = 0;                    // 0: the option files' or the default (3306)
  std::string defaults_file;            // empty: the usual files (~/.my.cnf...)
  MysqlSslMode ssl_mode = MysqlSslMode::kDefault;
  std::string ssl_ca, ssl_capath, ssl_cert, ssl_key;
  int connect_timeout_s = 10;
};

bool IsMysqlUri(const std::string& text);

MysqlConnectOptions ParseMysqlUri(const std::string& uri);

// The URI that ParseMysqlUri reads back as `options` (scheme "mysql" or "mariadb"): every part
// percent-encoded where it must be, the password in the user part when one is set, parameters
// only where they differ from the defaults. Lets a caller fill in what a URI did not hold (an
// audit file's password_env, paths made absolute) without writing URI syntax itself.
std::string FormatMysqlUri(const MysqlConnectOptions& options, const std::string& scheme = "mysql");

// "DISABLED" … "VERIFY_IDENTITY" (case-insensitive); throws MysqlUriError for anything else.
MysqlSslMode ParseSslMode(const std::string& text);
const char* SslModeName(MysqlSslMode mode);

// Where the connection goes, for messages: "socket /run/mysqld/mysqld.sock", "host db:3306",
// or "the option files' server". Never the user's password.
std::string DescribeEndpoint(const MysqlConnectOptions& options);

}  // namespace crmaudit
