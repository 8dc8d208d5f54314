#include "scanner/detect/column_tally.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "scanner/detect/masking.h"
#include "scanner/model/byte_words.h"

namespace crmaudit {
namespace {

constexpr size_t kMaxSamples = 3;
constexpr uint64_t kMaxSampleAttempts = 256;

// A value counts as prose when it reads like a sentence: several words and some length, or
// (for Chinese, written without spaces) a run of ideographs.
constexpr size_t kProseMinWords = 4;
constexpr size_t kProseMinBytes = 30;
constexpr size_t kProseMinIdeographs = 10;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Necessary for IsProse, eight bytes at a time: four words are kept apart by at least three
// whitespace bytes, and ten ideographs have ten lead bytes of 0xE0 or more. Most long cells (UUIDs,
// emails, URLs, tokens) have neither and are not read byte by byte.
bool MayBeProse(std::string_view value) {
  using namespace byte_words;
  size_t spaces = 0;
  size_t leads = 0;
  size_t i = 0;
  for (; i + 8 <= value.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, value.data() + i, 8);
    spaces += Count(BytesEqual(word, ' ') | BytesEqual(word, '\t') | BytesEqual(word, '\n') |
                    BytesEqual(word, '\r'));
    leads += Count(BytesFromE0(word));
  }
  for (; i < value.size(); ++i) {
    spaces += IsSpace(value[i]) ? 1 : 0;
    leads += static_cast<unsigned char>(value[i]) >= 0xE0 ? 1 : 0;
  }
  return spaces + 1 >= kProseMinWords || leads >= kProseMinIdeographs;
}

bool IsProse(std::string_view value) {
  // Both rules need at least 30 bytes (ten ideographs are 30 bytes of UTF-8): most cells are
  // shorter and need no look at their bytes.
  static_assert(kProseMinIdeographs * 3 >= kProseMinBytes);
  if (value.size() < kProseMinBytes || !MayBeProse(value)) return false;
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

}  // namespace

ColumnTally::Layout::Layout(const CompiledPolicy& policy) {
  std::map<std::string, size_t> index;
  for (const DetectorSpec* detector : policy.detectors()) {
    auto [it, inserted] = index.emplace(detector->entity, entity_names.size());
    if (inserted) entity_names.push_back(detector->entity);
    entity_of.push_back(it->second);
  }
}

void ColumnTally::Size(const Layout& layout) {
  const size_t detectors = layout.entity_of.size();
  detectors_.resize(detectors);
  entity_values_.resize(layout.entity_names.size(), 0);
  best_.assign(detectors, -1);
  first_match_.assign(detectors, 0);
  entity_seen_.assign(layout.entity_names.size(), 0);
}

void ColumnTally::AddUnmatched(std::string_view value) {
  ++non_empty_;
  if (IsProse(value)) ++prose_;
}

void ColumnTally::AddMatched(const Layout& layout, uint64_t record, std::string_view value,
                             const ValueMatch* matches, size_t match_count,
                             const std::atomic<bool>* sampling_closed) {
  AddUnmatched(value);
  if (match_count == 0) return;
  if (best_.size() != layout.entity_of.size()) Size(layout);

  // A value counts once per detector, with its best candidate's confidence; the first
  // candidate of each detector is the one sampled.
  touched_.clear();
  for (size_t i = 0; i < match_count; ++i) {
    const auto d = static_cast<size_t>(matches[i].detector);
    if (best_[d] < 0) {
      touched_.push_back(matches[i].detector);
      first_match_[d] = i;
    }
    best_[d] = std::max(best_[d], matches[i].confidence);
  }
  for (int detector : touched_) {
    const size_t entity = layout.entity_of[static_cast<size_t>(detector)];
    if (!entity_seen_[entity]) {
      entity_seen_[entity] = 1;
      if (entity_values_[entity]++ == 0) matched_entities_.push_back(entity);
    }
  }
  for (int detector : touched_) entity_seen_[layout.entity_of[static_cast<size_t>(detector)]] = 0;

  for (int detector : touched_) {
    const auto d = static_cast<size_t>(detector);
    Detector& tally = detectors_[d];
    if (tally.matched == 0) {
      tally.first_record = record;
      matched_detectors_.push_back(detector);
    }
    ++tally.matched;
    tally.confidence_sum += static_cast<uint64_t>(best_[d]);
    best_[d] = -1;
    if (SamplingClosed(detector)) continue;
    if (sampling_closed != nullptr && sampling_closed[d].load(std::memory_order_relaxed)) continue;
    const uint64_t attempt = tally.sample_attempts++;
    const ValueMatch& match = matches[first_match_[d]];
    // Only the candidate span is masked: the rest of a free-text cell never leaves.
    std::string sample = MaskValue(layout.entity_names[layout.entity_of[d]],
                                   value.substr(match.begin, match.end - match.begin));
    if (std::find(tally.samples.begin(), tally.samples.end(), sample) == tally.samples.end()) {
      tally.samples.push_back(std::move(sample));
      tally.sample_attempt_at.push_back(attempt);
    }
  }
}

bool ColumnTally::SamplingClosed(int detector) const {
  const auto d = static_cast<size_t>(detector);
  if (d >= detectors_.size()) return false;
  return detectors_[d].samples.size() >= kMaxSamples ||
         detectors_[d].sample_attempts >= kMaxSampleAttempts;
}

void ColumnTally::Merge(uint64_t first_record, const ColumnTally& run) {
  non_empty_ += run.non_empty_;
  prose_ += run.prose_;
  if (run.matched_detectors_.empty()) return;
  if (detectors_.size() < run.detectors_.size()) detectors_.resize(run.detectors_.size());
  if (entity_values_.size() < run.entity_values_.size()) {
    entity_values_.resize(run.entity_values_.size(), 0);
  }
  for (size_t entity : run.matched_entities_) {
    if (entity_values_[entity] == 0) matched_entities_.push_back(entity);
    entity_values_[entity] += run.entity_values_[entity];
  }

  for (int detector : run.matched_detectors_) {
    const auto d = static_cast<size_t>(detector);
    const Detector& from = run.detectors_[d];
    Detector& to = detectors_[d];
    if (to.matched == 0) {
      to.first_record = first_record + from.first_record;
      matched_detectors_.push_back(detector);
    }
    to.matched += from.matched;
    to.confidence_sum += from.confidence_sum;
    // A run that matched and kept no sample was told this tally takes no more (sampling_closed).
    if (from.samples.empty() || SamplingClosed(detector)) continue;
    // The run attempted each of its values while it kept fewer than three samples; here its
    // values are attempts from `before` on, until three are kept or 256 were made. Its first
    // three distinct samples are enough: at most the ones kept here already are among them.
    const uint64_t before = to.sample_attempts;
    uint64_t attempts = std::min(from.matched, kMaxSampleAttempts - before);
    for (size_t i = 0; i < from.samples.size(); ++i) {
      const uint64_t at = from.sample_attempt_at[i];
      if (at >= attempts) break;
      if (std::find(to.samples.begin(), to.samples.end(), from.samples[i]) != to.samples.end()) {
        continue;
      }
      to.samples.push_back(from.samples[i]);
      to.sample_attempt_at.push_back(before + at);
      if (to.samples.size() >= kMaxSamples) {
        attempts = at + 1;
        break;
      }
    }
    to.sample_attempts = before + attempts;
  }
}

void ColumnTally::Clear() {
  non_empty_ = 0;
  prose_ = 0;
  for (int detector : matched_detectors_) {
    Detector& tally = detectors_[static_cast<size_t>(detector)];
    tally.matched = 0;
    tally.confidence_sum = 0;
    tally.first_record = 0;
    tally.sample_attempts = 0;
    tally.samples.clear();
    tally.sample_attempt_at.clear();
  }
  matched_detectors_.clear();
  for (size_t entity : matched_entities_) entity_values_[entity] = 0;
  matched_entities_.clear();
}

}  // namespace crmaudit
