// libFuzzer target: a signed report folder whose contents an attacker chose. The input is cut
// into a report.json, a DSSE statement (signed with the target's own key, so the statement
// reader is reached, not only the signature check), and optionally a raw report.json.sig and a
// raw envelope. What must hold: VerifyReportDirectory and VerifySignedFile return results
// (never throw: the folder exists) and never crash.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "reports/signing/dsse.h"
#include "reports/signing/report_verifier.h"
#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"

namespace {

void Write(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

// The next part of the input up to a 0xFF byte.
std::string Part(const std::string& input, size_t* at) {
  const size_t end = std::min(input.find('\xff', *at), input.size());
  std::string part = input.substr(*at, end - *at);
  *at = end + 1;
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const crmaudit::PrivateKey key =
      crmaudit::PrivateKey::FromRawEd25519Seed(std::string(32, '\x07'));
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("crmaudit-fuzz-verify-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::filesystem::remove(entry.path());
  }
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const uint8_t mode = data[0];
  size_t at = 0;
  const std::string report = Part(input, &at);
  const std::string statement = Part(input, &at);
  Write(dir / "report.json", report);
  Write(dir / "report.json.sig", (mode & 1) ? Part(input, &at) : key.Sign(report));
  if (mode & 2) {
    Write(dir / "report.dsse.json", Part(input, &at));
  } else {
    Write(dir / "report.dsse.json", crmaudit::SerializeEnvelope(crmaudit::SignEnvelope(
                                        "application/vnd.in-toto+json", statement, key)));
  }
  if (mode & 4) Write(dir / "report.html", Part(input, &at));
  try {
    crmaudit::VerifyReportDirectory(dir, key.Public());
    crmaudit::VerifySignedFile(dir / "report.json", key.Public());
  } catch (const crmaudit::SigningError&) {
    std::abort();  // the folder exists: mismatches are results, never exceptions
  }
  return 0;
}
