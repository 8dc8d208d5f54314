// CompiledPolicy implementation: one RE2::Set as the pre-filter over every cell, then per-hit
// detector span search, validation and confidence scoring (docs/confidence.md).
//
// The hot path is Scan() on every cell. Most cells hit nothing, so the first question asked of
// a value is the cheapest one RE2 offers: a Set match with no result vector, which stops at the
// first match and allocates nothing. Only values that hit run the per-detector searches, and
// those reuse thread-local buffers.
#include "scanner/detect/compiled_policy.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>

#include "scanner/detect/utf8_text.h"
#include "scanner/detect/validators.h"

namespace crmaudit {
namespace {

// The DFA of a set of a few hundred patterns over long free text needs room; running out is an
// error (see Scan), so the budget is generous rather than tight.
constexpr int64_t kSetMaxMemory = int64_t{256} << 20;
constexpr int64_t kPatternMaxMemory = int64_t{16} << 20;

// Characters before a candidate in which context words count (docs/confidence.md).
constexpr size_t kContextWindowChars = 40;

// Confidence model, documented in docs/confidence.md.
constexpr int kValidatedBase = 90;
constexpr int kValidatedHintBonus = 5;
constexpr int kValidatedContextBonus = 5;
constexpr int kPatternOnlyBase = 50;
constexpr int kPatternOnlyHintBonus = 25;
constexpr int kPatternOnlyContextBonus = 15;
constexpr int kPatternOnlyCeiling = 85;  // a pattern alone never reaches "validated" certainty

// Column names that hold prose, whatever entity a value inside them may carry.
constexpr std::string_view kFreeTextWords[] = {
    "note", "notes",   "remark", "remarks", "comment", "comments", "description",
    "memo", "message", "body",   "summary", "details", "feedback", "narrative"};
constexpr std::string_view kFreeTextChinese[] = {"备注", "说明", "描述", "留言", "评论", "附言"};

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool HasNonAscii(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

std::string Lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = utf8::AsciiLower(c);
  return out;
}

// Splits a column name into lower-case ASCII word parts: on any non-alphanumeric character,
// between camelCase words ("workEmail", "IBANCode") and between letters and digits ("phone2").
// Non-ASCII text separates parts; it is matched as a substring instead (Chinese has no spaces).
std::vector<std::string> WordParts(std::string_view name) {
  std::vector<std::string> parts;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) parts.push_back(std::move(current));
    current.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!IsAsciiAlnum(c)) {
      flush();
      continue;
    }
    if (!current.empty()) {
      const char previous = name[i - 1];
      const bool next_lower = i + 1 < name.size() && IsLower(name[i + 1]);
      const bool camel =
          (IsLower(previous) && IsUpper(c)) || (IsUpper(previous) && IsUpper(c) && next_lower);
      const bool digit_change = IsDigit(previous) != IsDigit(c);
      if (camel || digit_change) flush();
    }
    current.push_back(utf8::AsciiLower(c));
  }
  flush();
  return parts;
}

// A hint prepared for matching against column names.
struct ColumnHint {
  bool substring = false;  // non-ASCII hint: substring of the lower-cased name
  std::string text;        // substring form, or the hint's word parts concatenated
};

ColumnHint PrepareHint(std::string_view hint) {
  ColumnHint prepared;
  if (HasNonAscii(hint)) {
    prepared.substring = true;
    prepared.text = Lowered(hint);
    return prepared;
  }
  for (const auto& part : WordParts(hint)) prepared.text += part;
  return prepared;
}

// True when a run of consecutive word parts spells the hint ("e_mail" and "EMail" both spell
// "email"), also in the plural ("emails", "addresses").
bool HintMatches(const ColumnHint& hint, const std::vector<std::string>& parts,
                 const std::string& lowered_name) {
  if (hint.text.empty()) return false;
  if (hint.substring) return lowered_name.find(hint.text) != std::string::npos;
  for (size_t first = 0; first < parts.size(); ++first) {
    std::string run;
    for (size_t last = first; last < parts.size() && run.size() < hint.text.size() + 2; ++last) {
      run += parts[last];
      if (run == hint.text || run == hint.text + "s" || run == hint.text + "es") return true;
    }
  }
  return false;
}

struct Pattern {
  std::unique_ptr<RE2> regex;
  int value_group = 0;  // 0 = whole match; otherwise the (?P<value>...) group
  int detector = 0;
};

struct Detector {
  ValidatorFn validator = nullptr;
  std::vector<ColumnHint> hints;
  std::vector<ColumnHint> negative_hints;
  std::vector<std::string> context_words;  // lower-cased
};

