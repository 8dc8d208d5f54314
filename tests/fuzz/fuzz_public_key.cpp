// libFuzzer target: any bytes as the public key file `crmaudit verify --key` reads (PEM
// SubjectPublicKeyInfo), and as DER. What must hold: PublicKey::FromPem / FromDer return a key
// or throw SigningError (never crash, never another exception); an accepted key has a
// 64-hex-digit key id, a type name, and verifies a wrong signature as false without throwing.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"

namespace {

void Check(const crmaudit::PublicKey& key) {
  if (key.KeyId().size() != 64 || key.TypeName().empty()) std::abort();
  if (key.Verify("message", std::string(64, '\x01'))) std::abort();
  key.Pem();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    Check(crmaudit::PublicKey::FromPem(bytes, "fuzz.pub"));
  } catch (const crmaudit::SigningError&) {
  }
  try {
    Check(crmaudit::PublicKey::FromDer(bytes, "fuzz.der"));
  } catch (const crmaudit::SigningError&) {
  }
  return 0;
}
