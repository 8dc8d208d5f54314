// Matching values with the compiled policy: one RE2::Set over all detectors, spans, hints,
// context words, validators dropping look-alikes, and the confidence model of
// docs/confidence.md.
#include "scanner/detect/compiled_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace crmaudit {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::filesystem::path kPiiCore =
    std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json";

std::shared_ptr<const CompiledPolicy> PiiCore() {
  static const auto policy = CompiledPolicy::Compile({LoadPolicyPack(kPiiCore)});
  return policy;
}

int DetectorIndex(const CompiledPolicy& policy, const std::string& id) {
  const auto& detectors = policy.detectors();
  for (size_t i = 0; i < detectors.size(); ++i) {
    if (detectors[i]->id == id) return static_cast<int>(i);
  }
  ADD_FAILURE() << "no detector " << id;
  return -1;
}

// The candidate texts `id` confirmed in `value`, scanned in a column named `column`.
std::vector<std::string> Found(const CompiledPolicy& policy, const std::string& id,
                               std::string_view value, std::string_view column = "value") {
  std::vector<ValueMatch> matches;
  policy.Scan(value, policy.ColumnHints(column), &matches);
  std::vector<std::string> found;
  for (const auto& match : matches) {
    EXPECT_LT(match.begin, match.end);
    EXPECT_LE(match.end, value.size());
    if (match.detector == DetectorIndex(policy, id)) {
      found.emplace_back(value.substr(match.begin, match.end - match.begin));
    }
  }
  return found;
}

std::vector<std::string> Found(const std::string& id, std::string_view value,
                               std::string_view column = "value") {
  return Found(*PiiCore(), id, value, column);
}

int Confidence(const CompiledPolicy& policy, const std::string& id, std::string_view value,
               std::string_view column) {
  std::vector<ValueMatch> matches;
  policy.Scan(value, policy.ColumnHints(column), &matches);
  for (const auto& match : matches) {
    if (match.detector == DetectorIndex(policy, id)) return match.confidence;
  }
  return -1;  // not reported
}

int Confidence(const std::string& id, std::string_view value, std::string_view column) {
  return Confidence(*PiiCore(), id, value, column);
}

int Hint(const std::string& id, std::string_view column) {
  const ColumnContext context = PiiCore()->ColumnHints(column);
  return context.hint.at(static_cast<size_t>(DetectorIndex(*PiiCore(), id)));
}

TEST(CompiledPolicyTest, OneValueWithSeveralEntitiesYieldsEachWithItsSpan) {
  const std::string value =
      "Reach jane.doe@example.com or +1 650-253-0000; card 4111 1111 1111 1111, "
      "IBAN DE89 3704 0044 0532 0130 00.";
  EXPECT_THAT(Found("email-address", value, "notes"), ElementsAre("jane.doe@example.com"));
  EXPECT_THAT(Found("phone-number", value, "notes"), ElementsAre("+1 650-253-0000"));
  EXPECT_THAT(Found("credit-card-number", value, "notes"), ElementsAre("4111 1111 1111 1111"));
  EXPECT_THAT(Found("iban-code", value, "notes"), ElementsAre("DE89 3704 0044 0532 0130 00"));
}

TEST(CompiledPolicyTest, EveryCandidateOfANoteIsFoundWhateverTheWordsBetweenThem) {
  // After each candidate the search goes on while the rest of the note holds a byte every match
  // needs (RequiredBytes): words between two numbers do not end it, words after the last do.
  EXPECT_THAT(
      Found("credit-card-number",
            "paid with 4111111111111111, then again with 5555555555554444 last week", "notes"),
      ElementsAre("4111111111111111", "5555555555554444"));
  EXPECT_THAT(
      Found("phone-number", "Mobile +1 650-253-0000 preferred, office +44 20 7946 0958", "notes"),
      ElementsAre("+1 650-253-0000", "+44 20 7946 0958"));
}

