#include "scanner/sources/files/json_reader.h"

#include <simdjson.h>
#include <algorithm>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <utility>

namespace crmaudit {

namespace {

namespace od = simdjson::ondemand;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 8259 number grammar; simdjson on-demand hands out the raw token without checking it.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

constexpr size_t kMaxColumns = 10000;
constexpr std::string_view kOverflowColumn = "(more columns)";

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Parses one record and turns it into (column, value) cells held in an arena, so that nothing
// reaches the sink unless the whole record is valid.
//
// Nesting is bounded (JsonReader::kMaxNesting): the flattener recurses once per level, so a
// record nested deeper is refused before the stack is at risk (100,000 levels in a 600 KB
// file would overflow it) and before simdjson's own depth limit; too_deep() tells the caller
// that was the reason, so it is reported as such and the other records are still read.
class RecordFlattener {
 public:
  explicit RecordFlattener(RecordSink& sink) : sink_(sink) {}

  struct Cell {
    size_t column;
    size_t offset;
    size_t size;
  };

  // `buffer` must have SIMDJSON_PADDING bytes of capacity after data+size.
  bool Parse(const char* data, size_t size, size_t capacity, std::string_view prefix) {
    cells_.clear();
    arena_.clear();
    path_.assign(prefix);
    depth_ = 1;
    too_deep_ = false;
    od::document doc;
    if (parser_.iterate(simdjson::padded_string_view(data, size, capacity)).get(doc)) {
      return false;
    }
    od::json_type type;
    if (doc.type().get(type)) return false;
    simdjson::error_code error = simdjson::SUCCESS;
    switch (type) {
      case od::json_type::object: {
        od::object object;
        error = doc.get_object().get(object);
        if (!error) error = Object(object);
        break;
      }
      case od::json_type::array: {
        od::array array;
        error = doc.get_array().get(array);
        if (!error) error = Array(array);
        break;
      }
      case od::json_type::string: {
        std::string_view s;
        error = doc.get_string().get(s);
        if (!error) AddCell(s);
        break;
      }
      case od::json_type::number: {
        std::string_view raw;
        error = doc.raw_json_token().get(raw);
        if (!error) error = AddNumber(raw);
        break;
      }
      case od::json_type::boolean: {
        bool b;
        error = doc.get_bool().get(b);
        if (!error) AddCell(b ? "true" : "false");
        break;
      }
      case od::json_type::null: {
        bool is_null = false;
        error = doc.is_null().get(is_null);
        if (!error && !is_null) error = simdjson::N_ATOM_ERROR;
        break;
      }
    }
    if (error) return false;
    // Anything after the value (e.g. "{} x") makes the record invalid.
    const char* location = nullptr;
    if (!doc.current_location().get(location)) return false;
    return true;
  }

  void Emit() {
    for (const Cell& cell : cells_) {
      sink_.Field(cell.column, std::string_view(arena_.data() + cell.offset, cell.size));
    }
  }

  const std::vector<Cell>& cells() const { return cells_; }
  uint64_t folded_paths() const { return folded_paths_; }
  // The last Parse failed because the record is nested deeper than kMaxNesting.
  bool too_deep() const { return too_deep_; }
  std::string_view arena() const { return arena_; }

  // Unescapes a captured JSON string token ("...") into `*out`.
  bool ParseKey(std::string& buffer, std::string* out) {
    size_t size = buffer.size();
    buffer.reserve(size + simdjson::SIMDJSON_PADDING);
    od::document doc;
    std::string_view s;
    if (parser_.iterate(simdjson::padded_string_view(buffer.data(), size, buffer.capacity()))
            .get(doc) ||
        doc.get_string().get(s)) {
      return false;
    }
    out->assign(s);
    return true;
  }

