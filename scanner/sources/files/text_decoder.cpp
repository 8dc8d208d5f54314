#include "scanner/sources/files/text_decoder.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include <simdjson.h>
#include <algorithm>
#include <cctype>

#include "scanner/model/utf8.h"

namespace crmaudit {

namespace {

unsigned char Byte(std::string_view s, size_t i) { return static_cast<unsigned char>(s[i]); }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// Expected length of a UTF-8 sequence from its lead byte; 1 for bytes that cannot lead.
size_t Utf8LengthFromLead(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

// Start of a trailing multibyte sequence that is still incomplete, or text.size().
size_t IncompleteTailStart(std::string_view text) {
  size_t n = text.size();
  size_t i = n;
  while (i > 0 && n - i < 3 && (Byte(text, i - 1) & 0xC0) == 0x80) --i;
  if (i == 0) return n;
  size_t lead = i - 1;
  size_t need = Utf8LengthFromLead(Byte(text, lead));
  return need > 1 && n - lead < need ? lead : n;
}

bool HasHighByte(std::string_view s) {
  unsigned char any = 0;
  for (char c : s) any |= static_cast<unsigned char>(c);
  return (any & 0x80) != 0;
}

// GB18030 structure check plus a plausibility score: real Chinese text is mostly GB2312
// hanzi/symbol pairs (both bytes A1-FE), which random Latin-1 or binary data rarely is.
bool LooksLikeGb18030(std::string_view s, bool complete) {
  size_t pairs = 0;
  size_t gb2312_pairs = 0;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char b = Byte(s, i);
    if (b < 0x80) {
      ++i;
      continue;
    }
    if (b == 0x80 || b == 0xFF) return false;
    if (i + 1 >= s.size()) return !complete && gb2312_pairs >= 2 && gb2312_pairs * 2 >= pairs;
    unsigned char t = Byte(s, i + 1);
    if (t >= 0x30 && t <= 0x39) {
      if (i + 3 >= s.size()) {
        if (complete) return false;
        break;
      }
      unsigned char c = Byte(s, i + 2), d = Byte(s, i + 3);
      if (c < 0x81 || c > 0xFE || d < 0x30 || d > 0x39) return false;
      ++pairs;
      i += 4;
      continue;
    }
    if (t < 0x40 || t == 0x7F || t == 0xFF) return false;
    ++pairs;
    if (b >= 0xA1 && b <= 0xF7 && t >= 0xA1) ++gb2312_pairs;
    i += 2;
  }
  return gb2312_pairs >= 2 && gb2312_pairs * 2 >= pairs;
}

std::string NormalizedName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_' || c == ' ') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

void CountAndReplace(const void* context, UConverterToUnicodeArgs* args, const char*,
                     int32_t length, UConverterCallbackReason reason, UErrorCode* error) {
  if (reason != UCNV_UNASSIGNED && reason != UCNV_ILLEGAL && reason != UCNV_IRREGULAR) return;
  *static_cast<uint64_t*>(const_cast<void*>(context)) += static_cast<uint64_t>(length);
  *error = U_ZERO_ERROR;
  static const UChar kReplacement = 0xFFFD;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, error);
}

constexpr size_t kPivotUnits = 4096;

}  // namespace

