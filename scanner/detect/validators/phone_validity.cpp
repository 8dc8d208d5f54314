// Phone validity from libphonenumber's metadata, matched by a DFA of our own or RE2 (see
// phone_validity.h).
//
// Each step below names the libphonenumber function whose behaviour it repeats, so a reader
// can compare them; any deviation is a bug (the differential test catches it).
#include "scanner/detect/validators/phone_validity.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "phonenumbers/phonemetadata.pb.h"
#include "phonenumbers/phonenumberutil.h"
#include "scanner/detect/digit_automaton.h"
#include "scanner/detect/validators/phone_metadata.h"

namespace crmaudit::validators {
namespace {

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneNumberDesc;

constexpr size_t kMinLengthForNsn = 2;
constexpr size_t kMaxLengthForNsn = 17;
constexpr size_t kMaxCountryCodeLength = 3;

// True for a non-empty run of ASCII digits: a pattern that matches exactly itself.
bool IsPlainDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::unique_ptr<RE2> CompileOrNull(const std::string& pattern) {
  if (pattern.empty()) return nullptr;
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_unique<RE2>(pattern, options);
  return regex->ok() ? std::move(regex) : nullptr;
}

// A PhoneNumberDesc: possible lengths and the national number pattern.
struct Desc {
  std::string source;  // pattern text; compiled on the region's first use
  // Null when the region's automaton took the pattern (Region::automaton), or it is empty.
  std::unique_ptr<RE2> pattern;
  std::vector<int> lengths;  // sorted as in the metadata; {-1} = "no numbers of this type"
  std::vector<int> local_only_lengths;

  // RegexBasedMatcher::MatchNationalNumber without prefix matches: the pattern alone.
  bool PatternMatches(std::string_view number) const {
    return pattern != nullptr && RE2::FullMatch(number, *pattern);
  }
  // PhoneNumberUtil::IsNumberMatchingDesc: listed lengths first, then the pattern.
  bool Matches(std::string_view number) const {
    return LengthAllowed(number) && PatternMatches(number);
  }
  bool LengthAllowed(std::string_view number) const { return LengthAllowed(number.size()); }
  bool LengthAllowed(size_t size) const {
    return lengths.empty() ||
           std::find(lengths.begin(), lengths.end(), static_cast<int>(size)) != lengths.end();
  }
};

Desc DescFrom(const PhoneNumberDesc& desc) {
  Desc out;
  out.source = desc.national_number_pattern();
  out.lengths.assign(desc.possible_length().begin(), desc.possible_length().end());
  out.local_only_lengths.assign(desc.possible_length_local_only().begin(),
                                desc.possible_length_local_only().end());
  return out;
}

enum class LengthResult { kPossible, kLocalOnly, kTooShort, kInvalidLength, kTooLong };

struct Region {
  std::string id;
  int country_code = 0;
  std::string country_code_digits;  // country_code written out, e.g. "44"
  Desc general;
  std::vector<Desc> types;  // every number type that makes a number valid
  std::string leading_digits_source, international_prefix_source, national_prefix_source;
  bool transform_rule = false;  // national_prefix_transform_rule: not repeated here

  // Compiled on first use. The atomic flag answers "already compiled" without a call into
  // pthread_once: phone candidates ask for it by the million.
  std::once_flag compiled_once;
  std::atomic<bool> compiled{false};
  // Every pattern compiled, into the automaton or with RE2 (transform rules are checked apart).
  bool usable = false;
  std::unique_ptr<RE2> leading_digits, international_prefix, national_prefix;
  // The prefixes when their patterns are plain digits ("00", "011", "0"), else empty: then
  // "does the number open with it?" is a comparison, and RE2::Consume would remove exactly it.
  std::string literal_international_prefix, literal_national_prefix;

  // The general pattern (bit 0) and every type's with a pattern (bit k + 1 for the k-th of
  // them) in one DFA of our own (digit_automaton.h), when it understands them all (every region
  // of the metadata shipped today): one walk over the digits answers both of HasValidType's
  // questions and GeneralMatches' for a few instructions per digit, against a thousand per RE2
  // call. Per national number length, the bits of the types that allow it.
  std::optional<DigitAutomaton> automaton;
  std::array<uint64_t, kMaxLengthForNsn + 1> type_bits_of_length{};

