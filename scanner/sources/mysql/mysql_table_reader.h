// MySQL/MariaDB table reader: streams the rows of one table or view into a RecordSink,
// politely and read-only.
//
// Each read is one `START TRANSACTION READ ONLY` … `COMMIT` (a consistent snapshot of the
// table), and the rows come unbuffered (mysql_use_result), so memory holds one row at a time,
// whatever the table's size. By default a sample: a table of kKeyRangeSampleFromRows estimated
// rows or more whose primary key is one integer column is read in key ranges
// (key_range_sample.h: about n rows read, by the index), other tables estimated larger than
// twice the sample are thinned with a fixed-seed `RAND()` filter plus `LIMIT n` (which reads
// rows until n pass it), smaller tables and views take `LIMIT n`; with `full`, every row. Every
// identifier is quoted.
//
// What reaches the sink: text (converted by the server to UTF-8 whatever the column's
// character set) and other scalars as their text form; JSON walked into `column.key.sub`
// cells; binary columns sniffed, passed on only when readable text. A cell larger than
// kMaxCellBytes is matched on its first kMaxCellBytes only and the read is partial, saying so.
// A failure (missing privilege, dropped table, lock wait, timeout, lost connection, a row over
// kMaxRowBytes) never throws: it ends the read with a partial/error/skipped result whose reason
// names the table and the cause, never a value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scanner/facts/column_value_facts.h"
#include "scanner/model/coverage.h"
#include "scanner/sources/mysql/key_range_sample.h"
#include "scanner/sources/mysql/mysql_catalog.h"
#include "scanner/sources/mysql/mysql_session.h"
#include "scanner/sources/read_pace.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

// Cells longer than this are matched on their first bytes only (the read says so).
constexpr size_t kMaxCellBytes = 4u << 20;

struct MysqlReadOptions {
  uint64_t sample_rows = 1000;
  bool full = false;
  // A throttle (sources/read_pace.h), asked before each row is read (after it arrived); empty:
  // none. A paced read runs without the statement time limit (it lasts as long as its pace
  // makes it), bounded by the scan's --timeout: once the pace says stop, the rows still arriving
  // are not read and the read is partial ("--timeout expired"); the server ends the statement at
  // the deadline (its time limit is the time left).
  ReadPace pace;
};

struct MysqlReadResult {
  CoverageStatus status = CoverageStatus::kScanned;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  bool sampled = false;
  std::string reason;  // empty when read completely as asked
  MysqlFailure failure;
  std::vector<ColumnValueFacts> columns;  // one per column read, in order
  uint64_t cut_cells = 0;                 // cells longer than kMaxCellBytes
};

// The SELECT that is streamed (exposed so quoting and sampling can be tested): without key
// ranges, and with them over `span` for a sample of `sample_rows`.
std::string BuildMysqlReadQuery(const MysqlTable& table, const MysqlReadOptions& options);
std::string BuildMysqlSampleByKeyRanges(const MysqlTable& table, const KeySpan& span,
                                        uint64_t sample_rows);

MysqlReadResult ReadMysqlTable(MysqlSession& session, const MysqlTable& table,
                               const MysqlReadOptions& options, RecordSink& sink);

}  // namespace crmaudit
