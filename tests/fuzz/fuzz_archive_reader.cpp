// libFuzzer target: any bytes as a ZIP, tar or tar.gz archive, every member read through the
// export reader its name calls for (as the file scan does).
// What must hold: no crash, no hang, bounded memory (small zip-bomb limits), member names
// without control characters, and the sink only ever sees valid UTF-8 in declared columns.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "scanner/model/utf8.h"
#include "scanner/sources/files/archive_reader.h"
#include "scanner/sources/files/file_reader.h"
#include "tests/fuzz/checking_sink.h"

using crmaudit::fuzz::CheckingSink;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  crmaudit::ArchiveLimits limits;
  limits.max_total_bytes = 8 << 20;
  limits.ratio_floor_bytes = 1 << 20;
  limits.max_members = 64;
  crmaudit::ArchiveReader archive(limits);
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (!archive.OpenMemory(bytes).empty()) return 0;
  crmaudit::FileReadOptions options;
  options.max_record_bytes = 1 << 16;
  crmaudit::ArchiveMember member;
  while (archive.Next(&member)) {
    if (!crmaudit::IsValidUtf8(member.name)) std::abort();
    for (char c : member.name) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) std::abort();
    }
    if (!member.regular) continue;
    crmaudit::ByteSource source;
    source.OpenStream([&archive](char* buffer, size_t capacity, std::string* error) {
      return archive.Read(buffer, capacity, error);
    });
    CheckingSink sink;
    const std::string name = std::filesystem::path(member.part).filename().string();
    crmaudit::ReadExportStream(source, name, options, sink);
    if (archive.limit_reached()) break;
  }
  return 0;
}