  // Else, per national number length the general lengths allow: the general pattern (set
  // index 0) and the patterns of the types that allow the length, in one anchored set compiled
  // on first use (null when no type allows the length). One "which patterns?" pass answers
  // both of HasValidType's questions.
  struct LengthSet {
    std::once_flag compiled;
    std::atomic<bool> ready{false};  // set once `compiled` ran: the fast path skips call_once
    std::unique_ptr<RE2::Set> set;
  };
  mutable std::array<LengthSet, kMaxLengthForNsn + 1> types_of_length;

  const LengthSet& TypesOfLength(size_t length) const {
    LengthSet& entry = types_of_length[length];
    if (entry.ready.load(std::memory_order_acquire)) return entry;
    std::call_once(entry.compiled, [&] {
      RE2::Options options;
      options.set_log_errors(false);
      auto set = std::make_unique<RE2::Set>(options, RE2::ANCHOR_BOTH);
      if (general.pattern == nullptr || set->Add(general.source, nullptr) != 0) return;
      int added = 0;
      for (const Desc& type : types) {
        if (type.pattern == nullptr || !type.LengthAllowed(length)) continue;
        if (set->Add(type.source, nullptr) < 0) return;
        ++added;
      }
      if (added > 0 && set->Compile()) entry.set = std::move(set);
    });
    entry.ready.store(true, std::memory_order_release);
    return entry;
  }

  void Compile() {
    if (compiled.load(std::memory_order_acquire)) return;
    std::call_once(compiled_once, [this] {
      usable = !general.lengths.empty();
      auto compile = [this](const std::string& source, std::unique_ptr<RE2>* out) {
        *out = CompileOrNull(source);
        if (!source.empty() && *out == nullptr) usable = false;
      };
      // The automaton first: when it takes the patterns (it reads a subset of RE2's syntax),
      // their RE2 forms would never run, and compiling them was most of a region's first use.
      if (!general.source.empty()) CompileAutomaton();
      if (!automaton) {
        compile(general.source, &general.pattern);
        for (Desc& type : types) compile(type.source, &type.pattern);
      }
      compile(leading_digits_source, &leading_digits);
      compile(international_prefix_source, &international_prefix);
      compile(national_prefix_source, &national_prefix);
      if (IsPlainDigits(international_prefix_source)) {
        literal_international_prefix = international_prefix_source;
      }
      if (IsPlainDigits(national_prefix_source)) literal_national_prefix = national_prefix_source;
    });
    compiled.store(true, std::memory_order_release);
  }

  void CompileAutomaton() {
    std::vector<std::string> sources = {general.source};
    std::vector<const Desc*> typed;  // the types in the automaton, bit k + 1 for typed[k]
    for (const Desc& type : types) {
      if (type.source.empty()) continue;
      sources.push_back(type.source);
      typed.push_back(&type);
    }
    automaton = DigitAutomaton::Compile(sources);
    if (!automaton) return;
    for (size_t length = 0; length <= kMaxLengthForNsn; ++length) {
      for (size_t k = 0; k < typed.size(); ++k) {
        if (typed[k]->LengthAllowed(length)) type_bits_of_length[length] |= uint64_t{2} << k;
      }
    }
  }

  // The general pattern matches the whole of `number` (Desc::PatternMatches, by the automaton
  // when there is one).
  bool GeneralMatches(std::string_view number) const {
    if (automaton) return (automaton->Matches(number) & 1) != 0;
    return general.PatternMatches(number);
  }

  // PhoneNumberUtil::TestNumberLength for the "unknown" type: the general lengths.
  LengthResult TestLength(std::string_view number) const {
    const auto& lengths = general.lengths;
    if (lengths.front() == -1) return LengthResult::kInvalidLength;
    const int actual = static_cast<int>(number.size());
    const auto& local = general.local_only_lengths;
    if (std::find(local.begin(), local.end(), actual) != local.end()) {
      return LengthResult::kLocalOnly;
    }
    if (lengths.front() == actual) return LengthResult::kPossible;
    if (lengths.front() > actual) return LengthResult::kTooShort;
    if (lengths.back() < actual) return LengthResult::kTooLong;
    return std::find(lengths.begin() + 1, lengths.end(), actual) != lengths.end()
               ? LengthResult::kPossible
               : LengthResult::kInvalidLength;
  }

