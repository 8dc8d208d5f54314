// CompiledPolicy: all detectors of the loaded packs compiled for matching one value at a time.
//
// Every detector pattern goes into one RE2::Set, compiled once per policy (and per Recompile()
// copy) in multi-line mode: it answers for one value without a line break (where multi-line ^
// and $ hold exactly where the patterns' own do) and for many values joined as lines (see
// ScanColumn); a value that holds a line break is asked of the patterns as written, in a set
// compiled when such a value first comes. Running out of DFA memory is an error, never a
// silent "no match". Patterns of detectors that can only report in a column whose header hints
// them (requires_column_hint, no context word) stay out of that set and run only in such
// columns. A value that hits the set is confirmed with each hit detector's own RE2 (to find
// the candidate spans; compiled on first use) and its validator, except where no candidate of it
// could be reported: a detector that needs a context word is not asked about a value holding none
// of its words, and a pattern bounded by non-digits does not search a value of digits only once
// the whole value is refused (pattern_shape.h DigitBounded). Vectorscan (Hyperscan) as the
// set was measured for issue 15 and lost: 6-10x slower on these patterns (digit runs between
// boundary classes, Unicode letter classes, few literals) and seconds to compile them
// (bench/detect_bench.cpp BM_PatternSet*; docs/performance.md). A pattern with a
// named group `(?P<value>...)` makes that group the candidate, so patterns can demand a
// non-digit boundary (RE2 has no look-behind) without the boundary joining the candidate. A
// candidate whose checksum fails is dropped, not down-weighted. When a whole value is one
// candidate of a detector (a pattern matches it from first to last byte, its value group
// being the whole value) and that candidate is accepted, it is the detector's only candidate
// in the value. A detector that requires a header hint also reports, in a column without one,
// when its own context word stands right before the value; negative context words right
// before a candidate drop it. Candidates of different entity types that overlap are resolved
// to one: one span is one entity (docs/confidence.md states both rules). Thread-safe after
// construction: many scan jobs share one CompiledPolicy.
//
// Results depend on the value, the column context, the region the value is read in (phone
// numbers written without a country prefix) and the packs only. A ColumnScanState lets
// the matcher learn from a column's earlier values (which detector they usually are, and which
// detectors of its entity type take some of them whole too; which values repeat) to find the
// same results with less work.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/detect/column_scan_state.h"
#include "scanner/detect/region_rules.h"
#include "scanner/policy/check_catalog.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/policy/postgres_releases.h"

namespace crmaudit {

// What the matcher knows about the column a value came from.
struct ColumnContext {
  // Per detector: +1 header hints the detector's entity, -1 a negative hint, 0 neither.
  // Filled by ColumnHints(); empty means "no hints known" (treated as all zeros).
  std::vector<int> hint;
  bool free_text = false;  // notes/remarks/备注: values embedded in prose
  // Where the column's national phone numbers take their region from (RecordRegions); all
  // false / 0 when the policy has no RegionRules.
  bool country_column = false;  // the header names a country: its cells name the record's region
  bool phone_column = false;    // a phone detector's header: its "+CC" numbers make the majority
  RegionId implied_region = 0;  // the region the header implies (手机 -> CN), 0 for none
};

// Where one value's matches sit in a vector shared by many values.
struct MatchSpan {
  size_t first = 0;
  size_t count = 0;
};

struct ValueMatch {
  int detector = 0;  // index into detectors()
  size_t begin = 0;  // byte span of the candidate inside the value
  size_t end = 0;
  int confidence = 0;  // 0-100 after validator, hints and context words
};

// How values are judged beyond what the packs say.
struct CompileOptions {
  // ISO 3166 alpha-2 region for phone numbers written without a country prefix (the scan's
  // --region / audit file "region"); passed to validators as ValidationContext::default_region.
  std::string default_region = "US";
  // The day birth dates are judged against (ValidationContext::today); unset = the clock's.
  std::optional<std::chrono::sys_days> today;
  // Where a value's own region comes from (country columns, headers that imply a region); null:
  // every value is read in default_region.
  std::shared_ptr<const RegionRules> regions;
  // The control checks' catalog (titles, remediation, severities of ENC-, AC-, ... checks),
  // carried with the packs so every target judges outcomes from the same catalog; null: the
  // policy judges no control checks (detector-only uses such as `policy test`).
  std::shared_ptr<const CheckCatalog> checks;
  // The supported PostgreSQL releases (policies/data/postgres-releases.json) CFG-02 compares a
  // server's version with; null: CFG-02 is not assessed.
  std::shared_ptr<const PostgresReleases> postgres_releases;
  // Whether every pattern is compiled and checked at load (true: `crmaudit policy test`, the
  // library default). A scan passes false: the patterns of column-only detectors (a postal
  // address's, compiled from Unicode classes, about a sixth of a small scan's start-up) are
  // then only parsed at load and compiled when a column first hints their detector; a pattern
  // that fails there (too large, or matching the empty string) is a matcher error naming it.
  bool compile_every_pattern = true;
};

class CompiledPolicy {
 public:
  // Throws PolicyError (naming pack file and field) when a pattern does not compile, a
  // validator name is unknown, or detector ids collide.
  static std::shared_ptr<const CompiledPolicy> Compile(std::vector<PolicyPack> packs);
  static std::shared_ptr<const CompiledPolicy> Compile(std::vector<PolicyPack> packs,
                                                       const CompileOptions& options);