 private:
  simdjson::error_code Value(od::value value) {
    od::json_type type;
    if (auto error = value.type().get(type)) return error;
    switch (type) {
      case od::json_type::object: {
        od::object object;
        if (auto error = value.get_object().get(object)) return error;
        if (!Descend()) return simdjson::DEPTH_ERROR;
        auto error = Object(object);
        --depth_;
        return error;
      }
      case od::json_type::array: {
        od::array array;
        if (auto error = value.get_array().get(array)) return error;
        if (!Descend()) return simdjson::DEPTH_ERROR;
        auto error = Array(array);
        --depth_;
        return error;
      }
      case od::json_type::string: {
        std::string_view s;
        if (auto error = value.get_string().get(s)) return error;
        AddCell(s);
        return simdjson::SUCCESS;
      }
      case od::json_type::number: {
        return AddNumber(value.raw_json_token());
      }
      case od::json_type::boolean: {
        bool b;
        if (auto error = value.get_bool().get(b)) return error;
        AddCell(b ? "true" : "false");
        return simdjson::SUCCESS;
      }
      case od::json_type::null: {
        bool is_null = false;
        if (auto error = value.is_null().get(is_null)) return error;
        return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
      }
    }
    return simdjson::INCORRECT_TYPE;
  }

  simdjson::error_code Object(od::object object) {
    for (auto member : object) {
      od::field field;
      if (auto error = std::move(member).get(field)) return error;
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return error;
      size_t keep = path_.size();
      if (!path_.empty()) path_ += '.';
      path_.append(key);
      auto error = Value(field.value());
      path_.resize(keep);
      if (error) return error;
    }
    return simdjson::SUCCESS;
  }

  // Array elements keep the path of the array: a list of scalars is several values of one
  // column, a list of objects yields "array.key" columns.
  simdjson::error_code Array(od::array array) {
    for (auto element : array) {
      od::value value;
      if (auto error = std::move(element).get(value)) return error;
      if (auto error = Value(value)) return error;
    }
    return simdjson::SUCCESS;
  }

  bool Descend() {
    if (depth_ >= static_cast<int>(JsonReader::kMaxNesting)) {
      too_deep_ = true;
      return false;
    }
    ++depth_;
    return true;
  }

  simdjson::error_code AddNumber(std::string_view raw) {
    raw = TrimSpaces(raw);
    if (!IsJsonNumber(raw)) return simdjson::NUMBER_ERROR;
    AddCell(raw);
    return simdjson::SUCCESS;
  }

  void AddCell(std::string_view value) {
    if (value.empty()) return;
    std::string_view name = path_.empty() ? std::string_view("value") : std::string_view(path_);
    auto it = columns_.find(name);
    if (it == columns_.end()) {
      if (columns_.size() >= kMaxColumns) {
        // Keys that are data (maps keyed by record id) would grow the column table with the
        // file; their values are still scanned, under one column.
        name = kOverflowColumn;
        it = columns_.find(name);
        ++folded_paths_;
      }
      if (it == columns_.end()) {
        it = columns_.emplace(std::string(name), sink_.DeclareColumn(name)).first;
      }
    }
    cells_.push_back({it->second, arena_.size(), value.size()});
    arena_.append(value);
  }

  RecordSink& sink_;
  od::parser parser_;
  std::string path_;
  std::string arena_;
  std::vector<Cell> cells_;
  std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> columns_;
  uint64_t folded_paths_ = 0;
  int depth_ = 0;  // objects and arrays open around the value being read
  bool too_deep_ = false;
};

enum class Mode {
  kBegin,       // before the top-level value
  kArrayFirst,  // after '[': an element or ']'
  kArrayNext,   // after ',': an element
  kArrayAfter,  // after an element: ',' or ']'
  kObjectFirst,
  kObjectNext,
  kObjectColon,
  kObjectValue,
  kObjectAfter,
  kCapture,   // inside one value being collected
  kTrailing,  // after the top-level value: only whitespace may follow
  kStopped,
};

enum class Purpose { kRecord, kKey, kMember };

}  // namespace

struct JsonReader::State {
  State(RecordSink& s, Layout l, uint64_t max_bytes, uint64_t max, uint64_t base)
      : sink(s),
        flattener(s),
        layout(l),
        max_record_bytes(max_bytes),
        max_rows(max),
        offset_base(base) {}