struct ScanBuffers {
  std::vector<int> set_hits;
  std::vector<re2::StringPiece> groups;
  std::vector<std::pair<size_t, size_t>> accepted;  // spans of the current detector
  std::vector<std::pair<size_t, size_t>> rejected;  // spans its validator already refused
  std::string window;                               // lower-cased context window
};

ScanBuffers& Buffers() {
  thread_local ScanBuffers buffers;
  return buffers;
}

[[noreturn]] void ThrowMatcherFailure(RE2::Set::ErrorKind kind) {
  // The value is deliberately not part of the message: it may be personal data.
  switch (kind) {
    case RE2::Set::kOutOfMemory:
      throw std::runtime_error(
          "detector pattern set ran out of DFA memory while matching a value; the value "
          "could not be classified");
    case RE2::Set::kInconsistent:
      throw std::runtime_error("detector pattern set returned an inconsistent result (RE2 bug)");
    case RE2::Set::kNotCompiled:
      throw std::runtime_error("detector pattern set used before it was compiled");
    default:
      throw std::runtime_error("detector pattern set failed while matching a value");
  }
}

class PolicyImpl final : public CompiledPolicy {
 public:
  PolicyImpl(std::vector<PolicyPack> packs, const CompileOptions& options)
      : packs_(std::move(packs)), default_region_(options.default_region) {
    Build();
  }

  const std::vector<PolicyPack>& packs() const override { return packs_; }

  std::shared_ptr<const CompiledPolicy> Recompile() const override {
    CompileOptions options;
    options.default_region = default_region_;
    return std::make_shared<PolicyImpl>(packs_, options);
  }
  const std::vector<const DetectorSpec*>& detectors() const override { return specs_; }

  ColumnContext ColumnHints(std::string_view column_name) const override {
    ColumnContext context;
    context.hint.assign(specs_.size(), 0);
    const std::vector<std::string> parts = WordParts(column_name);
    const std::string lowered = Lowered(column_name);
    for (size_t d = 0; d < detectors_.size(); ++d) {
      const Detector& detector = detectors_[d];
      auto matches = [&](const ColumnHint& hint) { return HintMatches(hint, parts, lowered); };
      // A negative hint wins: "order_no" vetoes a card detector even if "no" looked promising.
      if (std::any_of(detector.negative_hints.begin(), detector.negative_hints.end(), matches)) {
        context.hint[d] = -1;
      } else if (std::any_of(detector.hints.begin(), detector.hints.end(), matches)) {
        context.hint[d] = 1;
      }
    }
    // The head noun of an English column name is its last word: "customer_notes" holds notes,
    // "message_id" holds identifiers.
    if (!parts.empty()) {
      context.free_text = std::find(std::begin(kFreeTextWords), std::end(kFreeTextWords),
                                    parts.back()) != std::end(kFreeTextWords);
    }
    for (std::string_view word : kFreeTextChinese) {
      if (lowered.find(word) != std::string::npos) context.free_text = true;
    }
    return context;
  }

  void Scan(std::string_view value, const ColumnContext& column,
            std::vector<ValueMatch>* out) const override {
    if (set_ == nullptr || value.empty()) return;
    RE2::Set::ErrorInfo error{RE2::Set::kNoError};
    // One pass of the set's DFA answers both "anything?" and "which patterns?": a value that
    // hits nothing costs the same as with a yes/no pre-filter, and a value that hits (most
    // cells of a CRM export) is not scanned twice. The result vector is reused.
    ScanBuffers& buffers = Buffers();
    if (!set_->Match(value, &buffers.set_hits, &error)) {
      if (error.kind != RE2::Set::kNoError) ThrowMatcherFailure(error.kind);
      return;
    }
    // Patterns were added detector by detector, so sorted hits come grouped by detector.
    std::sort(buffers.set_hits.begin(), buffers.set_hits.end());
    int current = -1;
    bool skip_detector = false;
    for (int pattern_index : buffers.set_hits) {
      const Pattern& pattern = patterns_[pattern_index];
      if (pattern.detector != current) {
        current = pattern.detector;
        buffers.accepted.clear();
        buffers.rejected.clear();
        const int hint = HintFor(column, current);
        skip_detector = hint < 0 || (specs_[current]->requires_column_hint && hint <= 0) ||
                        MaxConfidence(current, hint > 0) < specs_[current]->min_confidence;
      }
      if (skip_detector) continue;
      FindCandidates(value, pattern, HintFor(column, current) > 0, buffers, out);
    }
  }

