// Targets: classifying what the user typed, and making it safe to print.
//
// A TARGET is a `postgresql://` (or `postgres://`) URI, a libpq key=value conninfo string
// (`host=… dbname=…`), a `mysql://` or `mariadb://` URI (kind "mysql"), a `sqlite:` URI
// (`sqlite:///absolute/path.db`, `sqlite:relative.db`; kind "sqlite", location the
// percent-decoded path), or a file-system path (a file named .sqlite/.sqlite3/.db/.db3 is kind
// "sqlite" too). Connection strings may carry a password; the `display` form never does (URI
// user-info password and `password=` parameters are removed), and only `display` is ever
// printed, logged or written to a report.
#pragma once

#include <string>

#include "scanner/scan/scan_plan.h"

namespace crmaudit {

PlannedTarget ClassifyTarget(const std::string& argument, const std::string& id);

// Removes any password from a URI or conninfo string; leaves other text unchanged.
std::string RedactConnectionString(const std::string& connection);

// The same string with every password character replaced by '*', keeping the length, so the
// process's own argv can be overwritten in place and `ps` shows no password.
std::string MaskPasswordSameLength(const std::string& connection);

// The file a `sqlite:` URI names: after "sqlite:" and an empty authority ("//"), percent-decoded.
std::string SqlitePathFromUri(const std::string& uri);

// True when `argument` is a PostgreSQL connection string rather than a path.
bool IsDatabaseTarget(const std::string& argument);

}  // namespace crmaudit
