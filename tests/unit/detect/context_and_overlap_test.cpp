// Context words right before a value (a header-only detector vouched for in a note; negative
// context words that veto) and one entity per span (overlapping candidates of different types
// resolved by one rule), on small policies built for the purpose and on the shipped packs.
// The rules are documented in docs/confidence.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

namespace fs = std::filesystem;

DetectorSpec Spec(std::string id, std::string entity, std::vector<std::string> patterns) {
  DetectorSpec spec;
  spec.id = std::move(id);
  spec.entity = std::move(entity);
  spec.title = spec.id;
  spec.patterns = std::move(patterns);
  spec.min_confidence = 50;
  spec.pack = "test";
  return spec;
}

std::shared_ptr<const CompiledPolicy> Policy(std::vector<DetectorSpec> detectors) {
  PolicyPack pack;
  pack.name = "test";
  pack.version = "1.0.0";
  pack.source = "test.json";
  pack.detectors = std::move(detectors);
  return CompiledPolicy::Compile({pack});
}

// Candidate texts found in `value` read from column `column`.
std::vector<std::string> Found(const CompiledPolicy& policy, std::string_view column,
                               std::string_view value) {
  std::vector<ValueMatch> matches;
  policy.Scan(value, policy.ColumnHints(column), &matches);
  std::vector<std::string> found;
  for (const auto& match : matches) {
    found.push_back(policy.detectors()[static_cast<size_t>(match.detector)]->id + ":" +
                    std::string(value.substr(match.begin, match.end - match.begin)));
  }
  return found;
}

using Texts = std::vector<std::string>;

std::shared_ptr<const CompiledPolicy> HeaderOnly() {
  DetectorSpec spec = Spec("ref", "NL_BSN", {"(?:^|[^0-9])(?P<value>[0-9]{8})(?:$|[^0-9])"});
  spec.requires_column_hint = true;
  spec.column_hints = {"ref_no"};
  spec.context_words = {"ref", "身份证号", "steuer-id"};
  return Policy({spec});
}

TEST(ContextRightBeforeTest, VouchesForAHeaderOnlyDetectorInANote) {
  const auto policy = HeaderOnly();
  EXPECT_EQ(Found(*policy, "notes", "Klant gaf REF 12345678 door"), Texts{"ref:12345678"});
  EXPECT_EQ(Found(*policy, "notes", "ref: 12345678"), Texts{"ref:12345678"});
  EXPECT_EQ(Found(*policy, "notes", "ref nr. 12345678"), Texts{"ref:12345678"});
  EXPECT_EQ(Found(*policy, "notes", "Steuer-ID 12345678"), Texts{"ref:12345678"});
  EXPECT_EQ(Found(*policy, "notes", "客户身份证号12345678已核实"), Texts{"ref:12345678"});
  EXPECT_EQ(Found(*policy, "ref_no", "12345678"), Texts{"ref:12345678"});  // the header
}

TEST(ContextRightBeforeTest, NeedsTheWordItselfInTheSameClauseAndNearby) {
  const auto policy = HeaderOnly();
  EXPECT_EQ(Found(*policy, "notes", "12345678"), Texts{});
  EXPECT_EQ(Found(*policy, "notes", "Old reference 12345678"), Texts{});  // "ref" inside a word
  EXPECT_EQ(Found(*policy, "notes", "prefix 12345678"), Texts{});         // ... at its end
  EXPECT_EQ(Found(*policy, "notes", "refs 12345678"), Texts{});           // followed by a letter
  EXPECT_EQ(Found(*policy, "notes", "Ref updated. Call 12345678"), Texts{});  // new sentence
  EXPECT_EQ(Found(*policy, "notes", "ref; 12345678"), Texts{});
  EXPECT_EQ(Found(*policy, "notes", "ref\n12345678"), Texts{});
  EXPECT_EQ(Found(*policy, "notes", "ref 42 and 12345678"), Texts{});  // a number between
  EXPECT_EQ(Found(*policy, "notes", "ref was given to us by the customer: 12345678"), Texts{});
  EXPECT_EQ(Found(*policy, "notes", "ref given by the customer 12345678"), Texts{"ref:12345678"});
}

