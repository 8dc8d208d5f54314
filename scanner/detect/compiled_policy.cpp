// CompiledPolicy implementation: one RE2::Set (the set patterns in multi-line mode, see
// ValueSet) as the pre-filter over every cell and batch of cells, then per-hit detector span
// search, validation and confidence scoring (docs/confidence.md).
//
// The hot path is ScanColumn() over a batch of one column's values (big files and tables) or
// Scan() with a ColumnScanState on each cell (small ones). What the state has learnt about the
// column decides the cheapest exact way: many clean values cleared per pass of the line set (a
// set of the column's own when detectors it rules out would hit its values), a predicted
// detector confirmed per batch, a repeat answered from the cache; otherwise the value is scanned
// in full (ScanValue): first the cheapest question RE2 offers, a Set match with no result vector
// (skipped in columns where half the values hit), then for values that hit the per-detector
// searches, with thread-local buffers; a pattern that can only match a whole value runs no
// regex of its own once the set found it hitting.
#include "scanner/detect/compiled_policy.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "scanner/detect/column_learning.h"
#include "scanner/detect/digit_text_hits.h"
#include "scanner/detect/pattern_shape.h"
#include "scanner/detect/utf8_text.h"
#include "scanner/detect/validators.h"
#include "scanner/detect/validators/text_forms.h"

namespace crmaudit {
namespace {

// The DFA of a set of a few hundred patterns over long free text needs room; running out is an
// error (see Scan), so the budget is generous rather than tight.
constexpr int64_t kSetMaxMemory = int64_t{256} << 20;
constexpr int64_t kPatternMaxMemory = int64_t{16} << 20;
// A detector's whole-value regexes as one alternation (WholeValueAny).
constexpr int64_t kWholeValueMaxMemory = int64_t{64} << 20;
// How many leading bytes the bounds of a whole-value regex's matches look at (WholeValueAny).
constexpr int kWholeValueRangeBytes = 16;

// Characters before a candidate in which context words count (docs/confidence.md).
constexpr size_t kContextWindowChars = 40;
// "Right before" (docs/confidence.md): at most this many characters between the end of a
// context word and the candidate, in the same clause, with no digit in between.
constexpr size_t kRightBeforeGapChars = 24;

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

bool HoldsAnyOf(std::string_view text, const ByteSet& bytes) {
  return std::any_of(text.begin(), text.end(),
                     [&](char c) { return bytes[static_cast<unsigned char>(c)]; });
}

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

// One detector pattern. Its own RE2 (for spans) and whole-value regex are compiled on first
// use, as most patterns never hit in a given dataset (a set pattern was parsed and compiled into
// the set when the policy was first compiled, so errors still surface at load time; a
// column-only pattern is compiled at load, and that regex is kept). Thread-safe: `compiled`
// guards the lazily filled members.
struct Pattern {
  int detector = 0;
  const std::string* source = nullptr;  // the pattern text, in the pack
  bool needs_whole_text = false;        // see NeedsWholeText: no line batches with it
  // Every match is the whole value (MatchesOnlyWholeText, no value group): a value the set found
  // it hitting is wholly its candidate.
  bool whole_only = false;
  bool column_only = false;    // its detector's (Detector::column_only): compiled on first use
  std::string origin;          // "pack.json detectors[2].patterns[0]", for a first-use failure
  bool matches_empty = false;  // a column-only pattern found to match "" when first compiled
  // DigitBounded: in a value of ASCII digits only, the whole value is its one possible candidate.
  bool digit_bounded = false;
  // RequiredBytes: a text that holds none of them has no match (nullopt: not known).
  std::optional<ByteSet> required;
  // Every byte of `required` is a letter byte (utf8::MayBeLetter): no match in a text of ASCII
  // digits, punctuation and spaces.
  bool needs_letter = false;
  std::once_flag compiled;
  // Set once `compiled` ran: Compiled() answers without std::call_once, which costs a call and
  // thread-local stores even when the work is done, and is asked for every pattern searched.
  std::atomic<bool> ready{false};
  std::unique_ptr<RE2> regex;
  int value_group = 0;  // 0 = whole match; otherwise the (?P<value>...) group
  // Matches a whole value that is entirely one candidate, without captures (see
  // WholeValueRegex); null when the pattern's shape does not allow that shortcut.
  const RE2* whole_value = nullptr;
  std::unique_ptr<RE2> value_group_regex;  // owns whole_value when it is not `regex`
};

struct Detector {
  ValidatorFn validator = nullptr;
  std::vector<ColumnHint> hints;
  std::vector<ColumnHint> negative_hints;
  std::vector<std::string> context_words;           // lower-cased
  std::vector<std::string> negative_context_words;  // lower-cased
  std::vector<ColumnHint> negative_dataset_hints;
  std::vector<ColumnHint> negative_dataset_kept_hints;  // column hints the veto spares
  const WordLists* word_lists = nullptr;  // the spec's lists, or null when it has none
  bool validator_reads_region = false;    // see ValidatorReadsRegion
  int entity = 0;  // index of the entity type, the same for detectors of one entity
  // requires_column_hint and no context word: it can only report in a column whose header
  // hints it, so its patterns stay out of the sets every value is matched against and run
  // only in such columns (a plain-text password pattern matches any value at all).
  bool column_only = false;
  // Every context word holds a letter byte (utf8::MayBeLetter; true when it has none): no
  // word stands in a text without one.
  bool words_need_letters = true;
};

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Ends a clause between a context word and a candidate: line breaks, ; ! ? | and their
// full-width forms, and ". " before a capital letter (a new sentence; "nr. 123" is not one).
bool HasClauseBreak(std::string_view gap) {
  for (size_t i = 0; i < gap.size(); ++i) {
    const char c = gap[i];
    if (c == '\n' || c == '\r' || c == ';' || c == '!' || c == '?' || c == '|') return true;
    if (c == '.' && i + 2 < gap.size() && gap[i + 1] == ' ' && IsUpper(gap[i + 2])) return true;
  }
  for (std::string_view mark : {"\u3002", "\uFF1B", "\uFF01", "\uFF1F"}) {  // 。；！？
    if (gap.find(mark) != std::string_view::npos) return true;
  }
  return false;
}

// True when one of `words` (lower-cased) stands right before value[begin]: the word ends at
// most kRightBeforeGapChars characters before it, the text in between holds no digit and no
// clause break, and a word that starts (ends) with an ASCII letter or digit is not preceded
// (followed) by an ASCII letter or digit (followed: by a letter), so "ssn" is not found in
// "lessons" nor "tin" in "tinker". Words in other scripts match as substrings (Chinese has
// no spaces). Case-insensitive for ASCII.
bool RightBefore(std::string_view value, size_t begin, const std::vector<std::string>& words,
                 std::string* buffer) {
  if (words.empty() || begin == 0) return false;
  size_t longest = 0;
  for (const auto& word : words) longest = std::max(longest, word.size());
  // Characters, not bytes, for the gap; the word itself is at most `longest` bytes.
  const size_t gap_start = utf8::StepBack(value, begin, kRightBeforeGapChars);
  const size_t start = gap_start >= longest ? gap_start - longest : 0;
  buffer->assign(value.data() + start, begin - start);
  for (char& c : *buffer) c = utf8::AsciiLower(c);
  const std::string& window = *buffer;
  for (const auto& word : words) {
    if (word.empty()) continue;
    const bool latin_start = IsAsciiAlnum(word.front());
    const bool latin_end = IsAsciiAlnum(word.back());
    for (size_t at = window.rfind(word); at != std::string::npos;
         at = at == 0 ? std::string::npos : window.rfind(word, at - 1)) {
      const size_t end = at + word.size();
      if (start + end < gap_start) break;  // earlier occurrences are further away
      if (latin_start) {
        const size_t before = start + at;
        if (before > 0 && IsAsciiAlnum(value[before - 1])) continue;
      }
      if (latin_end && end < window.size() && IsAsciiLetter(window[end])) continue;
      const std::string_view gap = value.substr(start + end, begin - start - end);
      if (std::any_of(gap.begin(), gap.end(), IsDigit) || HasClauseBreak(gap)) continue;
      return true;
    }
  }
  return false;
}

// Where a companion of a column's prediction (Learnt::companions) stands in a text: one value,
// or values joined as lines (PolicyImpl::CompanionIn).
enum class Companion {
  kAbsent,   // no pattern of it hits: it has no candidate there
  kWhole,    // the value (each value) is wholly its candidate
  kAskEach,  // values joined as lines: some may hold it; each is asked alone
  kPartial,  // one value: a pattern of it hits, but not as the whole value
};

struct ScanBuffers {
  std::vector<int> set_hits;
  std::vector<re2::StringPiece> groups;
  std::vector<std::pair<size_t, size_t>> accepted;  // spans of the current detector
  std::vector<std::pair<size_t, size_t>> rejected;  // spans its validator already refused
  std::string window;                               // lower-cased context window
  std::vector<size_t> pending_clean;                // ScanColumn: values awaiting a line check
  std::vector<size_t> pending_predicted;            // ScanColumn: values awaiting an others check
  std::string lines;                                // ScanColumn: values joined by line breaks
  std::string right_before;                         // lower-cased text before a candidate
  std::vector<size_t> overlap_order;                // ResolveOverlaps
  std::vector<char> overlap_keep;                   // ResolveOverlaps
  std::vector<int> judged;                          // AcceptPredicted: detectors to ask
  std::vector<Companion> companions;                // CheckPredicted, ScanPredicted
  std::vector<int> companion_ids;                   // CheckPredicted: the batch's prediction
  // The region national phone numbers of the value being judged are read in (0: the policy's
  // default). Every entry point sets it before it judges a value, as values of one batch may
  // come from records of different countries.
  RegionId region = 0;
  // How many times a validator that reads the region was asked (ValidatorReadsRegion): a value
  // whose finding left it unchanged has the same results in every region (RepeatCache).
  uint64_t region_reads = 0;
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

// Between two values checked as lines of one text: line breaks for ^ and $, and between them
// the byte 0xFF, which never occurs in UTF-8 and which no pattern can match (in UTF-8 mode a
// class or literal only matches valid UTF-8; only \C matches any byte, see NeedsWholeText).
// So no match can reach from one value into the next, and a regex that must match every line
// whole (see WholeLinesOf) can only split the text at the separators.
constexpr std::string_view kLineSeparator = "\n\xFF\n";

// Values a line set checks together (see PolicyImpl::ScanColumn); batches of predicted values
// shrink down to kMinPredictedBatchValues in columns where they often split.
constexpr size_t kLineBatchValues = 128;
constexpr size_t kMinPredictedBatchValues = 4;

// Per detector: one regex that matches values joined as lines when every one of them is wholly
// a candidate of the detector (see PolicyImpl::WholeLinesOf).
struct WholeLines {
  std::once_flag compiled;
  std::unique_ptr<RE2> regex;  // null when the detector's patterns do not allow it
};

// Per detector: one anchored regex that matches a value exactly when one of the detector's
// patterns has it wholly as its candidate (the alternation of the patterns' whole-value regexes,
// see WholeValueRegex): one pass where asking pattern by pattern takes up to one per pattern.
struct WholeValueAny {
  std::once_flag compiled;
  std::atomic<bool> ready{false};  // `compiled` ran (see Pattern::ready)
  std::unique_ptr<RE2> regex;      // null: `none`, or it did not compile (ask pattern by pattern)
  bool none = false;               // no pattern has a whole-value regex: no value is wholly one
  // Every string `regex` matches from its start lies in [min, max] (RE2::PossibleMatchRange, byte
  // order), so a value outside them is not wholly a candidate: told by a comparison, without a
  // call into RE2 (a note "Asked to update card ..." is no card number, a "+1 202 ..." no
  // "+86 ..." mobile number). `ranged` false: no such bounds were found.
  bool ranged = false;
  std::string min, max;
};

}  // namespace

// The patterns of some detectors in multi-line mode, as one set, for checking values joined as
// lines (see PolicyImpl::CheckLines) and whether detectors other than a predicted one hit
// (PolicyImpl::OthersHit): the set's patterns for every column, or, for a column of its own,
// those of the detectors that can report there (PolicyImpl::ColumnLinesFor).
struct ColumnLines {
  std::unique_ptr<RE2::Set> set;  // null: a pattern did not compile this way, or no pattern
  std::vector<int> pattern_of;    // set index -> patterns_ index
  // Values joined by line breaks may be checked as one text: no pattern of the set needs a text
  // of its own (see NeedsWholeText).
  bool batchable = true;
  // The set answers only for texts without a letter byte (utf8::MayBeLetter), the values of a
  // column of amounts, ids or dates: it leaves out the patterns that need a letter and the
  // detectors that can only report after a context word there. A text with a letter byte
  // counts as hit (PolicyImpl::LinesHit).
  bool letter_free = false;
};

// For a column predicted to hold one detector's whole values (and its companions'): which
// patterns of its line set could stop the prediction (PolicyImpl::OthersLinesFor). Patterns of
// the predicted detectors, of detectors the column rules out (SkipDetector) and of detectors
// whose every candidate the predicted whole candidate outranks (Outranked) cannot, whatever the
// value, so OthersHit need not ask them.
struct OthersLines {
  bool none = false;  // no pattern can: nothing need be asked
  // One of them is a pattern of a detector that stops the prediction only when one of its
  // context words is in the text (NeedsContextWord): "which patterns?" must be asked to tell.
  // Otherwise every hit stops it, and "anything?" is enough.
  bool worded = false;
  // Those patterns as a line set; null (or its set null: it did not compile) when the column's
  // whole line set is asked instead.
  std::shared_ptr<const ColumnLines> lines;
};

namespace {

// The sets that check many values at once, compiled on first use and shared by a policy and its
// Recompile() copies (pattern indices agree). Each is asked once per batch of values, so
// threads sharing them do not contend.
struct BatchSets {
  std::unique_ptr<WholeLines[]> whole_lines;  // per detector
  // Column line sets by the detectors they hold ('1' per detector that can report), compiled
  // when a column first needs one (see PolicyImpl::ColumnLinesFor).
  std::mutex column_lines_mutex;
  std::map<std::string, std::shared_ptr<const ColumnLines>> column_lines;
  // Which set patterns hit a value of digits only (digit_text_hits.h), built with the first
  // policy: it takes no lock, so the copies share it too. Null: the set answers.
  std::optional<DigitTextHits> digit_hits;
};

class PolicyImpl final : public CompiledPolicy {
 public:
  // `batch_sets` and `validated` come from the policy a Recompile() copy is made of: the sets
  // that check many values at once are shared (they are asked once per batch, so sharing costs
  // no contention), and the patterns need no second validation.
  PolicyImpl(std::vector<PolicyPack> packs, const CompileOptions& options,
             std::shared_ptr<BatchSets> batch_sets = nullptr, bool validated = false)
      : packs_(std::move(packs)),
        default_region_(options.default_region),
        regions_(options.regions),
        today_(options.today),
        checks_(options.checks),
        postgres_releases_(options.postgres_releases),
        compile_every_pattern_(options.compile_every_pattern),
        batch_sets_(std::move(batch_sets)) {
    Build(validated);
  }