  RecordSink& sink;
  RecordFlattener flattener;
  const Layout layout;
  const uint64_t max_record_bytes;
  const uint64_t max_rows;
  const uint64_t offset_base;

  uint64_t rows = 0;
  uint64_t malformed = 0;
  uint64_t first_malformed_line = 0;
  uint64_t oversized = 0;
  uint64_t too_deep = 0;  // records skipped for nesting deeper than kMaxNesting
  bool truncated_by_limit = false;
  std::string error;
  std::vector<std::string> array_names;

  // The record being collected (an NDJSON line or a document element), padded for simdjson.
  std::string buffer;
  bool overflow = false;
  uint64_t consumed = 0;  // text bytes fed before the current chunk

  // kLines
  uint64_t line = 1;

  // kDocument
  Mode mode = Mode::kBegin;
  Purpose purpose = Purpose::kRecord;
  bool inner_array = false;  // streaming an array that is a member of the top-level object
  std::string key;
  std::string prefix;
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  bool scalar = false;
  uint64_t capture_offset = 0;
  std::string deferred_arena;  // non-array members of a top-level object: one record
  std::vector<RecordFlattener::Cell> deferred_cells;

  void Collect(std::string_view piece) {
    if (overflow) return;
    if (buffer.size() + piece.size() > max_record_bytes) {
      overflow = true;
      buffer.clear();
      return;
    }
    buffer.append(piece);
  }

  bool ParseBuffer(const char* data, size_t size, std::string_view record_prefix) {
    size_t offset = static_cast<size_t>(data - buffer.data());
    if (buffer.capacity() < offset + size + simdjson::SIMDJSON_PADDING) {
      buffer.reserve(offset + size + simdjson::SIMDJSON_PADDING);
      data = buffer.data() + offset;
    }
    return flattener.Parse(data, size, buffer.capacity() - offset, record_prefix);
  }

  void DeliverRecord() {
    flattener.Emit();
    sink.EndRecord();
    ++rows;
  }

  bool LimitReached() {
    if (max_rows == 0 || rows < max_rows) return false;
    truncated_by_limit = true;
    mode = Mode::kStopped;
    return true;
  }

  // ---- kLines ----
  bool EndLine() {
    bool keep_going = true;
    if (overflow) {
      ++oversized;
    } else {
      std::string_view text = TrimSpaces(buffer);
      if (!text.empty()) {
        if (LimitReached()) return false;
        if (ParseBuffer(text.data(), text.size(), "")) {
          DeliverRecord();
        } else if (flattener.too_deep()) {
          ++too_deep;
        } else {
          ++malformed;
          if (first_malformed_line == 0) first_malformed_line = line;
        }
      }
    }
    buffer.clear();
    overflow = false;
    ++line;
    return keep_going;
  }

  bool FeedLines(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
      const void* hit = std::memchr(text.data() + i, '\n', text.size() - i);
      size_t stop =
          hit ? static_cast<size_t>(static_cast<const char*>(hit) - text.data()) : text.size();
      Collect(text.substr(i, stop - i));
      i = stop;
      if (hit) {
        ++i;
        if (!EndLine()) return false;
      }
    }
    return true;
  }

  // ---- kDocument ----
  void Fail(const std::string& what, uint64_t offset) {
    error = what + " at byte " + std::to_string(offset + offset_base);
    mode = Mode::kStopped;
  }

  void StartCapture(Purpose p, char first, uint64_t offset) {
    purpose = p;
    mode = Mode::kCapture;
    buffer.clear();
    overflow = false;
    depth = 0;
    in_string = false;
    escape = false;
    scalar = first != '{' && first != '[' && first != '"';
    capture_offset = offset;
  }

