#include "scanner/sources/postgres/table_reader.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "scanner/detect/password_form.h"
#include "scanner/model/utf8.h"
#include "scanner/sources/postgres/pg_session_impl.h"
#include "scanner/sources/postgres/value_sniffer.h"

namespace crmaudit {
namespace {

// COPY's text form of NULL.
constexpr std::string_view kCopyNull = "\\N";

// Estimated rows from which a sample reads pages at random (TABLESAMPLE SYSTEM) rather than
// rows from every page (BERNOULLI).
constexpr double kSystemSampleRows = 200000;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// bytea in hex output form: \x0102…
bool DecodeByteaHex(std::string_view text, std::string* out) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) return false;
  out->clear();
  out->reserve((text.size() - 2) / 2);
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

std::string FormatPercent(double percent) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6f", percent);  // C locale digits and dot
  return buffer;
}

// Feeds decoded cells of one relation into the sink, walking JSON and arrays.
class CellFeeder {
 public:
  CellFeeder(RecordSink& sink, const std::vector<PgColumn>& columns, TableReadResult* result)
      : sink_(sink), columns_(columns), result_(result) {
    for (const auto& column : columns) {
      indexes_.push_back(sink_.DeclareColumn(column.name));
      ColumnValueFacts facts;
      facts.column = column.name;
      facts.type = column.type;
      facts.password_column = IsPasswordColumnName(column.name);
      result_->columns.push_back(std::move(facts));
    }
  }

  // When the server stores UTF-8, PostgreSQL has validated every text value on input and
  // COPY's text format only escapes control characters, so decoded text needs no second
  // validation. (SQL_ASCII databases accept any bytes: those values are still checked.)
  void TrustUtf8Text(bool trusted) { trusted_utf8_text_ = trusted; }

  void Cell(size_t i, std::string_view value) {
    ColumnValueFacts& facts = result_->columns[i];
    ++facts.values;
    switch (columns_[i].kind) {
      case PgColumnKind::kJson:
      case PgColumnKind::kArray:
        Json(i, value);
        return;
      case PgColumnKind::kBytea:
        Bytea(i, value);
        return;
      default:
        break;
    }
    if (facts.password_column) CountPassword(facts, value);
    if (trusted_utf8_text_) {
      if (!value.empty()) sink_.Field(indexes_[i], value);
      return;
    }
    Emit(indexes_[i], value);
  }

  void EndRecord() { sink_.EndRecord(); }

 private:
  void Emit(size_t index, std::string_view value) {
    if (value.empty()) return;
    if (IsValidUtf8(value)) {
      sink_.Field(index, value);
    } else {
      sink_.Field(index, RepairUtf8(value));
    }
  }

  static void CountPassword(ColumnValueFacts& facts, std::string_view value) {
    switch (ClassifyPasswordValue(value)) {
      case PasswordForm::kStrongHash:
        ++facts.strong_hashes;
        break;
      case PasswordForm::kWeakHash:
        ++facts.fast_unsalted;
        break;
      case PasswordForm::kPlaintext:
        ++facts.plaintext_passwords;
        break;
      case PasswordForm::kOtherHash:
      case PasswordForm::kPlaceholder:
      case PasswordForm::kUnknown:
        break;
    }
  }

  void Bytea(size_t i, std::string_view value) {
    ColumnValueFacts& facts = result_->columns[i];
    if (!DecodeByteaHex(value, &bytes_)) {
      ++facts.other_binary;
      return;
    }
    switch (SniffBinary(bytes_)) {
      case BinaryForm::kCiphertext:
        ++facts.ciphertext;
        return;  // encrypted: nothing a detector could or should see
      case BinaryForm::kOtherBinary:
        ++facts.other_binary;
        return;
      case BinaryForm::kReadableText:
        ++facts.readable_text;
        if (facts.password_column) CountPassword(facts, bytes_);
        Emit(indexes_[i], bytes_);
        return;
    }
  }

