// `crmaudit policy list | show NAME|PATH | test [NAME|PATH|CATALOG-DIR]... [--region CC]`
//
// list: every pack found in the search directories (name, version, detector count, path).
// show: one pack's metadata and detectors (no patterns' matches, no data: packs are config).
// test: runs every detector's examples (detect/pack_tester.h) of the packs named (all packs
// when none is), and every check's fixtures (checks/check_fixtures.h) of the check catalog: the
// shipped one, or the catalog folders named (an argument that is a directory). Exit 0 when all
// pass, exit 2 when an example or a fixture fails, a check has no fixtures, a pack or the
// catalog is malformed (the message names file and field) or a name is unknown. Output goes to
// stdout; problems to stderr.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "scanner/checks/check_fixtures.h"
#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"
#include "scanner/detect/compiled_policy.h"
#include "scanner/detect/pack_tester.h"
#include "scanner/model/terminal_text.h"
#include "scanner/policy/check_catalog.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

struct PolicyFlags {
  std::string show_name;
  std::vector<std::string> test_names;
  std::string region = "US";
};

std::string JoinWords(const std::vector<std::string>& words, std::string_view separator = ", ") {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += separator;
    out += word;
  }
  return out.empty() ? "-" : out;
}

std::string SearchDirsText(const std::vector<std::filesystem::path>& dirs) {
  std::vector<std::string> names;
  for (const auto& dir : dirs) names.push_back(dir.string());
  return JoinWords(names);
}

int RunList() {
  const auto dirs = DefaultPolicySearchDirs();
  const auto files = ListPolicyPacks(dirs);
  if (files.empty()) {
    std::cerr << "crmaudit policy list: no policy packs found in: " << SearchDirsText(dirs)
              << " (set CRMAUDIT_POLICY_DIR)\n";
    return kExitUsage;
  }
  int exit_code = kExitOk;
  for (const auto& file : files) {
    try {
      const PolicyPack pack = LoadPolicyPack(file);
      std::cout << pack.name << "\t" << pack.version << "\t" << pack.detectors.size()
                << (pack.detectors.size() == 1 ? " detector" : " detectors") << "\t"
                << file.string() << "\n";
    } catch (const PolicyError& error) {
      std::cerr << "crmaudit policy list: invalid pack: " << TerminalSafe(error.what()) << "\n";
      exit_code = kExitUsage;
    }
  }
  return exit_code;
}

void PrintDetector(const DetectorSpec& spec) {
  std::cout << "\n  " << spec.id << "\n"
            << "    title:        " << spec.title << "\n"
            << "    entity:       " << spec.entity << "\n"
            << "    category:     " << CategoryName(spec.category) << "\n"
            << "    severity:     " << SeverityName(spec.severity) << "\n"
            << "    validator:    " << (spec.validator.empty() ? "-" : spec.validator) << "\n"
            << "    patterns:     " << spec.patterns.size() << "\n"
            << "    confidence:   at least " << spec.min_confidence
            << (!spec.requires_column_hint   ? ""
                : spec.context_words.empty() ? ", only in hinted columns"
                                             : ", only in hinted columns or after a context word")
            << "\n"
            << "    column hints: " << JoinWords(spec.column_hints) << "\n"
            << "    negative:     " << JoinWords(spec.negative_column_hints) << "\n"
            << "    context:      " << JoinWords(spec.context_words) << "\n"
            << "    not context:  " << JoinWords(spec.negative_context_words) << "\n";
  if (!spec.negative_dataset_hints.empty()) {
    std::cout << "    no hints in:  " << JoinWords(spec.negative_dataset_hints) << "\n";
    if (!spec.negative_dataset_kept_column_hints.empty()) {
      std::cout << "      except:     " << JoinWords(spec.negative_dataset_kept_column_hints)
                << "\n";
    }
  }
  for (const auto& [list, words] : spec.word_lists) {
    std::cout << "    word list:    " << list << " (" << words->size() << " entries)\n";
  }
  for (const auto& [framework, articles] : spec.frameworks) {
    std::cout << "    " << framework << ":"
              << std::string(framework.size() < 13 ? 13 - framework.size() : 1, ' ')
              << JoinWords(articles) << "\n";
  }
  std::cout << "    examples:     " << spec.examples_match.size() << " match, "
            << spec.examples_no_match.size() << " no_match\n";
}

