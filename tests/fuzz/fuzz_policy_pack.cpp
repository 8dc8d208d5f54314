// libFuzzer target: any bytes as a policy pack file. What must hold: LoadPolicyPack and
// Compile either succeed or throw PolicyError (naming the file) — never crash or throw
// anything else.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "scanner/detect/compiled_policy.h"
#include "scanner/policy/policy_pack.h"
#include "tests/fuzz/scratch_path.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crmaudit::fuzz::ScratchPath scratch("crmaudit-fuzz-pack", ".json");
  const std::filesystem::path& path = scratch.path();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    crmaudit::CompiledPolicy::Compile({crmaudit::LoadPolicyPack(path)});
  } catch (const crmaudit::PolicyError& e) {
    if (e.file().empty()) std::abort();
  }
  return 0;
}
