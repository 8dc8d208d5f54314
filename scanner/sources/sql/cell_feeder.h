// CellFeeder: turns the decoded cells of one database table into RecordSink fields, the same
// way for every SQL source (PostgreSQL, MySQL/MariaDB).
//
// Contract: text is passed on as valid UTF-8 (repaired when it is not, unless the caller says
// the server already guarantees it); JSON is walked into `column.key.sub` cells (array
// elements keep their parent's path), as is a SQL array delivered as JSON; binary values are
// sniffed (value_sniffer.h) and passed on only when they are readable text, never when they
// look like ciphertext. Along the way each column's ColumnValueFacts count the forms seen
// (ciphertext, readable text, password hashes or plaintext in password-named columns). No value
// is kept beyond the call.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "scanner/facts/column_value_facts.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

enum class CellKind {
  kText,       // any scalar shown as text
  kJson,       // JSON text, walked
  kHexBinary,  // binary in PostgreSQL's `\x0102…` hex form, decoded then sniffed
  kBinary,     // raw bytes, sniffed
};

struct CellColumn {
  std::string name;
  std::string type;  // the database's type name, for ColumnValueFacts
  CellKind kind = CellKind::kText;
};

class CellFeeder {
 public:
  // Declares every column in `sink` and appends one ColumnValueFacts per column to *facts.
  CellFeeder(RecordSink& sink, std::vector<CellColumn> columns,
             std::vector<ColumnValueFacts>* facts);

  // When the server guarantees valid UTF-8 text (PostgreSQL with server_encoding UTF8, MySQL
  // with a utf8mb4 connection), text cells skip the validation.
  void TrustUtf8Text(bool trusted) { trusted_utf8_text_ = trusted; }

  // One non-NULL cell of column i of the current record.
  void Cell(size_t i, std::string_view value);
  void EndRecord() { sink_.EndRecord(); }

 private:
  void Emit(size_t index, std::string_view value);
  void Binary(size_t i, std::string_view bytes);
  void Json(size_t i, std::string_view value);
  void Walk(const nlohmann::json& node, const std::string& path, size_t index);
  size_t PathIndex(const std::string& path);

  RecordSink& sink_;
  std::vector<CellColumn> columns_;
  std::vector<ColumnValueFacts>* facts_;
  size_t first_fact_ = 0;  // index of column 0's facts in *facts_
  std::vector<size_t> indexes_;
  std::unordered_map<std::string, size_t> path_indexes_;
  std::string bytes_;
  bool trusted_utf8_text_ = false;
};

}  // namespace crmaudit