  // PhoneNumberUtil::GetNumberTypeHelper(...) != UNKNOWN: the general description matches
  // (its lengths, then its pattern) and so does some type's (IsNumberMatchingDesc).
  bool HasValidType(std::string_view national) const {
    if (types.empty() || national.size() > kMaxLengthForNsn || !general.LengthAllowed(national)) {
      return false;
    }
    if (automaton) {
      const uint64_t hits = automaton->Matches(national);
      return (hits & 1) != 0 && (hits & type_bits_of_length[national.size()]) != 0;
    }
    // One pass of the length's set: the general pattern is index 0, and a type that hits has
    // both its pattern and one of its lengths.
    const LengthSet& fitting = TypesOfLength(national.size());
    if (fitting.set == nullptr) return false;
    thread_local std::vector<int> hits;
    if (!fitting.set->Match(national, &hits)) return false;
    return hits.size() >= 2 && std::find(hits.begin(), hits.end(), 0) != hits.end();
  }

  // PhoneNumberUtil::MaybeStripNationalPrefixAndCarrierCode for regions without a transform
  // rule: drop a leading national prefix unless that turns a viable number into a non-viable.
  // Without a transform rule the result is a suffix of `number`: a view, no copy.
  void StripNationalPrefix(std::string_view* number) const {
    if (number->empty() || national_prefix == nullptr) return;
    // Most regions' prefix is a literal ("0", "1", "8"): no regex needed to see it is absent.
    if (!literal_national_prefix.empty() && !number->starts_with(literal_national_prefix)) {
      return;
    }
    std::string_view stripped;
    if (!literal_national_prefix.empty()) {
      stripped = number->substr(literal_national_prefix.size());
    } else {
      re2::StringPiece rest(number->data(), number->size());
      if (!RE2::Consume(&rest, *national_prefix)) return;
      stripped = std::string_view(rest.data(), rest.size());
    }
    // Asked in this order, a stripped number that matches (the usual case) needs one regex pass.
    if (!GeneralMatches(stripped) && GeneralMatches(*number)) return;
    *number = stripped;
  }
};

class MetadataIndex {
 public:
  static const MetadataIndex& Get() {
    static const MetadataIndex index;
    return index;
  }

  bool loaded() const { return loaded_; }

  Region* FindRegion(std::string_view id) const {
    const int slot = RegionSlot(id);
    return slot < 0 ? nullptr : by_id_[static_cast<size_t>(slot)];
  }

  // Regions sharing a calling code, main region first; empty for unknown codes.
  const std::vector<Region*>* RegionsFor(int country_code) const {
    if (country_code <= 0 || country_code >= kCountryCodeLimit) return nullptr;
    const size_t slot = static_cast<size_t>(country_code);
    return known_codes_[slot] ? &by_code_[slot] : nullptr;
  }

  // PhoneNumberUtil::ExtractCountryCode: the shortest 1-3 digit prefix that is a calling code.
  int ExtractCountryCode(std::string_view digits, std::string_view* national) const {
    if (digits.empty() || digits[0] == '0') return 0;
    int code = 0;
    for (size_t length = 1; length <= kMaxCountryCodeLength && length <= digits.size(); ++length) {
      code = code * 10 + (digits[length - 1] - '0');
      if (known_codes_[static_cast<size_t>(code)]) {
        *national = digits.substr(length);
        return code;
      }
    }
    return 0;
  }

