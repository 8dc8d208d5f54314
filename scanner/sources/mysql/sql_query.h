// SqlQuery: the narrow, read-only query interface that MySQL/MariaDB fact readers use.
//
// The scan side (scanner/sources/mysql/mysql_session.*) implements it over its connection; the
// fact readers (scanner/sources/mysql/mysql_facts_reader.*) only see this interface, so they
// hold no libmariadb header. Contract: Run executes ONE read-only statement and returns all its
// rows (fact queries are small); it never throws for server errors — a denied or failed
// statement comes back with ok == false, the server's error number and message (which name a
// privilege or object, never a scanned value).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crmaudit {

struct SqlRows {
  bool ok = false;
  unsigned error_code = 0;  // server error number when !ok (1142, 1227, 1044...)
  std::string error;        // server message when !ok
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;  // SQL NULL = nullopt
};

class SqlQuery {
 public:
  virtual ~SqlQuery() = default;
  virtual SqlRows Run(std::string_view sql) = 0;
};

}  // namespace crmaudit
