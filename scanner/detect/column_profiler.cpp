// ColumnProfiler implementation. Per column it keeps counters and, per detector that ever
// matched there, a tally with at most three masked samples: memory grows with columns x
// detectors, never with rows. Classification rules are in docs/confidence.md.
#include "scanner/detect/column_profiler.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "scanner/detect/header_row.h"
#include "scanner/detect/masking.h"
#include "scanner/detect/record_regions.h"
#include "scanner/detect/utf8_text.h"
#include "scanner/detect/value_names.h"

namespace crmaudit {
namespace {

constexpr size_t kMaxSamples = 3;
constexpr uint64_t kMaxSampleAttempts = 256;

// A value counts as prose when it reads like a sentence: several words and some length, or
// (for Chinese, written without spaces) a run of ideographs.
constexpr size_t kProseMinWords = 4;
constexpr size_t kProseMinBytes = 30;
constexpr size_t kProseMinIdeographs = 10;

// Structured columns where fewer than half of the values match lose up to this many points.
constexpr int kSparseColumnPenalty = 20;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsProse(std::string_view value) {
  // Both rules need at least 30 bytes (ten ideographs are 30 bytes of UTF-8): most cells are
  // shorter and need no look at their bytes.
  static_assert(kProseMinIdeographs * 3 >= kProseMinBytes);
  if (value.size() < kProseMinBytes) return false;
  size_t words = 0;
  size_t ideographs = 0;
  bool in_word = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const auto byte = static_cast<unsigned char>(value[i]);
    if (IsSpace(value[i])) {
      in_word = false;
      continue;
    }
    if (!in_word && ++words >= kProseMinWords) return true;  // and at least 30 bytes long
    in_word = true;
    // Lead bytes E3..E9 start U+3000..U+9FFF: CJK punctuation, kana and unified ideographs.
    if (byte >= 0xE3 && byte <= 0xE9 && ++ideographs >= kProseMinIdeographs) return true;
  }
  return false;
}

struct EntityTally {
  uint64_t matched = 0;
  uint64_t first_row = 0;
  uint64_t confidence_sum = 0;
  uint64_t sample_attempts = 0;
  std::vector<std::string> samples;
};

struct Column {
  std::string name;
  ColumnContext context;
  ColumnScanState scan_state;  // what matching has learnt about the column (Field() only)
  uint64_t non_empty = 0;
  uint64_t prose = 0;
  std::vector<EntityTally> tallies;     // per detector; allocated on the column's first match
  std::vector<uint64_t> entity_values;  // per entity type index: values with >=1 such match
};

}  // namespace

// A cell of the current record kept until its end, when the record's country is known.
struct HeldCell {
  size_t column = 0;
  size_t offset = 0;  // in State::held_bytes
  size_t length = 0;
};

struct ColumnProfiler::State {
  explicit State(std::shared_ptr<const CompiledPolicy> compiled)
      : policy(std::move(compiled)), regions(policy->region_rules()) {}

  std::shared_ptr<const CompiledPolicy> policy;
  std::string dataset_name;  // for dataset hints (CompiledPolicy::ColumnHints)
  RecordRegions regions;     // Field() only: the region of each record's phone numbers
  std::string held_bytes;    // Field() only: the current record's cells, while it has a country
  std::vector<HeldCell> held;
  std::vector<Column> columns;
  std::unordered_map<std::string, size_t> index_by_name;
  uint64_t records = 0;
  std::vector<ValueMatch> matches;   // reused for every value
  std::vector<int> best_confidence;  // per detector, -1 between values
  std::vector<size_t> first_match;   // per detector: index of its first match in `matches`
  std::vector<int> touched;          // detectors seen in the current value
  std::vector<size_t> entity_of;     // per detector: index of its entity type
  std::vector<std::string> entity_names;
  std::vector<char> entity_seen;  // per entity type, within the current value
};

ColumnProfiler::ColumnProfiler(std::shared_ptr<const CompiledPolicy> policy,
                               std::string dataset_name)
    : state_(std::make_unique<State>(std::move(policy))) {
  state_->dataset_name = std::move(dataset_name);
  std::map<std::string, size_t> index;
  for (const DetectorSpec* detector : state_->policy->detectors()) {
    auto [it, inserted] = index.emplace(detector->entity, state_->entity_names.size());
    if (inserted) state_->entity_names.push_back(detector->entity);
    state_->entity_of.push_back(it->second);
  }
  state_->entity_seen.assign(state_->entity_names.size(), 0);
}

