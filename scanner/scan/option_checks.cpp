#include "scanner/scan/option_checks.h"

#include <algorithm>
#include <cctype>

#include "scanner/detect/validators/phone_validity.h"
#include "scanner/model/utf8.h"
#include "scanner/sources/files/text_decoder.h"

namespace crmaudit {

std::string EncodingProblem(const std::string& name) {
  TextEncoding encoding;
  if (ResolveEncoding(name, "", &encoding)) return "";
  return "'" + RepairUtf8(name) +
         "' is not a known encoding; use utf-8, utf-16le, utf-16be, gb18030, gbk, latin1, "
         "cp1252 or another ICU converter name";
}

std::string RegionProblem(std::string* region) {
  std::transform(region->begin(), region->end(), region->begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (validators::IsPhoneRegion(*region)) return "";
  return "'" + RepairUtf8(*region) +
         "' is not a region libphonenumber knows; use an ISO 3166-1 alpha-2 code such as US, "
         "CN, DE, GB, FR, IN or BR";
}

}  // namespace crmaudit
