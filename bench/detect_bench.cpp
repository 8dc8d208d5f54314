// Microbenchmarks of the detection hot path: compiling every shipped pack, matching typical CRM
// cells, and the phone validator (fast path and libphonenumber's own Parse + IsValidNumber for
// comparison), and the detector pattern set in RE2::Set against a Vectorscan database of the
// same patterns (issue 15: measured, RE2 kept; docs/performance.md). Values are synthetic.
// Run: build-perf/bench/crmaudit_microbench
#include <benchmark/benchmark.h>
#include <hs/hs.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/detect/validators.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

std::vector<PolicyPack> ShippedPacks() {
  std::vector<PolicyPack> packs;
  const std::filesystem::path dir = std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) packs.push_back(LoadPolicyPack(file));
  return packs;
}

void BM_LoadAndCompileAllPacks(benchmark::State& state) {
  for (auto _ : state) {
    auto policy = CompiledPolicy::Compile(ShippedPacks());
    benchmark::DoNotOptimize(policy);
  }
}
BENCHMARK(BM_LoadAndCompileAllPacks)->Unit(benchmark::kMillisecond);

const std::vector<std::pair<std::string, std::string>> kCells = {
    {"email", "user.x0@example.com"},
    {"phone", "+1 202 555 0150"},
    {"phone", "+86 138 7005 5146"},
    {"card_number", "3783016613186090"},
    {"iban", "DE52139099603082462819"},
    {"order_no", "3929179284"},
    {"created_ms", "1677752032226"},
    {"first_name", "Femi"},
    {"notes", "Asked to update card 3783016613186090 on file"},
};

