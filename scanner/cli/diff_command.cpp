// PLACEHOLDER: replaced by the real diff subcommand.
#include <CLI/CLI.hpp>

#include <iostream>

#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"

namespace crmaudit {

void AddDiffCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("diff", "not implemented yet");
  cmd->allow_extras();
  cmd->callback([exit_code] {
    std::cerr << "crmaudit diff: not implemented yet\n";
    *exit_code = kExitUsage;
  });
}

}  // namespace crmaudit
