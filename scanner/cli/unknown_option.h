// Naming an option the command line does not know, with the nearest one that exists.
//
// CLI11 only says "The following arguments were not expected"; a user who typed `--ful` wants
// to hear `--full`. Used when parsing failed: finds the first `--name` (or `-x`) that neither
// the program nor the chosen subcommand defines.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crmaudit {

// "crmaudit scan: unknown option --ful (did you mean --full?)", or nullopt when every option
// in `arguments` (in command-line order) is known.
std::optional<std::string> UnknownOptionMessage(CLI::App& app,
                                                const std::vector<std::string>& arguments);

}  // namespace crmaudit