ColumnProfiler::~ColumnProfiler() = default;

size_t ColumnProfiler::DeclareColumn(std::string_view name) {
  auto [it, inserted] = state_->index_by_name.emplace(std::string(name), state_->columns.size());
  if (inserted) {
    Column column;
    column.name = MaskValuesInName(*state_->policy, name);
    column.context = state_->policy->ColumnHints(name, state_->dataset_name);
    state_->columns.push_back(std::move(column));
    state_->regions.DeclareColumn(it->second, state_->columns.back().context);
  }
  return it->second;
}

const ColumnContext& ColumnProfiler::column_context(size_t column) const {
  return state_->columns.at(column).context;
}

bool ColumnProfiler::IsHeaderRow(std::span<const std::string_view> first,
                                 std::span<const std::vector<std::string_view>> following) {
  return FirstRecordIsHeader(*state_->policy, first, following);
}

void ColumnProfiler::Field(size_t column_index, std::string_view value) {
  if (column_index >= state_->columns.size()) return;
  state_->regions.Field(column_index, value);
  if (IsBlank(value)) return;
  if (state_->regions.CountryKnownAtEnd()) {
    // The country cell may come after this one: the record is matched at its end. Bounded by
    // the size of one record, which readers bound.
    state_->held.push_back(HeldCell{column_index, state_->held_bytes.size(), value.size()});
    state_->held_bytes.append(value);
    return;
  }
  Match(column_index, value);
}

void ColumnProfiler::Match(size_t column_index, std::string_view value) {
  std::vector<ValueMatch>& matches = state_->matches;
  matches.clear();
  Column& column = state_->columns[column_index];
  state_->policy->Scan(value, column.context, &column.scan_state, &matches,
                       state_->regions.For(column.context));
  FieldMatched(column_index, value, matches.data(), matches.size());
}

void ColumnProfiler::FieldMatched(size_t column_index, std::string_view value,
                                  const ValueMatch* matches, size_t match_count) {
  FieldMatchedInRecord(column_index, state_->records, value, matches, match_count);
}

void ColumnProfiler::UnmatchedCounts::Add(std::string_view value) {
  if (IsBlank(value)) return;
  ++non_empty;
  if (IsProse(value)) ++prose;
}

void ColumnProfiler::AddUnmatched(size_t column_index, const UnmatchedCounts& counts) {
  if (column_index >= state_->columns.size()) return;
  Column& column = state_->columns[column_index];
  column.non_empty += counts.non_empty;
  column.prose += counts.prose;
}

void ColumnProfiler::AddRecords(uint64_t count) { state_->records += count; }

void ColumnProfiler::FieldMatchedInRecord(size_t column_index, uint64_t record,
                                          std::string_view value, const ValueMatch* matches,
                                          size_t match_count) {
  if (column_index >= state_->columns.size() || IsBlank(value)) return;
  Column& column = state_->columns[column_index];
  ++column.non_empty;
  if (IsProse(value)) ++column.prose;
  if (match_count == 0) return;

  const auto& detectors = state_->policy->detectors();
  if (column.tallies.empty()) {
    column.tallies.resize(detectors.size());
    column.entity_values.assign(state_->entity_names.size(), 0);
  }
  // A value counts once per detector, with its best candidate's confidence; the first
  // candidate of each detector is the one sampled.
  std::vector<int>& best = state_->best_confidence;
  std::vector<size_t>& first = state_->first_match;
  if (best.size() != detectors.size()) {
    best.assign(detectors.size(), -1);
    first.assign(detectors.size(), 0);
  }
  std::vector<int>& touched = state_->touched;
  touched.clear();
  for (size_t i = 0; i < match_count; ++i) {
    const auto d = static_cast<size_t>(matches[i].detector);
    if (best[d] < 0) {
      touched.push_back(matches[i].detector);
      first[d] = i;
    }
    best[d] = std::max(best[d], matches[i].confidence);
  }
  for (int detector : touched) {
    const size_t entity = state_->entity_of[static_cast<size_t>(detector)];
    if (!state_->entity_seen[entity]) {
      state_->entity_seen[entity] = 1;
      ++column.entity_values[entity];
    }
  }
  for (int detector : touched) {
    state_->entity_seen[state_->entity_of[static_cast<size_t>(detector)]] = 0;
  }
  for (int detector : touched) {
    const auto d = static_cast<size_t>(detector);
    EntityTally& tally = column.tallies[d];
    ++tally.matched;
    tally.confidence_sum += static_cast<uint64_t>(best[d]);
    best[d] = -1;
    if (tally.first_row == 0) tally.first_row = record + 1;
    // A column of look-alike values (one mask for all) would otherwise mask every value.
    if (tally.samples.size() < kMaxSamples && tally.sample_attempts < kMaxSampleAttempts) {
      ++tally.sample_attempts;
      const ValueMatch& match = matches[first[d]];
      // Only the candidate span is masked: the rest of a free-text cell never leaves.
      std::string sample =
          MaskValue(detectors[d]->entity, value.substr(match.begin, match.end - match.begin));
      if (std::find(tally.samples.begin(), tally.samples.end(), sample) == tally.samples.end()) {
        tally.samples.push_back(std::move(sample));
      }
    }
  }
}