TEST(ContextRightBeforeTest, NegativeContextVetoesTheCandidate) {
  DetectorSpec spec = Spec("dotted", "IP_ADDRESS", {"[0-9]\\.[0-9]\\.[0-9]\\.[0-9]"});
  spec.negative_context_words = {"version", "版本"};
  const auto policy = Policy({spec});
  EXPECT_EQ(Found(*policy, "notes", "from 1.2.3.4"), Texts{"dotted:1.2.3.4"});
  EXPECT_EQ(Found(*policy, "notes", "Version 1.2.3.4"), Texts{});
  EXPECT_EQ(Found(*policy, "notes", "the installed version is 1.2.3.4"), Texts{});
  EXPECT_EQ(Found(*policy, "notes", "固件版本1.2.3.4"), Texts{});
  EXPECT_EQ(Found(*policy, "notes", "Old version. Login from 1.2.3.4"), Texts{"dotted:1.2.3.4"});
}

// A detector that can only report after one of its context words is not asked about a value
// that holds none of them (the matcher's shortcut). The word must still be found in any case
// and script wherever it stands, and the shortcut must not apply where the detector needs no
// word (a hinted column), nor replace the rule that the word stands before the candidate.
TEST(ContextWordShortcutTest, ADetectorThatNeedsAWordIsAskedWheneverTheValueHoldsOne) {
  DetectorSpec spec = Spec("birth", "DATE_OF_BIRTH", {"[0-9]{4}-[0-9]{2}-[0-9]{2}"});
  spec.min_confidence = 60;  // pattern-only: 50 alone, 65 with a context word, 75 hinted
  spec.context_words = {"born", "出生"};
  spec.column_hints = {"dob"};
  const auto policy = Policy({spec});
  EXPECT_EQ(Found(*policy, "notes", "BORN 1980-01-02"), Texts{"birth:1980-01-02"});
  EXPECT_EQ(Found(*policy, "notes", "Born on 1980-01-02"), Texts{"birth:1980-01-02"});
  EXPECT_EQ(Found(*policy, "notes", "客户出生于1980-01-02"), Texts{"birth:1980-01-02"});
  EXPECT_EQ(Found(*policy, "dob", "1980-01-02"), Texts{"birth:1980-01-02"});  // hinted
  EXPECT_EQ(Found(*policy, "notes", "1980-01-02"), Texts{});
  EXPECT_EQ(Found(*policy, "notes", "1980-01-02, born"), Texts{});  // the word comes after
}

TEST(OverlapTest, TheLongerSpanOfAnotherTypeWins) {
  const auto policy = Policy({Spec("digits", "CREDIT_CARD_NUMBER", {"[0-9]{8}"}),
                              Spec("account", "IBAN_CODE", {"AC[0-9]{10}"})});
  EXPECT_EQ(Found(*policy, "notes", "AC1234567890"), Texts{"account:AC1234567890"});
  EXPECT_EQ(Found(*policy, "notes", "AC1234567890 and 87654321"),
            (Texts{"digits:87654321", "account:AC1234567890"}));
}

TEST(OverlapTest, EqualSpansGoToTheHigherConfidenceThenToTheDetectorLoadedFirst) {
  DetectorSpec hinted = Spec("hinted", "US_SSN", {"[0-9]{9}"});
  hinted.column_hints = {"ssn"};
  const auto policy = Policy({Spec("first", "NL_BSN", {"[0-9]{9}"}), hinted});
  EXPECT_EQ(Found(*policy, "notes", "123456789"), Texts{"first:123456789"});
  EXPECT_EQ(Found(*policy, "ssn", "123456789"), Texts{"hinted:123456789"});
}

TEST(OverlapTest, DetectorsOfOneEntityDoNotConflict) {
  const auto policy = Policy(
      {Spec("short", "PHONE_NUMBER", {"[0-9]{6}"}), Spec("long", "PHONE_NUMBER", {"\\+[0-9]{9}"})});
  EXPECT_EQ(Found(*policy, "notes", "+123456789"), (Texts{"short:123456", "long:+123456789"}));
}

