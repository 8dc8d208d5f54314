#include "scanner/sources/mysql/mysql_table_reader.h"

#include <algorithm>
#include <cstdio>

#include "scanner/sources/mysql/key_range_sample.h"
#include "scanner/sources/sql/cell_feeder.h"

namespace crmaudit {
namespace {

// The first `limit` bytes of `value`, cut back to a UTF-8 character boundary.
std::string_view CutAtCharacter(std::string_view value, size_t limit) {
  size_t end = std::min(limit, value.size());
  while (end > 0 && end < value.size() && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) {
    --end;
  }
  return value.substr(0, end);
}

std::string FormatFraction(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.8f", fraction);  // C locale digits and dot
  return buffer;
}

std::string SelectList(const MysqlTable& table) {
  std::string select;
  for (const auto& column : table.columns) {
    if (!select.empty()) select += ", ";
    select += QuoteMysqlIdent(column.name);
  }
  return select;
}

// Key ranges a sample is read in (key_range_sample.h): enough that the rows come from all over
// the table, few enough that each range is a run of dozens of rows.
constexpr uint64_t kSampleRanges = 20;

}  // namespace

std::string BuildMysqlSampleByKeyRanges(const MysqlTable& table, const KeySpan& span,
                                        uint64_t sample_rows) {
  const uint64_t ranges = std::clamp<uint64_t>(sample_rows, 1, kSampleRanges);
  const uint64_t per_range = (sample_rows + ranges - 1) / ranges;
  return KeyRangeSampleSql(table, SelectList(table), span, static_cast<int>(ranges), per_range) +
         " LIMIT " + std::to_string(sample_rows);
}

std::string BuildMysqlReadQuery(const MysqlTable& table, const MysqlReadOptions& options) {
  std::string query = "SELECT " + SelectList(table) + " FROM " + table.QualifiedName();
  if (options.full) return query;
  const double wanted = static_cast<double>(options.sample_rows);
  if (!table.view && table.estimated_rows > 2 * wanted) {
    // No TABLESAMPLE here: a fixed-seed filter keeping ~1.5x the rows wanted, so the LIMIT,
    // not the filter, usually decides, and rows come from the whole table, not its first pages.
    const double fraction = std::clamp(1.5 * wanted / table.estimated_rows, 0.000001, 1.0);
    query += " WHERE RAND(20261) < " + FormatFraction(fraction);
  }
  query += " LIMIT " + std::to_string(options.sample_rows);
  return query;
}

MysqlReadResult ReadMysqlTable(MysqlSession& session, const MysqlTable& table,
                               const MysqlReadOptions& options, RecordSink& sink) {
  MysqlReadResult result;
  const std::string what = table.KindName() + " " + table.QualifiedName();
  if (table.columns.empty()) {
    result.reason = "no columns visible to the account";
    result.status = CoverageStatus::kSkipped;
    result.failure.kind = MysqlFailureKind::kPermission;
    return result;
  }
  std::vector<CellColumn> cells;
  for (const auto& column : table.columns) {
    cells.push_back({column.name, column.type, column.kind});
  }
  CellFeeder feeder(sink, std::move(cells), &result.columns);
  // The connection's character set is utf8mb4: the server converts every text column.
  feeder.TrustUtf8Text(true);
  const size_t width = table.columns.size();
  std::string query = BuildMysqlReadQuery(table, options);
  MysqlFailure failure;
  bool ok = session.Execute("START TRANSACTION READ ONLY", &failure);
  if (ok && !options.full && UsesKeyRanges(table)) {
    // Two index dives for the key's ends; without them (no rows, a key beyond 64 bits, an
    // error) the RAND() filter reads it as before.
    if (const std::optional<KeySpan> span = ReadKeySpan(session, table)) {
      query = BuildMysqlSampleByKeyRanges(table, *span, options.sample_rows);
      result.sampled = true;
    }
  }
  if (query.find(" WHERE RAND(") != std::string::npos) result.sampled = true;
  const bool paced = static_cast<bool>(options.pace);
  // Set when the pace says stop (the scan's --timeout came): the rows still arriving are not
  // read (they are drained, and the server ends the statement at the deadline, its time limit),
  // and the read is partial.
  bool stopped = false;
  uint64_t paced_bytes = result.bytes;  // what the pace was told of so far
  if (ok) {
    ok = session.Stream(
        query,
        [&](const char* const* values, const unsigned long* lengths) {
          if (stopped) return;
          if (paced) {
            // Stream counted the row's bytes before handing it over.
            const uint64_t row_bytes = result.bytes - paced_bytes;
            paced_bytes = result.bytes;
            if (options.pace(1, row_bytes) != PaceVerdict::kGo) {
              stopped = true;
              return;
            }
          }
          for (size_t i = 0; i < width; ++i) {
            if (values[i] == nullptr) continue;
            std::string_view value(values[i], lengths[i]);
            if (value.size() > kMaxCellBytes) {
              ++result.cut_cells;
              value = CutAtCharacter(value, kMaxCellBytes);
            }
            feeder.Cell(i, value);
          }
          feeder.EndRecord();
          ++result.rows;
        },
        &result.bytes, &failure, paced);
  }
  if (ok && stopped) {
    ok = false;
    failure = MysqlFailure{};
    failure.kind = MysqlFailureKind::kScanTimeout;
  }
  MysqlFailure commit_failure;
  if (session.is_open()) session.Execute("COMMIT", &commit_failure);
  if (!ok) {
    result.failure = failure;
    result.status = result.rows > 0 ? CoverageStatus::kPartial : CoverageStatus::kError;
    const std::string after = " after " + std::to_string(result.rows) + " rows";
    switch (failure.kind) {
      case MysqlFailureKind::kPermission:
        result.status = CoverageStatus::kSkipped;
        result.reason = "permission denied: needs SELECT on " + table.QualifiedName() +
                        (failure.code ? " (error " + std::to_string(failure.code) + ")" : "");
        break;
      case MysqlFailureKind::kLockTimeout:
        result.reason =
            "locked: lock_wait_timeout after " +
            std::to_string(std::max(1, (session.settings().lock_timeout_ms + 999) / 1000)) +
            " s (another session holds a conflicting lock on " + what + ")";
        break;
      case MysqlFailureKind::kScanTimeout:
        result.reason = "stopped: the scan's --timeout expired while reading " + what + after;
        break;
      default:
        result.reason = failure.Describe() + " while reading " + what + after;
        break;
    }
    return result;
  }
  if (!options.full && result.rows >= options.sample_rows) result.sampled = true;
  if (result.cut_cells > 0) {
    result.status = CoverageStatus::kPartial;
    result.reason = std::to_string(result.cut_cells) + " cell(s) of " + what + " larger than " +
                    std::to_string(kMaxCellBytes >> 20) + " MiB were matched on their first " +
                    std::to_string(kMaxCellBytes >> 20) + " MiB only";
  }
  return result;
}

}  // namespace crmaudit