int RunShow(const std::string& name) {
  try {
    const auto file = ResolvePolicyPack(name, DefaultPolicySearchDirs());
    const PolicyPack pack = LoadPolicyPack(file);
    std::cout << "name:        " << pack.name << "\n"
              << "version:     " << pack.version << "\n"
              << "file:        " << file.string() << "\n"
              << "sha256:      " << pack.sha256 << "\n";
    if (!pack.description.empty()) std::cout << "description: " << pack.description << "\n";
    std::cout << "thresholds:  " << pack.column_min_ratio_permille << "‰ of a column's values, "
              << pack.hinted_column_min_ratio_permille << "‰ when the header hints the entity\n"
              << "controls:    " << (pack.controls.empty() ? "none" : "yes") << "\n"
              << "detectors:   " << pack.detectors.size() << "\n";
    for (const auto& spec : pack.detectors) PrintDetector(spec);
    return kExitOk;
  } catch (const PolicyError& error) {
    std::cerr << "crmaudit policy show: " << TerminalSafe(error.what()) << "\n";
    return kExitUsage;
  }
}

// Tests one pack on its own, so a broken pack is reported as itself. Returns false on failure.
bool TestOnePack(const std::filesystem::path& file, const CompileOptions& options,
                 std::vector<PolicyPack>* loaded) {
  try {
    PolicyPack pack = LoadPolicyPack(file);
    loaded->push_back(pack);
    const auto policy = CompiledPolicy::Compile({std::move(pack)}, options);
    if (policy->detectors().empty()) {
      std::cout << "ok    " << policy->packs().front().name << " (no detectors)\n";
      return true;
    }
    bool all_ok = true;
    for (const auto& result : TestPolicyExamples(*policy)) {
      if (result.ok()) {
        std::cout << "ok    " << result.pack << "/" << result.detector << " (" << result.examples
                  << " examples)\n";
        continue;
      }
      all_ok = false;
      std::cout << "FAIL  " << result.pack << "/" << result.detector << "\n";
      for (const auto& failure : result.failures) {
        // Examples are the pack author's text, not scanned data, so they may be shown.
        std::cout << "        " << DetectorTestResult::Field(failure) << " \"" << failure.example
                  << "\": "
                  << (failure.expected_match ? "expected a match, found none"
                                             : "expected no match, but it matched")
                  << "\n";
      }
    }
    return all_ok;
  } catch (const PolicyError& error) {
    std::cout << "FAIL  " << file.string() << "\n";
    std::cerr << "crmaudit policy test: " << TerminalSafe(error.what()) << "\n";
    return false;
  } catch (const std::runtime_error& error) {
    std::cout << "FAIL  " << file.string() << "\n";
    std::cerr << "crmaudit policy test: " << file.string() << ": " << TerminalSafe(error.what())
              << "\n";
    return false;
  }
}

// Loads one check catalog and runs its fixtures: a line per check. Returns false on failure.
bool TestCatalog(const std::filesystem::path* folder,
                 const std::vector<std::filesystem::path>& search_dirs) {
  CheckCatalog catalog;
  try {
    catalog = folder != nullptr ? LoadCheckCatalog(*folder) : LoadShippedCheckCatalog(search_dirs);
  } catch (const PolicyError& error) {
    std::cout << "FAIL  " << (folder != nullptr ? folder->string() : "check catalog") << "\n";
    std::cerr << "crmaudit policy test: " << error.what() << "\n";
    return false;
  }
  bool all_ok = true;
  for (const auto& result : RunCatalogFixtures(catalog)) {
    if (result.ok()) {
      std::cout << "ok    " << result.check << " (" << result.passed
                << (result.passed == 1 ? " fixture)\n" : " fixtures)\n");
      continue;
    }
    all_ok = false;
    std::cout << "FAIL  " << result.check << " (" << result.passed << " of " << result.fixtures
              << " fixtures passed)\n";
    // Fixtures are the catalog author's text, not scanned data, so they may be shown.
    for (const auto& failure : result.failures) {
      for (const auto& problem : failure.problems) {
        std::cout << "        " << (failure.fixture == "-" ? "" : "\"" + failure.fixture + "\": ")
                  << problem << "\n";
      }
    }
  }
  return all_ok;
}

