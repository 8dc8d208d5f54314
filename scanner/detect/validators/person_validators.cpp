// Person names and postal addresses: values whose shape alone says little, so both validators
// lean on the column. In a column whose header names the entity (ValidationContext::
// column_hinted) the value's shape decides; without one, a name is accepted only when its
// given name and its family name are both in the detector's name-frequency lists, and an
// address is never accepted (its detector requires the header). Word lists are named by the
// pack (`word_lists`): given_names, surnames (lower-case ASCII), cn_surnames, particles.
#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {
namespace {

constexpr size_t kMaxNameBytes = 80;
constexpr size_t kMaxAddressBytes = 400;
constexpr size_t kMaxNameTokens = 6;
// A name without a header: a given name and a family name, with up to two parts between them.
constexpr size_t kMinListedNameTokens = 2;
constexpr size_t kMaxListedNameTokens = 4;

// The parts SplitLatinName would split `text` into, when it can: runs of characters other
// than spaces and commas.
size_t PartCount(std::string_view text) {
  size_t parts = 0;
  bool in_part = false;
  for (char c : text) {
    const bool separator = c == ' ' || c == ',';
    if (!separator && !in_part) ++parts;
    in_part = !separator;
  }
  return parts;
}

// The code point at text[pos] and its length; length 0 for a malformed sequence.
char32_t Decode(std::string_view text, size_t pos, size_t* length) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  auto continuation = [&](size_t i) {
    return pos + i < text.size() && (static_cast<unsigned char>(text[pos + i]) & 0xC0) == 0x80;
  };
  auto bits = [&](size_t i) { return static_cast<char32_t>(text[pos + i] & 0x3F); };
  if (b0 < 0x80) {
    *length = 1;
    return b0;
  }
  if ((b0 & 0xE0) == 0xC0 && continuation(1)) {
    *length = 2;
    return (static_cast<char32_t>(b0 & 0x1F) << 6) | bits(1);
  }
  if ((b0 & 0xF0) == 0xE0 && continuation(1) && continuation(2)) {
    *length = 3;
    return (static_cast<char32_t>(b0 & 0x0F) << 12) | (bits(1) << 6) | bits(2);
  }
  if ((b0 & 0xF8) == 0xF0 && continuation(1) && continuation(2) && continuation(3)) {
    *length = 4;
    return (static_cast<char32_t>(b0 & 0x07) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3);
  }
  *length = 0;
  return 0;
}

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF);
}

// Latin letters, accented ones included (Latin-1 Supplement, Extended-A/B and Additional).
bool IsLatinLetter(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  if (c >= 0xC0 && c <= 0xFF) return c != 0xD7 && c != 0xF7;  // not × ÷
  return (c >= 0x100 && c <= 0x24F) || (c >= 0x1E00 && c <= 0x1EFF);
}

// Upper case for the Latin letters above: ASCII, Latin-1 (U+00C0-U+00DE) and the even code
// points of Latin Extended-A (Ā, Ć, Č...), which is how that block pairs its letters.
bool IsUpperLatin(char32_t c) {
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
  return c >= 0x100 && c <= 0x17F && c % 2 == 0;
}

// `text` with ASCII letters in lower case, written to `out` (text is at most a name long).
std::string_view LowerAscii(std::string_view text, CandidateText* out) {
  out->clear();
  for (char c : text) out->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  return out->view();
}

struct NameToken {
  std::string_view text;
  bool capitalised = false;  // first letter upper case
  bool all_lower = false;
  bool initial = false;  // "J." or "J"
  // Bytes of a lower-case elided prefix before a capitalised rest ("d'" of "d'Angelo", "dell'"
  // of "dell'Acqua"); 0 when none. The prefix must be a particle of the list to pass.
  size_t elided = 0;
};

