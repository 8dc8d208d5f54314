// TerminalSafe: text that crmaudit prints to a terminal or a log (warnings, progress, errors,
// verify lines) with every control character made visible, so a name chosen by someone else
// cannot steer the reader's terminal.
//
// File names and PostgreSQL table and column names are chosen by whoever can create a file
// or a table: raw, an ESC sequence could retitle or clear the terminal, a CR could overwrite
// the line with a forged "OK", a bidi override could make "rtl\u202Egpj.csv" read as
// "rtlvsc.jpg". Escaped here: C0 controls (including CR, LF, TAB, ESC, BEL) as \xNN, DEL as
// \x7F, C1 controls as \u0080..\u009F, the bidi controls U+061C, U+200E/F, U+202A..E and
// U+2066..9 as \uNNNN, and bytes that are not UTF-8 as \xNN. Everything else is unchanged.
// Apply to whole lines before adding the line's own '\n' or '\r'.
#pragma once

#include <string>
#include <string_view>

namespace crmaudit {

std::string TerminalSafe(std::string_view text);

}  // namespace crmaudit