int RunTest(const std::vector<std::string>& arguments, const std::string& region) {
  const auto dirs = DefaultPolicySearchDirs();
  std::vector<std::filesystem::path> files;
  bool all_ok = true;
  // A directory is a check catalog folder; anything else names a pack.
  std::vector<std::string> names;
  std::vector<std::filesystem::path> catalogs;
  for (const auto& argument : arguments) {
    std::error_code error;
    if (std::filesystem::is_directory(argument, error)) {
      catalogs.emplace_back(argument);
    } else {
      names.push_back(argument);
    }
  }
  if (names.empty() && !catalogs.empty()) {
    // Only catalog folders named: no pack to test.
  } else if (names.empty()) {
    files = ListPolicyPacks(dirs);
    if (files.empty()) {
      std::cerr << "crmaudit policy test: no policy packs found in: " << SearchDirsText(dirs)
                << " (set CRMAUDIT_POLICY_DIR)\n";
      return kExitUsage;
    }
  } else {
    for (const auto& name : names) {
      try {
        files.push_back(ResolvePolicyPack(name, dirs));
      } catch (const PolicyError& error) {
        std::cerr << "crmaudit policy test: " << TerminalSafe(error.what()) << "\n";
        all_ok = false;
      }
    }
  }
  CompileOptions options;
  options.default_region = region;
  std::vector<PolicyPack> loaded;
  for (const auto& file : files) all_ok = TestOnePack(file, options, &loaded) && all_ok;

  // Packs are scanned together, so their detector ids must also be unique together.
  if (loaded.size() > 1) {
    try {
      CompiledPolicy::Compile(std::move(loaded), options);
    } catch (const PolicyError& error) {
      std::cerr << "crmaudit policy test: packs cannot be loaded together: "
                << TerminalSafe(error.what()) << "\n";
      all_ok = false;
    }
  }
  if (catalogs.empty()) {
    all_ok = TestCatalog(nullptr, dirs) && all_ok;
  } else {
    for (const auto& folder : catalogs) all_ok = TestCatalog(&folder, dirs) && all_ok;
  }
  std::cout << (all_ok ? "all examples and check fixtures passed\n"
                       : "some packs or checks failed\n");
  return all_ok ? kExitOk : kExitUsage;
}

}  // namespace

void AddPolicyCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<PolicyFlags>();
  auto* cmd =
      app.add_subcommand("policy", "list, show and test policy packs and the check catalog");
  cmd->require_subcommand(1);

  auto* list = cmd->add_subcommand("list", "list the policy packs in the search directories");
  list->callback([exit_code] { *exit_code = RunList(); });

  auto* show = cmd->add_subcommand("show", "show a pack's metadata and detectors");
  show->add_option("pack", flags->show_name, "pack name or path to a .json file")->required();
  show->callback([exit_code, flags] { *exit_code = RunShow(flags->show_name); });

  auto* test = cmd->add_subcommand(
      "test",
      "run every detector's examples (all packs if none given) and every check's fixtures (the "
      "shipped check catalog, or the catalog folders given)");
  test->add_option("packs", flags->test_names,
                   "pack names or paths; a directory is a check catalog folder (policies/checks)");
  test->add_option("--region", flags->region,
                   "default region for phone numbers without a country prefix")
      ->capture_default_str();
  test->callback([exit_code, flags] { *exit_code = RunTest(flags->test_names, flags->region); });
}

}  // namespace crmaudit
