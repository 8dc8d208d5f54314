// libFuzzer target: any bytes as a check catalog file (policies/checks/*.json). What must
// hold: CheckCatalog::AddFile adds the checks or throws PolicyError naming the file; every
// template of an accepted check fills without a crash.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "scanner/model/text_template.h"
#include "scanner/policy/check_catalog.h"
#include "scanner/policy/policy_pack.h"
#include "tests/fuzz/scratch_path.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crmaudit::fuzz::ScratchPath scratch("crmaudit-fuzz-catalog", ".json");
  const std::filesystem::path& path = scratch.path();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  // The shipped control parameters first, as LoadCheckCatalog reads them, so that checks
  // naming parameters are accepted and their templates reached.
  static const crmaudit::CheckCatalog with_parameters = [] {
    crmaudit::CheckCatalog base;
    base.AddFile(std::filesystem::path(CRMAUDIT_SOURCE_POLICY_DIR) / "checks" / "parameters.json");
    return base;
  }();
  crmaudit::CheckCatalog catalog = with_parameters;
  try {
    catalog.AddFile(path);
  } catch (const crmaudit::PolicyError& e) {
    if (e.file().empty()) std::abort();
    return 0;
  }
  for (const auto& check : catalog.checks()) {
    for (const auto& [key, text] : check.outcomes) {
      crmaudit::FillTemplate(text.title, {{"a", "b"}});
      crmaudit::FillTemplate(text.remediation, {});
    }
  }
  return 0;
}
