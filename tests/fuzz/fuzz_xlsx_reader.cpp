// libFuzzer target: any bytes as an .xlsx workbook, every sheet read.
// What must hold: no crash, no hang, bounded memory (small shared-strings and cell bounds), and
// the sink only ever sees valid UTF-8 in declared columns.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "scanner/model/utf8.h"
#include "scanner/sources/files/xlsx_reader.h"

namespace {

class CheckingSink : public crmaudit::RecordSink {
 public:
  size_t DeclareColumn(std::string_view name) override {
    if (!crmaudit::IsValidUtf8(name)) std::abort();
    return columns_++;
  }
  void Field(size_t column, std::string_view value) override {
    if (column >= columns_ || !crmaudit::IsValidUtf8(value)) std::abort();
  }
  void EndRecord() override {}

 private:
  size_t columns_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  crmaudit::XlsxLimits limits;
  limits.max_shared_string_bytes = 1 << 20;
  limits.max_tag_bytes = 1 << 20;
  crmaudit::XlsxWorkbook workbook(limits);
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (!workbook.OpenMemory(bytes).empty()) return 0;
  crmaudit::FileReadOptions options;
  options.max_record_bytes = 1 << 16;
  for (size_t i = 0; i < workbook.sheets().size() && i < 16; ++i) {
    if (!crmaudit::IsValidUtf8(workbook.sheets()[i].name)) std::abort();
    CheckingSink sink;
    crmaudit::FileReadOutcome outcome = workbook.ReadSheet(i, options, sink);
    if (!crmaudit::IsValidUtf8(outcome.message)) std::abort();
  }
  return 0;
}