TextEncoding DetectEncoding(std::string_view sample, bool complete) {
  if (StartsWith(sample, "\xEF\xBB\xBF")) return {"UTF-8-BOM", "", 3, false};
  if (StartsWith(sample, "\xFF\xFE")) return {"UTF-16LE", "UTF-16LE", 2, true};
  if (StartsWith(sample, "\xFE\xFF")) return {"UTF-16BE", "UTF-16BE", 2, true};

  // BOM-less UTF-16 of mostly ASCII text: one NUL in every pair, always on the same side.
  size_t probe = std::min<size_t>(sample.size(), 4096) & ~size_t{1};
  if (probe >= 8) {
    size_t even_nuls = 0, odd_nuls = 0;
    for (size_t i = 0; i < probe; i += 2) {
      even_nuls += sample[i] == 0;
      odd_nuls += sample[i + 1] == 0;
    }
    size_t pairs = probe / 2;
    if (odd_nuls * 10 >= pairs * 6 && even_nuls * 50 <= pairs) {
      return {"UTF-16LE", "UTF-16LE", 0, true};
    }
    if (even_nuls * 10 >= pairs * 6 && odd_nuls * 50 <= pairs) {
      return {"UTF-16BE", "UTF-16BE", 0, true};
    }
  }

  std::string_view checked = complete ? sample : sample.substr(0, IncompleteTailStart(sample));
  if (simdjson::validate_utf8(checked.data(), checked.size())) {
    return {"UTF-8", "", 0, false, !complete && !HasHighByte(sample)};
  }
  if (LooksLikeGb18030(sample, complete)) return {"GB18030", "GB18030", 0, false};
  return {"UTF-8", "", 0, false};
}

bool ResolveEncoding(std::string_view name, std::string_view sample, TextEncoding* encoding) {
  std::string key = NormalizedName(name);
  TextEncoding e;
  if (key == "utf8" || key == "utf8bom" || key == "utf8sig") {
    e = {"UTF-8", "", 0, false};
    if (StartsWith(sample, "\xEF\xBB\xBF")) e = {"UTF-8-BOM", "", 3, false};
  } else if (key == "utf16le" || key == "ucs2le") {
    e = {"UTF-16LE", "UTF-16LE", StartsWith(sample, "\xFF\xFE") ? 2u : 0u, true};
  } else if (key == "utf16be" || key == "ucs2be") {
    e = {"UTF-16BE", "UTF-16BE", StartsWith(sample, "\xFE\xFF") ? 2u : 0u, true};
  } else if (key == "utf16" || key == "ucs2") {
    // Without a BOM, Windows exports are little-endian.
    e = StartsWith(sample, "\xFE\xFF") ? TextEncoding{"UTF-16BE", "UTF-16BE", 2, true}
                                       : TextEncoding{"UTF-16LE", "UTF-16LE", 0, true};
    if (StartsWith(sample, "\xFF\xFE")) e.bom_bytes = 2;
  } else if (key == "gb18030") {
    e = {"GB18030", "GB18030", 0, false};
  } else if (key == "gbk" || key == "cp936" || key == "windows936" || key == "gb2312") {
    // GB18030 is a superset of GBK and GB2312 and decodes their files identically.
    e = {"GBK", "GB18030", 0, false};
    if (key == "gb2312") e.label = "GB2312";
  } else if (key == "latin1" || key == "iso88591") {
    e = {"ISO-8859-1", "ISO-8859-1", 0, false};
  } else if (key == "cp1252" || key == "windows1252") {
    e = {"windows-1252", "windows-1252", 0, false};
  } else {
    UErrorCode error = U_ZERO_ERROR;
    std::string raw(name);
    UConverter* probe = ucnv_open(raw.c_str(), &error);
    if (U_FAILURE(error) || probe == nullptr) return false;
    ucnv_close(probe);
    e = {raw, raw, 0, key.rfind("utf16", 0) == 0 || key.rfind("utf32", 0) == 0};
  }
  *encoding = e;
  return true;
}

struct TextDecoder::State {
  TextEncoding encoding;
  size_t bom_left = 0;
  uint64_t invalid = 0;
  bool ok = true;
  // UTF-8 path: bytes of a character cut by the previous chunk boundary.
  std::string pending;
  // ICU path.
  UConverter* source = nullptr;
  UConverter* target = nullptr;
  UChar pivot[kPivotUnits];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
  bool reset = true;

  ~State() {
    if (source) ucnv_close(source);
    if (target) ucnv_close(target);
  }

  void AppendUtf8(std::string_view body, std::string* out) {
    if (simdjson::validate_utf8(body.data(), body.size())) {
      out->append(body);
    } else {
      out->append(RepairUtf8(body, &invalid));
    }
  }