 private:
  MetadataIndex() {
    i18n::phonenumbers::PhoneMetadataCollection collection;
    if (!collection.ParseFromArray(i18n::phonenumbers::metadata_get(),
                                   i18n::phonenumbers::metadata_size())) {
      return;
    }
    std::map<int, Region*> non_geographic;
    // Regions sharing a calling code, in the order PhoneNumberUtil's constructor lists them
    // (GetRegionCodesForCountryCallingCode): metadata order, the one marked
    // main_country_for_code moved to the front. Built here rather than asked of
    // PhoneNumberUtil, whose construction compiles hundreds of ICU patterns (a fifth of a small
    // scan's start-up) that this validator never uses.
    std::array<std::list<std::string>, kCountryCodeLimit> ids_of_code;
    for (const PhoneMetadata& metadata : collection.metadata()) {
      if (metadata.id() != "ZZ" && metadata.country_code() > 0 &&
          metadata.country_code() < kCountryCodeLimit) {
        auto& ids = ids_of_code[static_cast<size_t>(metadata.country_code())];
        if (!ids.empty() && metadata.main_country_for_code()) {
          ids.push_front(metadata.id());
        } else {
          ids.push_back(metadata.id());
        }
      }
      auto region = std::make_unique<Region>();
      region->id = metadata.id();
      region->country_code = metadata.country_code();
      region->country_code_digits = std::to_string(region->country_code);
      region->general = DescFrom(metadata.general_desc());
      for (const PhoneNumberDesc* type :
           {&metadata.premium_rate(), &metadata.toll_free(), &metadata.shared_cost(),
            &metadata.voip(), &metadata.personal_number(), &metadata.pager(), &metadata.uan(),
            &metadata.voicemail(), &metadata.fixed_line(), &metadata.mobile()}) {
        if (!type->national_number_pattern().empty()) region->types.push_back(DescFrom(*type));
      }
      region->leading_digits_source = metadata.leading_digits();
      region->international_prefix_source = metadata.international_prefix();
      region->national_prefix_source = metadata.national_prefix_for_parsing();
      region->transform_rule = !metadata.national_prefix_transform_rule().empty();
      if (region->id == "001") {
        non_geographic[region->country_code] = region.get();
      } else if (const int slot = RegionSlot(region->id); slot >= 0) {
        by_id_[static_cast<size_t>(slot)] = region.get();
      }
      regions_.push_back(std::move(region));
    }
    // The order of regions sharing a code decides which one judges a number (see above).
    for (const auto& region : regions_) {
      const int code = region->country_code;
      if (code <= 0 || code >= kCountryCodeLimit) continue;
      if (known_codes_[static_cast<size_t>(code)]) continue;
      known_codes_[static_cast<size_t>(code)] = true;
      std::vector<Region*>& list = by_code_[static_cast<size_t>(code)];
      if (auto it = non_geographic.find(code); it != non_geographic.end()) {
        list = {it->second};
        continue;
      }
      for (const std::string& id : ids_of_code[static_cast<size_t>(code)]) {
        if (Region* found = FindRegion(id)) list.push_back(found);
      }
    }
    loaded_ = true;
  }

  // Calling codes have at most three digits; region ids are two letters. Both index arrays
  // directly: the validator asks for them for every phone candidate.
  static constexpr int kCountryCodeLimit = 1000;

  static int RegionSlot(std::string_view id) {
    if (id.size() != 2) return -1;
    int slot = 0;
    for (char c : id) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (c < 'A' || c > 'Z') return -1;
      slot = slot * 26 + (c - 'A');
    }
    return slot;
  }

  bool loaded_ = false;
  std::vector<std::unique_ptr<Region>> regions_;
  std::array<Region*, 26 * 26> by_id_{};
  std::array<std::vector<Region*>, kCountryCodeLimit> by_code_;
  std::array<bool, kCountryCodeLimit> known_codes_{};
};

bool Usable(Region* region) {
  region->Compile();
  return region->usable;
}

// Regions whose national prefix rule rewrites digits (Argentina, Brazil, NANPA islands
// written with 7 digits...) are left to libphonenumber when a prefix must be stripped.
bool CanStrip(Region* region) { return Usable(region) && !region->transform_rule; }

}  // namespace

