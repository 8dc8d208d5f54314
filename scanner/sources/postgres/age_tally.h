// Age tally: the retention counts of RET-01/RET-02, taken from the rows of a full read instead of
// a second pass of the server over the table.
//
// The server-side probe (catalog_facts_reader) asks, per table and date column:
//   count(*) FILTER (WHERE [flag AND] col < cutoff), count(col) | count(*) FILTER (WHERE flag),
//   to_char(min(col) FILTER (WHERE [flag AND] col < cutoff), 'YYYY-MM-DD')
// with cutoff = now() - period. A full scan streams every value of `col` anyway, so the same
// three answers are counted here from the COPY text, in a session whose DateStyle is ISO and
// whose TimeZone is UTC (PoliteConnInfo): a timestamp without zone and a date then compare as
// the server compares them with a timestamptz. Whatever this cannot read exactly as the server
// would (a BC date, -infinity as the oldest value, an unexpected form) marks the tally inexact,
// and the caller asks the server instead.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/sources/postgres/pg_session.h"

namespace crmaudit {

struct AgeTally {
  // What to count (names of the relation's columns; either may be empty, not both).
  std::string column;         // date, timestamp or timestamptz column dating the rows
  std::string flag_column;    // boolean deletion flag: only flagged rows count
  std::string period;         // PostgreSQL interval text, e.g. "2 years" (for matching probes)
  int64_t cutoff_micros = 0;  // now() - period, microseconds since 1970-01-01 UTC

  // Counted while reading.
  bool exact = true;
  uint64_t rows_past = 0;
  uint64_t rows_total = 0;
  std::optional<int64_t> oldest_micros;  // of the rows past the period

  // One row: the raw COPY text of the two columns, nullopt for NULL (ignored when the tally
  // has no such column).
  void Count(std::optional<std::string_view> date, std::optional<std::string_view> flag);

  // The oldest row past the period as to_char(…, 'YYYY-MM-DD') prints it; empty when none.
  std::string OldestDate() const;
};

// Microseconds since 1970-01-01 UTC of an ISO date, timestamp or timestamptz text as PostgreSQL
// prints it with DateStyle ISO ("2021-06-03", "2021-06-03 21:01:33.5", "… +05:30"); INT64_MAX
// for "infinity", INT64_MIN for "-infinity"; nullopt for anything else (BC dates included).
std::optional<int64_t> ParseIsoTimestampMicros(std::string_view text);

// now() - period for each period, in microseconds since 1970-01-01 UTC, as the server computes
// it (calendar arithmetic included). False, with *failure, when the server could not say.
bool RetentionCutoffs(PgSession& session, const std::vector<std::string>& periods,
                      std::map<std::string, int64_t>* out, PgFailure* failure);

}  // namespace crmaudit
