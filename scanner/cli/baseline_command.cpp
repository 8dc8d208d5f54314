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
#include "scanner/model/terminal_text.h"
#include "scanner/scan/earlier_report.h"

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
  std::string text;
  size_t accepted = 0;
  try {
    text = BaselineFileFor(*bytes, args.report, args.include_all, &accepted);
  } catch (const BaselineError& e) {
    std::cerr << "crmaudit baseline: " << TerminalSafe(e.what()) << "\n";
    return kExitUsage;
  }
  std::ofstream file(args.out, std::ios::binary | std::ios::trunc);
  file << text;
  if (!file) {
    std::cerr << "crmaudit baseline: cannot write " << args.out << "\n";
    return kExitUsage;
  }
  std::cerr << "crmaudit baseline: " << accepted << " finding(s) accepted in " << args.out << "\n";
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