  virtual ~CompiledPolicy() = default;

  virtual const std::vector<PolicyPack>& packs() const = 0;
  virtual const std::vector<const DetectorSpec*>& detectors() const = 0;

  // The rules that give values a region of their own; null when none were compiled in.
  virtual const RegionRules* region_rules() const = 0;

  // The check catalog compiled in (CompileOptions::checks); null when none was.
  virtual const CheckCatalog* check_catalog() const = 0;
  // The release list compiled in (CompileOptions::postgres_releases); null when none was.
  virtual const PostgresReleases* postgres_releases() const = 0;

  // Computes the per-detector header hints for a column name (case-insensitive, English and
  // Chinese words, matched on word parts such as "work_email" or "客户邮箱").
  virtual ColumnContext ColumnHints(std::string_view column_name) const = 0;

  // The same for a column of the dataset `dataset_name` (a file's relative path, an archive
  // member `a.zip!/Account.csv`, a sheet `book.xlsx#Accounts`, a table name): a detector whose
  // negative dataset hints match the dataset's own name (its last path component, split into
  // word parts like a column name) loses its column hints for every column of it: the column
  // is judged as if its header said nothing (a negative column hint still vetoes; a detector
  // that requires a header does not report there at all).
  virtual ColumnContext ColumnHints(std::string_view column_name,
                                    std::string_view dataset_name) const = 0;

  // Appends every confirmed entity in `value` (valid UTF-8) to `out`. Throws
  // std::runtime_error (with no data in the message) if the matcher itself fails, e.g. the
  // RE2::Set runs out of DFA memory: a failed match is never reported as "no match".
  virtual void Scan(std::string_view value, const ColumnContext& column,
                    std::vector<ValueMatch>* out) const = 0;

  // The same, for the next value of a column `state` has followed so far: same results, less
  // work on columns whose values are alike or repeat. `region` (RecordRegions) is the region
  // national phone numbers in this value are read in; 0 = the policy's default_region.
  virtual void Scan(std::string_view value, const ColumnContext& column, ColumnScanState* state,
                    std::vector<ValueMatch>* out, RegionId region = 0) const = 0;

  // The next values of a column at once: value i's matches are appended to `out` and
  // spans[i] (values.size() entries) says where. Same results as Scan on each value in turn;
  // in a column where values rarely hit anything, many values are cleared by one pass of the
  // pattern set over all of them, so the per-call cost of the set is paid once per batch.
  // `regions` is empty (every value in the default region) or holds value i's region at i; no
  // result learnt for one region is reused for a value of another.
  virtual void ScanColumn(std::span<const std::string_view> values, const ColumnContext& column,
                          ColumnScanState* state, std::vector<ValueMatch>* out, MatchSpan* spans,
                          std::span<const RegionId> regions = {}) const = 0;

  // An independent copy compiled from the same packs and options: same detector indices, same
  // results. Threads that match millions of values each use their own copy, because every
  // RE2 search takes a shared lock on its matcher's cache, and two cores taking the same lock
  // for every cell slow each other down.
  virtual std::shared_ptr<const CompiledPolicy> Recompile() const = 0;
};

}  // namespace crmaudit
