// Column learning: what CompiledPolicy keeps in a ColumnScanState (internal to detect/).
//
// Three things, each of which only ever saves work, never changes a result:
//  - the detector whose whole-value candidates the column's values lately were (with the
//    detectors of its entity type that also took some of them whole), with credit that decides
//    whether predicting it is still worth trying;
//  - the column's hit rate against the pattern set (mostly hit: skip the "anything?" question;
//    rarely hit: clear values many at a time);
//  - the results of recently seen values, for columns whose values repeat.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/detect/column_scan_state.h"
#include "scanner/detect/compiled_policy.h"

namespace crmaudit {

struct ColumnLines;  // defined by the matcher
struct OthersLines;  // defined by the matcher

// Results of a column's recently seen values, for columns whose values repeat (status,
// country, city, first names). Direct-mapped: bounded memory, no rehashing; a slot is taken
// over by the next value that hashes to it. In a column whose values rarely repeat (emails,
// ids) it switches itself off after one window, so such a column pays for hashing only that
// long.
class RepeatCache {
 public:
  struct Slot {
    bool used = false;
    // A phone number's validity depends on the region it is read in; results whose finding
    // read no region hold in every region (any_region).
    bool any_region = false;
    RegionId region = 0;
    std::string value;
    std::vector<ValueMatch> matches;

    bool Holds(std::string_view candidate, RegionId candidate_region) const {
      return used && (any_region || region == candidate_region) && value == candidate;
    }
    void Store(std::string_view stored, RegionId stored_region, bool region_read,
               const ValueMatch* first, size_t count) {
      used = true;
      any_region = !region_read;
      region = stored_region;
      value.assign(stored);
      matches.assign(first, first + count);
    }
  };

  // Appends the results remembered for `value` read in `region` and returns true if it was
  // seen lately in that region.
  bool Recall(std::string_view value, RegionId region, std::vector<ValueMatch>* out) {
    if (!enabled_ || value.size() > kMaxValueBytes) return false;
    // Nothing kept yet: no lookup to count. The matcher remembers the values of a batch it
    // checks at once (a column predicted to be one detector's) only after the whole batch, so
    // a window of such a column's first values would otherwise count as never repeating.
    if (slots_.empty()) return false;
    if (lookups_ == kWindow) {
      if (repeats_ * 4 < lookups_) {  // under a quarter repeated: not worth it here
        enabled_ = false;
        slots_ = {};
        return false;
      }
      lookups_ = repeats_ = 0;
    }
    ++lookups_;
    const Slot& slot = slots_[SlotOf(value)];
    if (!slot.Holds(value, region)) return false;
    ++repeats_;
    out->insert(out->end(), slot.matches.begin(), slot.matches.end());
    return true;
  }

  // Keeps `value`'s results in `region`, in place of whatever value shared its slot.
  // `region_read`: finding them asked a validator that reads the region (ValidatorReadsRegion);
  // otherwise they are recalled for the value in any region. A slot is chosen by the value
  // alone, so that a value met in records of several countries keeps one slot.
  void Remember(std::string_view value, RegionId region, bool region_read, const ValueMatch* first,
                size_t count) {
    if (!enabled_ || value.size() > kMaxValueBytes) return;
    if (slots_.empty()) slots_.resize(kSlots);
    slots_[SlotOf(value)].Store(value, region, region_read, first, count);
  }

 private:
  static constexpr size_t kSlots = 512;
  static constexpr size_t kMaxValueBytes = 48;
  static constexpr uint32_t kWindow = 4096;

  static size_t SlotOf(std::string_view value) {
    return std::hash<std::string_view>{}(value) % kSlots;
  }

