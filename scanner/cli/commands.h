// Subcommands of the crmaudit binary. Each Add*Command registers one subcommand on `app`;
// when that subcommand runs it stores the process exit code (see exit_codes.h) in *exit_code.
// CLI11 stays inside cli/: no other room includes it.
#pragma once

namespace CLI {
class App;
}

namespace crmaudit {

void AddScanCommand(CLI::App& app, int* exit_code);
void AddPolicyCommand(CLI::App& app, int* exit_code);
void AddKeygenCommand(CLI::App& app, int* exit_code);
void AddVerifyCommand(CLI::App& app, int* exit_code);
void AddDiffCommand(CLI::App& app, int* exit_code);
void AddBaselineCommand(CLI::App& app, int* exit_code);
void AddRenderCommand(CLI::App& app, int* exit_code);
void AddTrendCommand(CLI::App& app, int* exit_code);

}  // namespace crmaudit
