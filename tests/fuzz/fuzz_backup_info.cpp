// libFuzzer target: any bytes as the JSON a backup tool prints (`pgbackrest info
// --output=json`, `wal-g backup-list --detail --json`), which --backup-info reads from a
// repository the auditor does not control. What must hold: both parsers return facts (an
// unreadable source when the text is not the tool's JSON) and never throw or crash.
#include <cstdint>
#include <string_view>

#include "scanner/sources/backups/backup_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  crmaudit::ParsePgBackRestInfo(text);
  crmaudit::ParseWalgBackupList(text, "fuzz");
  return 0;
}