// A plain-text password detector may match any value: it runs only where the header hints it.
TEST(ColumnOnlyDetectorTest, RunsOnlyInHintedColumnsAndNeverElsewhere) {
  DetectorSpec any = Spec("any", "PLAINTEXT_PASSWORD", {"^[^\\n]{1,64}$"});
  any.requires_column_hint = true;
  any.column_hints = {"password"};
  const auto policy = Policy({any, Spec("mail", "EMAIL_ADDRESS", {"[a-z]+@[a-z]+\\.com"})});
  EXPECT_EQ(Found(*policy, "password", "hunter22"), Texts{"any:hunter22"});
  EXPECT_EQ(Found(*policy, "notes", "hunter22"), Texts{});
  EXPECT_EQ(Found(*policy, "notes", "jo@example.com"), Texts{"mail:jo@example.com"});
  // In the password column both run, and one span is still one entity: equal spans, and the
  // hinted detector has the higher confidence.
  EXPECT_EQ(Found(*policy, "password", "jo@example.com"), Texts{"any:jo@example.com"});
}

std::set<std::string> Shipped(std::string_view column, std::string_view value) {
  static const auto policy = [] {
    std::vector<PolicyPack> packs;
    for (const char* name : {"pii-core", "pii-cn", "pii-eu", "pii-us", "secrets"}) {
      packs.push_back(LoadPolicyPack(fs::path(CRMAUDIT_SOURCE_DIR) / "policies" /
                                     (std::string(name) + ".json")));
    }
    return CompiledPolicy::Compile(std::move(packs));
  }();
  std::vector<ValueMatch> matches;
  policy->Scan(value, policy->ColumnHints(column), &matches);
  std::set<std::string> types;
  for (const auto& match : matches) {
    types.insert(policy->detectors()[static_cast<size_t>(match.detector)]->entity);
  }
  return types;
}

using Types = std::set<std::string>;

TEST(ShippedContextTest, IdentifiersNamedInNotesAreFoundAndUnnamedOnesAreNot) {
  EXPECT_EQ(Shipped("notes", "Klant gaf BSN 123456782 door"), Types{"NL_BSN"});
  EXPECT_EQ(Shipped("notes", "Klant gaf 123456782 door"), Types{});
  EXPECT_EQ(Shipped("notes", "SSN 199958039"), Types{"US_SSN"});
  EXPECT_EQ(Shipped("notes", "Ref 199958039"), Types{});
  EXPECT_EQ(Shipped("notes", "Old reference 987-65-4321 from the legacy system"), Types{});
  EXPECT_EQ(Shipped("notes", "Client ITIN: 987-65-4321 on file"), Types{"US_ITIN"});
  EXPECT_EQ(Shipped("itin", "987-65-4321"), Types{"US_ITIN"});
  EXPECT_EQ(Shipped("notes", "Steuer-ID 18350796046 erhalten"), Types{"DE_TAX_ID"});
  EXPECT_EQ(Shipped("notes", "Steuernummer 18350796046"), Types{"DE_TAX_ID"});
  EXPECT_EQ(Shipped("备注", "身份证号：110105800101001"), Types{"CN_RESIDENT_ID"});  // 15 digits
  EXPECT_EQ(Shipped("备注", "编号110105800101001"), Types{});
  EXPECT_EQ(Shipped("备注", "护照号码E12345678"), Types{"CN_PASSPORT"});
  EXPECT_EQ(Shipped("notes", "Routing 021000021 for wires"), Types{"US_BANK_ROUTING"});
  EXPECT_EQ(Shipped("notes", "Cliente con NIE X1234567L"), Types{"ES_NIE"});
  EXPECT_EQ(Shipped("notes", "codice fiscale RSSMRA85T10A562S"), Types{"IT_FISCAL_CODE"});
}

TEST(ShippedContextTest, AnIbanWhoseDigitsPassLuhnIsNotAlsoACard) {
  EXPECT_EQ(Shipped("notes", "Refund to IBAN DE93 4319 1284 5298 4153 77"), Types{"IBAN_CODE"});
  EXPECT_EQ(Shipped("notes", "IBAN DE21 6233 4018 7801 7598 98"), Types{"IBAN_CODE"});
  EXPECT_EQ(Shipped("notes", "Card 4111 1111 1111 1111 on file"), Types{"CREDIT_CARD_NUMBER"});
  EXPECT_EQ(Shipped("notes", "Account 41111111111111111234"), Types{});  // inside a longer run
}