 private:
  // The best confidence a candidate of this detector could reach in this column: with a
  // context word and, if it has a validator, validated. Below the detector's minimum, no
  // candidate can be reported, so none is searched for or validated.
  int MaxConfidence(int detector, bool hinted) const {
    const bool words = !detectors_[detector].context_words.empty();
    if (detectors_[detector].validator != nullptr) {
      return ValidatedConfidence(hinted, words);
    }
    return PatternOnlyConfidence(hinted, words);
  }

  static int ValidatedConfidence(bool hinted, bool context_word) {
    return std::min(100, kValidatedBase + (hinted ? kValidatedHintBonus : 0) +
                             (context_word ? kValidatedContextBonus : 0));
  }

  static int PatternOnlyConfidence(bool hinted, bool context_word) {
    return std::min(kPatternOnlyCeiling, kPatternOnlyBase + (hinted ? kPatternOnlyHintBonus : 0) +
                                             (context_word ? kPatternOnlyContextBonus : 0));
  }

  static int HintFor(const ColumnContext& column, int detector) {
    return static_cast<size_t>(detector) < column.hint.size() ? column.hint[detector] : 0;
  }

  void Build() {
    std::map<std::string, std::string> id_owner;  // detector id -> pack file that defined it
    RE2::Options set_options;
    set_options.set_log_errors(false);
    set_options.set_max_mem(kSetMaxMemory);
    auto set = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
    RE2::Options pattern_options;
    pattern_options.set_log_errors(false);
    pattern_options.set_max_mem(kPatternMaxMemory);

    for (const PolicyPack& pack : packs_) {
      const std::string file = pack.source.string();
      for (size_t i = 0; i < pack.detectors.size(); ++i) {
        const DetectorSpec& spec = pack.detectors[i];
        const std::string path = "detectors[" + std::to_string(i) + "]";
        auto [owner, inserted] = id_owner.emplace(spec.id, file);
        if (!inserted) {
          throw PolicyError(
              file, path + ".id",
              "duplicate detector id \"" + spec.id + "\" (also defined in " + owner->second + ")");
        }
        const int detector_index = static_cast<int>(specs_.size());
        Detector detector;
        if (!spec.validator.empty()) {
          detector.validator = FindValidator(spec.validator);
          if (detector.validator == nullptr) {
            std::string known;
            for (const auto& name : ValidatorNames()) known += (known.empty() ? "" : ", ") + name;
            throw PolicyError(
                file, path + ".validator",
                "unknown validator \"" + spec.validator + "\" (known: " + known + ")");
          }
        }
        for (const auto& hint : spec.column_hints) detector.hints.push_back(PrepareHint(hint));
        for (const auto& hint : spec.negative_column_hints) {
          detector.negative_hints.push_back(PrepareHint(hint));
        }
        for (const auto& word : spec.context_words) detector.context_words.push_back(Lowered(word));

        for (size_t k = 0; k < spec.patterns.size(); ++k) {
          const std::string pattern_path = path + ".patterns[" + std::to_string(k) + "]";
          Pattern pattern;
          pattern.detector = detector_index;
          pattern.regex = std::make_unique<RE2>(spec.patterns[k], pattern_options);
          if (!pattern.regex->ok()) throw PolicyError(file, pattern_path, pattern.regex->error());
          if (RE2::PartialMatch("", *pattern.regex)) {
            // It would hit every cell and confirm nothing.
            throw PolicyError(file, pattern_path, "pattern matches the empty string");
          }
          const auto& named = pattern.regex->NamedCapturingGroups();
          if (auto group = named.find("value"); group != named.end()) {
            pattern.value_group = group->second;
          }
          max_groups_ = std::max(max_groups_, pattern.value_group + 1);
          std::string error;
          if (set->Add(spec.patterns[k], &error) < 0) {
            throw PolicyError(file, pattern_path, error);
          }
          patterns_.push_back(std::move(pattern));
        }
        specs_.push_back(&spec);
        detectors_.push_back(std::move(detector));
      }
    }
    if (patterns_.empty()) return;  // control-only packs: nothing to match
    if (!set->Compile()) {
      throw PolicyError(packs_.front().source.string(), "detectors",
                        "the detector patterns together exceed the matcher's memory budget");
    }
    set_ = std::move(set);
  }

