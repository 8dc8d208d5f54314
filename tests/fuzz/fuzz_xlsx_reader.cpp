// libFuzzer target: any bytes as an .xlsx workbook, every sheet read.
// What must hold: no crash, no hang, bounded memory (small shared-strings and cell bounds), the
// sink only ever sees valid UTF-8 in declared columns, and reading plain cells the fast way
// (XlsxLimits::plain_cells_fast) gives exactly what the XML parser alone gives: the same
// columns, cells, records and outcome.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "scanner/model/utf8.h"
#include "scanner/sources/files/xlsx_reader.h"
#include "tests/fuzz/checking_sink.h"

using crmaudit::fuzz::CheckingSink;

namespace {

// CheckingSink that also writes down everything it was given, to compare two reads.
class TranscriptSink : public CheckingSink {
 public:
  size_t DeclareColumn(std::string_view name) override {
    transcript += "column " + std::string(name) + "\n";
    return CheckingSink::DeclareColumn(name);
  }
  void Field(size_t column, std::string_view value) override {
    CheckingSink::Field(column, value);
    transcript += std::to_string(column) + "=" + std::string(value) + "\n";
  }
  void EndRecord() override { transcript += "end\n"; }
  std::string transcript;
};

std::string Describe(const crmaudit::FileReadOutcome& outcome) {
  return std::to_string(static_cast<int>(outcome.status)) + " " + std::to_string(outcome.rows) +
         " " + std::to_string(outcome.bytes) + " " + outcome.message;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  crmaudit::XlsxLimits limits;
  limits.max_shared_string_bytes = 1 << 20;
  limits.max_tag_bytes = 1 << 20;
  crmaudit::XlsxWorkbook workbook(limits);
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (!workbook.OpenMemory(bytes).empty()) return 0;
  crmaudit::XlsxLimits parser_only = limits;
  parser_only.plain_cells_fast = false;
  crmaudit::XlsxWorkbook reference(parser_only);
  if (!reference.OpenMemory(bytes).empty()) std::abort();
  crmaudit::FileReadOptions options;
  options.max_record_bytes = 1 << 16;
  for (size_t i = 0; i < workbook.sheets().size() && i < 16; ++i) {
    if (!crmaudit::IsValidUtf8(workbook.sheets()[i].name)) std::abort();
    TranscriptSink sink;
    crmaudit::FileReadOutcome outcome = workbook.ReadSheet(i, options, sink);
    if (!crmaudit::IsValidUtf8(outcome.message)) std::abort();
    TranscriptSink reference_sink;
    crmaudit::FileReadOutcome reference_outcome = reference.ReadSheet(i, options, reference_sink);
    if (sink.transcript != reference_sink.transcript) std::abort();
    if (Describe(outcome) != Describe(reference_outcome)) std::abort();
  }
  return 0;
}