  const std::vector<PolicyPack>& packs() const override { return packs_; }

  std::shared_ptr<const CompiledPolicy> Recompile() const override {
    CompileOptions options;
    options.default_region = default_region_;
    options.regions = regions_;
    options.today = today_;
    options.checks = checks_;
    options.postgres_releases = postgres_releases_;
    options.compile_every_pattern = compile_every_pattern_;
    return std::make_shared<PolicyImpl>(packs_, options, batch_sets_, /*validated=*/true);
  }
  const std::vector<const DetectorSpec*>& detectors() const override { return specs_; }
  const RegionRules* region_rules() const override { return regions_.get(); }
  const CheckCatalog* check_catalog() const override { return checks_.get(); }
  const PostgresReleases* postgres_releases() const override { return postgres_releases_.get(); }

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
    if (regions_ != nullptr) {
      auto matches = [&](const ColumnHint& hint) { return HintMatches(hint, parts, lowered); };
      context.country_column = std::any_of(country_hints_.begin(), country_hints_.end(), matches);
      for (const auto& [region, hint] : region_hints_) {
        if (matches(hint)) {
          context.implied_region = region;
          break;
        }
      }
      // A header that implies a region is a phone header (the data says whose region).
      context.phone_column = context.implied_region != 0;
      for (size_t d = 0; d < specs_.size(); ++d) {
        if (context.hint[d] > 0 && specs_[d]->entity == regions_->data().phone_entity) {
          context.phone_column = true;
        }
      }
    }
    return context;
  }

  ColumnContext ColumnHints(std::string_view column_name,
                            std::string_view dataset_name) const override {
    ColumnContext context = ColumnHints(column_name);
    // The dataset's own name: "exports/2024/Account.csv" -> "Account.csv", "a.zip!/b.csv" ->
    // "b.csv", "book.xlsx#Accounts" -> "Accounts". Folders above it often say "crm" or "export"
    // and would veto nothing useful; they could veto wrongly ("accounts/contacts.csv").
    const size_t cut = dataset_name.find_last_of("/\\!#");
    const std::string_view own =
        cut == std::string_view::npos ? dataset_name : dataset_name.substr(cut + 1);
    const std::vector<std::string> parts = WordParts(own);
    const std::string lowered = Lowered(own);
    const std::vector<std::string> column_parts = WordParts(column_name);
    const std::string column_lowered = Lowered(column_name);
    for (size_t d = 0; d < detectors_.size(); ++d) {
      if (context.hint[d] <= 0) continue;  // nothing to cancel
      const auto& vetoes = detectors_[d].negative_dataset_hints;
      if (!std::any_of(vetoes.begin(), vetoes.end(),
                       [&](const ColumnHint& hint) { return HintMatches(hint, parts, lowered); })) {
        continue;
      }
      // A header naming a person keeps its hint: a company list's `联系人` or `contact.name`
      // is a contact's name, not the company's.
      const auto& kept = detectors_[d].negative_dataset_kept_hints;
      if (std::any_of(kept.begin(), kept.end(), [&](const ColumnHint& hint) {
            return HintMatches(hint, column_parts, column_lowered);
          })) {
        continue;
      }
      // The header's generic word for the entity means something else here ("Name" of an
      // Account is the company's): judged as if the header said nothing.
      context.hint[d] = 0;
    }
    return context;
  }

  void Scan(std::string_view value, const ColumnContext& column,
            std::vector<ValueMatch>* out) const override {
    Buffers().region = 0;
    ScanValue(value, column, nullptr, out);
  }

  void Scan(std::string_view value, const ColumnContext& column, ColumnScanState* state,
            std::vector<ValueMatch>* out, RegionId region) const override {
    Buffers().region = region;
    if (state == nullptr) {
      ScanValue(value, column, nullptr, out);
      return;
    }
    const bool column_only = ColumnOnlyHinted(column);
    if ((set_patterns_ == 0 && !column_only) || value.empty()) return;
    ColumnScanState::Learnt& learnt = state->learnt();
    if (learnt.repeats.Recall(value, region, out)) return;
    const size_t first = out->size();
    const uint64_t region_reads = Buffers().region_reads;
    if (column_only) {
      // A column that hints a column-only detector (a street or password column): every value
      // is scanned in full. Predicting the column-only detector there was measured slower than
      // this (a "which patterns?" pass of the line set per value, or per batch of values that
      // split whenever one of them hits another detector too, costs more than the "anything?"
      // pass and the detector's own whole-value match).
      ScanValue(value, column, nullptr, out);
    } else {
      ScanLearning(value, column, learnt, &learnt.hits, out);
    }
    learnt.repeats.Remember(value, region, Buffers().region_reads != region_reads,
                            out->data() + first, out->size() - first);
  }

