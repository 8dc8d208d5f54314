// Text forms (scanner/detect/validators/text_forms.h): width folding and compact identifiers
// held on the stack, and the validators' answers at the edges that in-place buffers bring
// (full-width and ideographic-space forms, the kMaxCandidateBytes bound, typographic
// apostrophes, compound Chinese surnames, digit groupings) — the same answers as when these
// forms were built in heap strings.
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "scanner/detect/validators.h"
#include "scanner/detect/validators/text_forms.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

using validators::CandidateText;
using validators::CompactIdentifier;
using validators::FoldWidth;
using validators::kMaxCandidateBytes;

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";

// Rewrites ASCII 0x21..0x7E as full-width forms (U+FF01..U+FF5E); spaces stay.
std::string FullWidth(std::string_view ascii) {
  std::string wide;
  for (char c : ascii) {
    if (c < 0x21 || c > 0x7E) {
      wide += c;
      continue;
    }
    const unsigned code = 0xFF01 + static_cast<unsigned>(c - 0x21);
    wide += static_cast<char>(0xE0 | (code >> 12));
    wide += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    wide += static_cast<char>(0x80 | (code & 0x3F));
  }
  return wide;
}

bool Check(std::string_view validator, std::string_view value, bool hinted = false) {
  ValidationContext context;
  context.column_hinted = hinted;
  return FindValidator(validator)(value, context);
}

TEST(TextForms, FoldWidthReturnsTheTextItselfWhenNothingFolds) {
  CandidateText storage;
  const std::string_view text = "DE89 3704 0044 0532 0130 00";
  const std::string_view folded = FoldWidth(text, &storage);
  EXPECT_EQ(folded, text);
  EXPECT_EQ(folded.data(), text.data());  // no copy in the common case
}

TEST(TextForms, FoldWidthRewritesFullWidthFormsAndTheIdeographicSpace) {
  CandidateText storage;
  const std::string text = FullWidth("+86-138") + std::string(kIdeographicSpace) + "1234";
  EXPECT_EQ(FoldWidth(text, &storage), "+86-138 1234");
  // Other multi-byte text passes through unchanged, including a lone 0xEF lead byte at the end.
  const std::string mixed = "客户" + FullWidth("A1") + "\xEF";
  EXPECT_EQ(FoldWidth(mixed, &storage), "客户A1\xEF");
}

TEST(TextForms, FoldWidthFindsAFoldableFormAtEveryOffset) {
  // The text is looked at eight bytes at a time: a form in any byte of a word, or in the bytes
  // after the last whole word, is folded.
  CandidateText storage;
  for (size_t offset = 0; offset <= 19; ++offset) {
    const std::string ascii(20, '4');
    const std::string wide = ascii.substr(0, offset) + FullWidth("7") + ascii.substr(offset);
    std::string expected = ascii;
    expected.insert(offset, "7");
    EXPECT_EQ(FoldWidth(wide, &storage), expected) << offset;
    const std::string spaced =
        ascii.substr(0, offset) + std::string(kIdeographicSpace) + ascii.substr(offset);
    expected[offset] = ' ';
    EXPECT_EQ(FoldWidth(spaced, &storage), expected) << offset;
  }
}

TEST(TextForms, CompactIdentifierKeepsLettersAndDigitsOfTheWholeBound) {
  CandidateText out;
  ASSERT_TRUE(CompactIdentifier(FullWidth("gb82 west 1234"), " ", &out));
  EXPECT_EQ(out.view(), "GB82WEST1234");
  EXPECT_FALSE(CompactIdentifier("GB82-WEST", " ", &out));  // "-" is not a separator here
  // Runs of digits and capitals between separators and lower-case letters, at either end too.
  ASSERT_TRUE(CompactIdentifier("-de89 3704-0044 0532 0130 00 ", " -", &out));
  EXPECT_EQ(out.view(), "DE89370400440532013000");
  ASSERT_TRUE(CompactIdentifier("ab12CDe", "", &out));
  EXPECT_EQ(out.view(), "AB12CDE");
  ASSERT_TRUE(CompactIdentifier("", "", &out));
  EXPECT_EQ(out.view(), "");
  EXPECT_FALSE(CompactIdentifier("12 34.", " ", &out));

  // A candidate of exactly kMaxCandidateBytes fits whole; one byte more is refused.
  const std::string longest(kMaxCandidateBytes, '7');
  ASSERT_TRUE(CompactIdentifier(longest, "", &out));
  EXPECT_EQ(out.size(), kMaxCandidateBytes);
  EXPECT_FALSE(CompactIdentifier(longest + "7", "", &out));
}

