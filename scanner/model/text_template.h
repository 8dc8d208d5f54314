// Text templates: catalog titles and remediation, interface words and report sentences carry
// "{name}" placeholders that are filled with values when a text is written out.
//
// What must stay true: text outside braces is kept byte for byte; a placeholder with no value
// stays as written ("{name}"), so a missing value is visible rather than silently empty; an
// unclosed "{" is ordinary text. One implementation serves the check catalog, the fixture
// runner and every report rendering, so a text fills the same way wherever it is shown.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace crmaudit {

// Replaces every {name} of `text` by values.at(name). Names without a value are left as
// "{name}" and listed in `missing` when it is given.
std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& values,
                         std::vector<std::string>* missing = nullptr);

}  // namespace crmaudit
