// libFuzzer target: a signed report folder whose contents an attacker chose. The input is cut
// into a report.json, a DSSE statement (signed with the target's own key, so the statement
// reader is reached, not only the signature check), and optionally a raw report.json.sig and a
// raw envelope. What must hold: VerifyReportDirectory and VerifySignedFile return results
// (never throw: the folder exists) and never crash.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "reports/signing/dsse.h"
#include "reports/signing/report_verifier.h"
#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"
#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/scratch_path.h"

using crmaudit::fuzz::NextPart;
using crmaudit::fuzz::WriteFile;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const crmaudit::PrivateKey key =
      crmaudit::PrivateKey::FromRawEd25519Seed(std::string(32, '\x07'));
  static const crmaudit::fuzz::ScratchPath scratch("crmaudit-fuzz-verify", "",
                                                   crmaudit::fuzz::ScratchPath::kFolder);
  const std::filesystem::path& dir = scratch.path();
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::filesystem::remove(entry.path());
  }
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const uint8_t mode = data[0];
  size_t at = 0;
  const std::string report = NextPart(input, &at);
  const std::string statement = NextPart(input, &at);
  WriteFile(dir / "report.json", report);
  WriteFile(dir / "report.json.sig", (mode & 1) ? NextPart(input, &at) : key.Sign(report));
  if (mode & 2) {
    WriteFile(dir / "report.dsse.json", NextPart(input, &at));
  } else {
    WriteFile(dir / "report.dsse.json", crmaudit::SerializeEnvelope(crmaudit::SignEnvelope(
                                            "application/vnd.in-toto+json", statement, key)));
  }
  if (mode & 4) WriteFile(dir / "report.html", NextPart(input, &at));
  try {
    crmaudit::VerifyReportDirectory(dir, key.Public());
    crmaudit::VerifySignedFile(dir / "report.json", key.Public());
  } catch (const crmaudit::SigningError&) {
    std::abort();  // the folder exists: mismatches are results, never exceptions
  }
  return 0;
}