TEST(CompiledPolicyTest, BoundaryCharactersAreNotPartOfTheCandidate) {
  EXPECT_THAT(Found("credit-card-number", "#4111111111111111#"), ElementsAre("4111111111111111"));
  // Adjacent candidates share one separator: both are found.
  EXPECT_THAT(Found("credit-card-number", "4111111111111111,5555555555554444"),
              ElementsAre("4111111111111111", "5555555555554444"));
  // Bounded by non-digits: a card number inside a longer digit run is no card number.
  EXPECT_THAT(Found("credit-card-number", "94111111111111111"), IsEmpty());
}

TEST(CompiledPolicyTest, ValidatorsDropLookAlikes) {
  EXPECT_THAT(Found("credit-card-number", "4111111111111112", "card_number"), IsEmpty());
  EXPECT_THAT(Found("credit-card-number", "1700000000004", "card_number"), IsEmpty());  // Luhn ok
  EXPECT_THAT(Found("iban-code", "DE88370400440532013000", "iban"), IsEmpty());
  EXPECT_THAT(Found("email-address", "icon@2x.png", "email"), IsEmpty());
  EXPECT_THAT(Found("phone-number", "version 1.2.3"), IsEmpty());
}

TEST(CompiledPolicyTest, EmailsEmbeddedInChineseTextStopAtTheAddress) {
  EXPECT_THAT(Found("email-address", "请联系zhang.wei@example.com确认订单", "备注"),
              ElementsAre("zhang.wei@example.com"));
}

TEST(CompiledPolicyTest, ColumnHintsMatchWordPartsCaseInsensitively) {
  for (const char* column : {"email", "work_email", "EmailAddress", "E-Mail", "customer.email",
                             "EMAILS", "客户邮箱", "电子邮件地址"}) {
    EXPECT_EQ(Hint("email-address", column), 1) << column;
  }
  for (const char* column : {"mobilePhone", "tel", "手机号码", "联系方式", "phone2"}) {
    EXPECT_EQ(Hint("phone-number", column), 1) << column;
  }
  EXPECT_EQ(Hint("credit-card-number", "银行卡号"), 1);
  EXPECT_EQ(Hint("iban-code", "IBANCode"), 1);
  // Whole word parts only: "telescope" is no "tel", "detailed" no "tail".
  EXPECT_EQ(Hint("phone-number", "telescope"), 0);
  EXPECT_EQ(Hint("email-address", "mailing_list_name"), 0);
}

TEST(CompiledPolicyTest, NegativeHintsVetoEvenWhenAPositiveHintMatches) {
  EXPECT_EQ(Hint("credit-card-number", "order_no"), -1);
  EXPECT_EQ(Hint("credit-card-number", "OrderNo"), -1);
  EXPECT_EQ(Hint("credit-card-number", "id_card"), -1);  // a national ID card, not a bank card
  EXPECT_EQ(Hint("phone-number", "phone_id"), -1);
  EXPECT_EQ(Hint("credit-card-number", "身份证号码"), -1);
  // A vetoed column reports nothing, even for a value that validates.
  EXPECT_THAT(Found("credit-card-number", "4111111111111111", "order_no"), IsEmpty());
  EXPECT_THAT(Found("credit-card-number", "4111111111111111", "value"),
              ElementsAre("4111111111111111"));
}

TEST(CompiledPolicyTest, FreeTextColumnsAreRecognisedByName) {
  for (const char* column : {"notes", "Remarks", "comment", "description", "备注", "客户说明"}) {
    EXPECT_TRUE(PiiCore()->ColumnHints(column).free_text) << column;
  }
  EXPECT_TRUE(PiiCore()->ColumnHints("CustomerNotes").free_text);
  EXPECT_FALSE(PiiCore()->ColumnHints("email").free_text);
  EXPECT_FALSE(PiiCore()->ColumnHints("message_id").free_text);
}