  void Json(size_t i, std::string_view value) {
    auto parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      Emit(indexes_[i], value);
      return;
    }
    Walk(parsed, columns_[i].name, indexes_[i]);
  }

  size_t PathIndex(const std::string& path) {
    auto it = path_indexes_.find(path);
    if (it != path_indexes_.end()) return it->second;
    const size_t index = sink_.DeclareColumn(path);
    path_indexes_.emplace(path, index);
    return index;
  }

  void Walk(const nlohmann::json& node, const std::string& path, size_t index) {
    if (node.is_object()) {
      for (const auto& [key, child] : node.items()) {
        const std::string child_path = path + "." + key;
        Walk(child, child_path, PathIndex(child_path));
      }
    } else if (node.is_array()) {
      for (const auto& child : node) Walk(child, path, index);
    } else if (node.is_string()) {
      Emit(index, node.get_ref<const std::string&>());
    } else if (node.is_number()) {
      Emit(index, node.dump());
    }
  }

  RecordSink& sink_;
  const std::vector<PgColumn>& columns_;
  TableReadResult* result_;
  std::vector<size_t> indexes_;
  std::unordered_map<std::string, size_t> path_indexes_;
  std::string bytes_;
  bool trusted_utf8_text_ = false;
};

// COPY text field → value without copying when it holds no escape (the common case); else
// decoded into *scratch. False for the NULL marker.
bool CopyFieldView(std::string_view raw, std::string* scratch, std::string_view* out) {
  if (raw == kCopyNull) return false;
  if (std::memchr(raw.data(), '\\', raw.size()) == nullptr) {
    *out = raw;
    return true;
  }
  DecodeCopyField(raw, scratch);
  *out = *scratch;
  return true;
}

// Where the columns of each age tally are among the columns read.
struct TallyColumnIndexes {
  int date = -1;  // -1: the tally has no such column
  int flag = -1;
  // The raw COPY text of the row's date and flag (dates and booleans carry no escapes).
  std::optional<std::string_view> Date(const std::vector<std::string_view>& raw) const {
    return Field(raw, date);
  }
  std::optional<std::string_view> Flag(const std::vector<std::string_view>& raw) const {
    return Field(raw, flag);
  }
  static std::optional<std::string_view> Field(const std::vector<std::string_view>& raw,
                                               int index) {
    if (index < 0 || raw[static_cast<size_t>(index)] == kCopyNull) return std::nullopt;
    return raw[static_cast<size_t>(index)];
  }
};
using TallyColumns = std::vector<TallyColumnIndexes>;

// Keeps the tallies whose columns are all read (copied into result->age_tallies, in step with
// the returned indexes); none when the read is a sample.
TallyColumns PrepareTallies(const TableReadOptions& options, const std::vector<PgColumn>& readable,
                            TableReadResult* result) {
  TallyColumns indexes;
  if (!options.full) return indexes;
  auto find = [&](const std::string& name) {
    for (size_t i = 0; i < readable.size(); ++i) {
      if (readable[i].name == name) return static_cast<int>(i);
    }
    return -1;
  };
  for (const AgeTally& tally : options.age_tallies) {
    TallyColumnIndexes columns;
    if (!tally.column.empty() && (columns.date = find(tally.column)) < 0) continue;
    if (!tally.flag_column.empty() && (columns.flag = find(tally.flag_column)) < 0) continue;
    indexes.push_back(columns);
    result->age_tallies.push_back(tally);
  }
  return indexes;
}

// A paced read stopped because the server stayed busy longer than the scan may back off.
class ServerStayedBusy : public std::runtime_error {
 public:
  ServerStayedBusy() : std::runtime_error("the server stayed busy") {}
};

}  // namespace

bool DecodeCopyField(std::string_view raw, std::string* out) {
  if (raw == kCopyNull) return false;
  out->clear();
  out->reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 == raw.size()) {
      out->push_back(c);
      continue;
    }
    char e = raw[++i];
    switch (e) {
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'v':
        out->push_back('\v');
        break;
      case 'x': {
        int value = 0, digits = 0;
        while (digits < 2 && i + 1 < raw.size() && HexValue(raw[i + 1]) >= 0) {
          value = value * 16 + HexValue(raw[++i]);
          ++digits;
        }
        if (digits == 0) {
          out->push_back('x');
        } else {
          out->push_back(static_cast<char>(value));
        }
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          int value = e - '0', digits = 1;
          while (digits < 3 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7') {
            value = value * 8 + (raw[++i] - '0');
            ++digits;
          }
          out->push_back(static_cast<char>(value & 0xff));
        } else {
          out->push_back(e);
        }
    }
  }
  return true;
}