  // Consumes value bytes from text[i...]; returns the index after them.
  size_t ContinueCapture(std::string_view text, size_t i) {
    size_t start = i;
    bool done = false;
    const size_t n = text.size();
    while (i < n && !done) {
      char c = text[i];
      if (scalar) {
        if (c == ',' || c == ']' || c == '}' || IsSpace(c)) {
          done = true;
          break;
        }
        ++i;
        continue;
      }
      if (in_string) {
        if (escape) {
          escape = false;
          ++i;
          continue;
        }
        while (i < n && text[i] != '"' && text[i] != '\\') ++i;
        if (i == n) break;
        if (text[i] == '\\') {
          escape = true;
        } else {
          in_string = false;
          done = depth == 0;
        }
        ++i;
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        done = --depth == 0;
      }
      ++i;
    }
    Collect(text.substr(start, i - start));
    if (done) FinishCapture();
    return i;
  }

  void FinishCapture() {
    switch (purpose) {
      case Purpose::kKey:
        mode = Mode::kObjectColon;
        if (overflow || !flattener.ParseKey(buffer, &key)) {
          Fail("invalid JSON object key", capture_offset);
        }
        return;
      case Purpose::kRecord:
        mode = Mode::kArrayAfter;
        if (overflow) {
          ++oversized;
        } else if (ParseBuffer(buffer.data(), buffer.size(), prefix)) {
          DeliverRecord();
        } else if (flattener.too_deep()) {
          ++too_deep;
        } else {
          Fail("invalid JSON", capture_offset);
        }
        return;
      case Purpose::kMember:
        mode = Mode::kObjectAfter;
        if (overflow) {
          ++oversized;
        } else if (ParseBuffer(buffer.data(), buffer.size(), key)) {
          std::string_view arena = flattener.arena();
          if (deferred_arena.size() + arena.size() > max_record_bytes) {
            ++oversized;
            return;
          }
          for (RecordFlattener::Cell cell : flattener.cells()) {
            cell.offset += deferred_arena.size();
            deferred_cells.push_back(cell);
          }
          deferred_arena.append(arena);
        } else if (flattener.too_deep()) {
          ++too_deep;
        } else {
          Fail("invalid JSON", capture_offset);
        }
        return;
    }
  }

