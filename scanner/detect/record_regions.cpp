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

RegionId RecordRegions::CountryOf(std::string_view value) {
  constexpr size_t kMaxRemembered = 256;
  constexpr size_t kMaxRememberedBytes = 48;
  if (value.size() > kMaxRememberedBytes) return rules_->RegionOfCountry(value);
  if (auto found = countries_.find(value); found != countries_.end()) return found->second;
  // More distinct cells than a country column holds: start again rather than grow.
  if (countries_.size() >= kMaxRemembered) countries_.clear();
  const RegionId region = rules_->RegionOfCountry(value);
  countries_.emplace(std::string(value), region);
  return region;
}

void RecordRegions::Watch(size_t column, std::string_view value) {
  const uint8_t role = roles_[column];
  if ((role & kCountry) != 0 && (record_country_ == 0 || column < record_country_column_)) {
    if (const RegionId region = CountryOf(value); region != 0) {
      record_country_ = region;
      record_country_column_ = column;
    }
  }
  if ((role & kPhone) != 0) {
    if (const RegionId region = RegionRules::RegionOfPrefixedNumber(value); region != 0) {
      ++prefixed_numbers_;
      if (++by_region_[region] > by_region_[leader_]) leader_ = region;
    }
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