std::string BuildReadQuery(const PgRelation& relation, const std::vector<PgColumn>& columns,
                           const TableReadOptions& options) {
  std::string select;
  for (const auto& column : columns) {
    if (!select.empty()) select += ", ";
    const std::string quoted = QuoteIdent(column.name);
    // Arrays as JSON so elements can be walked without parsing array literal syntax.
    select += column.kind == PgColumnKind::kArray ? "to_json(" + quoted + ")::text" : quoted;
  }
  std::string query = "SELECT " + select + " FROM " + relation.QualifiedName();
  if (options.full) return query;
  const bool sampleable =
      relation.relkind == 'r' || relation.relkind == 'p' || relation.relkind == 'm';
  const double wanted = static_cast<double>(options.sample_rows);
  if (sampleable && relation.estimated_rows > 2 * wanted) {
    // Ask for 1.5x the rows so the LIMIT, not the sample, usually decides. BERNOULLI reads
    // every page of the table: SYSTEM (page sampling) from kSystemSampleRows on, where reading
    // them all would cost the live server a full pass for a sample (docs/performance.md,
    // "Production impact").
    double percent = std::clamp(100.0 * 1.5 * wanted / relation.estimated_rows, 0.0001, 100.0);
    const char* method = relation.estimated_rows >= kSystemSampleRows ? "SYSTEM" : "BERNOULLI";
    query += std::string(" TABLESAMPLE ") + method + " (" + FormatPercent(percent) +
             ") REPEATABLE (20261)";
  }
  query += " LIMIT " + std::to_string(options.sample_rows);
  return query;
}

