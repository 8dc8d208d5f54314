// XlsxWorkbook (xlsx_reader.h). Each part is parsed by expat from the archive member's stream;
// handlers keep only what the part's contract needs (names, formats, strings, one row).
#include "scanner/sources/files/xlsx_reader.h"

#include <expat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>

#include "scanner/model/human_text.h"
#include "scanner/model/terminal_text.h"
#include "scanner/model/utf8.h"
#include "scanner/sources/files/archive_reader.h"
#include "scanner/sources/files/record_table.h"

namespace crmaudit {

namespace {

constexpr size_t kChunkBytes = 64 << 10;
constexpr size_t kMaxColumns = 16384;  // Excel's own limit (XFD)
// The workbook, its relationships and the styles are small parts; a larger one is not a
// workbook Excel wrote.
constexpr uint64_t kMaxStructureBytes = 64ull << 20;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "http://...spreadsheetml/2006/main|row" → "row": the parser is namespace-aware (so prefixes
// chosen by the writer do not matter) and joins namespace and local name with '|'.
std::string_view LocalName(const XML_Char* name) {
  std::string_view n(name);
  size_t bar = n.rfind('|');
  return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

bool HasNamespace(const XML_Char* name) { return std::strchr(name, '|') != nullptr; }

// The attribute with this local name and no namespace (plain attributes such as r="A1"). A
// namespaced attribute reads "uri|name", so it never equals a plain name: no separate test.
const XML_Char* Attribute(const XML_Char** attributes, const char* local) {
  for (size_t i = 0; attributes[i]; i += 2) {
    if (std::strcmp(attributes[i], local) == 0) return attributes[i + 1];
  }
  return nullptr;
}

// A relationship id attribute (r:id in any namespace prefix).
const XML_Char* RelationshipId(const XML_Char** attributes) {
  for (size_t i = 0; attributes[i]; i += 2) {
    if (HasNamespace(attributes[i]) && LocalName(attributes[i]) == "id") return attributes[i + 1];
  }
  return nullptr;
}

std::optional<uint64_t> ParseUnsigned(std::string_view text) {
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<uint64_t> ParseUnsigned(const char* text) {
  if (!text) return std::nullopt;
  return ParseUnsigned(std::string_view(text));
}

// "B12" → column 1 (0-based); nullopt when the reference has no letters or is beyond XFD.
std::optional<size_t> ColumnOfReference(const char* ref) {
  if (!ref) return std::nullopt;
  size_t column = 0;
  size_t letters = 0;
  // ASCII letters only, without the locale-aware <cctype> calls (one per letter of every cell).
  for (;; ++ref, ++letters) {
    const char c = *ref;
    const char upper = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    if (upper < 'A' || upper > 'Z') break;
    column = column * 26 + static_cast<size_t>(upper - 'A' + 1);
    if (column > kMaxColumns) return std::nullopt;
  }
  if (letters == 0) return std::nullopt;
  return column - 1;
}

// Resolves a relationship target against the folder of the part that holds it.
std::string ResolvePart(std::string_view base_folder, std::string_view target) {
  std::vector<std::string> segments;
  std::string path = target.starts_with('/') ? std::string(target.substr(1))
                                             : std::string(base_folder) + std::string(target);
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string segment = path.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = slash + 1;
  }
  std::string out;
  for (const std::string& s : segments) out += (out.empty() ? "" : "/") + s;
  return Lower(out);
}

// ---- Number formats ----

// Codes of the built-in formats that matter for rendering (ECMA-376 §18.8.30); the CJK
// built-ins 27-36 and 50-58 are all dates.
std::string BuiltinFormat(uint64_t id) {
  switch (id) {
    case 9:
      return "0%";
    case 10:
      return "0.00%";
    case 14:
      return "yyyy-mm-dd";
    case 15:
      return "d-mmm-yy";
    case 16:
      return "d-mmm";
    case 17:
      return "mmm-yy";
    case 18:
      return "h:mm AM/PM";
    case 19:
      return "h:mm:ss AM/PM";
    case 20:
      return "h:mm";
    case 21:
      return "h:mm:ss";
    case 22:
      return "m/d/yy h:mm";
    case 45:
      return "mm:ss";
    case 46:
      return "[h]:mm:ss";
    case 47:
      return "mmss.0";
    default:
      if ((id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return "yyyy-mm-dd";
      return "General";
  }
}

struct FormatKind {
  bool date = false;
  bool time = false;
  bool percent = false;
};

// Reads the first section of a format code, ignoring quoted text, escaped characters and
// bracketed colours or conditions ([h] [mm] [ss] are elapsed times).
FormatKind KindOfFormat(std::string_view code) {
  FormatKind kind;
  bool month_or_minute = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(code[i])));
    if (c == ';') break;
    if (c == '"') {
      size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
      continue;
    }
    if (c == '\\' || c == '_' || c == '*') {
      ++i;
      continue;
    }
    if (c == '[') {
      size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      std::string inside = Lower(code.substr(i + 1, close - i - 1));
      if (!inside.empty() && inside.find_first_not_of("hms") == std::string::npos) kind.time = true;
      i = close;
      continue;
    }
    if (c == 'y' || c == 'd') kind.date = true;
    if (c == 'h' || c == 's') kind.time = true;
    if (c == 'm') month_or_minute = true;
    if (c == '%') kind.percent = true;
  }
  if (month_or_minute && !kind.time) kind.date = true;
  if (code == "General" || code == "general") return {};
  return kind;
}

// Days since 1970-01-01 → civil date (H. Hinnant's algorithm).
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

std::optional<std::string> RenderDate(double serial, FormatKind kind, bool date1904) {
  if (!std::isfinite(serial) || serial < 0 || serial > 2958466) return std::nullopt;
  int64_t whole = static_cast<int64_t>(std::floor(serial));
  int64_t seconds = std::llround((serial - static_cast<double>(whole)) * 86400.0);
  if (seconds >= 86400) {
    ++whole;
    seconds -= 86400;
  }
  std::string out;
  if (kind.date) {
    char text[40];
    if (!date1904 && whole == 60) {
      // Lotus 1-2-3's phantom leap day, kept by Excel's 1900 date system.
      std::snprintf(text, sizeof text, "1900-02-29");
    } else {
      // 1900 system: serial 1 is 1900-01-01 and serials after the phantom 29 February are one
      // day ahead; 1904 system: serial 0 is 1904-01-01.
      int64_t days_since_epoch =
          date1904 ? whole - 24107 : (whole < 60 ? whole - 25568 : whole - 25569);
      int64_t y = 0;
      unsigned m = 0, d = 0;
      CivilFromDays(days_since_epoch, &y, &m, &d);
      std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    }
    out = text;
  }
  if (kind.time) {
    char text[64];
    std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
    if (!out.empty()) out += ' ';
    out += text;
  }
  return out;
}

// Shortest text with at most 15 significant digits (what Excel keeps), no exponent for
// numbers a person writes in full.
std::string FifteenDigits(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

bool IsPlainInteger(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

size_t SignificantIntegerDigits(std::string_view digits) {
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
  size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? 0 : digits.size() - first;
}

// RenderXlsxNumber with the format already classified (a sheet classifies each style once).
std::string RenderNumber(std::string_view text, FormatKind kind, bool date1904, bool* lost_digits) {
  *lost_digits = false;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (!kind.date && !kind.time && !kind.percent && IsPlainInteger(text)) {
    // Kept digit for digit: a writer other than Excel may have stored more than 15.
    *lost_digits = SignificantIntegerDigits(text) >= 16;
    return std::string(text.starts_with('+') ? text.substr(1) : text);
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::string(text);
  if (kind.date || kind.time) {
    if (auto date = RenderDate(value, kind, date1904)) return *date;
  }
  if (kind.percent) return FifteenDigits(value * 100) + "%";
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e21) {
    char digits[64];
    std::snprintf(digits, sizeof digits, "%.0f", value);
    *lost_digits = std::fabs(value) >= 1e15;
    return digits;
  }
  return FifteenDigits(value);
}

}  // namespace

std::string RenderXlsxNumber(std::string_view text, std::string_view number_format, bool date1904,
                             bool* lost_digits) {
  return RenderNumber(text, KindOfFormat(number_format), date1904, lost_digits);
}

// ---- Shared parts ----

struct XlsxWorkbook::Styles {
  std::map<uint64_t, std::string> custom;  // numFmtId → formatCode
  std::vector<uint64_t> cell_formats;      // cellXfs index → numFmtId
  std::string FormatOf(uint64_t style) const {
    if (style >= cell_formats.size()) return "General";
    uint64_t id = cell_formats[style];
    auto it = custom.find(id);
    return it != custom.end() ? it->second : BuiltinFormat(id);
  }
};

struct XlsxWorkbook::SharedStrings {
  std::string arena;
  std::vector<uint64_t> ends;  // string i is arena[ends[i-1], ends[i])
  uint64_t total = 0;          // strings the part holds (kept or not)
  bool over_bound = false;
  bool present = false;  // the workbook has a shared-strings part and it was read
  std::optional<std::string_view> At(uint64_t index) const {
    if (index >= ends.size()) return std::nullopt;
    uint64_t begin = index == 0 ? 0 : ends[index - 1];
    return std::string_view(arena).substr(begin, ends[index] - begin);
  }
};

namespace {

// A cell in the one plain form that spreadsheet writers use for nearly every cell:
// <c r="B2" s="1" t="s"><v>42</v></c>, with any of the attributes r, s and t (each at most
// once, values of ASCII letters and digits, one space before each), no other attribute, and a
// value of printable ASCII other than < & >. Such bytes are one well-formed element whatever
// surrounds them, and they mean exactly the events start c (with those attributes), start v,
// the text, end v, end c (see XmlPart::Parse).
struct PlainCell {
  static constexpr size_t kMaxAttribute = 15;
  char r[kMaxAttribute + 1] = {}, s[kMaxAttribute + 1] = {}, t[kMaxAttribute + 1] = {};
  bool has_r = false, has_s = false, has_t = false;
  std::string_view value;

  // Reads a plain cell at the start of `bytes`; its length, or 0 when the bytes are anything
  // else (or end before the cell does).
  size_t Read(std::string_view bytes) {
    const char* p = bytes.data();
    const size_t n = bytes.size();
    if (n < 2 || p[0] != '<' || p[1] != 'c') return 0;
    size_t i = 2;
    while (i < n && p[i] == ' ') {
      if (n - i < 4 || p[i + 2] != '=' || p[i + 3] != '"') return 0;
      char* slot = p[i + 1] == 'r' ? r : p[i + 1] == 's' ? s : p[i + 1] == 't' ? t : nullptr;
      bool* has = p[i + 1] == 'r' ? &has_r : p[i + 1] == 's' ? &has_s : &has_t;
      if (!slot || *has) return 0;  // another attribute, or a repeated one (invalid XML)
      i += 4;
      const size_t start = i;
      while (i < n && IsAsciiAlnum(p[i])) ++i;
      if (i >= n || p[i] != '"' || i - start > kMaxAttribute) return 0;
      std::memcpy(slot, p + start, i - start);
      slot[i - start] = '\0';
      *has = true;
      ++i;
    }
    if (n - i < 4 || std::memcmp(p + i, "><v>", 4) != 0) return 0;
    i += 4;
    const size_t start = i;
    while (i < n && p[i] >= 0x20 && p[i] <= 0x7E && p[i] != '<' && p[i] != '&' && p[i] != '>') {
      ++i;
    }
    if (n - i < 8 || std::memcmp(p + i, "</v></c>", 8) != 0) return 0;
    value = std::string_view(p + start, i - start);
    return i + 8;
  }

 private:
  static bool IsAsciiAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
};

// Runs one expat parser over the current archive member. The handler's callbacks receive the
// parser's user data; `Stop` from a callback ends the parse early (not an error).
//
// A sheet's plain cells (PlainCell) may skip the parser: expat costs about 50 ns per tag and a
// sheet is millions of <c><v></v></c>. A plain cell is handed to the handler directly only
// where the parser has just reported a start or end tag ending exactly where the cell begins
// and has been given nothing more: then the cell stands in element content, not inside a
// comment, CDATA section, processing instruction or tag, and removing a whole well-formed
// element from content leaves the rest as well-formed as it was, so the parser still judges
// everything else (errors, their line numbers: a plain cell holds no line break). Parts in
// UTF-16 and parts with a document type declaration (which could give <c> default attributes)
// never take this path.
class XmlPart {
 public:
  XmlPart() : parser_(XML_ParserCreateNS(nullptr, '|')) {}
  ~XmlPart() {
    if (parser_) XML_ParserFree(parser_);
  }
  XmlPart(const XmlPart&) = delete;
  XmlPart& operator=(const XmlPart&) = delete;

  XML_Parser parser() { return parser_; }
  void Stop() {
    stopped_ = true;
    XML_StopParser(parser_, XML_FALSE);
  }
  // Called by handlers on every event: a token that spans more than max_tag_bytes without an
  // event is refused (expat would buffer it whole).
  void Event() { last_event_ = fed_; }
  // Called on every start and end tag: where it ends, in the parser's bytes.
  void TagEvent() {
    Event();
    tag_end_ = XML_GetCurrentByteIndex(parser_) + XML_GetCurrentByteCount(parser_);
  }
  // Called on text (which may be a CDATA section's) and on a document type declaration.
  void OtherEvent() {
    Event();
    tag_end_ = -1;
  }
  void SawDoctype() { doctype_ = true; }

  // Plain cells (see above) go to `take` with `handler`; `take` returns false to leave a cell
  // to the parser (the handler is not where a cell can be).
  using TakeCell = bool (*)(void* handler, const PlainCell& cell);
  void TakePlainCells(TakeCell take, void* handler) {
    take_ = take;
    taker_ = handler;
  }

  // LocalName, remembering the namespace part ("uri|") of the last element name: the elements
  // of a part nearly all share one namespace, so its test is a prefix comparison, not a scan of
  // the whole name (which the sheet's millions of <c> and <v> events would repeat).
  // Gives the same result as LocalName for every name.
  std::string_view ElementLocalName(const XML_Char* name) {
    const size_t n = namespace_.size();
    if (n != 0 && std::strncmp(name, namespace_.data(), n) == 0) {
      const char* local = name + n;
      size_t length = 0;
      while (local[length] != '\0' && local[length] != '|') ++length;
      if (local[length] == '\0') return std::string_view(local, length);
    }
    std::string_view local = LocalName(name);
    namespace_.assign(name, static_cast<size_t>(local.data() - name));
    return local;
  }

  // Streams the member into the parser. Returns an empty string when the part was parsed to
  // its end (or stopped), else the reason.
  std::string Parse(ArchiveReader& archive, uint64_t max_tag_bytes, uint64_t max_bytes,
                    uint64_t* bytes) {
    if (!parser_) return "cannot create an XML parser";
    std::unique_ptr<char[]> chunk(new char[kChunkBytes]);
    for (;;) {
      std::string error;
      long got = archive.Read(chunk.get(), kChunkBytes, &error);
      if (got < 0) return error;
      fed_ += static_cast<uint64_t>(got);
      if (bytes) *bytes = fed_;
      if (max_bytes != 0 && fed_ > max_bytes) {
        return "the part is larger than " + HumanBytes(max_bytes) + ", not a workbook part";
      }
      std::string_view data(chunk.get(), static_cast<size_t>(got));
      if (fed_ == static_cast<uint64_t>(got)) {
        // A plain cell's bytes are ASCII: they mean the same in UTF-8 and the other encodings
        // expat reads (ISO-8859-1, US-ASCII), not in UTF-16, where other text can hold them.
        plain_cells_possible_ = data.size() >= 2 && data[0] != '\0' && data[1] != '\0' &&
                                data[0] != '\xFE' && data[0] != '\xFF';
      }
      if (take_ && plain_cells_possible_ && !doctype_) {
        // Hands over the plain cells, giving the parser what lies between them.
        size_t given = 0;
        for (size_t at = data.find("<c"); at != std::string_view::npos;
             at = data.find("<c", at + 1)) {
          PlainCell cell;
          const size_t length = cell.Read(data.substr(at));
          if (length == 0) continue;
          if (!Feed(data.substr(given, at - given), false)) return Failure();
          given = at;
          if (stopped_) return {};
          if (doctype_ || tag_end_ != parsed_ || !take_(taker_, cell)) continue;
          Event();
          given = at + length;
          at = given - 1;
        }
        data.remove_prefix(given);
      }
      if (!Feed(data, got == 0)) return Failure();
      if (stopped_) return {};
      if (fed_ - last_event_ > max_tag_bytes) {
        return "an XML token longer than " + HumanBytes(max_tag_bytes) + ", not a workbook part";
      }
      if (got == 0) return {};
    }
  }

 private:
  bool Feed(std::string_view data, bool last) {
    if (data.empty() && !last) return true;
    parsed_ += static_cast<XML_Index>(data.size());
    return XML_Parse(parser_, data.data(), static_cast<int>(data.size()), last) != XML_STATUS_ERROR;
  }
  std::string Failure() {
    if (stopped_) return {};
    return "invalid XML at line " + std::to_string(XML_GetCurrentLineNumber(parser_)) + ": " +
           XML_ErrorString(XML_GetErrorCode(parser_));
  }

  XML_Parser parser_;
  bool stopped_ = false;
  uint64_t fed_ = 0;  // bytes read from the member
  uint64_t last_event_ = 0;
  XML_Index parsed_ = 0;    // bytes given to the parser
  XML_Index tag_end_ = -1;  // where the parser's last event, a tag, ended; -1: not a tag
  bool doctype_ = false;
  bool plain_cells_possible_ = false;  // the part is not UTF-16 (judged on its first bytes)
  TakeCell take_ = nullptr;
  void* taker_ = nullptr;
  std::string namespace_;  // "uri|" of the last element name, or empty
};

// Attaches `handler` (a class with Start(name, attributes), End(name), Text(s, n)) to `part`.
template <typename Handler>
void Attach(XmlPart& part, Handler& handler) {
  struct Thunk {
    static void Start(void* data, const XML_Char* name, const XML_Char** attributes) {
      auto* h = static_cast<Handler*>(data);
      h->part->TagEvent();
      h->Start(h->part->ElementLocalName(name), attributes);
    }
    static void End(void* data, const XML_Char* name) {
      auto* h = static_cast<Handler*>(data);
      h->part->TagEvent();
      h->End(h->part->ElementLocalName(name));
    }
    static void Text(void* data, const XML_Char* s, int len) {
      auto* h = static_cast<Handler*>(data);
      h->part->OtherEvent();
      h->Text(std::string_view(s, static_cast<size_t>(len)));
    }
    static void Doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
      auto* h = static_cast<Handler*>(data);
      h->part->OtherEvent();
      h->part->SawDoctype();
    }
  };
  handler.part = &part;
  XML_SetUserData(part.parser(), &handler);
  XML_SetElementHandler(part.parser(), Thunk::Start, Thunk::End);
  XML_SetCharacterDataHandler(part.parser(), Thunk::Text);
  XML_SetStartDoctypeDeclHandler(part.parser(), Thunk::Doctype);
}

struct Relationship {
  std::string type;  // last segment of the type URI: "worksheet", "sharedStrings", ...
  std::string target;
};

struct RelsHandler {
  XmlPart* part = nullptr;
  std::map<std::string, Relationship> by_id;
  void Start(std::string_view name, const XML_Char** attributes) {
    if (name != "Relationship") return;
    const char* id = Attribute(attributes, "Id");
    const char* type = Attribute(attributes, "Type");
    const char* target = Attribute(attributes, "Target");
    if (!id || !type || !target) return;
    std::string_view t(type);
    size_t slash = t.rfind('/');
    by_id[id] = {std::string(slash == std::string_view::npos ? t : t.substr(slash + 1)), target};
  }
  void End(std::string_view) {}
  void Text(std::string_view) {}
};

struct WorkbookHandler {
  XmlPart* part = nullptr;
  struct Entry {
    std::string name, rel_id;
  };
  std::vector<Entry> sheets;
  bool date1904 = false;
  void Start(std::string_view name, const XML_Char** attributes) {
    if (name == "sheet") {
      const char* sheet_name = Attribute(attributes, "name");
      const char* rel = RelationshipId(attributes);
      sheets.push_back({sheet_name ? sheet_name : "", rel ? rel : ""});
    } else if (name == "workbookPr") {
      const char* v = Attribute(attributes, "date1904");
      date1904 = v && (std::string_view(v) == "1" || std::string_view(v) == "true");
    }
  }
  void End(std::string_view) {}
  void Text(std::string_view) {}
};

struct StylesHandler {
  XmlPart* part = nullptr;
  XlsxWorkbook::Styles* styles = nullptr;
  int in_cell_xfs = 0;
  void Start(std::string_view name, const XML_Char** attributes) {
    if (name == "numFmt") {
      auto id = ParseUnsigned(Attribute(attributes, "numFmtId"));
      const char* code = Attribute(attributes, "formatCode");
      if (id && code && styles->custom.size() < 4096) styles->custom[*id] = code;
    } else if (name == "cellXfs") {
      ++in_cell_xfs;
    } else if (name == "xf" && in_cell_xfs > 0 && styles->cell_formats.size() < (1u << 20)) {
      styles->cell_formats.push_back(ParseUnsigned(Attribute(attributes, "numFmtId")).value_or(0));
    }
  }
  void End(std::string_view name) {
    if (name == "cellXfs") --in_cell_xfs;
  }
  void Text(std::string_view) {}
};

// <si> items: the text of their <t> elements (directly or in rich-text runs <r>), without the
// phonetic guides (<rPh>) that East Asian workbooks add.
struct SharedStringsHandler {
  XmlPart* part = nullptr;
  XlsxWorkbook::SharedStrings* strings = nullptr;
  uint64_t max_bytes = 0;
  uint64_t max_cell_bytes = 0;
  bool in_t = false;
  int in_phonetic = 0;
  size_t item_start = 0;
  bool in_item = false;
  uint64_t cut_cells = 0;
  void Start(std::string_view name, const XML_Char**) {
    if (name == "si") {
      in_item = true;
      item_start = strings->arena.size();
    } else if (name == "t" && in_item) {
      in_t = true;
    } else if (name == "rPh") {
      ++in_phonetic;
    }
  }
  void End(std::string_view name) {
    if (name == "t") {
      in_t = false;
    } else if (name == "rPh") {
      --in_phonetic;
    } else if (name == "si" && in_item) {
      in_item = false;
      ++strings->total;
      if (strings->over_bound) return;
      // Each kept string costs its text and one index entry.
      if (strings->arena.size() + 8 * (strings->ends.size() + 1) > max_bytes) {
        strings->over_bound = true;
        strings->arena.resize(item_start);
        strings->arena.shrink_to_fit();
        return;
      }
      strings->ends.push_back(strings->arena.size());
    }
  }
  void Text(std::string_view text) {
    if (!in_t || in_phonetic > 0 || !in_item || strings->over_bound) return;
    uint64_t used = strings->arena.size() - item_start;
    if (used + text.size() > max_cell_bytes) {
      if (used < max_cell_bytes) {
        size_t keep = static_cast<size_t>(max_cell_bytes - used);
        while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;
        strings->arena.append(text.substr(0, keep));
        ++cut_cells;
      }
      return;
    }
    strings->arena.append(text);
  }
};

}  // namespace

XlsxWorkbook::XlsxWorkbook(XlsxLimits limits)
    : limits_(limits),
      styles_(std::make_unique<Styles>()),
      strings_(std::make_unique<SharedStrings>()) {}

XlsxWorkbook::~XlsxWorkbook() = default;

std::string XlsxWorkbook::Open(const std::filesystem::path& path) {
  open_ = [path](ArchiveReader& archive) { return archive.Open(path); };
  return Load();
}

std::string XlsxWorkbook::OpenMemory(std::string_view bytes) {
  open_ = [bytes](ArchiveReader& archive) { return archive.OpenMemory(bytes); };
  return Load();
}

namespace {

// Visits the members of a fresh pass over the package; `visit` returns false to stop.
template <typename Visit>
std::string EachMember(const std::function<std::string(ArchiveReader&)>& open, Visit visit) {
  ArchiveReader archive;
  std::string problem = open(archive);
  if (!problem.empty()) return "not a readable workbook package (" + problem + ")";
  ArchiveMember member;
  bool any = false;
  while (archive.Next(&member)) {
    any = true;
    if (!visit(archive, member)) return {};
  }
  if (!archive.error().empty()) {
    return any ? archive.error() : "not a readable workbook package (" + archive.error() + ")";
  }
  if (archive.format().find("zip") == std::string::npos && any) {
    return "not a workbook package (a " + archive.format() + " archive)";
  }
  if (!any) return "not a workbook package (no parts)";
  return {};
}

template <typename Handler>
std::string ParseMember(ArchiveReader& archive, Handler& handler, uint64_t max_tag_bytes,
                        uint64_t max_bytes) {
  XmlPart part;
  Attach(part, handler);
  return part.Parse(archive, max_tag_bytes, max_bytes, nullptr);
}

}  // namespace

std::string XlsxWorkbook::Load() {
  // Pass 1: the workbook part and its relationships. Their names are fixed by the package
  // root's relationships; Excel, LibreOffice and the CRMs' exporters all use xl/workbook.xml.
  WorkbookHandler workbook;
  RelsHandler rels;
  bool have_workbook = false, have_rels = false;
  std::string problem;
  std::string pass = EachMember(open_, [&](ArchiveReader& archive, const ArchiveMember& member) {
    const std::string part = Lower(member.part);
    if (member.encrypted && (part == "xl/workbook.xml" || part.starts_with("xl/"))) {
      problem = "encrypted package members";
      return false;
    }
    if (part == "xl/workbook.xml") {
      have_workbook = true;
      problem = ParseMember(archive, workbook, limits_.max_tag_bytes, kMaxStructureBytes);
      if (!problem.empty()) problem = "xl/workbook.xml: " + problem;
    } else if (part == "xl/_rels/workbook.xml.rels") {
      have_rels = true;
      problem = ParseMember(archive, rels, limits_.max_tag_bytes, kMaxStructureBytes);
      if (!problem.empty()) problem = "xl/_rels/workbook.xml.rels: " + problem;
    }
    return problem.empty() && !(have_workbook && have_rels);
  });
  if (!pass.empty()) return pass;
  if (!problem.empty()) return problem;
  if (!have_workbook) return "not a workbook (the package has no xl/workbook.xml)";
  if (!have_rels) return "damaged workbook (xl/_rels/workbook.xml.rels is missing)";
  date1904_ = workbook.date1904;

  std::string styles_part, strings_part;
  for (const auto& [id, rel] : rels.by_id) {
    if (rel.type == "styles") styles_part = ResolvePart("xl/", rel.target);
    if (rel.type == "sharedStrings") strings_part = ResolvePart("xl/", rel.target);
  }
  for (const WorkbookHandler::Entry& entry : workbook.sheets) {
    XlsxSheet sheet;
    sheet.name = TerminalSafe(RepairUtf8(entry.name));
    if (sheet.name.empty()) sheet.name = "Sheet" + std::to_string(sheets_.size() + 1);
    auto it = rels.by_id.find(entry.rel_id);
    if (it != rels.by_id.end()) {
      sheet.part = ResolvePart("xl/", it->second.target);
      sheet.chart = it->second.type == "chartsheet" || it->second.type == "dialogsheet";
    }
    sheets_.push_back(std::move(sheet));
  }

  // Pass 2: styles and shared strings, and which sheet parts exist.
  SharedStringsHandler strings_handler;
  strings_handler.strings = strings_.get();
  strings_handler.max_bytes = limits_.max_shared_string_bytes;
  strings_handler.max_cell_bytes = 64ull << 20;
  StylesHandler styles_handler;
  styles_handler.styles = styles_.get();
  std::string styles_problem;
  pass = EachMember(open_, [&](ArchiveReader& archive, const ArchiveMember& member) {
    const std::string part = Lower(member.part);
    for (XlsxSheet& sheet : sheets_) sheet.found = sheet.found || sheet.part == part;
    if (!strings_part.empty() && part == strings_part) {
      strings_->present = true;
      std::string p = ParseMember(archive, strings_handler, limits_.max_tag_bytes, 0);
      if (!p.empty()) {
        shared_strings_problem_ =
            "the shared strings (" + part + ") could not be read to the end: " + p;
      }
    } else if (!styles_part.empty() && part == styles_part) {
      styles_problem =
          ParseMember(archive, styles_handler, limits_.max_tag_bytes, kMaxStructureBytes);
    }
    return true;
  });
  if (!pass.empty()) return pass;
  if (!strings_part.empty() && !strings_->present) {
    shared_strings_problem_ = "the workbook's shared strings (" + strings_part + ") are missing";
  } else if (strings_->over_bound) {
    shared_strings_problem_ = "the shared strings exceed the " +
                              HumanBytes(limits_.max_shared_string_bytes) +
                              " bound: only the first " + std::to_string(strings_->ends.size()) +
                              " of " + std::to_string(strings_->total) + " were kept";
  }
  // Styles only decide how numbers are shown: without them every number shows as General.
  (void)styles_problem;
  return {};
}

namespace {

// Streams one sheet: <row> elements of <c> cells into a RecordTable. This is the hot path of a
// workbook scan (millions of cells), so a cell is classified once, placed with one copy and
// nothing is allocated per cell once the row buffers have grown.
struct SheetHandler {
  enum class CellType { kNumber, kShared, kBoolean, kInline, kOther };

  XmlPart* part = nullptr;
  RecordTable* table = nullptr;
  const XlsxWorkbook::SharedStrings* strings = nullptr;
  std::vector<FormatKind> style_kinds;  // per cellXfs index; beyond it, General
  bool date1904 = false;
  uint64_t max_cell_bytes = 0;

  // The current row, as RecordTable takes it: cells back to back in `joined`, cell i ending at
  // ends[i]. Cells arrive in column order in every sheet Excel writes and go straight there;
  // a cell out of order (or a repeated reference, the later one wins) moves the row into
  // `cells`, dense by column, joined when the row ends.
  std::string joined;
  std::vector<size_t> ends;
  bool dense = false;
  std::vector<std::string> cells;
  size_t width = 0;  // dense: 1 + the last column with a value
  uint64_t row_number = 0;
  size_t next_column = 0;
  bool in_sheet_data = false;

  // The current cell.
  bool in_cell = false;
  CellType type = CellType::kNumber;
  uint64_t style = 0;
  size_t column = 0;
  bool column_ok = true;
  int text_depth = 0;  // inside <v>, or <t> of an inline string
  int phonetic = 0;
  bool cell_cut = false;
  std::string value;
  std::string number;  // a number as shown

  // Counts for the outcome.
  uint64_t lost_digit_cells = 0;
  uint64_t cut_cells = 0;
  uint64_t missing_strings = 0;  // index beyond the part (or no part)
  uint64_t unkept_strings = 0;   // index beyond the memory bound
  uint64_t cells_beyond_xfd = 0;
  bool stopped_at_limit = false;

  static CellType TypeOf(const char* t) {
    // No t, or t="": a number (the default of ECMA-376's ST_CellType).
    if (!t || t[0] == '\0') return CellType::kNumber;
    if (t[1] == '\0') {
      if (t[0] == 'n') return CellType::kNumber;
      if (t[0] == 's') return CellType::kShared;
      if (t[0] == 'b') return CellType::kBoolean;
    }
    if (std::strcmp(t, "inlineStr") == 0) return CellType::kInline;
    return CellType::kOther;  // str (a formula's text), d (ISO date), e (#N/A), unknown
  }

  void Start(std::string_view name, const XML_Char** attributes) {
    if (name == "sheetData") {
      in_sheet_data = true;
    } else if (!in_sheet_data) {
      return;
    } else if (name == "c") {
      // One pass over the attributes for r, s and t (plain one-letter names; a namespaced
      // attribute reads "uri|name").
      const char *t = nullptr, *s = nullptr, *ref = nullptr;
      for (size_t i = 0; attributes[i]; i += 2) {
        const char* a = attributes[i];
        if (a[0] == '\0' || a[1] != '\0') continue;
        if (a[0] == 'r' && !ref) ref = attributes[i + 1];
        if (a[0] == 's' && !s) s = attributes[i + 1];
        if (a[0] == 't' && !t) t = attributes[i + 1];
      }
      in_cell = true;
      type = TypeOf(t);
      style = ParseUnsigned(s).value_or(0);
      auto c = ref ? ColumnOfReference(ref) : std::optional<size_t>(next_column);
      column_ok = c.has_value() && *c < kMaxColumns;
      column = c.value_or(0);
      next_column = column + 1;
      value.clear();
      cell_cut = false;
    } else if (in_cell && (name == "v" || (name == "t" && type == CellType::kInline))) {
      ++text_depth;
    } else if (name == "row") {
      auto r = ParseUnsigned(Attribute(attributes, "r"));
      row_number = r ? *r : row_number + 1;
      next_column = 0;
      ClearRow();
    } else if (in_cell && name == "rPh") {
      ++phonetic;
    }
  }

  void End(std::string_view name) {
    if (name == "sheetData") {
      in_sheet_data = false;
    } else if (!in_sheet_data) {
      return;
    } else if (name == "v" || (name == "t" && in_cell && type == CellType::kInline)) {
      if (text_depth > 0) --text_depth;
    } else if (name == "rPh") {
      if (phonetic > 0) --phonetic;
    } else if (name == "c" && in_cell) {
      in_cell = false;
      EndCell();
    } else if (name == "row") {
      EndRow();
      if (table->Full()) {
        stopped_at_limit = true;
        part->Stop();
      }
    }
  }

  // A plain cell handed over by the part (XmlPart::Parse): the same events the parser would
  // report for it, where a cell can stand; false leaves it to the parser.
  static bool TakePlainCell(void* self, const PlainCell& cell) {
    return static_cast<SheetHandler*>(self)->TakePlainCell(cell);
  }
  bool TakePlainCell(const PlainCell& cell) {
    if (!in_sheet_data || in_cell || text_depth != 0 || phonetic != 0) return false;
    const XML_Char* attributes[7];
    size_t n = 0;
    if (cell.has_r) attributes[n++] = "r", attributes[n++] = cell.r;
    if (cell.has_s) attributes[n++] = "s", attributes[n++] = cell.s;
    if (cell.has_t) attributes[n++] = "t", attributes[n++] = cell.t;
    attributes[n] = nullptr;
    const XML_Char* none[] = {nullptr};
    Start("c", attributes);
    Start("v", none);
    if (!cell.value.empty()) Text(cell.value);
    End("v");
    End("c");
    return true;
  }

  void Text(std::string_view text) {
    if (!in_cell || text_depth == 0 || phonetic > 0 || cell_cut) return;
    if (value.size() + text.size() > max_cell_bytes) {
      size_t keep = static_cast<size_t>(max_cell_bytes - value.size());
      while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;
      value.append(text.substr(0, keep));
      cell_cut = true;
      ++cut_cells;
      return;
    }
    value.append(text);
  }

  void EndCell() {
    if (!column_ok) {
      if (!value.empty()) ++cells_beyond_xfd;
      return;
    }
    std::string_view shown;
    switch (type) {
      case CellType::kShared: {
        auto index = ParseUnsigned(std::string_view(value));
        if (!index) return;
        if (auto text = strings->At(*index)) {
          shown = *text;
        } else if (*index < strings->total) {
          ++unkept_strings;
          return;
        } else {
          ++missing_strings;
          return;
        }
        break;
      }
      case CellType::kBoolean:
        shown = value == "1" ? "TRUE" : value == "0" ? "FALSE" : std::string_view(value);
        break;
      case CellType::kNumber: {
        if (value.empty()) return;
        bool lost = false;
        const FormatKind kind = style < style_kinds.size() ? style_kinds[style] : FormatKind{};
        number = RenderNumber(value, kind, date1904, &lost);
        if (lost) ++lost_digit_cells;
        shown = number;
        break;
      }
      case CellType::kInline:
      case CellType::kOther:
        shown = value;
        break;
    }
    if (!shown.empty()) Place(column, shown);
  }

  void Place(size_t at, std::string_view text) {
    if (!dense && at >= ends.size()) {
      ends.resize(at, joined.size());  // the empty cells before it
      joined.append(text);
      ends.push_back(joined.size());
      return;
    }
    if (!dense) {
      dense = true;
      if (cells.size() < ends.size()) cells.resize(ends.size());
      size_t begin = 0;
      for (size_t i = 0; i < ends.size(); ++i) {
        cells[i].assign(joined, begin, ends[i] - begin);
        begin = ends[i];
      }
      width = ends.size();
    }
    if (at >= cells.size()) cells.resize(at + 1);
    cells[at].assign(text);
    width = std::max(width, at + 1);
  }

  void EndRow() {
    if (dense) {
      joined.clear();
      ends.clear();
      for (size_t i = 0; i < width; ++i) {
        joined += cells[i];
        ends.push_back(joined.size());
      }
    }
    if (ends.empty()) return;  // a blank row (formatting only) is not a record
    table->Add(joined, ends, row_number);
    ClearRow();
  }

  void ClearRow() {
    joined.clear();
    ends.clear();
    if (dense) {
      for (size_t i = 0; i < width; ++i) cells[i].clear();
      width = 0;
      dense = false;
    }
  }
};

}  // namespace

FileReadOutcome XlsxWorkbook::ReadSheet(size_t index, const FileReadOptions& options,
                                        RecordSink& sink) {
  FileReadOutcome outcome;
  outcome.format = "xlsx";
  outcome.encoding = "UTF-8";
  const XlsxSheet& sheet = sheets_.at(index);
  if (sheet.chart) {
    outcome.status = ReadStatus::kEmpty;
    outcome.message = "a chart sheet: no cells";
    return outcome;
  }
  if (sheet.part.empty() || !sheet.found) {
    outcome.status = ReadStatus::kUnreadable;
    outcome.message = "the sheet's part is missing from the workbook";
    return outcome;
  }
  RecordTable table(sink, options.max_rows);
  SheetHandler handler;
  handler.table = &table;
  for (size_t style = 0; style < styles_->cell_formats.size(); ++style) {
    handler.style_kinds.push_back(KindOfFormat(styles_->FormatOf(style)));
  }
  handler.strings = strings_.get();
  handler.date1904 = date1904_;
  handler.max_cell_bytes = std::max<uint64_t>(options.max_record_bytes, 1);
  std::string problem;
  bool read = false;
  std::string pass = EachMember(open_, [&](ArchiveReader& archive, const ArchiveMember& member) {
    if (Lower(member.part) != sheet.part) return true;
    read = true;
    XmlPart part;
    Attach(part, handler);
    if (limits_.plain_cells_fast) part.TakePlainCells(&SheetHandler::TakePlainCell, &handler);
    problem = part.Parse(archive, limits_.max_tag_bytes, 0, &outcome.bytes);
    return false;
  });
  if (problem.empty() && !read) problem = pass.empty() ? "the sheet's part is missing" : pass;
  // A row cut off by a broken part is not delivered half; what was complete counts.
  table.Finish();

  outcome.rows = table.rows();
  outcome.truncated_by_limit = handler.stopped_at_limit || table.truncated_by_limit();
  std::vector<std::string> problems;
  std::vector<std::string> remarks;
  if (!problem.empty()) problems.push_back(problem);
  if (handler.unkept_strings > 0) {
    problems.push_back(Plural(handler.unkept_strings, "cell") +
                       " not examined: " + shared_strings_problem_);
  }
  if (handler.missing_strings > 0) {
    problems.push_back(
        Plural(handler.missing_strings, "cell") +
        " refer to shared strings the workbook does not hold" +
        (shared_strings_problem_.empty() ? "" : " (" + shared_strings_problem_ + ")"));
  } else if (!shared_strings_problem_.empty() && handler.unkept_strings == 0 &&
             !strings_->over_bound) {
    remarks.push_back(shared_strings_problem_);
  }
  if (handler.cut_cells > 0) {
    problems.push_back(Plural(handler.cut_cells, "cell") + " cut (over max_record_bytes = " +
                       std::to_string(options.max_record_bytes) + " bytes)");
  }
  if (handler.cells_beyond_xfd > 0) {
    problems.push_back(Plural(handler.cells_beyond_xfd, "cell") +
                       " with an invalid reference (beyond column XFD) not examined");
  }
  if (handler.lost_digit_cells > 0) {
    remarks.push_back(Plural(handler.lost_digit_cells, "number") +
                      " of 16 or more digits: a spreadsheet keeps 15 significant digits, so "
                      "card or account numbers stored as numbers may have lost digits (the "
                      "digits that remain were examined)");
  }
  if (outcome.truncated_by_limit) {
    remarks.push_back("sampled: stopped after " + Plural(outcome.rows, "record"));
  }
  if (!problems.empty()) {
    outcome.status = outcome.rows > 0 ? ReadStatus::kPartial : ReadStatus::kUnreadable;
  } else if (outcome.rows == 0) {
    outcome.status = ReadStatus::kEmpty;
    remarks.insert(remarks.begin(),
                   table.records() > 0 ? "a header row and no data rows" : "empty sheet: no cells");
  } else {
    outcome.status = ReadStatus::kComplete;
  }
  problems.insert(problems.end(), remarks.begin(), remarks.end());
  for (const std::string& p : problems) {
    outcome.message += (outcome.message.empty() ? "" : "; ") + p;
  }
  return outcome;
}

}  // namespace crmaudit