TEST(ShippedContextTest, IpAddressesInColumnsAndNotesButNotVersionsOrOids) {
  EXPECT_EQ(Shipped("Last IP", "203.0.113.42"), Types{"IP_ADDRESS"});
  EXPECT_EQ(Shipped("ip_address", "2001:db8:85a3::8a2e:370:7334"), Types{"IP_ADDRESS"});
  EXPECT_EQ(Shipped("notes", "Kunde meldete sich von 192.0.2.15 an."), Types{"IP_ADDRESS"});
  EXPECT_EQ(Shipped("备注", "客户登录IP：203.0.113.9，已核实"), Types{"IP_ADDRESS"});
  EXPECT_EQ(Shipped("app_version", "1.2.3.4"), Types{});
  EXPECT_EQ(Shipped("notes", "Upgraded to version 1.2.3.4"), Types{});
  EXPECT_EQ(Shipped("notes", "Build 4.2.0.1 deployed"), Types{});
  EXPECT_EQ(Shipped("notes", "v10.0.19041.1"), Types{});
  EXPECT_EQ(Shipped("oid", "1.3.6.1.4.1.311"), Types{});
  EXPECT_EQ(Shipped("notes", "OID 1.3.6.1.4.1.311"), Types{});
  EXPECT_EQ(Shipped("notes", "Meeting on 12.03.2024"), Types{});
  EXPECT_EQ(Shipped("Last IP", "127.0.0.1"), Types{});
  EXPECT_EQ(Shipped("Last IP", "::1"), Types{});
}

// The same for a header-only detector vouched for by its word right before the value, and for
// a validated detector whose minimum needs a word (the shipped date-of-birth: 95).
TEST(ContextWordShortcutTest, HeaderOnlyAndValidatedDetectorsStillSeeTheirWords) {
  const auto policy = HeaderOnly();
  EXPECT_EQ(Found(*policy, "notes", "REF 12345678"), Texts{"ref:12345678"});
  EXPECT_EQ(Found(*policy, "notes", "12345678"), Texts{});
  EXPECT_EQ(Shipped("notes", "1674.29"), Types{});
  EXPECT_EQ(Shipped("amount", "1974.03.29"), Types{});
  EXPECT_EQ(Shipped("notes", "Customer BORN 1985-03-02, verified"), Types{"DATE_OF_BIRTH"});
  EXPECT_EQ(Shipped("notes", "Klant gaf BSN 123456782 door"), Types{"NL_BSN"});
}

// In a value of digits only, a pattern bounded by non-digits has no candidate but the whole
// value, so after that is refused its search is skipped; a pattern a digit can bound is still
// searched, and so is a value with anything but digits in it.
TEST(DigitRunShortcutTest, OnlyNonDigitBoundedPatternsSkipTheSearchInDigitOnlyValues) {
  DetectorSpec unbounded = Spec("inner", "CREDIT_CARD_NUMBER", {"(?P<value>4[0-9]{15})"});
  unbounded.validator = "credit_card";
  DetectorSpec bounded =
      Spec("card", "CREDIT_CARD_NUMBER", {"(?:^|[^0-9])(?P<value>[0-9]{16,17})(?:$|[^0-9])"});
  bounded.validator = "credit_card";
  EXPECT_EQ(Found(*Policy({unbounded}), "notes", "94111111111111111"),
            Texts{"inner:4111111111111111"});
  EXPECT_EQ(Found(*Policy({unbounded}), "notes", "4111111111111111"),
            Texts{"inner:4111111111111111"});
  const auto policy = Policy({bounded});
  EXPECT_EQ(Found(*policy, "notes", "4111111111111111"), Texts{"card:4111111111111111"});
  EXPECT_EQ(Found(*policy, "notes", "41111111111111112"), Texts{});  // refused, nothing inside
  EXPECT_EQ(Found(*policy, "notes", "4111111111111112 4111111111111111"),
            Texts{"card:4111111111111111"});
  // Both detectors: the unbounded one still finds its candidate inside the refused digit run.
  EXPECT_EQ(Found(*Policy({bounded, unbounded}), "notes", "94111111111111111"),
            Texts{"inner:4111111111111111"});
}

}  // namespace
}  // namespace crmaudit
