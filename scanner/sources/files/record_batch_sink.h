// RecordBatchSink: a RecordSink that also takes a whole run of parsed records in one call.
//
// A reader that parses records on other threads (split_csv_reader.h) hands such a sink every
// run of records it can, instead of one Field call per cell on its own thread; the sink then
// spreads the cells over its columns wherever it likes (ParallelMatcher does it on its matching
// threads). The contract: Records(records, columns) has exactly the effect of, for each record
// in order, Field(columns[p], cell p) for every non-empty cell p, then EndRecord(). Every
// position p of every record has its column (p < columns.size()); the columns were declared
// before the call, so no column is declared in the middle of these records.
#pragma once

#include <cstddef>
#include <span>

#include "scanner/sources/files/parsed_records.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit {

class RecordBatchSink : public RecordSink {
 public:
  virtual void Records(ParsedRecords records, std::span<const size_t> columns) = 0;
};

}  // namespace crmaudit
