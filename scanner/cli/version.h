// `crmaudit --version`: the tool version, the versions of the policy packs it would load by
// default, and the versions of the libraries that decide what it finds and how it signs.
#pragma once

#include <string>

namespace crmaudit {

std::string VersionText();

}  // namespace crmaudit