void BM_ScanTypicalRow(benchmark::State& state) {
  const auto policy = CompiledPolicy::Compile(ShippedPacks());
  std::vector<ColumnContext> contexts;
  for (const auto& [column, value] : kCells) contexts.push_back(policy->ColumnHints(column));
  std::vector<ValueMatch> matches;
  for (auto _ : state) {
    for (size_t i = 0; i < kCells.size(); ++i) {
      matches.clear();
      policy->Scan(kCells[i].second, contexts[i], &matches);
      benchmark::DoNotOptimize(matches.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kCells.size()));
}
BENCHMARK(BM_ScanTypicalRow);

// One cell of kCells per argument, to see which kind of value costs what.
void BM_ScanCell(benchmark::State& state) {
  const auto policy = CompiledPolicy::Compile(ShippedPacks());
  const auto& [column, value] = kCells.at(static_cast<size_t>(state.range(0)));
  const ColumnContext context = policy->ColumnHints(column);
  std::vector<ValueMatch> matches;
  for (auto _ : state) {
    matches.clear();
    policy->Scan(value, context, &matches);
    benchmark::DoNotOptimize(matches.data());
  }
  state.SetLabel(column);
}
BENCHMARK(BM_ScanCell)->DenseRange(0, 8);

// The row of bench/pg_run's contacts table, matched with pii-core alone (the PostgreSQL
// full-scan target), one argument per cell and -1 for the whole row.
const std::vector<std::pair<std::string, std::string>> kContactCells = {
    {"id", "482913"},
    {"first_name", "First512"},
    {"last_name", "Last77"},
    {"email", "user482913@example.com"},
    {"phone", "+44 20 7946 0913"},
    {"notes", "Customer since 2013, prefers email"},
    {"created_at", "2021-06-03 21:01:33.123456+00"},
};

void BM_ScanContactCell(benchmark::State& state) {
  std::vector<PolicyPack> packs;
  packs.push_back(
      LoadPolicyPack(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json"));
  const auto policy = CompiledPolicy::Compile(std::move(packs));
  std::vector<ColumnContext> contexts;
  for (const auto& [column, value] : kContactCells) contexts.push_back(policy->ColumnHints(column));
  const int only = static_cast<int>(state.range(0));
  std::vector<ValueMatch> matches;
  for (auto _ : state) {
    for (size_t i = 0; i < kContactCells.size(); ++i) {
      if (only >= 0 && static_cast<size_t>(only) != i) continue;
      matches.clear();
      policy->Scan(kContactCells[i].second, contexts[i], &matches);
      benchmark::DoNotOptimize(matches.data());
    }
  }
  state.SetLabel(only < 0 ? "whole row" : kContactCells[static_cast<size_t>(only)].first);
}
BENCHMARK(BM_ScanContactCell)->DenseRange(-1, 6);

// Rows like bench/pg_run's contacts table, scanned column by column with a ColumnScanState
// each, as the table reader does: ns per row. Argument 0: the table's values (names, phones
// and notes repeat); 1: every phone, name and timestamp distinct.
std::vector<std::vector<std::string>> ContactRows(bool distinct) {
  std::vector<std::vector<std::string>> rows;
  for (int g = 1; g <= 20000; ++g) {
    const int phone = distinct ? g : g % 1000;
    char phone_text[32];
    std::snprintf(phone_text, sizeof(phone_text), "+44 20 79%02d %04d", (phone / 10000) % 100,
                  phone % 10000);
    char created[48];
    std::snprintf(created, sizeof(created), "20%02d-%02d-%02d %02d:%02d:33.123456+00", g % 25,
                  1 + g % 12, 1 + g % 28, distinct ? g % 24 : 21, distinct ? g % 60 : 1);
    rows.push_back({std::to_string(g), "First" + std::to_string(distinct ? g : g % 997),
                    "Last" + std::to_string(distinct ? g : g % 1009),
                    "user" + std::to_string(g) + "@example.com", phone_text,
                    "Customer since " + std::to_string(2000 + g % 25) + ", prefers email",
                    created});
  }
  return rows;
}

void BM_ScanContactRows(benchmark::State& state) {
  std::vector<PolicyPack> packs;
  packs.push_back(
      LoadPolicyPack(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json"));
  const auto policy = CompiledPolicy::Compile(std::move(packs));
  const auto rows = ContactRows(state.range(0) == 1);
  std::vector<ColumnContext> contexts;
  for (const auto& [column, value] : kContactCells) contexts.push_back(policy->ColumnHints(column));
  std::vector<ColumnScanState> states(contexts.size());
  std::vector<ValueMatch> matches;
  size_t row = 0;
  for (auto _ : state) {
    const auto& cells = rows[row++ % rows.size()];
    for (size_t i = 0; i < cells.size(); ++i) {
      if (state.range(1) >= 0 && static_cast<size_t>(state.range(1)) != i) continue;
      matches.clear();
      policy->Scan(cells[i], contexts[i], &states[i], &matches);
      benchmark::DoNotOptimize(matches.data());
    }
  }
  state.SetLabel(
      (state.range(0) == 1 ? "distinct values" : "pg_run table values") +
      std::string(state.range(1) < 0
                      ? ""
                      : ", " + kContactCells[static_cast<size_t>(state.range(1))].first));
}
BENCHMARK(BM_ScanContactRows)->ArgsProduct({{0, 1}, {-1, 0, 1, 2, 3, 4, 5, 6}});

// The same rows matched as the parallel matcher does: a batch of rows at a time, column by
// column with CompiledPolicy::ScanColumn. ns per row.
void BM_ScanContactColumns(benchmark::State& state) {
  std::vector<PolicyPack> packs;
  if (state.range(2) == 1) {
    packs = ShippedPacks();
  } else {
    packs.push_back(
        LoadPolicyPack(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json"));
  }
  const auto policy = CompiledPolicy::Compile(std::move(packs));
  const auto rows = ContactRows(state.range(0) == 1);
  const int only = static_cast<int>(state.range(1));
  constexpr size_t kRowsPerBatch = 2048;
  std::vector<ColumnContext> contexts;
  for (const auto& [column, value] : kContactCells) contexts.push_back(policy->ColumnHints(column));
  std::vector<ColumnScanState> states(contexts.size());
  std::vector<ValueMatch> matches;
  std::vector<std::string_view> values;
  std::vector<MatchSpan> spans(kRowsPerBatch);
  size_t row = 0;
  for (auto _ : state) {
    matches.clear();
    for (size_t c = 0; c < contexts.size(); ++c) {
      if (only >= 0 && static_cast<size_t>(only) != c) continue;
      values.clear();
      for (size_t r = 0; r < kRowsPerBatch; ++r) {
        values.push_back(rows[(row + r) % rows.size()][c]);
      }
      policy->ScanColumn(values, contexts[c], &states[c], &matches, spans.data());
    }
    row += kRowsPerBatch;
    benchmark::DoNotOptimize(matches.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kRowsPerBatch));
  state.SetLabel(
      std::string(state.range(2) == 1 ? "all packs, " : "pii-core, ") +
      (state.range(0) == 1 ? "distinct values" : "pg_run table values") +
      std::string(only < 0 ? "" : ", " + kContactCells[static_cast<size_t>(only)].first));
}
BENCHMARK(BM_ScanContactColumns)->ArgsProduct({{0, 1}, {-1, 0, 1, 2, 3, 4, 5, 6}, {0, 1}});

// --- The pattern set: RE2::Set (what CompiledPolicy uses) against Vectorscan -----------------

// The patterns CompiledPolicy puts in its set: those of every detector that is not
// column-only (requires a header hint and has no context word).
std::vector<std::string> SetPatterns() {
  static const std::vector<std::string> patterns = [] {
    std::vector<std::string> out;
    for (const PolicyPack& pack : ShippedPacks()) {
      for (const DetectorSpec& spec : pack.detectors) {
        if (spec.requires_column_hint && spec.context_words.empty()) continue;
        out.insert(out.end(), spec.patterns.begin(), spec.patterns.end());
      }
    }
    return out;
  }();
  return patterns;
}

// The values of ContactRows(true) plus kCells: distinct CRM cells, most of which hit nothing.
const std::vector<std::string>& PrefilterValues() {
  static const std::vector<std::string> values = [] {
    std::vector<std::string> out;
    for (const auto& row : ContactRows(true)) out.insert(out.end(), row.begin(), row.end());
    for (const auto& [column, value] : kCells) out.push_back(value);
    return out;
  }();
  return values;
}

std::unique_ptr<RE2::Set> CompileRe2Set(bool multi_line) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(int64_t{256} << 20);
  auto set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  for (const auto& pattern : SetPatterns()) {
    if (set->Add(multi_line ? "(?m:" + pattern + ")" : pattern, nullptr) < 0) {
      throw std::runtime_error("pattern does not compile in RE2");
    }
  }
  if (!set->Compile()) throw std::runtime_error("RE2::Set out of memory");
  return set;
}

struct HsDatabase {
  hs_database_t* database = nullptr;
  hs_scratch_t* scratch = nullptr;
  size_t prefiltered = 0;  // patterns Vectorscan only takes in prefilter mode
  ~HsDatabase() {
    hs_free_scratch(scratch);
    hs_free_database(database);
  }
};

// Every set pattern in one block-mode database (UTF-8, multi-line, one report per pattern);
// a pattern too large for exact mode goes in prefilter mode.
std::unique_ptr<HsDatabase> CompileVectorscan() {
  auto db = std::make_unique<HsDatabase>();
  const std::vector<std::string>& patterns = SetPatterns();
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (size_t i = 0; i < patterns.size(); ++i) {
    unsigned flag = HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH | HS_FLAG_MULTILINE;
    hs_database_t* alone = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile(patterns[i].c_str(), flag, HS_MODE_BLOCK, nullptr, &alone, &error) !=
        HS_SUCCESS) {
      hs_free_compile_error(error);
      flag |= HS_FLAG_PREFILTER;
      ++db->prefiltered;
    }
    hs_free_database(alone);
    expressions.push_back(patterns[i].c_str());
    flags.push_back(flag);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr,
                       &db->database, &error) != HS_SUCCESS) {
    const std::string message = error->message;
    hs_free_compile_error(error);
    throw std::runtime_error("Vectorscan: " + message);
  }
  if (hs_alloc_scratch(db->database, &db->scratch) != HS_SUCCESS) {
    throw std::runtime_error("Vectorscan scratch");
  }
  return db;
}

int CountMatch(unsigned, unsigned long long, unsigned long long, unsigned, void* count) {
  ++*static_cast<size_t*>(count);
  return 0;
}

// Compile time of the set: 0 = RE2::Set, 1 = Vectorscan (the single-pattern compiles that
// pick exact or prefilter mode included).
void BM_PatternSetCompile(benchmark::State& state) {
  for (auto _ : state) {
    if (state.range(0) == 0) {
      benchmark::DoNotOptimize(CompileRe2Set(true));
    } else {
      benchmark::DoNotOptimize(CompileVectorscan());
    }
  }
  state.SetLabel(state.range(0) == 0 ? "RE2::Set" : "Vectorscan");
}
BENCHMARK(BM_PatternSetCompile)->DenseRange(0, 1)->Unit(benchmark::kMillisecond)->Iterations(1);

// Which patterns hit each value, value by value (arg 1 = 0) or 128 values joined by line
// breaks (arg 1 = 1): 0 = RE2::Set "anything?", 1 = RE2::Set "which?", 2 = Vectorscan
// (every pattern that hits). Items = values.
void BM_PatternSetValues(benchmark::State& state) {
  const std::vector<std::string>& values = PrefilterValues();
  const int engine = static_cast<int>(state.range(0));
  const bool joined = state.range(1) == 1;
  std::unique_ptr<RE2::Set> set;
  std::unique_ptr<HsDatabase> hs;
  if (engine == 2) {
    hs = CompileVectorscan();
  } else {
    set = CompileRe2Set(true);
  }
  std::vector<std::string> texts;
  if (joined) {
    for (size_t i = 0; i < values.size(); i += 128) {
      std::string text;
      for (size_t k = i; k < std::min(values.size(), i + 128); ++k) {
        if (k > i) text += '\n';
        text += values[k];
      }
      texts.push_back(std::move(text));
    }
  }
  const std::vector<std::string>& inputs = joined ? texts : values;
  std::vector<int> hits;
  size_t count = 0;
  for (auto _ : state) {
    for (const auto& text : inputs) {
      if (engine == 0) {
        count += set->Match(text, nullptr) ? 1 : 0;
      } else if (engine == 1) {
        set->Match(text, &hits);
        count += hits.size();
      } else if (hs_scan(hs->database, text.data(), static_cast<unsigned>(text.size()), 0,
                         hs->scratch, CountMatch, &count) != HS_SUCCESS) {
        state.SkipWithError("hs_scan failed");
        return;
      }
    }
  }
  benchmark::DoNotOptimize(count);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(values.size()));
  static const char* const kEngines[] = {"RE2::Set anything?", "RE2::Set which?", "Vectorscan"};
  state.SetLabel(std::string(kEngines[engine]) +
                 (joined ? ", 128 values per text" : ", per value"));
}
BENCHMARK(BM_PatternSetValues)->ArgsProduct({{0, 1, 2}, {0, 1}})->Unit(benchmark::kMillisecond);

void BM_PhoneValidator(benchmark::State& state) {
  const ValidatorFn phone = FindValidator("phone");
  const std::vector<std::string> numbers = {"+1 202 555 0150", "+86 138 7005 5146",
                                            "+44 20 7946 0958", "(201) 555-0123", "+49 30 901820"};
  ValidationContext context;
  context.column_hinted = true;
  for (auto _ : state) {
    for (const auto& number : numbers) benchmark::DoNotOptimize(phone(number, context));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(numbers.size()));
}
BENCHMARK(BM_PhoneValidator);

void BM_PhoneValidatorRegions(benchmark::State& state) {
  const ValidatorFn phone = FindValidator("phone");
  const std::vector<std::pair<std::string, std::string>> numbers = {
      {"06 90953608", "NL"},     {"06 12 62 06 19", "FR"},    {"020 7946 3645", "GB"},
      {"347 675 7103", "IT"},    {"612 935 618", "ES"},       {"+1 202 555 0175", "NL"},
      {"+49 30 90432609", "GB"}, {"+86 138 9926 2230", "DE"}, {"+44 20 7946 0451", "IT"}};
  ValidationContext context;
  context.column_hinted = true;
  for (auto _ : state) {
    for (const auto& [number, region] : numbers) {
      context.default_region = region;
      benchmark::DoNotOptimize(phone(number, context));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(numbers.size()));
}
BENCHMARK(BM_PhoneValidatorRegions);

}  // namespace
}  // namespace crmaudit

BENCHMARK_MAIN();