void ColumnProfiler::MatchHeldCells() {
  if (state_->held.empty()) return;
  for (const HeldCell& cell : state_->held) {
    Match(cell.column, std::string_view(state_->held_bytes).substr(cell.offset, cell.length));
  }
  state_->held.clear();
  state_->held_bytes.clear();
}

void ColumnProfiler::EndRecord() {
  MatchHeldCells();
  state_->regions.EndRecord();
  ++state_->records;
}

uint64_t ColumnProfiler::records() const { return state_->records; }

std::vector<ColumnProfile> ColumnProfiler::Finish() {
  // Cells after the last EndRecord (a reader cut short) count, in what their record had.
  MatchHeldCells();
  const CompiledPolicy& policy = *state_->policy;
  std::map<std::string, const PolicyPack*> pack_by_name;
  for (const PolicyPack& pack : policy.packs()) pack_by_name.emplace(pack.name, &pack);
  const PolicyPack defaults;

  std::vector<ColumnProfile> profiles;
  for (const Column& column : state_->columns) {
    if (column.non_empty == 0 || column.tallies.empty()) continue;
    ColumnProfile profile;
    profile.column = column.name;
    profile.non_empty = column.non_empty;
    profile.free_text = column.context.free_text || column.prose * 2 > column.non_empty;
    std::vector<char> unclassified_match(state_->entity_names.size(), 0);
    std::vector<char> classified_entity(state_->entity_names.size(), 0);

    for (size_t d = 0; d < column.tallies.size(); ++d) {
      const EntityTally& tally = column.tallies[d];
      if (tally.matched == 0) continue;
      const int hint = d < column.context.hint.size() ? column.context.hint[d] : 0;
      if (hint < 0) {  // negative hints veto (Scan already skips; kept for safety)
        unclassified_match[state_->entity_of[d]] = 1;
        continue;
      }

      const DetectorSpec& spec = *policy.detectors()[d];
      auto pack = pack_by_name.find(spec.pack);
      const PolicyPack& thresholds = pack == pack_by_name.end() ? defaults : *pack->second;
      const uint64_t permille = tally.matched * 1000 / column.non_empty;
      bool classified = false;
      if (profile.free_text) {
        classified = true;  // prose: every confirmed entity counts, however rare
      } else {
        const int threshold = hint > 0 ? thresholds.hinted_column_min_ratio_permille
                                       : thresholds.column_min_ratio_permille;
        classified = tally.matched * 1000 >= static_cast<uint64_t>(threshold) * column.non_empty;
      }
      if (!classified) {
        unclassified_match[state_->entity_of[d]] = 1;
        continue;
      }
      classified_entity[state_->entity_of[d]] = 1;

      ColumnEntityProfile entity;
      entity.detector = static_cast<int>(d);
      entity.matched = tally.matched;
      entity.first_row = tally.first_row;
      entity.masked_samples = tally.samples;
      int confidence = static_cast<int>((tally.confidence_sum + tally.matched / 2) / tally.matched);
      if (!profile.free_text && permille < 500) {
        confidence -= static_cast<int>((500 - permille) * kSparseColumnPenalty / 500);
      }
      entity.confidence = std::clamp(confidence, 0, 100);
      profile.entities.push_back(std::move(entity));
    }
    for (size_t e = 0; e < state_->entity_names.size(); ++e) {
      if (classified_entity[e] && !unclassified_match[e]) {
        profile.values_by_entity[state_->entity_names[e]] = column.entity_values[e];
      }
    }
    if (!profile.entities.empty()) profiles.push_back(std::move(profile));
  }
  return profiles;
}

}  // namespace crmaudit
