// Table reader: streams the rows of one relation into a RecordSink, politely.
//
// One `BEGIN READ ONLY` transaction per relation; rows come through
// `COPY (SELECT …) TO STDOUT`, so memory does not grow with the table. By default a sample:
// `TABLESAMPLE BERNOULLI/SYSTEM (p) REPEATABLE (…)` plus `LIMIT n` for tables estimated larger
// than twice the sample, a plain `LIMIT n` for small tables, views and tables never analysed.
// With `full`, every row. Every identifier is quoted.
//
// What reaches the sink: text and other scalar columns as their text form; json/jsonb walked
// into `column.key.sub` cells (array elements keep their parent's path); SQL arrays element by
// element under the column name; bytea decoded and, unless it looks like ciphertext, passed on
// when it is readable text. A failure (missing privilege, dropped table, timeout, lost
// connection) never throws: it ends the read with a partial/error/skipped result whose reason
// names the relation, the privilege or the limit, never a value. A relation locked by another
// session is given up after lock_timeout ("locked: lock_timeout after N ms"), never waited on;
// a materialized view never populated is skipped as deliberate (it holds no rows).
//
// Paced reads (TableReadOptions::pace: a throttle, a back-off while the server is busy) call
// the pace after every row; the server waits with the reader, so the pace bounds its load. A
// paced read lasts as long as its pace makes it, so its COPY runs without statement_timeout,
// bounded by the scan's deadline when there is one (every other statement keeps it, and
// lock_timeout still applies to the table's lock). A pace that says stop ends the read as
// partial, naming the --timeout or the server that stayed busy.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/facts/column_value_facts.h"
#include "scanner/model/coverage.h"
#include "scanner/sources/postgres/age_tally.h"
#include "scanner/sources/postgres/catalog.h"
#include "scanner/sources/postgres/pg_session.h"
#include "scanner/sources/read_pace.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

struct TableReadOptions {
  uint64_t sample_rows = 1000;
  bool full = false;
  // With `full`: retention counts to take from the rows as they stream by (age_tally.h), so
  // that the server need not read the table a second time. Ignored for samples.
  std::vector<AgeTally> age_tallies;
  // Called after every row with (1, the row's bytes); empty: read as fast as the server sends.
  ReadPace pace;
};

struct TableReadResult {
  CoverageStatus status = CoverageStatus::kScanned;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  bool sampled = false;
  std::string reason;  // empty when read completely as asked
  // A skip that loses nothing (an unpopulated materialized view holds no rows): reported, but
  // the scan stays complete (CoverageEntry::deliberate).
  bool deliberate = false;
  PgFailure failure;                      // kNone unless the read failed
  std::vector<ColumnValueFacts> columns;  // one per column read, in order
  // The tallies asked for whose columns could be read; complete only when the read was
  // (status kScanned, not sampled).
  std::vector<AgeTally> age_tallies;
};

// The SELECT whose rows are copied out (exposed so quoting and sampling can be tested).
std::string BuildReadQuery(const PgRelation& relation, const std::vector<PgColumn>& columns,
                           const TableReadOptions& options);

TableReadResult ReadRelation(PgSession& session, const PgRelation& relation,
                             const TableReadOptions& options, RecordSink& sink);

// Decodes one field of COPY text format (backslash escapes); false for the NULL marker \N.
bool DecodeCopyField(std::string_view raw, std::string* out);

// Splits one COPY text line (without its newline) at its tabs into fields.size() raw fields, in
// one pass over the line, sixteen bytes at a time where SSE2 is there (one library call per
// field and one for the backslashes cost more than the rest of reading a row). On a line with
// more fields than asked, the last one ends at the next tab and the rest is ignored; fields
// missing from a short line are the NULL marker \N. False when every field is its own value
// (none holds a backslash, so none is NULL or escaped, and the line was not short); true when
// some field may need DecodeCopyField.
bool SplitCopyLine(std::string_view line, std::span<std::string_view> fields);

}  // namespace crmaudit
