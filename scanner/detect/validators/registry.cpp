// The validator registry: names a policy pack may use, mapped to their functions.
#include <algorithm>
#include <array>
#include <utility>

#include "scanner/detect/validators.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit {
namespace {

struct Entry {
  std::string_view name;
  ValidatorFn function;
  // The verdict depends on ValidationContext::default_region (see ValidatorReadsRegion).
  bool reads_region = false;
};

// Kept sorted by name so lookup is a binary search and ValidatorNames() needs no sort.
constexpr std::array kRegistry = {
    Entry{"assigned_password", validators::IsAssignedPassword},
    Entry{"aws_access_key", validators::IsAwsAccessKeyId},
    Entry{"cn_mobile", validators::IsCnMobileNumber},
    Entry{"cn_passport", validators::IsCnPassport},
    Entry{"cn_resident_id", validators::IsCnResidentId},
    Entry{"cn_uscc", validators::IsCnUscc},
    Entry{"credit_card", validators::IsCreditCardNumber},
    Entry{"date_of_birth", validators::IsDateOfBirth},
    Entry{"de_tax_id", validators::IsDeTaxId},
    Entry{"email", validators::IsEmailAddress},
    Entry{"es_dni", validators::IsEsDni},
    Entry{"es_nie", validators::IsEsNie},
    Entry{"fr_nir", validators::IsFrNir},
    Entry{"high_entropy_secret", validators::IsHighEntropySecret},
    Entry{"iban", validators::IsIban},
    Entry{"ip_address", validators::IsIpAddress},
    Entry{"it_fiscal_code", validators::IsItFiscalCode},
    Entry{"jwt", validators::IsJsonWebToken},
    Entry{"nl_bsn", validators::IsNlBsn},
    Entry{"password_hash_strong", validators::IsStrongPasswordHash},
    Entry{"password_hash_weak", validators::IsWeakPasswordHash},
    Entry{"person_name", validators::IsPersonName},
    Entry{"phone", validators::IsPhoneNumber, /*reads_region=*/true},
    Entry{"plaintext_password", validators::IsPlaintextPassword},
    Entry{"postal_address", validators::IsPostalAddress},
    Entry{"uk_nino", validators::IsUkNino},
    Entry{"us_itin", validators::IsUsItin},
    Entry{"us_routing", validators::IsUsRoutingNumber},
    Entry{"us_ssn", validators::IsUsSsn},
};

constexpr bool IsSortedByName() {
  for (size_t i = 1; i < kRegistry.size(); ++i) {
    if (!(kRegistry[i - 1].name < kRegistry[i].name)) return false;
  }
  return true;
}
static_assert(IsSortedByName(), "kRegistry must stay sorted by name without duplicates");

const Entry* FindEntry(std::string_view name) {
  const auto found = std::lower_bound(
      kRegistry.begin(), kRegistry.end(), name,
      [](const Entry& entry, std::string_view wanted) { return entry.name < wanted; });
  if (found == kRegistry.end() || found->name != name) return nullptr;
  return &*found;
}

}  // namespace

ValidatorFn FindValidator(std::string_view name) {
  const Entry* entry = FindEntry(name);
  return entry != nullptr ? entry->function : nullptr;
}

bool ValidatorReadsRegion(std::string_view name) {
  const Entry* entry = FindEntry(name);
  return entry != nullptr && entry->reads_region;
}

std::vector<std::string> ValidatorNames() {
  std::vector<std::string> names;
  names.reserve(kRegistry.size());
  for (const auto& entry : kRegistry) names.emplace_back(entry.name);
  return names;
}

}  // namespace crmaudit
