// Reading a whole input file (a report, a baseline) for a subcommand. The subcommands word
// their own error message; this only says whether the bytes could be read.
#pragma once

#include <optional>
#include <string>

namespace crmaudit {

// The file's exact bytes, or nullopt when it cannot be opened or read, or is not a regular
// file of at most kMaxReportFileBytes (model/input_file.h); `reason` says which.
std::optional<std::string> ReadWholeFile(const std::string& path, std::string* reason = nullptr);

}  // namespace crmaudit
