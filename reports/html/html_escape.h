// HTML escaping: the only way text from the model (file names, columns, masked samples,
// reasons, targets) enters report.html.
//
// EscapeHtml first repairs invalid UTF-8, then replaces `&`, `<`, `>`, `"` and `'` with
// character references and C0 control characters (other than tab, line feed and carriage
// return) with U+FFFD, and shows the bidi controls (U+061C, U+200E/F, U+202A..E, U+2066..9) as
// "[U+202E]" so a name cannot reorder itself on the page. The result is inert as element text and
// inside a quoted attribute value. It is NOT safe in a script, a style block, a URL or an unquoted
// attribute: the HTML writer never places model text in those contexts, and must stay that way.
#pragma once

#include <string>
#include <string_view>

namespace crmaudit {

std::string EscapeHtml(std::string_view text);

}  // namespace crmaudit
