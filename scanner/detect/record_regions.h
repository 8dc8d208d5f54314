// RecordRegions: the region each record's national phone numbers are read in.
//
// The order (docs/detectors.md, "Phone numbers"): the record's own country, i.e. the cell of
// the lowest-numbered country column that names a region; else the region the column's
// header implies (手机 -> CN); else the region of more than half of the "+CC" numbers in the
// phone columns of the earlier records, once there are at least `min_numbers` of them; else
// none, and the scan's --region applies. The reader thread feeds it in record order (Field for
// every cell, EndRecord after each record), so it decides the same regions whether the values
// are matched at once, at the end of their record, or in batches on other threads. A country
// column declared in the middle of a record (a JSON key met late) counts from the next record,
// so every path agrees on that record too. Memory: a byte per column, a count per region and
// the distinct country cells (at most 256 of at most 48 bytes).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/detect/region_rules.h"

namespace crmaudit {

class RecordRegions {
 public:
  // Null rules: every region is 0 (the policy's default region).
  explicit RecordRegions(const RegionRules* rules);

  // Call once per column index, in declaration order, with its ColumnHints context.
  void DeclareColumn(size_t column, const ColumnContext& context);

  // One cell of the current record (blank ones too).
  void Field(size_t column, std::string_view value) {
    record_open_ = true;
    if (column < roles_.size() && roles_[column] != 0) {
      FieldRead(column, Read(roles_[column], value, &countries_));
    }
  }

  // Field() in two halves, so that the cells can be read on other threads, ahead of their
  // records (ParallelMatcher reads a whole run's country and phone cells on a matching thread):
  //  - RoleOf: what the column is watched for (0: nothing; Field() ignores its cells);
  //  - Read: what a cell of a column with that role says. Const and reading only the cell, the
  //    rules and `memo` (one per thread), so any thread may call it;
  //  - FieldRead: Field() with the cell read with the column's role as it is now (a column
  //    declared in the middle of a record changes role at that record's end).
  struct CellRegions {
    RegionId country = 0;   // the region the cell names, in a country column
    RegionId prefixed = 0;  // the region of its "+CC" number, in a phone column
  };
  // The regions of the distinct country cells seen (at most 256 of at most 48 bytes), so that a
  // record costs a hash and a compare rather than a normalisation and a lookup.
  class CountryMemo {
   public:
    RegionId RegionOf(const RegionRules& rules, std::string_view value);

   private:
    struct TextHash {
      using is_transparent = void;
      size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    std::unordered_map<std::string, RegionId, TextHash, std::equal_to<>> regions_;
  };
  uint8_t RoleOf(size_t column) const { return column < roles_.size() ? roles_[column] : 0; }
  CellRegions Read(uint8_t role, std::string_view value, CountryMemo* memo) const;
  void FieldRead(size_t column, CellRegions cell);

  // Ends the record: the next one starts with no country, and sees this one's "+CC" numbers.
  void EndRecord();

  // Whether the current record has a country column, whose cell may come after the phone
  // numbers: their region is known only at the end of the record.
  bool CountryKnownAtEnd() const { return country_columns_ > 0; }

  RegionId RecordCountry() const { return record_country_; }  // of the current record, so far
  RegionId Majority() const { return majority_; }  // of the records before the current one

  // The region of a value of a column with `implied` region, in a record with these two.
  static RegionId Choose(RegionId country, RegionId implied, RegionId majority) {
    if (country != 0) return country;
    return implied != 0 ? implied : majority;
  }
  RegionId For(const ColumnContext& column) const {
    return Choose(record_country_, column.implied_region, majority_);
  }

 private:
  enum Role : uint8_t { kCountry = 1, kCountryFromNextRecord = 2, kPhone = 4 };

  const RegionRules* rules_;
  std::vector<uint8_t> roles_;          // per column: Role bits
  size_t country_columns_ = 0;          // columns with kCountry
  size_t pending_country_columns_ = 0;  // columns with kCountryFromNextRecord
  bool record_open_ = false;            // a cell of the current record was seen
  RegionId record_country_ = 0;
  size_t record_country_column_ = 0;  // the column record_country_ came from
  RegionId majority_ = 0;
  uint32_t prefixed_numbers_ = 0;
  RegionId leader_ = 0;
  std::array<uint32_t, 26 * 26 + 1> by_region_{};
  CountryMemo countries_;  // Field()'s
};

}  // namespace crmaudit
