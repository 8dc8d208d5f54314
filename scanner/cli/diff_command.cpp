// `crmaudit diff OLD.json NEW.json`: new, resolved and changed findings and inventory changes.
#include <CLI/CLI.hpp>
#include "scanner/model/terminal_text.h"

#include <iostream>

#include "reports/diff/report_diff.h"
#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"
#include "scanner/cli/read_file.h"

namespace crmaudit {

namespace {

struct DiffArgs {
  std::string old_report, new_report;
  bool json = false;
  bool fail_on_new = false;
};

int RunDiff(const DiffArgs& args) {
  std::string old_reason, new_reason;
  std::optional<std::string> old_text = ReadWholeFile(args.old_report, &old_reason);
  std::optional<std::string> new_text = ReadWholeFile(args.new_report, &new_reason);
  if (!old_text) {
    std::cerr << "crmaudit diff: cannot read " << args.old_report << ": " << old_reason << "\n";
    return kExitUsage;
  }
  if (!new_text) {
    std::cerr << "crmaudit diff: cannot read " << args.new_report << ": " << new_reason << "\n";
    return kExitUsage;
  }
  try {
    ReportDiff diff = DiffReports(*old_text, *new_text);
    std::cout << (args.json ? RenderDiffJson(diff) : RenderDiffText(diff));
    if (args.fail_on_new && (!diff.added.empty() || !diff.inventory_added.empty())) {
      return kExitFindings;
    }
    return kExitOk;
  } catch (const ReportDiffError& e) {
    std::cerr << "crmaudit diff: " << TerminalSafe(e.what()) << "\n";
    return kExitUsage;
  }
}

}  // namespace

void AddDiffCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DiffArgs>();
  auto* cmd = app.add_subcommand(
      "diff", "Compare two report.json files: new, resolved and changed findings, new PII columns");
  cmd->add_option("old", args->old_report, "The earlier report.json")->required();
  cmd->add_option("new", args->new_report, "The later report.json")->required();
  cmd->add_flag("--json", args->json, "Write the difference as JSON");
  cmd->add_flag("--fail-on-new", args->fail_on_new,
                "Exit 1 when there are new findings or new PII columns");
  cmd->callback([args, exit_code] { *exit_code = RunDiff(*args); });
}

}  // namespace crmaudit
