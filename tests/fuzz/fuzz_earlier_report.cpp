// libFuzzer target: any bytes as a report or baseline read back by a later command
// (--baseline, --chain-from, `crmaudit baseline`, `crmaudit diff`) and as a suppressions
// file. What must hold: each reader returns or throws its own documented error
// (BaselineError, ReportDiffError, SuppressionError); a JSON library exception never escapes
// (a number where a string was expected once aborted the CLI).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "reports/diff/report_diff.h"
#include "scanner/scan/earlier_report.h"
#include "scanner/scan/suppressions.h"
#include "tests/fuzz/scratch_path.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    crmaudit::BaselineIdsOf(bytes, "fuzz.json");
  } catch (const crmaudit::BaselineError&) {
  }
  try {
    size_t accepted = 0;
    crmaudit::BaselineFileFor(bytes, "fuzz.json", size % 2 == 0, &accepted);
  } catch (const crmaudit::BaselineError&) {
  }
  crmaudit::SummaryOf(bytes);
  try {
    const crmaudit::ReportDiff diff = crmaudit::DiffReports(bytes, bytes);
    crmaudit::RenderDiffText(diff);
    crmaudit::RenderDiffJson(diff);
  } catch (const crmaudit::ReportDiffError&) {
  }
  static const crmaudit::fuzz::ScratchPath scratch("crmaudit-fuzz-suppressions", ".json");
  const std::filesystem::path& path = scratch.path();
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  try {
    crmaudit::LoadSuppressions(path);
  } catch (const crmaudit::SuppressionError&) {
  }
  return 0;
}
