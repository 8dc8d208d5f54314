// Percent-encoding (RFC 3986) of text placed in a URI: connection URIs written back with a
// password filled in (audit files), MySQL/MariaDB URIs formatted from their options.
//
// What must stay true: unreserved characters (A-Z a-z 0-9 - . _ ~) and the characters the caller
// names in `keep` are written as they are; every other byte, including each byte of a UTF-8
// sequence, becomes %XX with upper-case hex digits, so the result decodes back to the same bytes.
#pragma once

#include <string>
#include <string_view>

namespace crmaudit {

std::string PercentEncode(std::string_view text, std::string_view keep = {});

}  // namespace crmaudit
