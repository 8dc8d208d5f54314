#include "scanner/detect/record_regions.h"

#include <functional>
#include <string>

namespace crmaudit {

RecordRegions::RecordRegions(const RegionRules* rules) : rules_(rules) {}

void RecordRegions::DeclareColumn(size_t column, const ColumnContext& context) {
  if (rules_ == nullptr) return;
  if (roles_.size() <= column) roles_.resize(column + 1, 0);
  uint8_t role = context.phone_column ? kPhone : 0;
  if (context.country_column) {
    if (record_open_) {
      role |= kCountryFromNextRecord;
      ++pending_country_columns_;
    } else {
      role |= kCountry;
      ++country_columns_;
    }
  }
  roles_[column] = role;
}

RegionId RecordRegions::CountryMemo::RegionOf(const RegionRules& rules, std::string_view value) {
  constexpr size_t kMaxRemembered = 256;
  constexpr size_t kMaxRememberedBytes = 48;
  if (value.size() > kMaxRememberedBytes) return rules.RegionOfCountry(value);
  if (auto found = regions_.find(value); found != regions_.end()) return found->second;
  // More distinct cells than a country column holds: start again rather than grow. (A
  // direct-mapped cache of 64 let two of six countries share a slot and evict each other on
  // every record.)
  if (regions_.size() >= kMaxRemembered) regions_.clear();
  const RegionId region = rules.RegionOfCountry(value);
  regions_.emplace(std::string(value), region);
  return region;
}

RecordRegions::CellRegions RecordRegions::Read(uint8_t role, std::string_view value,
                                               CountryMemo* memo) const {
  CellRegions cell;
  if (rules_ == nullptr) return cell;
  if ((role & kCountry) != 0) cell.country = memo->RegionOf(*rules_, value);
  if ((role & kPhone) != 0) cell.prefixed = RegionRules::RegionOfPrefixedNumber(value);
  return cell;
}

void RecordRegions::FieldRead(size_t column, CellRegions cell) {
  record_open_ = true;
  if (cell.country != 0 && (record_country_ == 0 || column < record_country_column_)) {
    record_country_ = cell.country;
    record_country_column_ = column;
  }
  if (cell.prefixed != 0) {
    ++prefixed_numbers_;
    if (++by_region_[cell.prefixed] > by_region_[leader_]) leader_ = cell.prefixed;
  }
}

void RecordRegions::EndRecord() {
  record_open_ = false;
  record_country_ = 0;
  record_country_column_ = 0;
  if (rules_ == nullptr) return;
  if (pending_country_columns_ > 0) {
    for (uint8_t& role : roles_) {
      if ((role & kCountryFromNextRecord) != 0) {
        role = static_cast<uint8_t>((role & ~kCountryFromNextRecord) | kCountry);
        ++country_columns_;
      }
    }
    pending_country_columns_ = 0;
  }
  const bool enough = prefixed_numbers_ >= rules_->data().majority_min_numbers;
  majority_ = enough && by_region_[leader_] * 2 > prefixed_numbers_ ? leader_ : 0;
}

}  // namespace crmaudit