TEST(TextForms, ValidatorsReadFullWidthAndIdeographicSpaceForms) {
  // Full-width digits and letters as a Chinese IME types them, grouped by ideographic spaces.
  const std::string sp(kIdeographicSpace);
  EXPECT_TRUE(Check("iban", FullWidth("DE89") + sp + FullWidth("3704") + sp + FullWidth("0044") +
                                sp + FullWidth("0532") + sp + FullWidth("0130") + sp +
                                FullWidth("00")));
  EXPECT_FALSE(Check("iban", FullWidth("DE89370400440532013001")));  // check digits broken
  EXPECT_TRUE(Check("credit_card", FullWidth("4111 1111 1111 1111")));
  EXPECT_TRUE(Check("us_ssn", FullWidth("123-45-6789")));
  EXPECT_TRUE(Check("ip_address", FullWidth("203.0.113.7")));
  EXPECT_TRUE(Check("ip_address", sp + "2001:db8::1" + sp));
  EXPECT_TRUE(Check("email", FullWidth("anna@example.com")));
  EXPECT_TRUE(Check("date_of_birth", FullWidth("1985-03-02")));
  EXPECT_TRUE(Check("phone", FullWidth("+44 20 7946 0018")));
}

TEST(TextForms, ValidatorsRefuseCandidatesOverTheBoundWithoutReadingThem) {
  const std::string long_digits(kMaxCandidateBytes + 1, '4');
  for (std::string_view name : {"credit_card", "iban", "us_ssn", "ip_address", "email", "phone",
                                "cn_resident_id", "nl_bsn", "cn_mobile"}) {
    EXPECT_FALSE(Check(name, long_digits, /*hinted=*/true)) << name;
  }
}

TEST(TextForms, ChinaMobileNeedsThePlusToOpenTheValueAsWritten) {
  EXPECT_TRUE(Check("cn_mobile", "+86 138 0013 8000"));
  EXPECT_TRUE(Check("cn_mobile", FullWidth("+86 138 0013 8000")));
  EXPECT_TRUE(Check("cn_mobile", "0086 138 0013 8000"));
  // An ideographic space is trimmed only after folding: the "+" no longer opens the value, and
  // the thirteen digits 86138... are no mobile number.
  EXPECT_FALSE(Check("cn_mobile", std::string(kIdeographicSpace) + "+86 138 0013 8000"));
}

TEST(TextForms, DutchBsnGroupingsAndLeadingZero) {
  EXPECT_TRUE(Check("nl_bsn", "111222333", /*hinted=*/true));
  EXPECT_TRUE(Check("nl_bsn", "111 222 333", /*hinted=*/true));
  EXPECT_TRUE(Check("nl_bsn", "1112.22.333", /*hinted=*/true));
  EXPECT_FALSE(Check("nl_bsn", "11.12.22.333", /*hinted=*/true));  // four groups
  EXPECT_FALSE(Check("nl_bsn", "1112.2233.3", /*hinted=*/true));   // 4-4-1
  EXPECT_FALSE(Check("nl_bsn", "000000000", /*hinted=*/true));
  // Eight digits are a BSN whose leading zero a spreadsheet dropped: 012345672 passes 11-proof.
  EXPECT_TRUE(Check("nl_bsn", "12345672", /*hinted=*/true));
  EXPECT_TRUE(Check("nl_bsn", "012345672", /*hinted=*/true));
  EXPECT_FALSE(Check("nl_bsn", "12345673", /*hinted=*/true));
}

TEST(TextForms, NamesWithTypographicApostrophesAndCompoundSurnames) {
  // pii-core's person-name detector with its shipped lists (particles hold "d'", cn_surnames
  // the compound 欧阳).
  const PolicyPack pack =
      LoadPolicyPack(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json");
  const WordLists* lists = nullptr;
  for (const DetectorSpec& spec : pack.detectors) {
    if (spec.id == "person-name") lists = &spec.word_lists;
  }
  ASSERT_NE(lists, nullptr);
  ValidationContext hinted;
  hinted.column_hinted = true;
  hinted.word_lists = lists;
  const ValidatorFn name = FindValidator("person_name");
  EXPECT_TRUE(name("Maria d\u2019Angelo", hinted));  // the list writes the particle "d'"
  EXPECT_TRUE(name("Maria d'Angelo", hinted));
  EXPECT_FALSE(name("Maria x\u2019Angelo", hinted));  // "x'" is no particle
  EXPECT_TRUE(name("欧阳娜娜", hinted));              // compound surname, two given characters
  EXPECT_TRUE(name("王伟", hinted));
  EXPECT_FALSE(name("客户经理", hinted));  // 客 is no listed surname
}

}  // namespace
}  // namespace crmaudit