  void ScanColumn(std::span<const std::string_view> values, const ColumnContext& column,
                  ColumnScanState* state, std::vector<ValueMatch>* out, MatchSpan* spans,
                  std::span<const RegionId> regions) const override {
    std::fill(spans, spans + values.size(), MatchSpan{out->size(), 0});
    if (ColumnOnlyHinted(column)) {  // scanned in full, see Scan
      for (size_t i = 0; i < values.size(); ++i) {
        spans[i].first = out->size();
        Scan(values[i], column, state, out, RegionAt(regions, i));
        spans[i].count = out->size() - spans[i].first;
      }
      return;
    }
    if (set_patterns_ == 0) return;
    ColumnScanState::Learnt& learnt = state->learnt();
    // Values that wait for a check of many values at once: in a column that rarely hits
    // anything that can report there, whether anything does; in a column of one detector's
    // whole values, whether any other detector hits. A value with a line break of its own is
    // checked alone.
    const ColumnLines* lines = LinesFor(column, learnt);
    const bool batchable = lines != nullptr && lines->batchable;
    const bool clean_column = batchable && learnt.hits.RarelyHit();
    ScanBuffers& buffers = Buffers();
    std::vector<size_t>& clean = buffers.pending_clean;
    std::vector<size_t>& predicted = buffers.pending_predicted;
    clean.clear();
    predicted.clear();
    for (size_t i = 0; i < values.size(); ++i) {
      const std::string_view value = values[i];
      if (value.empty()) continue;
      spans[i].first = out->size();
      const RegionId region = RegionAt(regions, i);
      if (learnt.repeats.Recall(value, region, out)) {
        spans[i].count = out->size() - spans[i].first;
        continue;
      }
      const bool one_line = batchable && value.find('\n') == std::string_view::npos;
      if (one_line && clean_column) {
        clean.push_back(i);
        continue;
      }
      if (one_line && learnt.credit >= kBatchPredictionCredit && PredictionActive(column, learnt)) {
        predicted.push_back(i);
        continue;
      }
      // Until the column has a line set of its own, whether the values it scans alone (those
      // whose hits decide it needs one) hold letters: it then gets one that answers only for
      // values without, when they did not (see LinesFor).
      if (!learnt.lines_known && !learnt.letters_seen) {
        learnt.letters_seen = utf8::HoldsLetterByte(value);
      }
      buffers.region = region;
      const uint64_t region_reads = buffers.region_reads;
      ScanLearning(value, column, learnt, &learnt.hits, out);
      spans[i].count = out->size() - spans[i].first;
      learnt.repeats.Remember(value, region, buffers.region_reads != region_reads,
                              out->data() + spans[i].first, spans[i].count);
    }
    for (size_t start = 0; start < clean.size(); start += kLineBatchValues) {
      const size_t count = std::min(kLineBatchValues, clean.size() - start);
      CheckLines(*lines, values, regions, clean.data() + start, count, column, learnt, out, spans);
    }
    for (size_t start = 0, count = 0; start < predicted.size(); start += count) {
      count = std::min(learnt.predicted_batch, predicted.size() - start);
      const bool held = CheckPredicted(*lines, values, regions, predicted.data() + start, count,
                                       column, learnt, out, spans);
      // A batch that held grows back; one that split shrinks, so that in a column where some
      // values also hit another detector, batches do not keep splitting down to single values
      // (which costs more than asking value by value).
      learnt.predicted_batch = held
                                   ? std::min(learnt.predicted_batch * 2, kLineBatchValues)
                                   : std::max(learnt.predicted_batch / 2, kMinPredictedBatchValues);
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

  // The best confidence a candidate of this detector can reach without a context word before it
  // (a candidate that starts a value, say): validated if it has a validator.
  int UnwordedConfidence(int detector, bool hinted) const {
    return detectors_[detector].validator != nullptr ? ValidatedConfidence(hinted, false)
                                                     : PatternOnlyConfidence(hinted, false);
  }

  static int ValidatedConfidence(bool hinted, bool context_word) {
    return std::min(100, kValidatedBase + (hinted ? kValidatedHintBonus : 0) +
                             (context_word ? kValidatedContextBonus : 0));
  }

  static int PatternOnlyConfidence(bool hinted, bool context_word) {
    return std::min(kPatternOnlyCeiling, kPatternOnlyBase + (hinted ? kPatternOnlyHintBonus : 0) +
                                             (context_word ? kPatternOnlyContextBonus : 0));
  }

  static RegionId RegionAt(std::span<const RegionId> regions, size_t i) {
    return regions.empty() ? 0 : regions[i];
  }

  static int HintFor(const ColumnContext& column, int detector) {
    return static_cast<size_t>(detector) < column.hint.size() ? column.hint[detector] : 0;
  }

  void Build(bool validated) {
    std::map<std::string, std::string> id_owner;  // detector id -> pack file that defined it
    std::map<std::string, size_t> entities;       // entity type -> index
    std::vector<std::string> detector_files;      // per detector: its pack file
    std::vector<std::string> detector_paths;      // per detector: "detectors[i]" in its file
    // Set patterns are only parsed here (a parse error names the pattern); the set that
    // matches them is their first compilation (see below). Column-only patterns are compiled
    // alone, once: that regex is the one their columns are scanned with.
    RE2::Options parse_options;
    parse_options.set_log_errors(false);
    RE2::Set parse_check(parse_options, RE2::UNANCHORED);
    RE2::Set column_only_parse_check(parse_options, RE2::UNANCHORED);
    std::map<std::pair<int, size_t>, std::unique_ptr<RE2>> column_only_regex;
    std::vector<std::pair<std::string, std::string>> pattern_paths;  // per patterns_ index
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
          detector.validator_reads_region = ValidatorReadsRegion(spec.validator);
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
        for (const auto& word : spec.context_words) {
          detector.context_words.push_back(Lowered(word));
          detector.words_need_letters = detector.words_need_letters && utf8::HoldsLetterByte(word);
        }
        for (const auto& word : spec.negative_context_words) {
          detector.negative_context_words.push_back(Lowered(word));
        }
        for (const auto& hint : spec.negative_dataset_hints) {
          detector.negative_dataset_hints.push_back(PrepareHint(hint));
        }
        for (const auto& hint : spec.negative_dataset_kept_column_hints) {
          detector.negative_dataset_kept_hints.push_back(PrepareHint(hint));
        }
        if (!spec.word_lists.empty()) detector.word_lists = &spec.word_lists;
        detector.entity =
            static_cast<int>(entities.emplace(spec.entity, entities.size()).first->second);
        detector.column_only = spec.requires_column_hint && spec.context_words.empty();
        if (detector.column_only) column_only_detectors_.push_back(detector_index);
        if (!validated) {
          for (size_t k = 0; k < spec.patterns.size(); ++k) {
            const std::string pattern_path = path + ".patterns[" + std::to_string(k) + "]";
            if (!detector.column_only) {
              std::string error;
              if (parse_check.Add(spec.patterns[k], &error) < 0) {
                throw PolicyError(file, pattern_path, error);
              }
              continue;
            }
            if (!compile_every_pattern_) {
              // Parsed now (a syntax error names the pattern at load); compiled and checked
              // when a column first needs it (Compiled).
              std::string error;
              if (column_only_parse_check.Add(spec.patterns[k], &error) < 0) {
                throw PolicyError(file, pattern_path, error);
              }
              continue;
            }
            auto regex = std::make_unique<RE2>(spec.patterns[k], PatternOptions());
            if (!regex->ok()) throw PolicyError(file, pattern_path, regex->error());
            if (RE2::PartialMatch("", *regex)) {
              // It would hit every cell and confirm nothing.
              throw PolicyError(file, pattern_path, "pattern matches the empty string");
            }
            column_only_regex[{detector_index, k}] = std::move(regex);
          }
        }
        specs_.push_back(&spec);
        detectors_.push_back(std::move(detector));
        detector_files.push_back(file);
        detector_paths.push_back(path);
      }
    }
    // Patterns in detector order, those of column-only detectors last: patterns_[0,
    // set_patterns_) are the set's patterns with the same indices.
    detector_patterns_.resize(specs_.size());
    for (const bool column_only : {false, true}) {
      for (size_t d = 0; d < specs_.size(); ++d) {
        if (detectors_[d].column_only != column_only) continue;
        const DetectorSpec& spec = *specs_[d];
        for (size_t k = 0; k < spec.patterns.size(); ++k) {
          detector_patterns_[d].push_back(static_cast<int>(patterns_.size()));
          Pattern& pattern = patterns_.emplace_back();
          pattern.detector = static_cast<int>(d);
          detector_of_.push_back(static_cast<int>(d));
          pattern.source = &spec.patterns[k];
          pattern.needs_whole_text = NeedsWholeText(spec.patterns[k]);
          pattern.digit_bounded = DigitBounded(spec.patterns[k]);
          pattern.required = RequiredBytes(spec.patterns[k]);
          if (pattern.required) {
            pattern.needs_letter = true;
            for (int byte = 0; byte < 256; ++byte) {
              if ((*pattern.required)[byte] && !utf8::MayBeLetter(static_cast<char>(byte))) {
                pattern.needs_letter = false;
              }
            }
          }
          pattern.whole_only = MatchesOnlyWholeText(spec.patterns[k]) &&
                               spec.patterns[k].find("(?P<value>") == std::string::npos;
          pattern.column_only = column_only;
          pattern.origin = std::filesystem::path(detector_files[d]).filename().string() + " " +
                           detector_paths[d] + ".patterns[" + std::to_string(k) + "]";
          if (auto regex = column_only_regex.find({static_cast<int>(d), k});
              regex != column_only_regex.end()) {
            std::call_once(pattern.compiled,
                           [&] { CompilePattern(pattern, std::move(regex->second)); });
          }
          pattern_paths.emplace_back(detector_files[d], detector_paths[d]);
          if (column_only) continue;
          ++set_patterns_;
        }
      }
    }
    if (regions_ != nullptr) {
      for (const auto& word : regions_->data().country_columns) {
        country_hints_.push_back(PrepareHint(word));
      }
      for (const auto& [region, words] : regions_->data().columns_implying_region) {
        for (const auto& word : words)
          region_hints_.emplace_back(RegionIdOf(region), PrepareHint(word));
      }
    }
    if (patterns_.empty()) return;  // control-only packs: nothing to match
    whole_values_ = std::make_unique<WholeValueAny[]>(specs_.size());
    patterns_of_ = std::make_unique<PatternsOf[]>(specs_.size());
    if (batch_sets_ == nullptr) {
      batch_sets_ = std::make_shared<BatchSets>();
      batch_sets_->whole_lines = std::make_unique<WholeLines[]>(specs_.size());
      // Values of ASCII digits only are answered without the set when the patterns' syntax
      // settles which of them hit such a text.
      std::vector<std::string> sources;
      for (size_t i = 0; i < set_patterns_; ++i) sources.push_back(*patterns_[i].source);
      if (set_patterns_ != 0) batch_sets_->digit_hits = DigitTextHits::For(sources);
    }
    if (batch_sets_->digit_hits) digit_hits_ = &*batch_sets_->digit_hits;
    if (set_patterns_ == 0) return;  // only column-only detectors run
    // The set patterns are compiled once, in multi-line mode (the line set, see ValueSet); the
    // plain set is compiled only when a value holds a line break, or here when a pattern does
    // not compile in multi-line mode.
    std::vector<int> all(set_patterns_);
    for (size_t i = 0; i < set_patterns_; ++i) all[i] = static_cast<int>(i);
    lines_ = CompileLines(std::move(all));
    const RE2::Set* set = lines_->set.get();
    if (set == nullptr) set = PlainSet();
    if (set == nullptr) {
      throw PolicyError(packs_.front().source.string(), "detectors",
                        "the detector patterns together exceed the matcher's memory budget");
    }
    if (!validated) {
      // On the empty text a multi-line pattern matches exactly where the plain one does.
      std::vector<int> empty_hits;
      if (set->Match("", &empty_hits)) {
        const int first = *std::min_element(empty_hits.begin(), empty_hits.end());
        const int pattern = lines_->set != nullptr ? lines_->pattern_of[first] : first;
        const Pattern& hit = patterns_[static_cast<size_t>(pattern)];
        const DetectorSpec& spec = *specs_[hit.detector];
        const size_t k = static_cast<size_t>(hit.source - spec.patterns.data());
        // It would hit every cell and confirm nothing.
        throw PolicyError(pattern_paths[pattern].first,
                          pattern_paths[pattern].second + ".patterns[" + std::to_string(k) + "]",
                          "pattern matches the empty string");
      }
    }
  }

