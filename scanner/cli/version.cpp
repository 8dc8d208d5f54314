#include "scanner/cli/version.h"

#include <openssl/crypto.h>
#include <unicode/uvernum.h>
#include <zlib.h>

#include <pqxx/version.hxx>
#include <sstream>

#include "scanner/policy/policy_pack.h"

namespace crmaudit {

std::string VersionText() {
  std::ostringstream out;
  out << "crmaudit " << CRMAUDIT_VERSION << "\n";
  out << "libraries: " << OpenSSL_version(OPENSSL_VERSION) << ", RE2 " << CRMAUDIT_RE2_VERSION
      << ", libpqxx " << PQXX_VERSION << ", ICU " << U_ICU_VERSION << ", zlib " << zlibVersion()
      << "\n";
  out << "policy packs:";
  bool any = false;
  for (const auto& file : ListPolicyPacks(DefaultPolicySearchDirs())) {
    try {
      PolicyPack pack = LoadPolicyPack(file);
      out << "\n  " << pack.name << " " << pack.version << " (" << file.string() << ")";
    } catch (const PolicyError& e) {
      out << "\n  " << file.string() << ": invalid (" << e.what() << ")";
    }
    any = true;
  }
  if (!any) out << " none found";
  out << "\n";
  return out.str();
}

}  // namespace crmaudit