TEST(CompiledPolicyTest, BareDigitRunsAreOnlyPhonesInHintedColumns) {
  EXPECT_THAT(Found("phone-number", "6502530000", "mobile"), ElementsAre("6502530000"));
  EXPECT_THAT(Found("phone-number", "6502530000", "amount_total"), IsEmpty());
  // Full-width digits, as Chinese input methods type them.
  EXPECT_THAT(Found("phone-number", "电话：１３８１２３４５６７８", "联系方式"),
              ElementsAre("１３８１２３４５６７８"));
  // Written with separators or a country prefix, a number needs no header.
  EXPECT_THAT(Found("phone-number", "(650) 253-0000", "contact"), ElementsAre("(650) 253-0000"));
}

TEST(CompiledPolicyTest, ConfidenceRisesWithHintAndContextWords) {
  const int bare = Confidence("credit-card-number", "ref 4111111111111111", "value");
  const int hinted = Confidence("credit-card-number", "ref 4111111111111111", "card_number");
  const int context = Confidence("credit-card-number", "Visa card 4111111111111111", "value");
  EXPECT_GE(bare, 90);  // validated
  EXPECT_GT(hinted, bare);
  EXPECT_GT(context, bare);
  EXPECT_LE(std::max(hinted, context), 100);
  // Context words count only within ~40 characters before the candidate.
  const std::string far = "card " + std::string(60, 'x') + " 4111111111111111";
  EXPECT_EQ(Confidence("credit-card-number", far, "value"), bare);
  // Chinese context words count too.
  EXPECT_GT(Confidence("phone-number", "客户手机：+86 138 1234 5678", "备注"),
            Confidence("phone-number", "+86 138 1234 5678", "备注"));
}

PolicyPack PatternOnlyPack(bool requires_hint, int min_confidence) {
  PolicyPack pack;
  pack.name = "pattern-only";
  pack.source = "pattern-only.json";
  DetectorSpec spec;
  spec.id = "member-number";
  spec.entity = "PERSON_NAME";
  spec.pack = pack.name;
  spec.patterns = {"(?:^|[^0-9])(?P<value>M-[0-9]{6})(?:$|[^0-9])"};
  spec.column_hints = {"member", "会员"};
  spec.context_words = {"member"};
  spec.requires_column_hint = requires_hint;
  spec.min_confidence = min_confidence;
  pack.detectors.push_back(spec);
  return pack;
}

TEST(CompiledPolicyTest, PatternOnlyDetectorsScoreBelowValidatedOnes) {
  const auto policy = CompiledPolicy::Compile({PatternOnlyPack(false, 50)});
  const int plain = Confidence(*policy, "member-number", "M-123456", "value");
  const int hinted = Confidence(*policy, "member-number", "M-123456", "member_no");
  const int both = Confidence(*policy, "member-number", "member M-123456", "会员编号");
  EXPECT_EQ(plain, 50);
  EXPECT_GT(hinted, plain);
  EXPECT_GT(both, hinted);
  EXPECT_LT(both, 90);  // never as sure as a checksum
}

TEST(CompiledPolicyTest, CandidatesBelowMinConfidenceAreDropped) {
  const auto policy = CompiledPolicy::Compile({PatternOnlyPack(false, 70)});
  EXPECT_THAT(Found(*policy, "member-number", "M-123456", "value"), IsEmpty());
  EXPECT_THAT(Found(*policy, "member-number", "M-123456", "member"), ElementsAre("M-123456"));
}

TEST(CompiledPolicyTest, RequiresColumnHintFiresOnlyInHintedColumns) {
  const auto policy = CompiledPolicy::Compile({PatternOnlyPack(true, 0)});
  EXPECT_THAT(Found(*policy, "member-number", "M-123456", "notes"), IsEmpty());
  EXPECT_THAT(Found(*policy, "member-number", "M-123456", "member_id"), ElementsAre("M-123456"));
  // Its own context word right before the value stands in for the header (docs/confidence.md).
  EXPECT_THAT(Found(*policy, "member-number", "member M-123456", "notes"), ElementsAre("M-123456"));
  EXPECT_THAT(Found(*policy, "member-number", "member since 2019, M-123456", "notes"), IsEmpty());
}