  static RE2::Options PatternOptions() {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(kPatternMaxMemory);
    return options;
  }

  // The set patterns as they are written, in one set (index = patterns_ index): asked for
  // values that hold a line break, where the line set's ^ and $ would also hold inside the
  // value. Compiled on first use; null when it exceeds its memory budget.
  const RE2::Set* PlainSet() const {
    std::call_once(plain_set_compiled_, [&] {
      RE2::Options options;
      options.set_log_errors(false);
      options.set_max_mem(kSetMaxMemory);
      auto set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
      for (size_t i = 0; i < set_patterns_; ++i) {
        if (set->Add(*patterns_[i].source, nullptr) < 0) return;
      }
      if (set->Compile()) plain_set_ = std::move(set);
    });
    return plain_set_.get();
  }

  // The set that answers for one value: the line set (the set patterns in multi-line mode,
  // which on a text without line breaks match exactly where the patterns themselves do) with
  // set index = patterns_ index, or the plain set. Throws as a matcher failure when neither
  // can be had.
  const RE2::Set& ValueSet(std::string_view value) const {
    if (lines_->set != nullptr && value.find('\n') == std::string_view::npos) {
      return *lines_->set;
    }
    const RE2::Set* set = PlainSet();
    if (set == nullptr) ThrowMatcherFailure(RE2::Set::kOutOfMemory);
    return *set;
  }

  static void CompilePattern(Pattern& pattern, std::unique_ptr<RE2> compiled = nullptr) {
    const RE2::Options options = PatternOptions();
    pattern.regex =
        compiled != nullptr ? std::move(compiled) : std::make_unique<RE2>(*pattern.source, options);
    if (!pattern.regex->ok()) return;
    // Checked at load when every pattern is compiled there (Build); here for the column-only
    // patterns a scan compiles on first use.
    pattern.matches_empty = pattern.column_only && RE2::PartialMatch("", *pattern.regex);
    const auto& named = pattern.regex->NamedCapturingGroups();
    if (auto group = named.find("value"); group != named.end()) {
      pattern.value_group = group->second;
      pattern.value_group_regex = WholeValueRegex(*pattern.source, options);
      pattern.whole_value = pattern.value_group_regex.get();
    } else {
      pattern.whole_value = pattern.regex.get();
    }
  }

  // The pattern with its regexes compiled. Throws (as a matcher failure) in the unlikely case
  // that a pattern which compiled when the policy was loaded does not compile again.
  const Pattern& Compiled(int index) const {
    Pattern& pattern = patterns_[static_cast<size_t>(index)];
    if (!pattern.ready.load(std::memory_order_acquire)) {
      std::call_once(pattern.compiled, [&] { CompilePattern(pattern); });
      pattern.ready.store(true, std::memory_order_release);
    }
    // Policy text only, never a value: the pattern's place in its pack and RE2's reason.
    if (!pattern.regex->ok()) {
      throw std::runtime_error("detector pattern " + pattern.origin +
                               " does not compile: " + pattern.regex->error());
    }
    if (pattern.matches_empty) {
      throw std::runtime_error("detector pattern " + pattern.origin +
                               " matches the empty string (it would hit every cell)");
    }
    return pattern;
  }

  // One value, with the column's prediction when it holds and a full scan otherwise.
  void ScanLearning(std::string_view value, const ColumnContext& column,
                    ColumnScanState::Learnt& learnt, HitRate* hits,
                    std::vector<ValueMatch>* out) const {
    if (ScanPredicted(value, column, learnt, out)) return;
    ScanFull(value, column, learnt, hits, out);
  }

  // A full scan; when it finds the value wholly the candidate of one detector (or of several of
  // one entity type) and nothing else, that detector is predicted for the column's next values
  // (in place of a prediction that has run out of credit), and the others become its companions
  // (see Learnt::companions). A value that holds the predicted detector's whole candidate beside
  // new ones of its type adds them to its companions.
  void ScanFull(std::string_view value, const ColumnContext& column,
                ColumnScanState::Learnt& learnt, HitRate* hits,
                std::vector<ValueMatch>* out) const {
    const size_t first = out->size();
    ScanValue(value, column, hits, out);
    const std::span<const ValueMatch> found(out->data() + first, out->size() - first);
    if (found.empty()) return;
    for (size_t k = 0; k < found.size(); ++k) {
      if (found[k].begin != 0 || found[k].end != value.size()) return;
      if (k > 0 && (found[k].detector <= found[k - 1].detector ||
                    detectors_[found[k].detector].entity != detectors_[found[0].detector].entity)) {
        return;
      }
    }
    const auto held = std::find_if(found.begin(), found.end(), [&](const ValueMatch& match) {
      return match.detector == learnt.detector;
    });
    if (held == found.end()) {
      if (learnt.credit > 0) return;
      learnt.detector = found[0].detector;
      learnt.companions.clear();
      learnt.credit = kPredictionFailureCost;
    } else {
      learnt.credit = std::min(learnt.credit + 1, kPredictionCreditCap);
    }
    for (const ValueMatch& match : found) {
      if (Predicted(match.detector, learnt)) continue;
      learnt.companions.insert(
          std::upper_bound(learnt.companions.begin(), learnt.companions.end(), match.detector),
          match.detector);
    }
  }

  // True when `detector` is the predicted detector or one of its companions.
  static bool Predicted(int detector, const ColumnScanState::Learnt& learnt) {
    return detector == learnt.detector ||
           std::find(learnt.companions.begin(), learnt.companions.end(), detector) !=
               learnt.companions.end();
  }

  // Where `companion` stands in `text`: one value (`alone`) or values joined as lines.
  Companion CompanionIn(int companion, std::string_view text, bool alone) const {
    if (alone ? WholeValueMatches(companion, text) : WholeLinesMatch(companion, text)) {
      return Companion::kWhole;
    }
    if (!AnyPatternHits(companion, text, alone)) return Companion::kAbsent;
    return alone ? Companion::kPartial : Companion::kAskEach;
  }

  // CompanionIn for each of `companion_ids`, in the thread's buffer.
  const std::vector<Companion>& CompanionsIn(std::span<const int> companion_ids,
                                             std::string_view text, bool alone) const {
    std::vector<Companion>& companions = Buffers().companions;
    companions.clear();
    for (const int companion : companion_ids) {
      companions.push_back(CompanionIn(companion, text, alone));
    }
    return companions;
  }

  static const std::vector<Companion>& NoCompanions() {
    static const std::vector<Companion> none;
    return none;
  }

  // True when values joined as lines are each wholly a candidate of `detector` (WholeLinesOf);
  // false also when the detector has no such regex.
  bool WholeLinesMatch(int detector, std::string_view text) const {
    const RE2* whole_lines = WholeLinesOf(detector);
    return whole_lines != nullptr &&
           whole_lines->Match(text, 0, text.size(), RE2::ANCHOR_BOTH, nullptr, 0);
  }

  // True when a pattern of `detector` hits `text` (one value, or values joined as lines: its
  // patterns in multi-line mode, see CompileLines), or when that cannot be told (the set did
  // not compile, or values joined as lines meet a pattern that needs a text of its own). The
  // set is this policy's own, compiled on first use.
  bool AnyPatternHits(int detector, std::string_view text, bool alone) const {
    PatternsOf& entry = patterns_of_[static_cast<size_t>(detector)];
    std::call_once(entry.compiled,
                   [&] { entry.lines = CompileLines(detector_patterns_[detector]); });
    if (entry.lines->set == nullptr || (!alone && !entry.lines->batchable)) return true;
    RE2::Set::ErrorInfo error{RE2::Set::kNoError};
    return entry.lines->set->Match(text, nullptr, &error) || error.kind != RE2::Set::kNoError;
  }

  // Joins values[indices[0..count)] into one text, each value a line of its own (see
  // kLineSeparator), in the thread's buffer.
  static const std::string& JoinLines(std::span<const std::string_view> values,
                                      const size_t* indices, size_t count) {
    std::string& text = Buffers().lines;
    text.clear();
    for (size_t k = 0; k < count; ++k) {
      if (k > 0) text.append(kLineSeparator);
      text.append(values[indices[k]]);
    }
    return text;
  }

