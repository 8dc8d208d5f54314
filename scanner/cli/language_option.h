// The --lang option of the commands that write for people (scan, render, trend): one order of
// precedence and one usage error for all of them.
//
// Precedence: the --lang value when one was given, else the audit file's "lang" (scan only),
// else the reader's locale (LC_ALL, LC_MESSAGES, LANG). A --lang value that names no report
// language is a usage error, printed as "crmaudit COMMAND: --lang must be en or zh-CN".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crmaudit {

// The language to render in; nullopt (after printing the usage error to stderr) when `option`
// is not empty and names no report language.
std::optional<std::string> ResolveLanguageOption(std::string_view command, std::string_view option,
                                                 std::optional<std::string> configured = {});

}  // namespace crmaudit
