// crmaudit: data-security and compliance auditing scanner for CRM data.
#include "scanner/model/terminal_text.h"
// The binary only wires subcommands together; each lives in its own *_command.cpp.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"
#include "scanner/cli/unknown_option.h"
#include "scanner/cli/version.h"
#include "scanner/scan/batch_job.h"
#include "scanner/scan/targets.h"

int main(int argc, char** argv) {
  // Before any thread starts: every thread is then a batch job (never preempts the database
  // server's processes when it wakes on their host; see batch_job.h).
  crmaudit::RunAsBatchJob();
  CLI::App app{"crmaudit: find personal data and check controls in CRM exports and databases",
               "crmaudit"};
  app.set_version_flag(
      "--version", [] { return crmaudit::VersionText(); },
      "Print the version, the policy packs and the library versions");
  app.set_help_all_flag("--help-all", "Print the help of every subcommand");
  app.require_subcommand(1);
  int exit_code = crmaudit::kExitOk;
  crmaudit::AddScanCommand(app, &exit_code);
  crmaudit::AddPolicyCommand(app, &exit_code);
  crmaudit::AddKeygenCommand(app, &exit_code);
  crmaudit::AddVerifyCommand(app, &exit_code);
  crmaudit::AddDiffCommand(app, &exit_code);
  crmaudit::AddBaselineCommand(app, &exit_code);
  crmaudit::AddRenderCommand(app, &exit_code);
  crmaudit::AddTrendCommand(app, &exit_code);
  // CLI11 parses from copies; the process's own argv is then masked so that `ps` and
  // /proc/PID/cmdline never show a database password typed on the command line.
  std::vector<std::string> arguments(argv + 1, argv + argc);
  const std::vector<std::string> in_order = arguments;
  std::reverse(arguments.begin(), arguments.end());  // CLI11 takes them in reverse order
  for (int i = 1; i < argc; ++i) {
    std::string masked = crmaudit::MaskPasswordSameLength(argv[i]);
    std::copy(masked.begin(), masked.end(), argv[i]);
  }
  try {
    app.parse(arguments);
  } catch (const CLI::ParseError& e) {
    // An option nobody defines: name it with the nearest real one, one line, exit 2.
    if (auto message = crmaudit::UnknownOptionMessage(app, in_order)) {
      std::cerr << crmaudit::TerminalSafe(*message) << "\n";
      return crmaudit::kExitUsage;
    }
    int code = app.exit(e);
    return code == 0 ? crmaudit::kExitOk : crmaudit::kExitUsage;
  }
  return exit_code;
}