  void FindCandidates(std::string_view value, const Pattern& pattern, bool hinted,
                      ScanBuffers& buffers, std::vector<ValueMatch>* out) const {
    const DetectorSpec& spec = *specs_[pattern.detector];
    const Detector& detector = detectors_[pattern.detector];
    buffers.groups.resize(static_cast<size_t>(max_groups_));
    const int groups = pattern.value_group + 1;
    const re2::StringPiece text(value.data(), value.size());
    size_t pos = 0;
    while (pos < value.size()) {
      if (!pattern.regex->Match(text, pos, value.size(), RE2::UNANCHORED, buffers.groups.data(),
                                groups)) {
        return;
      }
      const re2::StringPiece whole = buffers.groups[0];
      const re2::StringPiece candidate = buffers.groups[pattern.value_group];
      const size_t whole_begin = static_cast<size_t>(whole.data() - value.data());
      size_t next = whole_begin + 1;
      if (candidate.data() != nullptr && !candidate.empty()) {
        const size_t begin = static_cast<size_t>(candidate.data() - value.data());
        const size_t end = begin + candidate.size();
        // Resume right after the candidate, not after the whole match: a trailing boundary
        // character may be the leading boundary of the next candidate ("4111…,5500…").
        next = std::max(next, end);
        Consider(value, begin, end, spec, detector, hinted, pattern.detector, buffers, out);
      }
      pos = utf8::NextBoundary(value, next);
    }
  }

  void Consider(std::string_view value, size_t begin, size_t end, const DetectorSpec& spec,
                const Detector& detector, bool hinted, int detector_index, ScanBuffers& buffers,
                std::vector<ValueMatch>* out) const {
    for (const auto& [b, e] : buffers.accepted) {
      if (begin < e && b < end) return;  // another pattern of this detector already took it
    }
    const std::string_view candidate = value.substr(begin, end - begin);
    bool validated = false;
    // Context words are cheaper to look for than most validators: when the minimum needs one
    // and there is none, the validator is not asked.
    std::optional<bool> context_word;
    if (detector.validator != nullptr && ValidatedConfidence(hinted, false) < spec.min_confidence) {
      context_word = HasContextWord(value, begin, detector, buffers);
      if (!*context_word) return;
    }
    if (detector.validator != nullptr) {
      // Several patterns of a detector often find the same span; some validators (phone
      // numbers) are expensive, so a refused span is not asked about twice.
      const std::pair<size_t, size_t> span{begin, end};
      if (std::find(buffers.rejected.begin(), buffers.rejected.end(), span) !=
          buffers.rejected.end()) {
        return;
      }
      ValidationContext context;
      context.default_region = default_region_;
      context.column_hinted = hinted;
      if (!detector.validator(candidate, context)) {  // a failed checksum drops it
        buffers.rejected.push_back(span);
        return;
      }
      validated = true;
    }
    if (!context_word) context_word = HasContextWord(value, begin, detector, buffers);
    const int confidence = validated ? ValidatedConfidence(hinted, *context_word)
                                     : PatternOnlyConfidence(hinted, *context_word);
    if (confidence < spec.min_confidence) return;
    buffers.accepted.emplace_back(begin, end);
    out->push_back(ValueMatch{detector_index, begin, end, confidence});
  }

  static bool HasContextWord(std::string_view value, size_t begin, const Detector& detector,
                             ScanBuffers& buffers) {
    if (detector.context_words.empty() || begin == 0) return false;
    const size_t start = utf8::StepBack(value, begin, kContextWindowChars);
    buffers.window.assign(value.data() + start, begin - start);
    for (char& c : buffers.window) c = utf8::AsciiLower(c);
    return std::any_of(
        detector.context_words.begin(), detector.context_words.end(),
        [&](const std::string& word) { return buffers.window.find(word) != std::string::npos; });
  }

  std::vector<PolicyPack> packs_;
  std::string default_region_;
  std::vector<const DetectorSpec*> specs_;
  std::vector<Detector> detectors_;
  std::vector<Pattern> patterns_;  // index = RE2::Set pattern index
  std::unique_ptr<RE2::Set> set_;
  int max_groups_ = 1;
};

}  // namespace

std::shared_ptr<const CompiledPolicy> CompiledPolicy::Compile(std::vector<PolicyPack> packs) {
  return Compile(std::move(packs), CompileOptions{});
}

std::shared_ptr<const CompiledPolicy> CompiledPolicy::Compile(std::vector<PolicyPack> packs,
                                                              const CompileOptions& options) {
  return std::make_shared<PolicyImpl>(std::move(packs), options);
}

}  // namespace crmaudit