PhoneVerdict JudgePhoneDigits(std::string_view digits, bool international,
                              std::string_view default_region) {
  const MetadataIndex& index = MetadataIndex::Get();
  if (!index.loaded() || digits.empty() || digits.size() > 250) return PhoneVerdict::kUndecided;
  Region* home = index.FindRegion(default_region);
  if (home != nullptr && !Usable(home)) return PhoneVerdict::kUndecided;

  // PhoneNumberUtil::MaybeExtractCountryCode.
  // Every form below is a suffix of `digits` (prefixes are only ever removed): views, no copies.
  int country_code = 0;
  std::string_view national;
  if (international) {
    // "+0..." and "+<no such code>" are retried by Parse() without the "+": not repeated here.
    std::string_view rest;
    if (digits.size() <= kMinLengthForNsn) return PhoneVerdict::kInvalid;
    country_code = index.ExtractCountryCode(digits, &rest);
    if (country_code == 0) return PhoneVerdict::kUndecided;
    national = rest;
  } else {
    if (home == nullptr) return PhoneVerdict::kInvalid;  // no region and no "+": not a number
    re2::StringPiece after_idd(digits.data(), digits.size());
    bool idd = false;
    if (const std::string& literal = home->literal_international_prefix; !literal.empty()) {
      idd = digits.starts_with(literal);
      if (idd) after_idd.remove_prefix(literal.size());
    } else if (home->international_prefix != nullptr) {
      idd = RE2::Consume(&after_idd, *home->international_prefix);
    }
    if (idd) {
      // ParsePrefixAsIdd: calling codes never start with 0, so "0" after the prefix is not one.
      const auto first_digit = std::find_if(after_idd.begin(), after_idd.end(),
                                            [](char c) { return c >= '0' && c <= '9'; });
      if (first_digit != after_idd.end() && *first_digit == '0') idd = false;
    }
    if (idd) {
      if (after_idd.size() <= kMinLengthForNsn) return PhoneVerdict::kInvalid;
      std::string_view rest;
      country_code =
          index.ExtractCountryCode(std::string_view(after_idd.data(), after_idd.size()), &rest);
      if (country_code == 0) return PhoneVerdict::kInvalid;
      national = rest;
    } else {
      const std::string& home_code = home->country_code_digits;
      if (digits.substr(0, home_code.size()) == home_code) {
        if (!CanStrip(home)) return PhoneVerdict::kUndecided;
        std::string_view potential = digits.substr(home_code.size());
        home->StripNationalPrefix(&potential);
        // The length first: it needs no regex.
        if (home->TestLength(digits) == LengthResult::kTooLong ||
            (!home->GeneralMatches(digits) && home->GeneralMatches(potential))) {
          country_code = home->country_code;
          national = potential;
        }
      }
    }
  }

  // PhoneNumberUtil::ParseHelper: the metadata that strips the national prefix.
  Region* numbering = home;
  if (country_code == 0) {
    country_code = home->country_code;
    national = digits;
  } else {
    const std::vector<Region*>* regions = index.RegionsFor(country_code);
    if (regions == nullptr || regions->empty()) return PhoneVerdict::kUndecided;
    if (home == nullptr || regions->front() != home) numbering = regions->front();
  }
  if (national.size() < kMinLengthForNsn) return PhoneVerdict::kInvalid;
  if (!CanStrip(numbering)) return PhoneVerdict::kUndecided;
  std::string_view potential = national;
  numbering->StripNationalPrefix(&potential);
  const LengthResult length = numbering->TestLength(potential);
  if (length != LengthResult::kTooShort && length != LengthResult::kLocalOnly &&
      length != LengthResult::kInvalidLength) {
    national = potential;
  }
  if (national.size() < kMinLengthForNsn || national.size() > kMaxLengthForNsn) {
    return PhoneVerdict::kInvalid;
  }
  // With leading zeros kept as written ("italian leading zero"), the national significant
  // number is exactly `national`.

  // PhoneNumberUtil::IsValidNumber: choose the region (GetRegionCodeForNumberFromRegionList),
  // then ask it for a number type.
  const std::vector<Region*>* regions = index.RegionsFor(country_code);
  if (regions == nullptr || regions->empty()) return PhoneVerdict::kUndecided;
  Region* judge = nullptr;
  if (regions->size() == 1) {
    judge = regions->front();
    if (!Usable(judge)) return PhoneVerdict::kUndecided;
  } else {
    for (Region* region : *regions) {
      if (!Usable(region)) return PhoneVerdict::kUndecided;
      if (region->leading_digits != nullptr) {
        re2::StringPiece rest(national.data(), national.size());
        if (RE2::Consume(&rest, *region->leading_digits)) {
          judge = region;
          break;
        }
      } else if (region->HasValidType(national)) {
        return PhoneVerdict::kValid;  // chosen because it has a type: no need to ask twice
      }
    }
  }
  if (judge == nullptr) return PhoneVerdict::kInvalid;
  return judge->HasValidType(national) ? PhoneVerdict::kValid : PhoneVerdict::kInvalid;
}

}  // namespace crmaudit::validators

namespace crmaudit::validators {

bool IsPhoneRegion(std::string_view region) {
  return region.size() == 2 && MetadataIndex::Get().FindRegion(region) != nullptr;
}

std::string_view MainRegionOfCallingCode(int code) {
  const std::vector<Region*>* regions = MetadataIndex::Get().RegionsFor(code);
  if (regions == nullptr || regions->empty()) return {};
  return regions->front()->id;
}

}  // namespace crmaudit::validators