  bool enabled_ = true;
  uint32_t lookups_ = 0;
  uint32_t repeats_ = 0;
  std::vector<Slot> slots_;  // allocated on first use
};

// How often a column's values hit the pattern set over the last window of values: any pattern
// at all (worth asking "anything?" first?), and a pattern of a detector the column does not rule
// out (worth clearing values many at a time?). A detector the column rules out (a negative
// header hint, a header it requires and lacks) never reports there, so its hits count only in
// the first figure: a city column whose every value matches person-name's pattern, which its
// header vetoes, is still rarely hit. A column starts out presumed clean.
class HitRate {
 public:
  bool MostlyHit() const { return mostly_hit_; }  // half or more hit any pattern
  bool RarelyHit() const { return rarely_hit_; }  // 2% or less hit a pattern that can report
  // More than 2% hit only patterns of detectors the column rules out.
  bool RuledOutHitsCommon() const { return ruled_out_common_; }
  // `hit`: a pattern of the set hit; `live`: one of a detector the column does not rule out.
  void Note(bool hit, bool live) {
    ++values_;
    hits_ += hit ? 1 : 0;
    live_hits_ += live ? 1 : 0;
    if (values_ == kWindow) {
      mostly_hit_ = hits_ * 2 >= values_;
      rarely_hit_ = live_hits_ * 50 <= values_;
      ruled_out_common_ = (hits_ - live_hits_) * 50 > values_;
      values_ = hits_ = live_hits_ = 0;
    }
  }

 private:
  static constexpr uint32_t kWindow = 256;
  uint32_t values_ = 0;
  uint32_t hits_ = 0;
  uint32_t live_hits_ = 0;
  bool mostly_hit_ = false;
  bool rarely_hit_ = true;
  bool ruled_out_common_ = false;
};

// A prediction is tried while it has credit: each success earns one (up to a cap), each
// failure costs two, and a full scan that finds the value wholly the predicted detector's
// candidate earns one back. A column where the shortcut keeps failing thus tries it for at
// most one value in three.
constexpr int kPredictionCreditCap = 16;
constexpr int kPredictionFailureCost = 2;
// A batch of values is confirmed together only while the prediction has held for the last
// values (a failed batch is halved down to the values that fail, which costs more than asking
// value by value when failures are common).
constexpr int kBatchPredictionCredit = 12;

struct ColumnScanState::Learnt {
  int detector = -1;  // the detector whose whole-value candidates the column's values were
  // Detectors of `detector`'s entity type whose whole-value candidates the values also were,
  // ascending and after it (a Chinese mobile number is wholly the candidate of three phone
  // detectors): predicted together with it. Empty when it was alone.
  std::vector<int> companions;
  int credit = 0;  // see kPredictionCreditCap
  HitRate hits;
  RepeatCache repeats;
  size_t predicted_batch = 128;  // values per batch of predicted values (see ScanColumn)
  // The line set of the detectors that can report in this column (the matcher's ColumnLines),
  // once the column needs one of its own: it hints a column-only detector, or patterns of
  // detectors it rules out hit its values often. Kept for the column's life, so that clearing
  // values with it cannot make those hits look rare and switch back. `lines_known` says it was
  // looked up; `lines` may still be null (the set could not be compiled).
  bool lines_known = false;
  std::shared_ptr<const ColumnLines> lines;
  // A value the column scanned alone held a letter byte (utf8::MayBeLetter) before `lines` was
  // looked up: its own line set then answers for any value, else only for values without one.
  bool letters_seen = false;
  // Whether the column's header hints a column-only detector (the matcher's ColumnOnlyHinted,
  // which depends on the header alone): -1 until first asked.
  int column_only_hinted = -1;
  // The patterns of a line set which could stop the prediction (`detector` and its companions)
  // in this column (the matcher's OthersLines), found when the prediction was first checked: a
  // prediction asks only them whether another detector hits. Looked up again when the line set
  // (`others_of`) or the prediction changes (companions are only ever added to a detector's, so
  // the detector and their number tell a prediction apart).
  const ColumnLines* others_of = nullptr;
  int others_detector = -1;
  size_t others_companions = 0;
  std::shared_ptr<const OthersLines> others;
};

}  // namespace crmaudit
