// libFuzzer target: an archive of chained reports whose contents an attacker chose, as
// `crmaudit verify --chain ARCHIVE` reads it. The input is cut (at 0xFF bytes) into
// chain-head.json and the report.json of two dated report folders; the head and the reports
// are signed with the target's own key (so the head's reader is reached, not only the
// signature check) unless the first byte asks for a raw head signature. What must hold:
// ParseChainHead returns or throws SigningError, and what it accepts names a plain folder
// (no path out of the archive) with a 64-hex-digit digest; VerifyArchiveChain and
// VerifyChainHead return results (never throw) and never crash.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "reports/signing/chain_head.h"
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
  static const crmaudit::fuzz::ScratchPath scratch("crmaudit-fuzz-chain", "",
                                                   crmaudit::fuzz::ScratchPath::kFolder);
  const std::filesystem::path& archive = scratch.path();
  std::filesystem::remove_all(archive / "2026-01-01T000000Z");
  std::filesystem::remove_all(archive / "2026-01-02T000000Z");
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const uint8_t mode = data[0];
  size_t at = 0;
  const std::string head = NextPart(input, &at);
  WriteFile(archive / "chain-head.json", head);
  for (const char* folder : {"2026-01-01T000000Z", "2026-01-02T000000Z"}) {
    const std::string report = NextPart(input, &at);
    std::filesystem::create_directories(archive / folder);
    WriteFile(archive / folder / "report.json", report);
    WriteFile(archive / folder / "report.json.sig", key.Sign(report));
  }
  WriteFile(archive / "chain-head.json.sig", (mode & 1) ? NextPart(input, &at) : key.Sign(head));
  if (mode & 2) std::filesystem::remove(archive / "chain-head.json");

  try {
    const crmaudit::ChainHead parsed = crmaudit::ParseChainHead(head);
    if (parsed.newest.empty() || parsed.newest == "." || parsed.newest == ".." ||
        parsed.newest.find('/') != std::string::npos || parsed.report_sha256.size() != 64) {
      std::abort();
    }
  } catch (const crmaudit::SigningError&) {
  }
  try {
    crmaudit::VerifyArchiveChain(crmaudit::ExpandArchiveFolders({archive}), key.Public());
    crmaudit::VerifyChainHead(archive, key.Public());
    crmaudit::VerifyChainHead(archive, key.Public(), {.strict = true});
  } catch (const crmaudit::SigningError&) {
    std::abort();  // the archive exists: a bad head or chain is a result, never an exception
  }
  return 0;
}