  // Asks the line set whether anything hits values[indices[0..count)] joined as lines; a batch
  // that hits is halved until each value that hits on its own is scanned alone. A value cleared
  // here has no match: each pattern runs in multi-line mode, where ^ and $ hold at the line
  // breaks exactly as at the ends of a value alone, word boundaries see a line break where a
  // value alone has its edge, and no value holds a line break. (A hit across two lines only
  // costs a split.)
  void CheckLines(const ColumnLines& lines, std::span<const std::string_view> values,
                  std::span<const RegionId> regions, const size_t* indices, size_t count,
                  const ColumnContext& column, ColumnScanState::Learnt& learnt,
                  std::vector<ValueMatch>* out, MatchSpan* spans) const {
    RE2::Set::ErrorInfo error{RE2::Set::kNoError};
    // A failure of the line set is not trusted either way: the values are scanned alone,
    // where a failure is reported.
    const bool hit = LinesHit(lines, JoinLines(values, indices, count), &error) ||
                     error.kind != RE2::Set::kNoError;
    if (!hit) {
      for (size_t k = 0; k < count; ++k) {
        learnt.hits.Note(false, false);
        learnt.repeats.Remember(values[indices[k]], RegionAt(regions, indices[k]),
                                /*region_read=*/false, nullptr, 0);
      }
      return;
    }
    if (count == 1) {
      const size_t i = indices[0];
      spans[i].first = out->size();
      Buffers().region = RegionAt(regions, i);
      const uint64_t region_reads = Buffers().region_reads;
      // The full scan notes whether the value hit a detector that can report here (the line
      // set may hold patterns of detectors the column rules out).
      if (ScanPredicted(values[i], column, learnt, out)) {
        learnt.hits.Note(true, true);
      } else {
        ScanFull(values[i], column, learnt, &learnt.hits, out);
      }
      spans[i].count = out->size() - spans[i].first;
      learnt.repeats.Remember(values[i], RegionAt(regions, i),
                              Buffers().region_reads != region_reads, out->data() + spans[i].first,
                              spans[i].count);
      return;
    }
    const size_t half = count / 2;
    CheckLines(lines, values, regions, indices, half, column, learnt, out, spans);
    CheckLines(lines, values, regions, indices + half, count - half, column, learnt, out, spans);
  }

  // The given patterns (indices into patterns_) in multi-line mode, as one set; its `set` is
  // null when a pattern does not compile that way, the set exceeds its memory budget, or there
  // is no pattern. On a single value it hits wherever the set of the plain patterns hits
  // (multi-line ^ and $ hold in more places, never fewer); on values joined by line breaks,
  // see CheckLines.
  std::shared_ptr<ColumnLines> CompileLines(std::vector<int> pattern_of) const {
    auto lines = std::make_shared<ColumnLines>();
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(kSetMaxMemory);
    auto set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
    for (int index : pattern_of) {
      const Pattern& pattern = patterns_[static_cast<size_t>(index)];
      if (set->Add("(?m:" + *pattern.source + ")", nullptr) < 0) return lines;
      if (pattern.needs_whole_text) lines->batchable = false;
    }
    if (!pattern_of.empty() && set->Compile()) lines->set = std::move(set);
    lines->pattern_of = std::move(pattern_of);
    return lines;
  }

  // Every pattern of the set in multi-line mode (see CompileLines), this policy's own (it
  // answers for single values too, see ValueSet); null when it could not be compiled.
  const ColumnLines* LineSet() const {
    return lines_ != nullptr && lines_->set != nullptr ? lines_.get() : nullptr;
  }

  // The line set a column's shortcuts ask (null: none can be used there). Every column starts
  // with the set's patterns; a column gets its own (ColumnLinesFor), and keeps it, when
  // patterns of detectors it rules out hit its values often (person-name's pattern matches
  // every city), which would otherwise split every batch of its values down to single values,
  // or when it hints a column-only detector, whose patterns the set lacks (such columns are
  // scanned in full today, see Scan; the shared set would clear their values wrongly).
  const ColumnLines* LinesFor(const ColumnContext& column, ColumnScanState::Learnt& learnt) const {
    if (learnt.lines_known) {
      return learnt.lines != nullptr && learnt.lines->set != nullptr ? learnt.lines.get() : nullptr;
    }
    // Asked for nearly every value of a predicted column: the hints' answer is kept.
    if (learnt.column_only_hinted < 0) learnt.column_only_hinted = ColumnOnlyHinted(column);
    const bool column_only = learnt.column_only_hinted == 1;
    if (!column_only && !learnt.hits.RuledOutHitsCommon()) return LineSet();
    learnt.lines = ColumnLinesFor(column, !column_only && !learnt.letters_seen);
    learnt.lines_known = true;
    return learnt.lines->set != nullptr ? learnt.lines.get() : nullptr;
  }

  // The patterns of the detectors that can report in `column` (the set's detectors it does not
  // rule out, the column-only detectors it hints) as a line set; one per combination of such
  // detectors, shared by the columns that have it. Values it clears have no match there:
  // detectors it leaves out are skipped in the column by ScanDetector (SkipDetector).
  // `letter_free`: for a column whose values scanned so far held no letter byte, a set that
  // answers only for such values (ColumnLines::letter_free), keyed by pattern.
  std::shared_ptr<const ColumnLines> ColumnLinesFor(const ColumnContext& column,
                                                    bool letter_free) const {
    std::string key =
        letter_free ? std::string(patterns_.size() + 1, '0') : std::string(specs_.size(), '0');
    if (letter_free) key[patterns_.size()] = 'L';
    std::vector<int> pattern_of;
    for (size_t i = 0; i < patterns_.size(); ++i) {
      const int detector = patterns_[i].detector;
      const int hint = HintFor(column, detector);
      if (detectors_[detector].column_only && hint <= 0) continue;
      if (SkipDetector(detector, hint)) continue;
      if (letter_free) {
        if (patterns_[i].needs_letter) continue;
        if (detectors_[detector].words_need_letters && NeedsContextWord(detector, hint > 0)) {
          continue;
        }
        key[i] = '1';
      } else {
        key[static_cast<size_t>(detector)] = '1';
      }
      pattern_of.push_back(static_cast<int>(i));
    }
    BatchSets& sets = *batch_sets_;
    {
      std::lock_guard<std::mutex> lock(sets.column_lines_mutex);
      if (auto found = sets.column_lines.find(key); found != sets.column_lines.end()) {
        return found->second;
      }
    }
    // Compiled outside the lock; two threads meeting the same new key both compile it, and
    // the first one stored is the one kept.
    std::shared_ptr<ColumnLines> lines = CompileLines(std::move(pattern_of));
    lines->letter_free = letter_free;
    std::lock_guard<std::mutex> lock(sets.column_lines_mutex);
    return sets.column_lines.emplace(key, std::move(lines)).first->second;
  }

  // True when the line set hits `text`, or `text` holds a letter byte and the set answers only
  // for texts without one (ColumnLines::letter_free).
  static bool LinesHit(const ColumnLines& lines, std::string_view text,
                       RE2::Set::ErrorInfo* error) {
    if (lines.letter_free && utf8::HoldsLetterByte(text)) return true;
    return lines.set->Match(text, nullptr, error);
  }

  // Values predicted to be wholly `learnt.detector`'s candidates, checked together: that each is
  // wholly such a candidate (one anchored match of WholeLinesOf over them all), then that no
  // detector but it and its companions that could report beside it hits any of them
  // (OthersHit); halved like CheckLines when either check fails. Then where each companion
  // stands (CompanionIn: wholly in every value, in none, or asked value by value). A value that
  // passes is the predicted detector's candidate and those of the companions that hold it
  // whole, if each is accepted; any other value is scanned in full. True when the whole batch
  // passed both checks at once.
  bool CheckPredicted(const ColumnLines& lines, std::span<const std::string_view> values,
                      std::span<const RegionId> regions, const size_t* indices, size_t count,
                      const ColumnContext& column, ColumnScanState::Learnt& learnt,
                      std::vector<ValueMatch>* out, MatchSpan* spans) const {
    const std::string_view text =
        count == 1 ? values[indices[0]] : std::string_view(JoinLines(values, indices, count));
    const bool whole = count == 1 ? WholeValueMatches(learnt.detector, text)
                                  : WholeLinesMatch(learnt.detector, text);
    const bool hit = whole && OthersHit(lines, column, text, count == 1, learnt);
    if ((!whole || hit) && count > 1) {
      const size_t half = count / 2;
      CheckPredicted(lines, values, regions, indices, half, column, learnt, out, spans);
      CheckPredicted(lines, values, regions, indices + half, count - half, column, learnt, out,
                     spans);
      return false;
    }
    // The prediction the batch was checked against (a value scanned in full below may change
    // the column's), and where its companions stand in the batch: asked once for all values.
    const int detector = learnt.detector;
    std::vector<int>& companion_ids = Buffers().companion_ids;
    companion_ids = learnt.companions;
    const std::vector<Companion>& companions =
        whole && !hit ? CompanionsIn(companion_ids, text, count == 1) : NoCompanions();
    for (size_t k = 0; k < count; ++k) {
      const size_t i = indices[k];
      spans[i].first = out->size();
      Buffers().region = RegionAt(regions, i);
      const uint64_t region_reads = Buffers().region_reads;
      if (whole && !hit &&
          AcceptPredicted(values[i], column, detector, companion_ids, companions, out)) {
        learnt.credit = std::min(learnt.credit + 1, kPredictionCreditCap);
      } else {
        learnt.credit -= kPredictionFailureCost;
        ScanFull(values[i], column, learnt, &learnt.hits, out);
      }
      spans[i].count = out->size() - spans[i].first;
      learnt.repeats.Remember(values[i], RegionAt(regions, i),
                              Buffers().region_reads != region_reads, out->data() + spans[i].first,
                              spans[i].count);
    }
    return whole && !hit;
  }

  // For `detector`: a regex that matches values joined by kLineSeparator exactly when each of
  // them is wholly a candidate of the detector, i.e. `(?m:(?:C)(?:\n\C\n(?:C))*)` where C is
  // the alternation of the detector's whole-value regexes. The separator's 0xFF byte can only be
  // matched by the \C in the regex, so the values are its only possible split. Null when the
  // detector has no whole-value regex or one of them holds \C itself. Compiled on first use.
  const RE2* WholeLinesOf(int detector) const {
    WholeLines& entry = batch_sets_->whole_lines[static_cast<size_t>(detector)];
    std::call_once(entry.compiled, [&] {
      std::string alternatives;
      for (int index : detector_patterns_[detector]) {
        const Pattern& pattern = Compiled(index);
        if (pattern.whole_value == nullptr) continue;
        std::string core = *pattern.source;
        if (pattern.value_group != 0) {
          const std::optional<ValueGroupSplit> split = SplitValueGroup(core);
          if (!split) return;
          core = split->core;
        }
        if (core.find("\\C") != std::string::npos) return;
        alternatives += (alternatives.empty() ? "(?:" : "|(?:") + core + ")";
      }
      if (alternatives.empty()) return;
      RE2::Options options;
      options.set_log_errors(false);
      options.set_max_mem(kSetMaxMemory);
      // Multi-line, so that ^ and $ of an anchored pattern hold at each value's edges as they
      // do at a value's own ends (the values hold no line break of their own).
      const std::string any = "(?:" + alternatives + ")";
      auto regex = std::make_unique<RE2>("(?m:" + any + "(?:\\n\\C\\n" + any + ")*)", options);
      if (regex->ok()) entry.regex = std::move(regex);
    });
    return entry.regex.get();
  }