TEST(CompiledPolicyTest, DefaultRegionDecidesNationalPhoneNumbers) {
  const PolicyPack pack = LoadPolicyPack(kPiiCore);
  CompileOptions britain;
  britain.default_region = "GB";
  const auto gb = CompiledPolicy::Compile({pack}, britain);
  const auto us = CompiledPolicy::Compile({pack});
  EXPECT_THAT(Found(*gb, "phone-number", "020 7946 0958", "phone"), ElementsAre("020 7946 0958"));
  EXPECT_THAT(Found(*us, "phone-number", "020 7946 0958", "phone"), IsEmpty());
}

TEST(CompiledPolicyTest, RecompiledCopyKeepsIndicesRegionAndResults) {
  CompileOptions britain;
  britain.default_region = "GB";
  const auto original = CompiledPolicy::Compile({LoadPolicyPack(kPiiCore)}, britain);
  const auto copy = original->Recompile();
  ASSERT_NE(copy.get(), original.get());
  ASSERT_EQ(copy->detectors().size(), original->detectors().size());
  for (size_t i = 0; i < original->detectors().size(); ++i) {
    EXPECT_EQ(copy->detectors()[i]->id, original->detectors()[i]->id);
  }
  // The region travels with the copy: a British national number is still a phone number.
  EXPECT_THAT(Found(*copy, "phone-number", "020 7946 0958", "phone"), ElementsAre("020 7946 0958"));
  const std::string value = "Mail jane@example.com, card 4111 1111 1111 1111, tel +44 20 7946 0958";
  std::vector<ValueMatch> expected, actual;
  original->Scan(value, original->ColumnHints("notes"), &expected);
  copy->Scan(value, original->ColumnHints("notes"), &actual);
  ASSERT_EQ(actual.size(), expected.size());
  EXPECT_GE(actual.size(), 3u);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(actual[i].detector, expected[i].detector);
    EXPECT_EQ(actual[i].begin, expected[i].begin);
    EXPECT_EQ(actual[i].end, expected[i].end);
    EXPECT_EQ(actual[i].confidence, expected[i].confidence);
  }
}

TEST(CompiledPolicyTest, EmptyHintVectorMeansNoHints) {
  std::vector<ValueMatch> matches;
  PiiCore()->Scan("jane@example.com", ColumnContext{}, &matches);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].detector, DetectorIndex(*PiiCore(), "email-address"));
  // Scan appends: earlier matches stay.
  PiiCore()->Scan("", ColumnContext{}, &matches);
  PiiCore()->Scan("nothing to see", ColumnContext{}, &matches);
  EXPECT_EQ(matches.size(), 1u);
}

TEST(CompiledPolicyTest, ManyThreadsShareOnePolicy) {
  const auto policy = PiiCore();
  const ColumnContext column = policy->ColumnHints("notes");
  const std::string value = "mail jane@example.com, card 4111-1111-1111-1111, tel +44 20 7946 0958";
  std::vector<std::thread> threads;
  std::vector<size_t> counts(4, 0);
  for (size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([&, t] {
      std::vector<ValueMatch> matches;
      for (int i = 0; i < 500; ++i) {
        matches.clear();
        policy->Scan(value, column, &matches);
        counts[t] += matches.size();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (size_t count : counts) EXPECT_EQ(count, 500u * 3);
}

TEST(CompiledPolicyTest, HostileInputNeverCrashes) {
  std::vector<ValueMatch> matches;
  const ColumnContext column = PiiCore()->ColumnHints("notes");
  PiiCore()->Scan(std::string(1 << 20, '4'), column, &matches);
  PiiCore()->Scan(std::string(100000, '@'), column, &matches);
  std::string mixed;
  for (int i = 0; i < 20000; ++i) mixed += "a@b.c 1-2 +3 ";
  PiiCore()->Scan(mixed, column, &matches);
  PiiCore()->Scan(std::string("\xE4\xB8\xAD\xE6\x96\x87", 6), column, &matches);
  EXPECT_THAT(matches, IsEmpty());
}

}  // namespace
}  // namespace crmaudit
