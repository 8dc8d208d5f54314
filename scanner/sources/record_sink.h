// RecordSink: the narrow interface between readers (sources/) and matchers (detect/).
//
// A reader turns a dataset into a stream of records; each record is a set of (column, value)
// cells. Columns are declared once per dataset and then referred to by index, so the hot path
// does no string lookups. Contract for every reader:
//  - values are valid UTF-8 (readers transcode and repair before calling Field);
//  - `value` views are only valid during the call; sinks copy what they keep;
//  - empty values may be skipped by the reader;
//  - EndRecord is called once after the cells of each record (also for records with no cells).
//  - a reader whose format may or may not start with a header row (delimited text) asks
//    IsHeaderRow before declaring any column: readers only read, the sink's side decides
//    whether the first record names the columns or is already data.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace crmaudit {

class RecordSink {
 public:
  virtual ~RecordSink() = default;

  // Registers a column name (a CSV header, or a JSON key path such as "contact.email") and
  // returns its index for this dataset. Declaring the same name twice returns the same index.
  virtual size_t DeclareColumn(std::string_view name) = 0;

  // Whether `first`, the first record of the dataset, is a header row; `following` holds the
  // next few records (fewer when the dataset is shorter). When it is not, the reader names
  // the columns column_1, column_2... and delivers `first` as the first data record. The
  // default trusts the first record, for sinks that do not judge values.
  virtual bool IsHeaderRow(std::span<const std::string_view> first,
                           std::span<const std::vector<std::string_view>> following) {
    (void)first;
    (void)following;
    return true;
  }

  // One cell of the current record.
  virtual void Field(size_t column, std::string_view value) = 0;

  // The current record is complete.
  virtual void EndRecord() = 0;
};

}  // namespace crmaudit
