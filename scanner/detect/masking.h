// Masking: the only form in which a scanned value may leave the process.
//
// Each entity type has a mask that keeps just enough to recognise the kind of value and
// nothing that identifies a person: `j***@e***.com`, `**** **** **** 4242`,
// `110105********002X`, `+86 138****5678`. Unknown types fall back to keeping at most the
// first and last character of a long value. The result is always valid UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace crmaudit {

std::string MaskValue(std::string_view entity, std::string_view value);

}  // namespace crmaudit