  // True when no candidate of `detector` can be reported in a column with this hint unless
  // one of its context words stands before it (Consider): it requires a header hint the column
  // lacks (its context word must stand right before the candidate), or its best confidence
  // without a context word is below its minimum.
  bool NeedsContextWord(int detector, bool hinted) const {
    const DetectorSpec& spec = *specs_[detector];
    if (spec.requires_column_hint && !hinted) return true;
    return UnwordedConfidence(detector, hinted) < spec.min_confidence;
  }

  // True when one of the detector's context words occurs anywhere in `value` (ASCII letters
  // compared case-insensitively, as Consider compares them): necessary for any of them to
  // stand before a candidate in it.
  static bool HoldsContextWord(std::string_view value, const Detector& detector,
                               ScanBuffers& buffers) {
    if (detector.context_words.empty()) return false;
    buffers.window.assign(value.data(), value.size());
    for (char& c : buffers.window) c = utf8::AsciiLower(c);
    return std::any_of(
        detector.context_words.begin(), detector.context_words.end(),
        [&](const std::string& word) { return buffers.window.find(word) != std::string::npos; });
  }

  bool SkipDetector(int detector, int hint) const {
    const DetectorSpec& spec = *specs_[detector];
    // A detector that requires a header hint may still be vouched for by its own context word
    // right before a value (see Consider); one without context words cannot.
    return hint < 0 ||
           (spec.requires_column_hint && hint == 0 && detectors_[detector].context_words.empty()) ||
           MaxConfidence(detector, hint > 0) < spec.min_confidence;
  }

  // True when one of the detector's patterns matches the whole value with the whole value as
  // its candidate.
  bool WholeValueMatches(int detector, std::string_view value) const {
    const WholeValueAny& any = WholeValueOf(detector);
    if (any.regex != nullptr) {
      if (any.ranged && (value < any.min || value > any.max)) return false;
      return any.regex->Match(value, 0, value.size(), RE2::ANCHOR_BOTH, nullptr, 0);
    }
    if (any.none) return false;
    for (int index : detector_patterns_[detector]) {
      const RE2* whole = Compiled(index).whole_value;
      if (whole != nullptr && RE2::FullMatch(value, *whole)) return true;
    }
    return false;
  }

  // The detector's WholeValueAny, compiled on first use. This policy's own, not shared with its
  // Recompile() copies: it is asked for single values, as often as the patterns' own regexes.
  const WholeValueAny& WholeValueOf(int detector) const {
    WholeValueAny& entry = whole_values_[static_cast<size_t>(detector)];
    if (entry.ready.load(std::memory_order_acquire)) return entry;
    std::call_once(entry.compiled, [&] {
      std::string alternatives;
      for (int index : detector_patterns_[detector]) {
        const RE2* whole = Compiled(index).whole_value;
        if (whole == nullptr) continue;
        alternatives += (alternatives.empty() ? "(?:" : "|(?:") + whole->pattern() + ")";
      }
      if (alternatives.empty()) {
        entry.none = true;
        return;
      }
      RE2::Options options = PatternOptions();
      options.set_max_mem(kWholeValueMaxMemory);
      auto regex = std::make_unique<RE2>(alternatives, options);
      if (!regex->ok()) return;
      entry.ranged = regex->PossibleMatchRange(&entry.min, &entry.max, kWholeValueRangeBytes);
      entry.regex = std::move(regex);
    });
    entry.ready.store(true, std::memory_order_release);
    return entry;
  }

  // True when the column's header hints a column-only detector.
  bool ColumnOnlyHinted(const ColumnContext& column) const {
    return std::any_of(column_only_detectors_.begin(), column_only_detectors_.end(),
                       [&](int detector) { return HintFor(column, detector) > 0; });
  }

  // Every match of `value`, with no shortcut: the set's detectors, the column-only detectors
  // the header hints, then one entity per span (ResolveOverlaps). `hits` (may be null) keeps
  // the column's hit rate so that columns where nearly every value hits skip the "anything?"
  // question.
  void ScanValue(std::string_view value, const ColumnContext& column, HitRate* hits,
                 std::vector<ValueMatch>* out) const {
    if (value.empty()) return;
    const size_t first = out->size();
    SetHit set_hit;
    if (set_patterns_ != 0) {
      set_hit = ScanSet(value, column, hits == nullptr || !hits->MostlyHit(), out);
    }
    bool column_only = false;
    const size_t set_found = out->size();
    for (int detector : column_only_detectors_) {
      if (HintFor(column, detector) <= 0) continue;
      const std::vector<int>& patterns = detector_patterns_[detector];
      ScanDetector(value, column, detector, patterns.data(), patterns.size(), /*set_hits=*/false,
                   Buffers(), out);
      column_only = true;
    }
    if (hits != nullptr) {
      // The column-only detectors are not in the set: a value they found counts as a hit (one
      // whose candidates they refused does not, which costs a shortcut, never a result).
      const bool found = out->size() > set_found;
      hits->Note(set_hit.any || found, set_hit.live || found);
    }
    if (out->size() - first < 2) return;
    if (column_only) {  // keep the detector order the set's detectors come in
      std::stable_sort(
          out->begin() + first, out->end(),
          [](const ValueMatch& a, const ValueMatch& b) { return a.detector < b.detector; });
    }
    ResolveOverlaps(out, first);
  }

  // One span is one entity (docs/confidence.md): where candidates of different entity types
  // overlap, the longer span wins, then the higher confidence, then the detector loaded first
  // (pack order, then the detector's place in its pack). Candidates of one entity type never
  // conflict (two phone detectors agreeing on a number). Survivors keep their order.
  void ResolveOverlaps(std::vector<ValueMatch>* out, size_t first) const {
    const size_t count = out->size() - first;
    std::vector<size_t>& order = Buffers().overlap_order;
    order.resize(count);
    for (size_t k = 0; k < count; ++k) order[k] = first + k;
    const std::vector<ValueMatch>& matches = *out;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const ValueMatch& x = matches[a];
      const ValueMatch& y = matches[b];
      if (x.end - x.begin != y.end - y.begin) return x.end - x.begin > y.end - y.begin;
      if (x.confidence != y.confidence) return x.confidence > y.confidence;
      if (x.detector != y.detector) return x.detector < y.detector;
      return a < b;
    });
    std::vector<char>& keep = Buffers().overlap_keep;
    keep.assign(count, 0);
    for (size_t k = 0; k < count; ++k) {
      const ValueMatch& candidate = matches[order[k]];
      bool conflict = false;
      for (size_t j = 0; j < k && !conflict; ++j) {
        if (!keep[order[j] - first]) continue;
        const ValueMatch& kept = matches[order[j]];
        conflict = candidate.begin < kept.end && kept.begin < candidate.end &&
                   detectors_[candidate.detector].entity != detectors_[kept.detector].entity;
      }
      keep[order[k] - first] = conflict ? 0 : 1;
    }
    size_t write = first;
    for (size_t k = 0; k < count; ++k) {
      if (keep[k]) (*out)[write++] = (*out)[first + k];
    }
    out->resize(write);
  }

  // Whether a value hit the set: any pattern, and one of a detector the column does not rule
  // out (see HitRate).
  struct SetHit {
    bool any = false;
    bool live = false;
  };