  bool OpenConverters() {
    UErrorCode error = U_ZERO_ERROR;
    source = ucnv_open(encoding.icu_name.c_str(), &error);
    if (U_SUCCESS(error)) target = ucnv_open("UTF-8", &error);
    if (U_SUCCESS(error)) {
      ucnv_setToUCallBack(source, CountAndReplace, &invalid, nullptr, nullptr, &error);
    }
    return U_SUCCESS(error);
  }

  void DecodeUtf8(std::string_view input, bool last, std::string* out) {
    if (encoding.provisional && HasHighByte(input)) {
      // Everything before was ASCII, so no character is pending across the boundary.
      encoding.provisional = false;
      std::string_view checked = last ? input : input.substr(0, IncompleteTailStart(input));
      if (!simdjson::validate_utf8(checked.data(), checked.size()) &&
          LooksLikeGb18030(input, last)) {
        encoding = {"GB18030", "GB18030", 0, false, false};
        if (OpenConverters()) {
          DecodeIcu(input, last, out);
          return;
        }
        encoding = {"UTF-8", "", 0, false, false};
      }
    }
    if (!pending.empty()) {
      size_t need = Utf8LengthFromLead(static_cast<unsigned char>(pending[0]));
      size_t take = 0;
      while (pending.size() + take < need && take < input.size() &&
             (Byte(input, take) & 0xC0) == 0x80) {
        ++take;
      }
      pending.append(input.substr(0, take));
      input.remove_prefix(take);
      bool complete = pending.size() == need;
      bool broken = !complete && (!input.empty() || last);
      if (complete || broken) {
        AppendUtf8(pending, out);
        pending.clear();
      }
    }
    size_t tail = last ? input.size() : IncompleteTailStart(input);
    AppendUtf8(input.substr(0, tail), out);
    pending.append(input.substr(tail));
    if (last && !pending.empty()) {
      AppendUtf8(pending, out);
      pending.clear();
    }
  }

  void DecodeIcu(std::string_view input, bool last, std::string* out) {
    size_t used = out->size();
    out->resize(used + input.size() * 3 + 64);
    const char* src = input.data();
    const char* src_end = src + input.size();
    for (;;) {
      char* dst = out->data() + used;
      UErrorCode error = U_ZERO_ERROR;
      ucnv_convertEx(target, source, &dst, out->data() + out->size(), &src, src_end, pivot,
                     &pivot_source, &pivot_target, pivot + kPivotUnits, reset, last, &error);
      reset = false;
      used = static_cast<size_t>(dst - out->data());
      if (error == U_BUFFER_OVERFLOW_ERROR) {
        out->resize(out->size() * 2);
        continue;
      }
      if (U_FAILURE(error)) {
        // Conversion errors are handled by the callback; anything else drops the chunk
        // rather than passing on unconverted bytes.
        invalid += static_cast<uint64_t>(src_end - src);
      }
      break;
    }
    out->resize(used);
  }
};

TextDecoder::TextDecoder(const TextEncoding& encoding) : state_(std::make_unique<State>()) {
  state_->encoding = encoding;
  state_->bom_left = encoding.bom_bytes;
  if (encoding.icu_name.empty()) return;
  state_->ok = state_->OpenConverters();
}

TextDecoder::~TextDecoder() = default;

bool TextDecoder::ok() const { return state_->ok; }

uint64_t TextDecoder::invalid_bytes() const { return state_->invalid; }

const std::string& TextDecoder::label() const { return state_->encoding.label; }

void TextDecoder::Decode(std::string_view input, bool last, std::string* out) {
  if (state_->bom_left > 0) {
    size_t skip = std::min(state_->bom_left, input.size());
    input.remove_prefix(skip);
    state_->bom_left -= skip;
  }
  if (!state_->ok) return;
  if (state_->encoding.icu_name.empty()) {
    state_->DecodeUtf8(input, last, out);
  } else {
    state_->DecodeIcu(input, last, out);
  }
}

}  // namespace crmaudit
