// Microbenchmarks of the detection hot path: compiling every shipped pack, matching typical CRM
// cells, and the phone validator (fast path and libphonenumber's own Parse + IsValidNumber for
// comparison). Values are synthetic. Run: build-perf/bench/crmaudit_microbench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
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

}  // namespace
}  // namespace crmaudit

BENCHMARK_MAIN();
