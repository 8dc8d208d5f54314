// Exit codes: a contract CI pipelines rely on (DESIGN.md). Never renumber.
#pragma once

namespace crmaudit {

inline constexpr int kExitOk = 0;            // nothing at or above --fail-on
inline constexpr int kExitFindings = 1;      // open findings at or above --fail-on
inline constexpr int kExitUsage = 2;         // usage, configuration or policy error
inline constexpr int kExitIncomplete = 3;    // a target could not be scanned completely
inline constexpr int kExitVerifyFailed = 4;  // verification failed

}  // namespace crmaudit
