// The shipped regional, secrets and special-category packs judged through the compiled matcher:
// the look-alikes that fool naive scanners, in the column and text settings where they occur.
// (Each detector's own examples run in pack_tester_test; these cases cross detectors and packs.)
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "scanner/detect/compiled_policy.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

std::shared_ptr<const CompiledPolicy> ShippedPolicy() {
  static const std::shared_ptr<const CompiledPolicy> policy = [] {
    std::vector<PolicyPack> packs;
    const std::filesystem::path dir = std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies";
    for (const char* name :
         {"pii-core", "pii-cn", "pii-eu", "pii-us", "secrets", "special-categories"}) {
      packs.push_back(LoadPolicyPack(dir / (std::string(name) + ".json")));
    }
    return CompiledPolicy::Compile(std::move(packs));
  }();
  return policy;
}

// Entity types confirmed in `value` read from a column named `column`.
std::set<std::string> Entities(std::string_view column, std::string_view value) {
  const auto policy = ShippedPolicy();
  std::vector<ValueMatch> matches;
  policy->Scan(value, policy->ColumnHints(column), &matches);
  std::set<std::string> types;
  for (const ValueMatch& match : matches) {
    types.insert(policy->detectors()[static_cast<size_t>(match.detector)]->entity);
  }
  return types;
}

using Types = std::set<std::string>;

TEST(ShippedPacksTest, ChineseTextWithoutSpacesYieldsItsIdentifiers) {
  EXPECT_EQ(Entities("备注", "客户手机13812345678已确认"), Types{"PHONE_NUMBER"});
  EXPECT_EQ(Entities("备注", "身份证号110105199003071234已核实"), Types{});  // wrong check digit
  EXPECT_EQ(Entities("备注", "身份证号42010219620702635X号码已核实"), Types{"CN_RESIDENT_ID"});
  EXPECT_EQ(Entities("备注", "银行卡号6219138798113512已绑定"), Types{"CREDIT_CARD_NUMBER"});
}

TEST(ShippedPacksTest, ElevenDigitTaxIdIsNotAChinaMobileInGermanText) {
  EXPECT_EQ(Entities("notes", "Kunde hat angerufen, Steuer-ID 18350796046 bitte prüfen."),
            Types{"DE_TAX_ID"});
  // Without a header or a context word an 11-digit number in prose is nothing in particular.
  EXPECT_EQ(Entities("notes", "Kundennummer 18350796046 angelegt"), Types{});
}

TEST(ShippedPacksTest, ResidentIdThatAlsoPassesTheUsccChecksumIsOnlyAnId) {
  EXPECT_EQ(Entities("证件号码", "320102197505288885"), Types{"CN_RESIDENT_ID"});
  EXPECT_EQ(Entities("备注", "证件320102197505288885"), Types{"CN_RESIDENT_ID"});
}

TEST(ShippedPacksTest, LettersAfterDigitsDoNotMakeASpanishDni) {
  EXPECT_EQ(Entities("notes", "Handy +49 151 29453398 nächste Woche"), Types{"PHONE_NUMBER"});
  EXPECT_EQ(Entities("notes", "DNI 97329016P entregado"), Types{"ES_DNI"});
}

TEST(ShippedPacksTest, GroupedIbanIsNotReadAsAPhoneNumber) {
  EXPECT_EQ(Entities("iban", "FR76 0062 8880 0315 1234 5678 906"), Types{})
      << "wrong IBAN check digits, and its 0062 group is no +62 phone number";
}

TEST(ShippedPacksTest, SpecialCategoriesNeedAHeaderOrAContextWord) {
  EXPECT_EQ(Entities("diagnosis", "cancer"), Types{"SPECIAL_CATEGORY"});
  EXPECT_EQ(Entities("民族", "维吾尔族"), Types{"SPECIAL_CATEGORY"});
  EXPECT_EQ(Entities("notes", "patient diagnosed with diabetes in 2019"),
            Types{"SPECIAL_CATEGORY"});
  EXPECT_EQ(Entities("备注", "客户确诊糖尿病，需要回访"), Types{"SPECIAL_CATEGORY"});
  // Product text names diseases and beliefs without saying anything about a person.
  EXPECT_EQ(Entities("description", "Charity pin supporting cancer research"), Types{});
  EXPECT_EQ(Entities("description", "Party supplies: Republican red"), Types{});
  EXPECT_EQ(Entities("product_name", "Diabetes-friendly cookbook"), Types{});
}

TEST(ShippedPacksTest, PasswordsAndTokensWrittenIntoNotes) {
  EXPECT_EQ(Entities("notes", "customer asked to reset, old password=Sommer2024! noted"),
            Types{"PLAINTEXT_PASSWORD"});
  EXPECT_EQ(Entities("备注", "客户说密码是abc12345请重置"), Types{"PLAINTEXT_PASSWORD"});
  EXPECT_EQ(Entities("notes", "Forgot password? reset link sent"), Types{});
  EXPECT_EQ(Entities("notes", "Authorization: Bearer bxzbmkst9ope261YeZr2uM5Sd1wET1As"),
            Types{"SECRET_KEY"});
  EXPECT_EQ(Entities("notes", "see AKIAIOSFODNN7EXAMPLE in the AWS docs"), Types{});
  EXPECT_EQ(Entities("api_token", "bxzbmkst9ope261YeZr2uM5Sd1wET1As"), Types{"SECRET_KEY"});
  EXPECT_EQ(Entities("session_uuid", "bxzbmkst9ope261YeZr2uM5Sd1wET1As"), Types{});
}

TEST(ShippedPacksTest, NineHundredSsnsAndBareNineDigitsNeedMore) {
  EXPECT_EQ(Entities("notes", "SSN 323-25-4605 verified"), Types{"US_SSN"});
  EXPECT_EQ(Entities("batch_ref", "923-25-4605"), Types{});
  EXPECT_EQ(Entities("notes", "ref 323254605"), Types{});  // bare nine digits, no header
  EXPECT_EQ(Entities("routing_number", "021000021"), Types{"US_BANK_ROUTING"});
  EXPECT_EQ(Entities("bsn", "810756900"), Types{"NL_BSN"});
}

}  // namespace
}  // namespace crmaudit