  // The set's part of ScanValue. `ask_anything`: ask "anything?" first (see below), as the
  // column's values mostly do not hit.
  SetHit ScanSet(std::string_view value, const ColumnContext& column, bool ask_anything,
                 std::vector<ValueMatch>* out) const {
    ScanBuffers& buffers = Buffers();
    if (digit_hits_ && validators::AllDigits(value)) {
      // A value of digits only (an id, a timestamp, a card number): the patterns that hit it
      // are told by one walk of digit_text_hits.h's DFA, exactly as the set would tell them.
      buffers.set_hits.clear();
      digit_hits_->Find(value, &buffers.set_hits);
      if (buffers.set_hits.empty()) return {};
    } else {
      RE2::Set::ErrorInfo error{RE2::Set::kNoError};
      // "Anything?" first: without a result vector the set's DFA stops at the first hit and
      // allocates nothing, half the cost of asking "which patterns?" (which allocates a sparse
      // set per call). Most cells of most columns hit nothing; only those that hit pay for both.
      const RE2::Set& set = ValueSet(value);
      if (ask_anything && !set.Match(value, nullptr, &error)) {
        if (error.kind != RE2::Set::kNoError) ThrowMatcherFailure(error.kind);
        return {};
      }
      const bool hit = set.Match(value, &buffers.set_hits, &error);
      if (error.kind != RE2::Set::kNoError) ThrowMatcherFailure(error.kind);
      if (!hit) return {};
    }
    // Patterns were added detector by detector, so sorted hits come grouped by detector.
    std::sort(buffers.set_hits.begin(), buffers.set_hits.end());
    const std::vector<int>& hit_patterns = buffers.set_hits;
    SetHit result{true, false};
    // Hits of detectors the column rules out do not make it a column that hits, nor do those of
    // detectors that can only report after a context word in a value without a letter, where
    // no word stands (a date-of-birth pattern's hit on an amount "1994.05").
    int letters = -1;  // whether the value holds a letter byte, once asked
    for (size_t group = 0; group < hit_patterns.size() && !result.live;
         group = GroupEnd(hit_patterns, group)) {
      const int detector = detector_of_[hit_patterns[group]];
      const int hint = HintFor(column, detector);
      if (SkipDetector(detector, hint)) continue;
      result.live = true;
      if (detectors_[detector].words_need_letters && NeedsContextWord(detector, hint > 0)) {
        if (letters < 0) letters = utf8::HoldsLetterByte(value) ? 1 : 0;
        result.live = letters == 1;
      }
    }
    // The detector the header hints is asked first: when it takes the whole value, detectors
    // that cannot outrank that candidate need not search or validate (see Outranked). The
    // matches are then put back in detector order, so the result is the same either way.
    const size_t first = out->size();
    size_t hinted_group = hit_patterns.size(), hinted_end = hinted_group;
    for (size_t group = 0; group < hit_patterns.size();) {
      const size_t group_end = GroupEnd(hit_patterns, group);
      if (HintFor(column, detector_of_[hit_patterns[group]]) > 0) {
        hinted_group = group;
        hinted_end = group_end;
        break;
      }
      group = group_end;
    }
    const ValueMatch* whole = nullptr;
    // Column-only detectors run after the set and could outrank the candidate: no shortcut.
    if (hinted_group < hit_patterns.size() && ColumnOnlyHinted(column)) {
      hinted_group = hinted_end = hit_patterns.size();
    }
    if (hinted_group < hit_patterns.size()) {
      ScanDetector(value, column, detector_of_[hit_patterns[hinted_group]],
                   hit_patterns.data() + hinted_group, hinted_end - hinted_group, /*set_hits=*/true,
                   buffers, out);
      if (out->size() - first == 1 && out->back().begin == 0 && out->back().end == value.size()) {
        whole = &out->back();
      }
    }
    const ValueMatch taken = whole != nullptr ? *whole : ValueMatch{};
    for (size_t group = 0; group < hit_patterns.size();) {
      const size_t group_end = GroupEnd(hit_patterns, group);
      const int detector = detector_of_[hit_patterns[group]];
      if (group != hinted_group &&
          (whole == nullptr || !Outranked(detector, HintFor(column, detector), taken))) {
        ScanDetector(value, column, detector, hit_patterns.data() + group, group_end - group,
                     /*set_hits=*/true, buffers, out);
      }
      group = group_end;
    }
    // A detector that was asked may have outranked the whole-value candidate after all (one
    // as long, of another entity type); then the skipped detectors' candidates might survive
    // beside it, so they are asked too.
    if (whole != nullptr && std::any_of(out->begin() + static_cast<std::ptrdiff_t>(first) + 1,
                                        out->end(), [&](const ValueMatch& match) {
                                          return match.begin == 0 && match.end == value.size() &&
                                                 detectors_[match.detector].entity !=
                                                     detectors_[taken.detector].entity;
                                        })) {
      for (size_t group = 0; group < hit_patterns.size();) {
        const size_t group_end = GroupEnd(hit_patterns, group);
        const int detector = detector_of_[hit_patterns[group]];
        if (group != hinted_group && Outranked(detector, HintFor(column, detector), taken)) {
          ScanDetector(value, column, detector, hit_patterns.data() + group, group_end - group,
                       /*set_hits=*/true, buffers, out);
        }
        group = group_end;
      }
    }
    if (hinted_group < hit_patterns.size() && out->size() - first >= 2) {
      std::stable_sort(
          out->begin() + first, out->end(),
          [](const ValueMatch& a, const ValueMatch& b) { return a.detector < b.detector; });
    }
    return result;
  }

  // The end of the group of set hits (sorted) that belong to the detector of hits[group].
  size_t GroupEnd(const std::vector<int>& hits, size_t group) const {
    const int detector = detector_of_[hits[group]];
    size_t end = group;
    while (end < hits.size() && detector_of_[hits[end]] == detector) ++end;
    return end;
  }

  // True when no candidate of `detector` could survive ResolveOverlaps beside `whole`, an
  // accepted candidate that spans the whole value and is the value's only one so far: every
  // candidate overlaps it, one shorter loses (the longer span wins), and one as long starts at
  // the value's first byte, so it has no context word before it and reaches at most the
  // unworded confidence; below `whole`'s, or equal and loaded later, it loses too, provided
  // `whole` itself is kept (ScanSet checks that no asked detector outranked it). Candidates of
  // the same entity type never conflict, so such a detector is always asked.
  bool Outranked(int detector, int hint, const ValueMatch& whole) const {
    if (detectors_[detector].entity == detectors_[whole.detector].entity) return false;
    const int best = UnwordedConfidence(detector, hint > 0);
    return best < whole.confidence || (best == whole.confidence && detector > whole.detector);
  }

  // One detector whose patterns `hit` (indices into patterns_, ascending) may hit the value;
  // `set_hits`: the set found that each of them does.
  void ScanDetector(std::string_view value, const ColumnContext& column, int detector,
                    const int* hit, size_t hit_count, bool set_hits, ScanBuffers& buffers,
                    std::vector<ValueMatch>* out) const {
    const int hint = HintFor(column, detector);
    if (SkipDetector(detector, hint)) return;
    buffers.accepted.clear();
    buffers.rejected.clear();
    const DetectorSpec& spec = *specs_[detector];
    const Detector& rules = detectors_[detector];
    // A detector that can only report with a context word before its candidate (see Consider)
    // reports nothing in a value that holds none of its words anywhere: its patterns need not
    // search it, nor its validator judge it (an amount "1674.29" is a date-of-birth pattern's
    // hit, but no birth date without "born" or "DOB" before it).
    if (NeedsContextWord(detector, hint > 0) && !HoldsContextWord(value, rules, buffers)) return;
    // Most cells of a structured column are one value and nothing else ("+44 20 7946 0958"):
    // a DFA-only anchored match proves it far more cheaply than a search with captures. An
    // accepted whole value is the detector's only candidate; a refused one leaves the
    // searches below to look for a smaller candidate (the refused span is not asked again).
    // A pattern that can only match a whole value (MatchesOnlyWholeText) and that the set found
    // hitting it has the whole value as its one candidate: no regex need run for it.
    // So can a pattern bounded by non-digits (DigitBounded) that the set found hitting a value
    // of ASCII digits only (an id, a timestamp, an order number): its one possible candidate
    // there is the whole value, so the hit is that candidate.
    // Every pattern's whole-value candidate is the same span, so one question answers for
    // all of them (WholeValueMatches): a pattern whose whole-value regex matches the value hits
    // it, so asking every pattern of the detector finds what asking those the set found hitting
    // finds.
    const bool digits_only = validators::AllDigits(value);
    auto whole_only_hit = [&](size_t i) {
      return set_hits && patterns_[static_cast<size_t>(hit[i])].whole_only;
    };
    bool whole = false;
    for (size_t i = 0; i < hit_count && !whole; ++i) {
      const Pattern& pattern = patterns_[static_cast<size_t>(hit[i])];
      whole = set_hits && (pattern.whole_only || (digits_only && pattern.digit_bounded));
    }
    if (whole || WholeValueMatches(detector, value)) {
      Consider(value, 0, value.size(), spec, rules, hint > 0, detector, buffers, out);
      if (!buffers.accepted.empty()) return;
    }
    // A value of ASCII digits only has no candidate but the whole value for a pattern bounded
    // by non-digits: refused above, or not its whole-value match at all. Its search would find
    // nothing new.
    for (size_t i = 0; i < hit_count; ++i) {
      // Its search would find only the whole value, refused above.
      if (whole_only_hit(i)) continue;
      const Pattern& pattern = Compiled(hit[i]);
      if (digits_only && pattern.digit_bounded && pattern.whole_value != nullptr) continue;
      FindCandidates(value, pattern, hint > 0, buffers, out);
      // Once the whole value is one accepted candidate, every further candidate of this
      // detector would overlap it and be dropped: its other patterns need not search.
      if (!buffers.accepted.empty() && buffers.accepted.front().first == 0 &&
          buffers.accepted.front().second == value.size()) {
        return;
      }
    }
  }

  // The shortcut for a column whose values are wholly candidates of one detector (some also of
  // detectors of its entity type: its companions): when the value is wholly that detector's
  // candidate, no pattern of a detector but it and its companions that could report beside it
  // hits it (one question to the line set, see OthersHit), each companion holds it wholly or
  // hits nothing in it (CompanionIn), and each whole candidate is accepted, the result is exactly
  // what ScanValue gives. False (nothing appended) when any of that fails; the caller then scans
  // in full.
  bool ScanPredicted(std::string_view value, const ColumnContext& column,
                     ColumnScanState::Learnt& learnt, std::vector<ValueMatch>* out) const {
    if (!PredictionHolds(value, column, learnt)) return false;
    if (OthersHit(*LinesFor(column, learnt), column, value, /*alone=*/true, learnt)) {
      learnt.credit -= kPredictionFailureCost;
      return false;
    }
    if (!AcceptPredicted(value, column, learnt.detector, learnt.companions,
                         CompanionsIn(learnt.companions, value, /*alone=*/true), out)) {
      learnt.credit -= kPredictionFailureCost;
      return false;
    }
    learnt.credit = std::min(learnt.credit + 1, kPredictionCreditCap);
    return true;
  }

  // True when the column has a prediction with credit that can hold in this column.
  bool PredictionActive(const ColumnContext& column, ColumnScanState::Learnt& learnt) const {
    const int detector = learnt.detector;
    if (detector < 0 || learnt.credit <= 0) return false;
    if (LinesFor(column, learnt) == nullptr) {  // nothing to ask whether other detectors hit
      learnt.detector = -1;
      learnt.companions.clear();
      return false;
    }
    return !SkipDetector(detector, HintFor(column, detector));
  }

  // PredictionActive and `value` wholly a candidate of the predicted detector (a failure costs
  // credit). Other detectors are not asked here.
  bool PredictionHolds(std::string_view value, const ColumnContext& column,
                       ColumnScanState::Learnt& learnt) const {
    if (!PredictionActive(column, learnt)) return false;
    if (!WholeValueMatches(learnt.detector, value)) {
      learnt.credit -= kPredictionFailureCost;
      return false;
    }
    return true;
  }

  // Considers the whole value as the candidate of the predicted detector and of each companion
  // that holds it, in detector order (the order ScanValue gives); true when each accepted it
  // (and appended it to `out`). `companions` says where each companion stands (CompanionIn): for
  // the value, or for a batch it is part of (kAskEach: the value is asked). False, with nothing
  // appended, when one refuses or a companion's pattern hits the value but not wholly.
  bool AcceptPredicted(std::string_view value, const ColumnContext& column, int detector,
                       std::span<const int> companion_ids, std::span<const Companion> companions,
                       std::vector<ValueMatch>* out) const {
    if (companion_ids.empty()) return AcceptWhole(value, column, detector, out);
    std::vector<int>& judged = Buffers().judged;
    judged.assign(1, detector);
    for (size_t k = 0; k < companion_ids.size(); ++k) {
      Companion state = companions[k];
      if (state == Companion::kAskEach) state = CompanionIn(companion_ids[k], value, true);
      if (state == Companion::kPartial) return false;
      if (state == Companion::kWhole) judged.push_back(companion_ids[k]);
    }
    std::sort(judged.begin(), judged.end());
    const size_t first = out->size();
    for (const int judge : judged) {
      if (!AcceptWhole(value, column, judge, out)) {
        out->resize(first);
        return false;
      }
    }
    return true;
  }

