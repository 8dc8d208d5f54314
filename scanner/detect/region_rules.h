// RegionRules: what a cell or a header says about the region of national phone numbers.
//
// A phone number written without a country prefix ("0170 2348589", "020 7185 0022") is only a
// number in some region. RegionRules answers, from the shipped data (scanner/policy/
// region_data.h): which region a country cell names ("DE", "DEU", "Germany", "Deutschland",
// "Allemagne", "中国", "UK", "+49"), which headers are country columns, which headers imply a
// region (手机 -> CN), and which region a "+CC" number belongs to. The order in which these
// are used for a record is RecordRegions (record_regions.h). Immutable and thread-safe; holds
// no scanned data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "scanner/policy/region_data.h"

namespace crmaudit {

// An ISO 3166-1 alpha-2 region as a small number: 0 = none (the scan's --region applies),
// otherwise 1 + 26 * first letter + second letter. Cheap to store per record and per value.
using RegionId = uint16_t;
RegionId RegionIdOf(std::string_view alpha2);  // 0 unless two ASCII letters
std::string_view RegionCodeOf(RegionId id);    // "DE"; empty for 0

class RegionRules {
 public:
  explicit RegionRules(RegionData data);

  const RegionData& data() const { return data_; }

  // The region a country cell names: ISO alpha-2 or alpha-3 code, a country name in one of the
  // listed languages or an alias (case, dots and spacing ignored), or a calling code ("+49",
  // "0049", "49"). 0 when the cell names none.
  RegionId RegionOfCountry(std::string_view value) const;

  // The main region of the calling code a number written with "+" or "00" opens with
  // ("+44 20 7946 0958" -> GB, "+1 ..." -> US); 0 for any other value, a number with fewer than
  // eight digits, or a non-geographic code.
  static RegionId RegionOfPrefixedNumber(std::string_view value);

 private:
  RegionData data_;
  std::map<std::string, RegionId, std::less<>> names_;  // normalised name -> region
};

}  // namespace crmaudit
