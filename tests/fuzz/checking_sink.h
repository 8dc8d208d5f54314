// The record sink the reader fuzz targets (export files, archives, workbooks) read into: it
// aborts, so libFuzzer reports a crash, when a reader breaks its contract with every sink —
// column names and cells are valid UTF-8, and a cell only ever names a declared column.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string_view>

#include "scanner/model/utf8.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit::fuzz {

class CheckingSink : public RecordSink {
 public:
  size_t DeclareColumn(std::string_view name) override {
    if (!IsValidUtf8(name)) std::abort();
    return columns_++;
  }
  void Field(size_t column, std::string_view value) override {
    if (column >= columns_ || !IsValidUtf8(value)) std::abort();
  }
  void EndRecord() override {}

 private:
  size_t columns_ = 0;
};

}  // namespace crmaudit::fuzz