// Splits a Latin-script name into tokens; false when a character other than letters, one
// inner hyphen or apostrophe run, a final period and the separators (space, one comma) shows
// up, or a token starts lower-case and has an upper-case letter later ("iPhone", "eBay") other
// than the one right after its first apostrophe ("d'Angelo": `elided` marks the prefix).
bool SplitLatinName(std::string_view text, std::vector<NameToken>* tokens, size_t* comma_after) {
  *comma_after = std::string_view::npos;
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    if (text[pos] == ',') {
      if (*comma_after != std::string_view::npos || tokens->empty()) return false;
      *comma_after = tokens->size();
      ++pos;
      continue;
    }
    NameToken token;
    const size_t start = pos;
    size_t letters = 0;
    size_t uppers_after_first = 0;
    size_t first_apostrophe_end = 0;  // bytes into the token, 0 before any apostrophe
    bool upper_after_first_apostrophe = false;
    bool first_lower = false;
    bool period = false;
    while (pos < text.size() && text[pos] != ' ' && text[pos] != ',') {
      if (period) return false;  // a period ends a token
      size_t length = 0;
      const char32_t c = Decode(text, pos, &length);
      if (length == 0) return false;
      if (IsLatinLetter(c)) {
        if (letters == 0) {
          token.capitalised = IsUpperLatin(c);
          first_lower = !token.capitalised;
        } else if (IsUpperLatin(c)) {
          ++uppers_after_first;
          if (pos - start == first_apostrophe_end) upper_after_first_apostrophe = true;
        }
        ++letters;
      } else if (c == '-' || c == '\'' || c == 0x2019) {
        if (letters == 0) return false;  // starts with a letter
        if (c != '-' && first_apostrophe_end == 0) first_apostrophe_end = pos + length - start;
      } else if (c == '.') {
        period = true;
      } else {
        return false;
      }
      pos += length;
    }
    if (letters == 0) return false;
    if (first_lower && uppers_after_first > 0) {
      if (uppers_after_first > 1 || !upper_after_first_apostrophe) return false;
      token.elided = first_apostrophe_end;
    }
    token.text = text.substr(start, pos - start);
    token.all_lower = first_lower && uppers_after_first == 0;
    token.initial = letters == 1;
    tokens->push_back(token);
    if (tokens->size() > kMaxNameTokens) return false;
  }
  return !tokens->empty() && *comma_after != tokens->size();
}

// The token without a final period and with apostrophes and hyphens kept: "O'Brien" ->
// "o'brien". A double-barrelled family name is known when either part is ("Smith-Jones").
bool InList(const WordList* list, std::string_view token) {
  if (list == nullptr) return false;
  if (!token.empty() && token.back() == '.') token.remove_suffix(1);
  CandidateText storage;
  const std::string_view lowered = LowerAscii(token, &storage);
  if (list->Contains(lowered)) return true;
  const size_t hyphen = lowered.find('-');
  if (hyphen == std::string_view::npos) return false;
  return list->Contains(lowered.substr(0, hyphen)) || list->Contains(lowered.substr(hyphen + 1));
}

// A lower-case token that may stand in a name: a particle of the list ("van", "de", "dos"), or
// an elided particle before a capitalised rest ("d'Angelo", "dell'Acqua"; the list holds "d'").
bool IsParticle(const WordList* particles, const NameToken& token) {
  if (particles == nullptr) return false;
  if (token.elided == 0) return InList(particles, token.text);
  std::string_view prefix = token.text.substr(0, token.elided);
  if (!prefix.ends_with("\u2019")) return InList(particles, prefix);
  // The typographic apostrophe as the list writes it: "d’" is listed as "d'".
  CandidateText ascii;
  for (char c : prefix.substr(0, prefix.size() - 3)) ascii.push_back(c);
  ascii.push_back('\'');
  return InList(particles, ascii);
}

// A Chinese name: two to four Han characters starting with a surname of the list (a compound
// surname such as 欧阳 counts with a given name of one or two characters), or a transliterated
// name whose parts are joined by a middle dot (阿卜杜拉·买买提); without the cn_surnames list,
// no Chinese value is a name. Chinese text has too many words
// that start with a surname character (高级, 金额) for this to stand without the header.
bool IsChineseName(std::string_view text, const ValidationContext& context) {
  size_t characters = 0;
  std::array<size_t, 2> first_lengths{};  // bytes of the first two characters
  bool dotted = false;
  for (size_t pos = 0; pos < text.size();) {
    size_t length = 0;
    const char32_t c = Decode(text, pos, &length);
    if (length == 0) return false;
    if (c == 0xB7 || c == 0x2022 || c == 0x30FB) {
      if (characters == 0 || dotted) return false;
      dotted = true;
    } else if (!IsHan(c)) {
      return false;
    } else {
      if (characters < first_lengths.size()) first_lengths[characters] = length;
      ++characters;
    }
    pos += length;
  }
  if (dotted) return characters >= 3 && characters <= 12;
  if (characters < 2 || characters > 4) return false;
  const WordList* surnames = FindWordList(context.word_lists, "cn_surnames");
  if (surnames == nullptr) return false;  // nothing to tell a name from a word
  // Undotted, the value is Han characters alone: the first two are its first bytes.
  if (characters >= 3 && surnames->Contains(text.substr(0, first_lengths[0] + first_lengths[1]))) {
    return true;
  }
  return surnames->Contains(text.substr(0, first_lengths[0]));
}

