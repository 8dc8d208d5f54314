// libFuzzer target: any bytes as an export file, with every extension the reader dispatches on.
// What must hold: no crash, no hang, bounded memory, and the sink only ever sees valid UTF-8.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "scanner/model/utf8.h"
#include "scanner/sources/files/file_reader.h"
#include "tests/fuzz/checking_sink.h"
#include "tests/fuzz/scratch_path.h"

namespace {

using crmaudit::fuzz::CheckingSink;

const char* const kNames[] = {"x.csv", "x.tsv", "x.json", "x.jsonl", "x.csv.gz", "x.txt"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const crmaudit::fuzz::ScratchPath scratch("crmaudit-fuzz", "",
                                                   crmaudit::fuzz::ScratchPath::kFolder);
  const std::filesystem::path& dir = scratch.path();
  auto path = dir / kNames[data[0] % (sizeof kNames / sizeof kNames[0])];
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
  crmaudit::FileReadOptions options;
  options.max_record_bytes = 1 << 16;
  CheckingSink sink;
  crmaudit::ReadExportFile(path, options, sink);
  return 0;
}