  // Considers the whole value as `detector`'s candidate; true when it was accepted (and
  // appended to `out`).
  bool AcceptWhole(std::string_view value, const ColumnContext& column, int detector,
                   std::vector<ValueMatch>* out) const {
    ScanBuffers& buffers = Buffers();
    buffers.accepted.clear();
    buffers.rejected.clear();
    Consider(value, 0, value.size(), *specs_[detector], detectors_[detector],
             HintFor(column, detector) > 0, detector, buffers, out);
    return !buffers.accepted.empty();
  }

  // Whether a pattern of a detector other than the predicted ones (`learnt.detector` and its
  // companions) hits `text` (one value, or values joined as lines) that could change the result
  // of a value wholly their accepted candidate (see CannotReportBeside; the predicted detector's
  // candidate is kept whatever its companions', which are of its entity type and never conflict
  // with it, so it alone decides what is outranked): one pass over the patterns of `lines` that
  // could (OthersLinesFor), asked "anything?" when every hit of theirs counts and "which patterns?"
  // when some count only beside a context word; no pass when none could. A failure of the set
  // throws for a value `alone`; for joined values it counts as a hit, so that each is asked
  // alone.
  bool OthersHit(const ColumnLines& lines, const ColumnContext& column, std::string_view text,
                 bool alone, ColumnScanState::Learnt& learnt) const {
    const int detector = learnt.detector;
    // A set that answers only for texts without a letter byte cannot clear one with a letter.
    if (lines.letter_free && utf8::HoldsLetterByte(text)) return true;
    const OthersLines& others = OthersLinesFor(lines, column, learnt);
    if (others.none) return false;
    const bool own = others.lines != nullptr && others.lines->set != nullptr;
    const ColumnLines& asked = own ? *others.lines : lines;
    // "Which patterns?" only where a hit may not count: the whole line set, or a worded pattern.
    const bool which = !own || others.worded;
    ScanBuffers& buffers = Buffers();
    std::vector<int>& hits = buffers.set_hits;
    RE2::Set::ErrorInfo error{RE2::Set::kNoError};
    const bool hit = asked.set->Match(text, which ? &hits : nullptr, &error);
    if (error.kind != RE2::Set::kNoError) {
      if (alone) ThrowMatcherFailure(error.kind);
      return true;
    }
    if (!which) return hit;
    int cleared = -1;  // the last other detector found unable to report (its patterns often
                       // hit together)
    for (int hit : hits) {
      const int other =
          detector_of_[static_cast<size_t>(asked.pattern_of[static_cast<size_t>(hit)])];
      if (other == cleared || Predicted(other, learnt)) continue;
      if (!CannotReportBeside(other, detector, column, text, buffers)) return true;
      cleared = other;
    }
    return false;
  }

  // True when no candidate of `other` in `text` can be in the result of a value that is wholly
  // the accepted candidate of `detector` (another detector), so that `other`'s hit need not
  // stop the prediction: the column rules `other` out (SkipDetector); or it can only report
  // after one of its context words and none occurs in `text` (ScanDetector asks neither its
  // patterns nor its validator then; in values joined as lines a word found in one value counts
  // for all, which only costs a split); or the whole candidate outranks every candidate it could
  // have (Outranked). The whole candidate's confidence is known beforehand: it starts at the
  // value's first byte, so no context word stands before it (Consider). ScanSet drops such a
  // detector's candidates, or finds none, in exactly these cases.
  bool CannotReportBeside(int other, int detector, const ColumnContext& column,
                          std::string_view text, ScanBuffers& buffers) const {
    return NeverReportsBeside(other, detector, column) ||
           (NeedsContextWord(other, HintFor(column, other) > 0) &&
            !HoldsContextWord(text, detectors_[other], buffers));
  }

  // CannotReportBeside's part that holds whatever the text: the column rules `other` out, or
  // the whole candidate of `detector` outranks every candidate `other` could have.
  bool NeverReportsBeside(int other, int detector, const ColumnContext& column) const {
    const int hint = HintFor(column, other);
    if (SkipDetector(other, hint)) return true;
    const int confidence = UnwordedConfidence(detector, HintFor(column, detector) > 0);
    return Outranked(other, hint, ValueMatch{detector, 0, 0, confidence});
  }

  // The patterns of `lines` that could stop the prediction in `column` (see OthersLines): those
  // of detectors neither predicted nor ruled out by NeverReportsBeside (beside the predicted
  // detector's candidate). Found once per column and prediction (kept in `learnt`); the sets are
  // this policy's own, as a column that is not confirmed in batches asks them for every value.
  const OthersLines& OthersLinesFor(const ColumnLines& lines, const ColumnContext& column,
                                    ColumnScanState::Learnt& learnt) const {
    const int detector = learnt.detector;
    if (learnt.others != nullptr && learnt.others_of == &lines &&
        learnt.others_detector == detector &&
        learnt.others_companions == learnt.companions.size()) {
      return *learnt.others;
    }
    auto others = std::make_shared<OthersLines>();
    std::vector<int> pattern_of;
    std::string key;
    for (const int index : lines.pattern_of) {
      const int other = detector_of_[static_cast<size_t>(index)];
      if (Predicted(other, learnt) || NeverReportsBeside(other, detector, column)) continue;
      others->worded = others->worded || NeedsContextWord(other, HintFor(column, other) > 0);
      pattern_of.push_back(index);
      key += std::to_string(index) + ',';
    }
    others->none = pattern_of.empty();
    // Asking the reduced set only pays when it leaves patterns out.
    if (!others->none && pattern_of.size() < lines.pattern_of.size()) {
      std::lock_guard<std::mutex> lock(others_lines_mutex_);
      auto found = others_lines_.find(key);
      if (found == others_lines_.end()) {
        found = others_lines_.emplace(key, CompileLines(std::move(pattern_of))).first;
      }
      others->lines = found->second;
    }
    learnt.others = std::move(others);
    learnt.others_of = &lines;
    learnt.others_detector = detector;
    learnt.others_companions = learnt.companions.size();
    return *learnt.others;
  }

  void FindCandidates(std::string_view value, const Pattern& pattern, bool hinted,
                      ScanBuffers& buffers, std::vector<ValueMatch>* out) const {
    const DetectorSpec& spec = *specs_[pattern.detector];
    const Detector& detector = detectors_[pattern.detector];
    buffers.groups.resize(std::max(buffers.groups.size(), size_t(pattern.value_group) + 1));
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
      // The rest of the value holds no byte every match needs ("...957535144 door"): no
      // further candidate, so no search to prove it.
      if (pattern.required &&
          !HoldsAnyOf(value.substr(std::min(pos, value.size())), *pattern.required)) {
        return;
      }
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
    // A detector that requires a header hint is vouched for, in a column without one, by its
    // own context word right before the value ("Klant gaf BSN 123456782 door"); its validator
    // then treats the value as hinted (nine bare digits are a BSN there).
    bool vouched = hinted;
    if (spec.requires_column_hint && !hinted) {
      if (!RightBefore(value, begin, detector.context_words, &buffers.right_before)) return;
      vouched = true;
      context_word = true;
    }
    // A word that says the value is something else ("version 1.2.3.4") drops it.
    if (RightBefore(value, begin, detector.negative_context_words, &buffers.right_before)) return;
    if (!context_word && detector.validator != nullptr &&
        ValidatedConfidence(hinted, false) < spec.min_confidence) {
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
      context.default_region =
          buffers.region != 0 ? RegionCodeOf(buffers.region) : std::string_view(default_region_);
      context.column_hinted = vouched;
      context.word_lists = detector.word_lists;
      context.today = today_;
      if (detector.validator_reads_region) ++buffers.region_reads;
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
  std::shared_ptr<const RegionRules> regions_;
  std::vector<ColumnHint> country_hints_;                      // from regions_: country columns
  std::vector<std::pair<RegionId, ColumnHint>> region_hints_;  // headers that imply a region
  std::optional<std::chrono::sys_days> today_;                 // CompileOptions::today
  std::shared_ptr<const CheckCatalog> checks_;                 // CompileOptions::checks
  std::shared_ptr<const PostgresReleases> postgres_releases_;  // CompileOptions::postgres_releases
  bool compile_every_pattern_ = true;  // CompileOptions::compile_every_pattern
  std::vector<const DetectorSpec*> specs_;
  std::vector<Detector> detectors_;
  mutable std::deque<Pattern> patterns_;             // index = RE2::Set pattern index; never moved
  std::vector<std::vector<int>> detector_patterns_;  // per detector: its patterns_ indices
  // The set patterns in multi-line mode (set index = patterns_ index; see ValueSet), this
  // policy's own: it is asked for every value, and copies made for other threads must not
  // share its cache lock. Null when there are no set patterns.
  std::shared_ptr<const ColumnLines> lines_;
  const DigitTextHits* digit_hits_ = nullptr;  // batch_sets_'s; null: the set answers
  mutable std::once_flag plain_set_compiled_;
  mutable std::unique_ptr<RE2::Set> plain_set_;    // see PlainSet
  std::shared_ptr<BatchSets> batch_sets_;          // shared with Recompile() copies
  std::unique_ptr<WholeValueAny[]> whole_values_;  // per detector, see WholeValueOf
  struct PatternsOf {
    std::once_flag compiled;
    std::shared_ptr<const ColumnLines> lines;
  };
  std::unique_ptr<PatternsOf[]> patterns_of_;  // per detector, see AnyPatternHits
  std::vector<int> detector_of_;               // per patterns_ index: patterns_[i].detector
  size_t set_patterns_ = 0;                    // patterns_[0, set_patterns_) are the set's
  std::vector<int> column_only_detectors_;     // see Detector::column_only
  // The line sets of OthersLinesFor, by the patterns they hold; compiled when a column's
  // prediction first needs one.
  mutable std::mutex others_lines_mutex_;
  mutable std::map<std::string, std::shared_ptr<const ColumnLines>> others_lines_;
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
