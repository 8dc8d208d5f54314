// ColumnProfiler implementation. Per column it keeps a ColumnTally (counters and, per detector
// that ever matched there, at most three masked samples): memory grows with columns x detectors,
// never with rows. Classification rules are in docs/confidence.md.
#include "scanner/detect/column_profiler.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "scanner/detect/header_row.h"
#include "scanner/detect/record_regions.h"
#include "scanner/detect/value_names.h"

namespace crmaudit {
namespace {

// Structured columns where fewer than half of the values match lose up to this many points.
constexpr int kSparseColumnPenalty = 20;

struct Column {
  std::string name;
  ColumnContext context;
  ColumnScanState scan_state;  // what matching has learnt about the column (Field() only)
  ColumnTally tally;
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
      : policy(std::move(compiled)), layout(*policy), regions(policy->region_rules()) {}

  std::shared_ptr<const CompiledPolicy> policy;
  ColumnTally::Layout layout;
  std::string dataset_name;  // for dataset hints (CompiledPolicy::ColumnHints)
  RecordRegions regions;     // Field() only: the region of each record's phone numbers
  std::string held_bytes;    // Field() only: the current record's cells, while it has a country
  std::vector<HeldCell> held;
  std::vector<Column> columns;
  std::unordered_map<std::string, size_t> index_by_name;
  uint64_t records = 0;
  std::vector<ValueMatch> matches;  // reused for every value
};

ColumnProfiler::ColumnProfiler(std::shared_ptr<const CompiledPolicy> policy,
                               std::string dataset_name)
    : state_(std::make_unique<State>(std::move(policy))) {
  state_->dataset_name = std::move(dataset_name);
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
  if (column_index >= state_->columns.size() || IsBlank(value)) return;
  state_->columns[column_index].tally.AddMatched(state_->layout, state_->records, value, matches,
                                                 match_count);
}

const ColumnTally::Layout& ColumnProfiler::tally_layout() const { return state_->layout; }

void ColumnProfiler::AddRun(size_t column_index, uint64_t first_record, const ColumnTally& run) {
  if (column_index >= state_->columns.size()) return;
  state_->columns[column_index].tally.Merge(first_record, run);
}

bool ColumnProfiler::SamplingClosed(size_t column_index, int detector) const {
  return column_index < state_->columns.size() &&
         state_->columns[column_index].tally.SamplingClosed(detector);
}

void ColumnProfiler::AddRecords(uint64_t count) { state_->records += count; }

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
    const ColumnTally& tally = column.tally;
    const std::vector<std::string>& entity_names = state_->layout.entity_names;
    const std::vector<size_t>& entity_of = state_->layout.entity_of;
    if (tally.non_empty() == 0 || tally.detectors().empty()) continue;
    ColumnProfile profile;
    profile.column = column.name;
    profile.non_empty = tally.non_empty();
    profile.free_text = column.context.free_text || tally.prose() * 2 > tally.non_empty();
    std::vector<char> unclassified_match(entity_names.size(), 0);
    std::vector<char> classified_entity(entity_names.size(), 0);

    for (size_t d = 0; d < tally.detectors().size(); ++d) {
      const ColumnTally::Detector& found = tally.detectors()[d];
      if (found.matched == 0) continue;
      const int hint = d < column.context.hint.size() ? column.context.hint[d] : 0;
      if (hint < 0) {  // negative hints veto (Scan already skips; kept for safety)
        unclassified_match[entity_of[d]] = 1;
        continue;
      }

      const DetectorSpec& spec = *policy.detectors()[d];
      auto pack = pack_by_name.find(spec.pack);
      const PolicyPack& thresholds = pack == pack_by_name.end() ? defaults : *pack->second;
      const uint64_t permille = found.matched * 1000 / tally.non_empty();
      bool classified = false;
      if (profile.free_text) {
        classified = true;  // prose: every confirmed entity counts, however rare
      } else {
        const int threshold = hint > 0 ? thresholds.hinted_column_min_ratio_permille
                                       : thresholds.column_min_ratio_permille;
        classified = found.matched * 1000 >= static_cast<uint64_t>(threshold) * tally.non_empty();
      }
      if (!classified) {
        unclassified_match[entity_of[d]] = 1;
        continue;
      }
      classified_entity[entity_of[d]] = 1;

      ColumnEntityProfile entity;
      entity.detector = static_cast<int>(d);
      entity.matched = found.matched;
      entity.first_row = found.first_record + 1;
      entity.masked_samples = found.samples;
      int confidence = static_cast<int>((found.confidence_sum + found.matched / 2) / found.matched);
      if (!profile.free_text && permille < 500) {
        confidence -= static_cast<int>((500 - permille) * kSparseColumnPenalty / 500);
      }
      entity.confidence = std::clamp(confidence, 0, 100);
      profile.entities.push_back(std::move(entity));
    }
    for (size_t e = 0; e < entity_names.size(); ++e) {
      if (classified_entity[e] && !unclassified_match[e]) {
        profile.values_by_entity[entity_names[e]] = tally.entity_values()[e];
      }
    }
    if (!profile.entities.empty()) profiles.push_back(std::move(profile));
  }
  return profiles;
}

}  // namespace crmaudit
