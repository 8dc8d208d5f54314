#include "scanner/sources/postgres/table_reader.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "scanner/model/sql_identifier.h"
#include "scanner/sources/postgres/pg_session_impl.h"
#include "scanner/sources/sql/cell_feeder.h"

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

std::string FormatPercent(double percent) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6f", percent);  // C locale digits and dot
  return buffer;
}

// The cell feeder's view of the columns read: arrays come as JSON (BuildReadQuery), bytea in
// its hex output form.
std::vector<CellColumn> CellColumns(const std::vector<PgColumn>& columns) {
  std::vector<CellColumn> cells;
  for (const auto& column : columns) {
    CellColumn cell{column.name, column.type, CellKind::kText};
    if (column.kind == PgColumnKind::kJson || column.kind == PgColumnKind::kArray) {
      cell.kind = CellKind::kJson;
    } else if (column.kind == PgColumnKind::kBytea) {
      cell.kind = CellKind::kHexBinary;
    }
    cells.push_back(std::move(cell));
  }
  return cells;
}

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

bool SplitCopyLine(std::string_view line, std::span<std::string_view> fields) {
  if (fields.empty()) return false;
  const char* const data = line.data();
  const size_t size = line.size();
  size_t field = 0;
  size_t start = 0;
  unsigned backslashes = 0;  // nonzero once a backslash was seen
  // Ends the current field at the tab at `at`; true once every field asked for is taken.
  auto tab = [&](size_t at) {
    fields[field++] = std::string_view(data + start, at - start);
    start = at + 1;
    return field == fields.size();
  };
  size_t pos = 0;
#if defined(__SSE2__)
  const __m128i tab_bytes = _mm_set1_epi8('\t');
  const __m128i backslash_bytes = _mm_set1_epi8('\\');
  for (; pos + 16 <= size; pos += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    // Bytes past the last field's tab may count too: a needless "true" only costs a check.
    backslashes |= static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, backslash_bytes)));
    for (auto tabs = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, tab_bytes)));
         tabs != 0; tabs &= tabs - 1) {
      if (tab(pos + static_cast<size_t>(std::countr_zero(tabs)))) return backslashes != 0;
    }
  }
#endif
  for (; pos < size; ++pos) {
    if (data[pos] == '\\') {
      backslashes = 1;
    } else if (data[pos] == '\t' && tab(pos)) {
      return backslashes != 0;
    }
  }
  fields[field++] = std::string_view(data + start, size - start);
  if (field == fields.size()) return backslashes != 0;
  // A short line: the missing fields count as NULL, which the caller must see.
  while (field < fields.size()) fields[field++] = kCopyNull;
  return true;
}

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
    const std::string quoted = QuoteSqlIdent(column.name);
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
    result.reason = "permission denied: needs USAGE on schema " + QuoteSqlIdent(relation.schema);
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

  CellFeeder feeder(sink, CellColumns(readable), &result.columns);
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
      std::string_view text(line);
      // libpqxx 6.4 hands over each COPY line with its terminating newline.
      if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
      if (!SplitCopyLine(text, raw)) {
        // Most lines hold no backslash at all: then no field is NULL or needs decoding.
        for (size_t i = 0; i < raw.size(); ++i) feeder.Cell(i, raw[i]);
      } else {
        for (size_t i = 0; i < raw.size(); ++i) {
          if (CopyFieldView(raw[i], &scratch, &cell)) feeder.Cell(i, cell);
        }
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
    for (const auto& column : denied) list += (list.empty() ? "" : ", ") + QuoteSqlIdent(column);
    result.reason =
        "permission denied: needs SELECT on column(s) " + list + " of " + relation.QualifiedName();
    result.failure.kind = PgFailureKind::kPermission;
  }
  return result;
}

}  // namespace crmaudit