// Without a header: "Given [Middle...] Family" or "Family, Given", every part capitalised (or
// the whole value in capitals), the given name in given_names and the family name in surnames.
// Particles (van, de, von...) may stand before the family name in lower case.
bool IsListedName(const std::vector<NameToken>& tokens, size_t comma_after,
                  const ValidationContext& context) {
  const WordList* given = FindWordList(context.word_lists, "given_names");
  const WordList* family = FindWordList(context.word_lists, "surnames");
  const WordList* particles = FindWordList(context.word_lists, "particles");
  if (given == nullptr || family == nullptr || tokens.size() < kMinListedNameTokens ||
      tokens.size() > kMaxListedNameTokens) {
    return false;
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].capitalised) continue;  // an elided token starts lower-case
    const bool inner = i > 0 && i + 1 < tokens.size();
    if (!(inner && IsParticle(particles, tokens[i]))) return false;
  }
  if (comma_after != std::string_view::npos) {  // "Smith, John [A.]"
    return comma_after == 1 && InList(family, tokens[0].text) && InList(given, tokens[1].text);
  }
  return !tokens.front().initial && InList(given, tokens.front().text) &&
         InList(family, tokens.back().text);
}

bool HasHan(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    size_t length = 0;
    const char32_t c = Decode(text, pos, &length);
    if (length == 0) return false;
    if (IsHan(c)) return true;
    pos += length;
  }
  return false;
}

}  // namespace

bool IsPersonName(std::string_view candidate, const ValidationContext& context) {
  const std::string_view text = TrimSpaces(candidate);
  if (text.empty() || text.size() > kMaxNameBytes) return false;
  // Without a header a name has two to four parts (IsListedName), and a Chinese value is none:
  // a note of five words ("No answer, try again Monday") is refused before it is split.
  if (!context.column_hinted) {
    const size_t parts = PartCount(text);
    if (parts < kMinListedNameTokens || parts > kMaxListedNameTokens) return false;
  }
  if (HasHan(text)) return context.column_hinted && IsChineseName(text, context);
  thread_local std::vector<NameToken> tokens;  // reused: names are judged by the million
  tokens.clear();
  size_t comma_after = 0;
  if (!SplitLatinName(text, &tokens, &comma_after)) return false;
  if (!context.column_hinted) return IsListedName(tokens, comma_after, context);
  // An initial alone ("a", "J.") is a code or a placeholder, not a name, even under a name
  // header: a name needs one part of two letters or more ("J. Smith", "Li").
  if (std::all_of(tokens.begin(), tokens.end(), [](const NameToken& t) { return t.initial; })) {
    return false;
  }
  // Under a name header: every part capitalised, or the whole value in one case ("SMITH",
  // "jane doe"); lower-case particles anywhere before a capitalised part, the first place
  // included, as a family-name column holds them ("de Jong", "van den Berg", "d'Angelo").
  const WordList* particles = FindWordList(context.word_lists, "particles");
  bool all_lower = true;
  for (const NameToken& token : tokens) all_lower = all_lower && token.all_lower;
  if (all_lower) return true;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].capitalised) continue;  // an elided token starts lower-case
    if (!IsParticle(particles, tokens[i])) return false;
    // A particle needs the name it belongs to after it ("Jan van" is no name); an elided one
    // carries it ("d'Angelo").
    if (tokens[i].elided == 0 && i + 1 == tokens.size()) return false;
  }
  return true;
}

// Under an address header (the detector requires one): a street line or a whole address. It
// must hold letters and a number (house number, postcode), or be Chinese text naming two
// administrative units or streets (省市区县路街道号室弄...) or one and a number; pure numbers (a
// postcode column misnamed), single words ("Berlin", 上海市) and e-mail or web addresses are
// refused.
bool IsPostalAddress(std::string_view candidate, const ValidationContext& context) {
  if (!context.column_hinted) return false;
  const std::string_view text = TrimSpaces(candidate);
  if (text.size() < 4 || text.size() > kMaxAddressBytes) return false;
  if (text.find('@') != std::string_view::npos || text.find("://") != std::string_view::npos) {
    return false;
  }
  size_t letters = 0;
  size_t digits = 0;
  size_t han = 0;
  size_t chinese_units = 0;
  static constexpr std::u32string_view kChineseUnits = U"省市区县路街道号室弄镇乡村巷栋楼";
  for (size_t pos = 0; pos < text.size();) {
    size_t length = 0;
    const char32_t c = Decode(text, pos, &length);
    if (length == 0) return false;
    if (c >= '0' && c <= '9') ++digits;
    if (c >= 0xFF10 && c <= 0xFF19) ++digits;  // full-width digits
    if (IsLatinLetter(c)) ++letters;
    if (IsHan(c)) {
      ++han;
      if (kChineseUnits.find(c) != std::u32string_view::npos) ++chinese_units;
    }
    pos += length;
  }
  // A city alone (上海市, 浦东新区) is not an address: two units, or a unit and a number.
  if (han >= 3 && (chinese_units >= 2 || (chinese_units == 1 && digits > 0))) return true;
  return letters >= 3 && digits >= 1;
}

}  // namespace crmaudit::validators
