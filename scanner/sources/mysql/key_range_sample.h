// Key-range samples: how a big MySQL/MariaDB table is read in part, not whole.
//
// MySQL and MariaDB have no TABLESAMPLE. A `RAND() < f … LIMIT n` filter reads rows until its
// LIMIT is met (two thirds of the table when f keeps 1.5 n of them), and an aggregate reads every
// row. A table whose primary key is one integer column is instead read in key ranges: start
// points drawn with a fixed seed (the same ranges on every scan of unchanged data, so reports
// compare across runs) between MIN(key) and MAX(key), which InnoDB answers from the two ends of
// the index; each range is `key >= start AND key < next start ORDER BY key LIMIT m`, all in one
// UNION ALL, so the server reads at most ranges × m rows, by the index, whatever the table's
// size. Like PostgreSQL's TABLESAMPLE SYSTEM (pages at random) it samples runs of neighbouring
// rows, not single rows at random; gaps in the key make the rows after a gap likelier.
//
// Used from kKeyRangeSampleFromRows estimated rows (information_schema.TABLES.TABLE_ROWS) on:
// by the table reader for a sampled scan's rows, and by the age reader for RET counts
// estimated from about kEstimateSampleRows rows (sources/sql/age_estimate.h). Tables without
// such a key keep the RAND() filter and exact counts (docs/operations.md says so).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "scanner/sources/mysql/mysql_catalog.h"
#include "scanner/sources/mysql/sql_query.h"
#include "scanner/sources/sql/age_estimate.h"

namespace crmaudit {

// From this many estimated rows on a table with an integer key is read in key ranges: the
// threshold of the age estimates (and the order of PostgreSQL's switch to TABLESAMPLE SYSTEM),
// so a table whose sample is read in key ranges has its counts estimated from them too.
constexpr double kKeyRangeSampleFromRows = kEstimateAgesFromRows;

// The integer key's smallest and largest value.
struct KeySpan {
  int64_t min = 0;
  int64_t max = 0;
};

// Whether `table` is read in key ranges when sampled: a base table with an integer key and at
// least kKeyRangeSampleFromRows estimated rows.
bool UsesKeyRanges(const MysqlTable& table);

// MIN and MAX of the table's integer key; nullopt when it has none, the table is empty, a value
// does not fit in 64 signed bits (a BIGINT UNSIGNED beyond it), or the query failed.
std::optional<KeySpan> ReadKeySpan(SqlQuery& query, const MysqlTable& table);

// `SELECT select_list FROM table` over `ranges` key ranges of `span`, at most `rows_per_range`
// rows each, as one statement (the select list is already quoted).
std::string KeyRangeSampleSql(const MysqlTable& table, const std::string& select_list,
                              const KeySpan& span, int ranges, uint64_t rows_per_range);

}  // namespace crmaudit
