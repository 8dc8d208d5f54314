// PLACEHOLDER: replaced by the real verify subcommand.
#include <CLI/CLI.hpp>

#include <iostream>

#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"

namespace crmaudit {

void AddVerifyCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("verify", "not implemented yet");
  cmd->allow_extras();
  cmd->callback([exit_code] {
    std::cerr << "crmaudit verify: not implemented yet\n";
    *exit_code = kExitUsage;
  });
}

}  // namespace crmaudit
