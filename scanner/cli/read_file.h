// Reading a whole input file (a report, a baseline) for a subcommand. The subcommands word
// their own error message; this only says whether the bytes could be read.
#pragma once

#include <optional>
#include <string>

namespace crmaudit {

// The file's exact bytes, or nullopt when it cannot be opened or read.
std::optional<std::string> ReadWholeFile(const std::string& path);

}  // namespace crmaudit
