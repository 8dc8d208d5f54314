// Text encodings of export files: detection from a sample and streaming transcoding to UTF-8.
//
// Invariants every caller relies on:
//  - TextDecoder output is always valid UTF-8; each input byte that cannot be decoded becomes
//    U+FFFD and is counted in invalid_bytes();
//  - output never ends in the middle of a character: a multibyte sequence cut by a chunk
//    boundary is held back until the next Decode call (or repaired on the last one);
//  - a byte-order mark is consumed, never passed on.
// Detection order: BOM, BOM-less UTF-16 (NUL-byte pattern), valid UTF-8, plausible GB18030
// (structurally valid and mostly GB2312 hanzi/symbol pairs), else UTF-8 with repairs. A sample
// that is pure ASCII leaves the choice open until the first non-ASCII chunk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace crmaudit {

struct TextEncoding {
  std::string label;     // reported name: "UTF-8", "UTF-8-BOM", "UTF-16LE", "GB18030"...
  std::string icu_name;  // converter name; empty for UTF-8 (validated, not converted)
  size_t bom_bytes = 0;  // bytes to skip at the start of the stream
  bool wide = false;     // UTF-16/32: NUL bytes are normal, not a sign of binary content
  // The sample was plain ASCII: the decoder may still switch to GB18030 when the first non-ASCII
  // bytes (beyond the sample) are GB18030 and not UTF-8. ASCII is the same in both, so nothing
  // already decoded changes.
  bool provisional = false;
};

// Guesses the encoding of a file from its first bytes. `complete` is true when the sample is
// the whole file (a multibyte sequence cut at the sample's end is then an error).
TextEncoding DetectEncoding(std::string_view sample, bool complete);

// Resolves a user-forced name ("utf-8", "UTF-16LE", "gbk", "gb18030", "latin1", any ICU
// converter name). Returns false for an unknown name. The BOM of that encoding, when present at
// the start of `sample`, is skipped.
bool ResolveEncoding(std::string_view name, std::string_view sample, TextEncoding* encoding);

class TextDecoder {
 public:
  explicit TextDecoder(const TextEncoding& encoding);
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  // False when the converter could not be opened (unknown ICU name).
  bool ok() const;

  // Appends the UTF-8 form of `input` to `*out`. `last` marks the end of the stream.
  void Decode(std::string_view input, bool last, std::string* out);

  uint64_t invalid_bytes() const;
  // The encoding actually used (differs from the detected one after a provisional switch).
  const std::string& label() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace crmaudit