TableReadResult ReadRelation(PgSession& session, const PgRelation& relation,
                             const TableReadOptions& options, RecordSink& sink) {
  TableReadResult result;
  if (relation.relkind == 'f') {
    result.status = CoverageStatus::kSkipped;
    result.reason = "foreign table not read: reading it would query a remote server";
    return result;
  }
  if (!relation.schema_usage) {
    result.status = CoverageStatus::kSkipped;
    result.reason = "permission denied: needs USAGE on schema " + QuoteIdent(relation.schema);
    result.failure.kind = PgFailureKind::kPermission;
    return result;
  }
  if (relation.relkind == 'm' && !relation.populated) {
    result.status = CoverageStatus::kSkipped;
    result.deliberate = true;
    result.failure.kind = PgFailureKind::kNotPopulated;
    result.reason = result.failure.Describe();
    return result;
  }
  std::vector<PgColumn> readable;
  std::vector<std::string> denied;
  for (const auto& column : relation.columns) {
    if (relation.can_select || column.can_select) {
      readable.push_back(column);
    } else {
      denied.push_back(column.name);
    }
  }
  if (readable.empty()) {
    result.status = CoverageStatus::kSkipped;
    result.failure.kind = PgFailureKind::kPermission;
    result.reason = relation.columns.empty()
                        ? "no columns"
                        : "permission denied: needs SELECT on " + relation.QualifiedName();
    if (relation.columns.empty()) {
      result.status = CoverageStatus::kScanned;
      result.failure.kind = PgFailureKind::kNone;
    }
    return result;
  }

  CellFeeder feeder(sink, readable, &result);
  bool used_limit = false;
  try {
    pqxx::read_transaction tx(session.impl().connection);
    BoundToDeadline(session, tx);
    {
      auto encoding = tx.exec1("SELECT current_setting('server_encoding')");
      feeder.TrustUtf8Text(encoding[0].as<std::string>() == "UTF8");
    }
    if (options.pace) LiftStatementTimeoutForPacedRead(session, tx);
    const std::string query = BuildReadQuery(relation, readable, options);
    used_limit = !options.full;
    result.sampled = query.find(" TABLESAMPLE ") != std::string::npos;
    TallyColumns tallies = PrepareTallies(options, readable, &result);
    pqxx::stream_from stream(tx, "(" + query + ")");
    std::string line, scratch;
    std::string_view cell;
    std::vector<std::string_view> raw(readable.size());
    while (stream.get_raw_line(line)) {
      const size_t line_bytes = line.size();
      result.bytes += line_bytes;
      // libpqxx 6.4 hands over each COPY line with its terminating newline.
      if (!line.empty() && line.back() == '\n') line.pop_back();
      // Most lines hold no escape at all: then no field needs decoding.
      const bool escaped = std::memchr(line.data(), '\\', line.size()) != nullptr;
      size_t start = 0;
      for (size_t i = 0; i < readable.size(); ++i) {
        size_t end = line.find('\t', start);
        if (end == std::string::npos) end = line.size();
        if (start > line.size()) {  // a short line: the missing fields count as NULL
          raw[i] = kCopyNull;
          continue;
        }
        raw[i] = std::string_view(line).substr(start, end - start);
        if (!escaped) {
          feeder.Cell(i, raw[i]);  // kCopyNull would have been an escape
        } else if (CopyFieldView(raw[i], &scratch, &cell)) {
          feeder.Cell(i, cell);
        }
        start = end + 1;
      }
      for (size_t t = 0; t < tallies.size(); ++t) {
        result.age_tallies[t].Count(tallies[t].Date(raw), tallies[t].Flag(raw));
      }
      feeder.EndRecord();
      ++result.rows;
      if (options.pace) {
        const PaceVerdict verdict = options.pace(1, line_bytes);
        if (verdict != PaceVerdict::kGo) {
          // libpqxx 6.4 drains the rest of the COPY when the stream is closed: cancelled
          // first, the server stops sending instead of streaming the rest at full speed.
          CancelRunningStatement(session);
          if (verdict == PaceVerdict::kDeadline) throw ScanTimeoutError();
          throw ServerStayedBusy();
        }
      }
    }
    stream.complete();
    tx.commit();
  } catch (const std::exception& error) {
    result.failure = ClassifyFailure(session, error);
    result.status = result.rows > 0 ? CoverageStatus::kPartial : CoverageStatus::kError;
    const std::string what = relation.KindName() + " " + relation.QualifiedName();
    if (dynamic_cast<const ServerStayedBusy*>(&error) != nullptr) {
      result.failure = PgFailure{};
      result.failure.kind = PgFailureKind::kServerBusy;
      result.reason =
          "stopped: the server stayed busy longer than the scan may back off "
          "(--max-backoff) while reading " +
          what + " after " + std::to_string(result.rows) + " rows";
    } else if (result.failure.kind == PgFailureKind::kPermission) {
      result.status = CoverageStatus::kSkipped;
      result.reason = "permission denied: needs SELECT on " + relation.QualifiedName();
    } else if (result.failure.kind == PgFailureKind::kLockTimeout) {
      result.reason = "locked: lock_timeout after " +
                      std::to_string(session.settings().lock_timeout_ms) +
                      " ms (another session holds a conflicting lock on " + what + ")";
    } else if (result.failure.sqlstate == "55000" && relation.relkind == 'm' && result.rows == 0) {
      // Emptied by REFRESH … WITH NO DATA between discovery and this read.
      result.failure.kind = PgFailureKind::kNotPopulated;
      result.status = CoverageStatus::kSkipped;
      result.deliberate = true;
      result.reason = result.failure.Describe();
    } else if (result.failure.kind == PgFailureKind::kScanTimeout) {
      result.reason = "stopped: the scan's --timeout expired while reading " + what + " after " +
                      std::to_string(result.rows) + " rows";
    } else {
      result.reason = result.failure.Describe() + " while reading " + relation.KindName() + " " +
                      relation.QualifiedName() + " after " + std::to_string(result.rows) + " rows";
    }
    return result;
  }
  if (used_limit && result.rows >= options.sample_rows) result.sampled = true;
  if (!denied.empty()) {
    result.status = CoverageStatus::kPartial;
    std::string list;
    for (const auto& column : denied) list += (list.empty() ? "" : ", ") + QuoteIdent(column);
    result.reason =
        "permission denied: needs SELECT on column(s) " + list + " of " + relation.QualifiedName();
    result.failure.kind = PgFailureKind::kPermission;
  }
  return result;
}

}  // namespace crmaudit
