// libFuzzer target: any bytes as an .xlsx workbook, every sheet read.
// What must hold: no crash, no hang, bounded memory (small shared-strings and cell bounds), and
// the sink only ever sees valid UTF-8 in declared columns.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "scanner/model/utf8.h"
#include "scanner/sources/files/xlsx_reader.h"
#include "tests/fuzz/checking_sink.h"

using crmaudit::fuzz::CheckingSink;

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