  bool FeedDocument(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
      if (mode == Mode::kStopped) return false;
      if (mode == Mode::kCapture) {
        i = ContinueCapture(text, i);
        continue;
      }
      char c = text[i];
      if (IsSpace(c)) {
        ++i;
        continue;
      }
      uint64_t offset = consumed + i;
      switch (mode) {
        case Mode::kBegin:
          if (c == '[') {
            mode = Mode::kArrayFirst;
          } else if (c == '{') {
            mode = Mode::kObjectFirst;
          } else {
            Fail("expected '[' or '{'", offset);
          }
          ++i;
          break;
        case Mode::kArrayFirst:
        case Mode::kArrayNext:
          if (c == ']' && mode == Mode::kArrayFirst) {
            mode = inner_array ? Mode::kObjectAfter : Mode::kTrailing;
            ++i;
          } else if (c == ']' || c == ',') {
            Fail("invalid JSON: missing array element", offset);
          } else if (!LimitReached()) {
            StartCapture(Purpose::kRecord, c, offset);
          }
          break;
        case Mode::kArrayAfter:
          if (c == ',') {
            mode = Mode::kArrayNext;
          } else if (c == ']') {
            mode = inner_array ? Mode::kObjectAfter : Mode::kTrailing;
          } else {
            Fail("invalid JSON: expected ',' or ']'", offset);
          }
          ++i;
          break;
        case Mode::kObjectFirst:
        case Mode::kObjectNext:
          if (c == '}' && mode == Mode::kObjectFirst) {
            mode = Mode::kTrailing;
            ++i;
          } else if (c == '"') {
            StartCapture(Purpose::kKey, c, offset);
          } else {
            Fail("invalid JSON: expected an object key", offset);
          }
          break;
        case Mode::kObjectColon:
          if (c != ':') Fail("invalid JSON: expected ':'", offset);
          mode = Mode::kObjectValue;
          ++i;
          break;
        case Mode::kObjectValue:
          if (c == '[') {
            inner_array = true;
            prefix = key;
            array_names.push_back(key);
            mode = Mode::kArrayFirst;
            ++i;
          } else {
            StartCapture(Purpose::kMember, c, offset);
          }
          break;
        case Mode::kObjectAfter:
          if (c == ',') {
            mode = Mode::kObjectNext;
          } else if (c == '}') {
            mode = Mode::kTrailing;
          } else {
            Fail("invalid JSON: expected ',' or '}'", offset);
          }
          ++i;
          break;
        case Mode::kTrailing:
          Fail("invalid JSON: content after the end of the document", offset);
          break;
        case Mode::kCapture:
        case Mode::kStopped:
          break;
      }
    }
    return mode != Mode::kStopped;
  }

  void FinishDocument(bool clean) {
    if (mode == Mode::kCapture && scalar && clean) {
      // A scalar ends at the first delimiter; at the end of input it ends there.
      FinishCapture();
    }
    if (clean && mode != Mode::kStopped && mode != Mode::kTrailing && mode != Mode::kBegin) {
      Fail("invalid JSON: unexpected end of input", consumed);
    }
    if (!deferred_cells.empty()) {
      for (const RecordFlattener::Cell& cell : deferred_cells) {
        sink.Field(cell.column, std::string_view(deferred_arena.data() + cell.offset, cell.size));
      }
      sink.EndRecord();
      ++rows;
    }
  }
};

bool LooksLikeJsonLines(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && IsSpace(text[i])) ++i;
  if (i == text.size() || (text[i] != '{' && text[i] != '[')) return false;
  int depth = 0;
  bool in_string = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      break;
    }
  }
  if (i >= text.size()) return false;
  bool newline = false;
  for (++i; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      newline = true;
    } else if (!IsSpace(c)) {
      return newline && (c == '{' || c == '[');
    }
  }
  return false;
}

JsonReader::JsonReader(RecordSink& sink, Layout layout, uint64_t max_record_bytes,
                       uint64_t max_rows, uint64_t offset_base)
    : state_(std::make_unique<State>(sink, layout, std::max<uint64_t>(max_record_bytes, 1),
                                     max_rows, offset_base)) {}

JsonReader::~JsonReader() = default;

bool JsonReader::Feed(std::string_view text) {
  bool more =
      state_->layout == Layout::kLines ? state_->FeedLines(text) : state_->FeedDocument(text);
  state_->consumed += text.size();
  return more;
}

void JsonReader::Finish(bool clean) {
  if (state_->layout == Layout::kDocument) {
    state_->FinishDocument(clean);
  } else if (clean && (!state_->buffer.empty() || state_->overflow)) {
    state_->EndLine();
  }
}

uint64_t JsonReader::rows() const { return state_->rows; }
uint64_t JsonReader::malformed_records() const { return state_->malformed; }
uint64_t JsonReader::first_malformed_line() const { return state_->first_malformed_line; }
uint64_t JsonReader::oversized_records() const { return state_->oversized; }
uint64_t JsonReader::too_deep_records() const { return state_->too_deep; }
bool JsonReader::truncated_by_limit() const { return state_->truncated_by_limit; }
const std::string& JsonReader::error() const { return state_->error; }
const std::vector<std::string>& JsonReader::array_names() const { return state_->array_names; }
uint64_t JsonReader::folded_paths() const { return state_->flattener.folded_paths(); }

}  // namespace crmaudit
