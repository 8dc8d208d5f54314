// libFuzzer target: any bytes as an audit file (--config). What must hold: LoadAuditConfig
// returns or throws AuditConfigError naming the file; never a crash, an abort (a number beyond
// double range once aborted the CLI) or another exception.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "scanner/scan/audit_config.h"
#include "tests/fuzz/scratch_path.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crmaudit::fuzz::ScratchPath scratch("crmaudit-fuzz-audit", ".json");
  const std::filesystem::path& path = scratch.path();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    crmaudit::LoadAuditConfig(path);
  } catch (const crmaudit::AuditConfigError& e) {
    if (std::string(e.what()).find(path.string()) == std::string::npos) std::abort();
  }
  return 0;
}
