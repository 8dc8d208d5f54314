// Header rows: is the first record of a delimited file a header, or already data?
//
// A CSV exported without its header row must not have its first record taken as column
// names: those names end up in every report (and in SARIF uploads), so a header that is data
// leaks raw values and leaves that record unscanned. The first record is judged data when
//  - one of its cells holds a value a detector confirms, and that cell is not plain words
//    (header names are words; "health" or "religion" may be confirmed by a word list), or
//  - in some column its cell has a value shape (an e-mail address, or a number, date or phone
//    with five digits or more) that most non-empty cells below it share, where a header
//    would hold a word.
// Otherwise it is a header. The decision looks only at the cells given (the first record and
// a few records after it), so it costs nothing per row.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "scanner/detect/compiled_policy.h"

namespace crmaudit {

bool FirstRecordIsHeader(const CompiledPolicy& policy, std::span<const std::string_view> first,
                         std::span<const std::vector<std::string_view>> following);

}  // namespace crmaudit
