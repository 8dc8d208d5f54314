// `crmaudit baseline REPORT.json --out baseline.json`: freeze today's findings as accepted, so
// a CI gate fails only on findings that are new. The file lists finding ids (fingerprints of
// rule + logical location) with the rule and place for people reviewing it; no data.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"
#include "scanner/cli/read_file.h"

namespace crmaudit {

namespace {

struct BaselineArgs {
  std::string report;
  std::string out = "crmaudit-baseline.json";
  bool include_all = false;
};

int RunBaseline(const BaselineArgs& args) {
  std::string reason;
  std::optional<std::string> bytes = ReadWholeFile(args.report, &reason);
  if (!bytes) {
    std::cerr << "crmaudit baseline: cannot read " << args.report << ": " << reason << "\n";
    return kExitUsage;
  }
  nlohmann::json report = nlohmann::json::parse(*bytes, nullptr, false);
  if (report.is_discarded() || !report.is_object() || !report.contains("findings") ||
      !report["findings"].is_array()) {
    std::cerr << "crmaudit baseline: " << args.report << " is not a crmaudit report.json\n";
    return kExitUsage;
  }
  nlohmann::json ids = nlohmann::json::array();
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& f : report["findings"]) {
    if (!f.is_object() || !f.contains("id")) continue;
    std::string status = f.value("status", "open");
    if (!args.include_all && status != "open" && status != "baselined") continue;
    ids.push_back(f["id"]);
    entries.push_back({{"id", f["id"]},
                       {"rule", f.value("rule", "")},
                       {"severity", f.value("severity", "")},
                       {"location", f.value("location", nlohmann::json::object())}});
  }
  nlohmann::json out = {
      {"baseline", ids},
      {"findings", entries},
      {"source_scan", report.value("scan", nlohmann::json::object()).value("id", "")}};
  std::ofstream file(args.out, std::ios::binary | std::ios::trunc);
  file << out.dump(2) << "\n";
  if (!file) {
    std::cerr << "crmaudit baseline: cannot write " << args.out << "\n";
    return kExitUsage;
  }
  std::cerr << "crmaudit baseline: " << ids.size() << " finding(s) accepted in " << args.out
            << "\n";
  return kExitOk;
}

}  // namespace

void AddBaselineCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<BaselineArgs>();
  auto* cmd = app.add_subcommand(
      "baseline", "Write a baseline file from a report.json: its findings become accepted");
  cmd->add_option("report", args->report, "The report.json to accept")->required();
  cmd->add_option("--out", args->out, "Baseline file to write")->capture_default_str();
  cmd->add_flag("--all", args->include_all, "Also accept suppressed and not-assessed findings");
  cmd->callback([args, exit_code] { *exit_code = RunBaseline(*args); });
}

}  // namespace crmaudit
