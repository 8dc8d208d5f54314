// National identifier and birth-date validators. Valid values are built here with their check
// character computed by the published rule, so each test also pins the rule itself; each
// look-alike differs from a valid value in the one property the validator must notice.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>

#include "scanner/detect/validators.h"

namespace crmaudit {
namespace {

bool Check(std::string_view name, std::string_view value, bool hinted = false) {
  ValidationContext context;
  context.column_hinted = hinted;
  return FindValidator(name)(value, context);
}

std::string DateString(std::chrono::year_month_day date, const char* format) {
  char text[32];
  std::snprintf(text, sizeof text, format, static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::chrono::year_month_day Tomorrow() {
  using namespace std::chrono;
  return year_month_day{floor<days>(system_clock::now()) + days{1}};
}

// --- China -------------------------------------------------------------------------------

std::string MakeResidentId(const std::string& first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return first17 + "10X98765432"[sum % 11];
}

std::string MakeUscc(const std::string& first17) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                   29, 25, 13, 8,  24, 10, 30, 28};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += static_cast<int>(kAlphabet.find(first17[i])) * kWeights[i];
  return first17 + kAlphabet[(31 - sum % 31) % 31];
}

// A different valid-alphabet character, so the code fails only its check.
std::string WithWrongLastCharacter(std::string code, std::string_view alphabet) {
  const size_t index = alphabet.find(code.back());
  code.back() = alphabet[(index + 1) % alphabet.size()];
  return code;
}

TEST(CnResidentIdValidatorTest, AcceptsGeneratedIdsIncludingCheckCharacterX) {
  EXPECT_TRUE(Check("cn_resident_id", "11010519491231002X"));  // GB 11643 worked example
  EXPECT_TRUE(Check("cn_resident_id", "11010519491231002x"));
  EXPECT_TRUE(Check("cn_resident_id", MakeResidentId("44030619900307123")));
  EXPECT_TRUE(Check("cn_resident_id", MakeResidentId("31011520000229004")));     // leap day
  EXPECT_TRUE(Check("cn_resident_id", "１１０１０５１９４９１２３１００２Ｘ"));  // full width
}

TEST(CnResidentIdValidatorTest, RejectsWrongCheckImpossibleAndFutureDates) {
  EXPECT_FALSE(
      Check("cn_resident_id", WithWrongLastCharacter("11010519491231002X", "0123456789X")));
  EXPECT_FALSE(Check("cn_resident_id", "110105194912310021"));
  EXPECT_FALSE(Check("cn_resident_id", MakeResidentId("11010519900230123")));  // 30 February
  EXPECT_FALSE(Check("cn_resident_id", MakeResidentId("31011519990229004")));  // not a leap year
  EXPECT_FALSE(Check("cn_resident_id", MakeResidentId("11010518991231002")));  // before 1900
  EXPECT_FALSE(Check("cn_resident_id",
                     MakeResidentId("110105" + DateString(Tomorrow(), "%04d%02u%02u") + "002")));
  EXPECT_FALSE(Check("cn_resident_id", MakeResidentId("01010519491231002")));  // region 0
  // An 18-digit order number: digits in the date places do not form a date.
  EXPECT_FALSE(Check("cn_resident_id", MakeResidentId("20240315000012345")));
}

TEST(CnResidentIdValidatorTest, AcceptsOldFifteenDigitFormOnlyWithColumnHint) {
  EXPECT_TRUE(Check("cn_resident_id", "110105491231002", /*hinted=*/true));
  EXPECT_FALSE(Check("cn_resident_id", "110105491231002"));
  EXPECT_FALSE(Check("cn_resident_id", "110105490231002", /*hinted=*/true));  // month 02, day 31
}

TEST(CnUsccValidatorTest, AcceptsGeneratedCodes) {
  EXPECT_TRUE(Check("cn_uscc", MakeUscc("91110108MA01ABCDE")));
  EXPECT_TRUE(Check("cn_uscc", MakeUscc("91350100M000100Y4")));
  EXPECT_TRUE(Check("cn_uscc", MakeUscc("12100000400000624")));
}

TEST(CnUsccValidatorTest, RejectsWrongCheckForbiddenLettersAndPlaceholders) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  EXPECT_FALSE(Check("cn_uscc", WithWrongLastCharacter(MakeUscc("91110108MA01ABCDE"), kAlphabet)));
  std::string with_letter_o = MakeUscc("91110108MA01ABCDE");
  with_letter_o[12] = 'O';  // O, I, Z, S, V are not in the alphabet
  EXPECT_FALSE(Check("cn_uscc", with_letter_o));
  EXPECT_FALSE(Check("cn_uscc", "000000000000000000"));  // passes the sum, is a placeholder
  EXPECT_FALSE(Check("cn_uscc", MakeUscc("91ABCDEFMA01ABCDE")));  // region must be digits
  EXPECT_FALSE(Check("cn_uscc", MakeUscc("91110108MA01ABCDE").substr(0, 17)));
}

TEST(CnPassportValidatorTest, AcceptsOrdinaryPassportShapes) {
  EXPECT_TRUE(Check("cn_passport", "E12345678"));
  EXPECT_TRUE(Check("cn_passport", "G28233515"));
  EXPECT_TRUE(Check("cn_passport", "EA1234567"));
  EXPECT_TRUE(Check("cn_passport", "eb7654321"));
}

TEST(CnPassportValidatorTest, RejectsOtherShapesAndPlaceholders) {
  EXPECT_FALSE(Check("cn_passport", "A12345678"));
  EXPECT_FALSE(Check("cn_passport", "E1234567"));
  EXPECT_FALSE(Check("cn_passport", "E123456789"));
  EXPECT_FALSE(Check("cn_passport", "EI1234567"));  // I and O are never series letters
  EXPECT_FALSE(Check("cn_passport", "E00000000"));
}

// --- United States -------------------------------------------------------------------------

TEST(UsSsnValidatorTest, AcceptsAllocatableNumbers) {
  EXPECT_TRUE(Check("us_ssn", "536-22-1234"));
  EXPECT_TRUE(Check("us_ssn", "001 01 0001"));
  EXPECT_TRUE(Check("us_ssn", "665-99-9999"));
  EXPECT_TRUE(Check("us_ssn", "536221234", /*hinted=*/true));
}

TEST(UsSsnValidatorTest, RejectsNeverIssuedAndAdvertisingNumbers) {
  EXPECT_FALSE(Check("us_ssn", "000-12-3456"));
  EXPECT_FALSE(Check("us_ssn", "666-12-3456"));
  EXPECT_FALSE(Check("us_ssn", "900-12-3456"));
  EXPECT_FALSE(Check("us_ssn", "999-12-3456"));
  EXPECT_FALSE(Check("us_ssn", "912-70-1234"));  // an ITIN, not an SSN
  EXPECT_FALSE(Check("us_ssn", "536-00-1234"));
  EXPECT_FALSE(Check("us_ssn", "536-22-0000"));
  EXPECT_FALSE(Check("us_ssn", "078-05-1120"));
  EXPECT_FALSE(Check("us_ssn", "219-09-9999"));
  EXPECT_FALSE(Check("us_ssn", "457-55-5462"));
  EXPECT_FALSE(Check("us_ssn", "536221234"));    // bare digits need the header
  EXPECT_FALSE(Check("us_ssn", "536-221-234"));  // wrong grouping
  EXPECT_FALSE(Check("us_ssn", "536-22 1234"));  // mixed separators
}

TEST(UsItinValidatorTest, AcceptsTheAssignedGroupRanges) {
  for (const char* itin : {"912-50-1234", "912-65-1234", "912-70-1234", "912-88-1234",
                           "912-90-1234", "912-92-1234", "912-94-1234", "999-99-9999"}) {
    EXPECT_TRUE(Check("us_itin", itin)) << itin;
  }
}

TEST(UsItinValidatorTest, RejectsGroupsOutsideTheRangesAndNonNineAreas) {
  for (const char* itin :
       {"912-49-1234", "912-66-1234", "912-69-1234", "912-89-1234", "912-93-1234", "812-70-1234"}) {
    EXPECT_FALSE(Check("us_itin", itin)) << itin;
  }
}

// --- Europe --------------------------------------------------------------------------------

TEST(UkNinoValidatorTest, AcceptsAllocatablePrefixes) {
  EXPECT_TRUE(Check("uk_nino", "AB123456C"));
  EXPECT_TRUE(Check("uk_nino", "AB 12 34 56 C"));
  EXPECT_TRUE(Check("uk_nino", "ZY123456D"));
}

TEST(UkNinoValidatorTest, RejectsUnusedLettersAndUnallocatedPrefixes) {
  EXPECT_FALSE(Check("uk_nino", "QQ123456C"));  // HMRC's documentation example: Q unused
  EXPECT_FALSE(Check("uk_nino", "DA123456A"));
  EXPECT_FALSE(Check("uk_nino", "AO123456A"));  // O never second
  EXPECT_FALSE(Check("uk_nino", "GB123456A"));
  EXPECT_FALSE(Check("uk_nino", "TN123456A"));
  EXPECT_FALSE(Check("uk_nino", "AB123456E"));  // suffix A-D only
  EXPECT_FALSE(Check("uk_nino", "AB12345C"));
}

TEST(SpanishIdValidatorTest, AcceptsDniAndNieWithTheirControlLetter) {
  EXPECT_TRUE(Check("es_dni", "12345678Z"));
  EXPECT_TRUE(Check("es_dni", "00000023T"));
  EXPECT_TRUE(Check("es_dni", "12345678-z"));
  EXPECT_TRUE(Check("es_nie", "X1234567L"));
  EXPECT_TRUE(Check("es_nie", "Y1234567X"));
  EXPECT_TRUE(Check("es_nie", "Z1234567R"));
}

TEST(SpanishIdValidatorTest, RejectsWrongControlLetterAndShapes) {
  EXPECT_FALSE(Check("es_dni", "12345678A"));
  EXPECT_FALSE(Check("es_dni", "1234567Z"));
  EXPECT_FALSE(Check("es_dni", "X1234567L"));  // a NIE is not a DNI
  EXPECT_FALSE(Check("es_nie", "X1234567A"));
  EXPECT_FALSE(Check("es_nie", "W1234567L"));
  EXPECT_FALSE(Check("es_nie", "12345678Z"));
}

TEST(DutchBsnValidatorTest, AcceptsElevenProofNumbersWithColumnHint) {
  EXPECT_TRUE(Check("nl_bsn", "111222333", /*hinted=*/true));
  EXPECT_TRUE(Check("nl_bsn", "123456782", /*hinted=*/true));
  EXPECT_TRUE(Check("nl_bsn", "1112.22.333", /*hinted=*/true));
  EXPECT_TRUE(Check("nl_bsn", "12345672", /*hinted=*/true));  // eight digits, left-padded
}

TEST(DutchBsnValidatorTest, RejectsFailedElevenProofZerosAndUnhintedColumns) {
  EXPECT_FALSE(Check("nl_bsn", "111222334", /*hinted=*/true));
  EXPECT_FALSE(Check("nl_bsn", "123456789", /*hinted=*/true));
  EXPECT_FALSE(Check("nl_bsn", "000000000", /*hinted=*/true));
  EXPECT_FALSE(Check("nl_bsn", "111222333"));
  // Version strings and dates whose digits happen to pass the 11-proof.
  EXPECT_FALSE(Check("nl_bsn", "1.10.5.23520", /*hinted=*/true));
  EXPECT_FALSE(Check("nl_bsn", "11-12-22333", /*hinted=*/true));
}

char FiscalCheckLetter(const std::string& first15) {
  static constexpr std::array<int, 36> kOdd = {1,  0, 5, 7,  9,  13, 15, 17, 19, 21, 1,  0,
                                               5,  7, 9, 13, 15, 17, 19, 21, 2,  4,  18, 20,
                                               11, 3, 6, 8,  12, 14, 16, 10, 22, 25, 24, 23};
  int sum = 0;
  for (size_t i = 0; i < 15; ++i) {
    const char c = first15[i];
    const int index = c <= '9' ? c - '0' : c - 'A' + 10;  // digits 0-9, then A-Z
    const int face = c <= '9' ? c - '0' : c - 'A';
    sum += i % 2 == 0 ? kOdd[index] : face;
  }
  return static_cast<char>('A' + sum % 26);
}

std::string MakeFiscalCode(const std::string& first15) {
  return first15 + FiscalCheckLetter(first15);
}

TEST(ItalianFiscalCodeValidatorTest, AcceptsOrdinaryFemaleAndOmocodicCodes) {
  EXPECT_TRUE(Check("it_fiscal_code", "RSSMRA85T10A562S"));                 // the customary example
  EXPECT_TRUE(Check("it_fiscal_code", MakeFiscalCode("BNCLRA90A41H501")));  // female: day+40
  EXPECT_TRUE(Check("it_fiscal_code", MakeFiscalCode("RSSMRA85T10A56N")));  // omocodia 2->N
  EXPECT_TRUE(Check("it_fiscal_code", MakeFiscalCode("RSSMRAURTMLA562")));  // many replaced
}

TEST(ItalianFiscalCodeValidatorTest, RejectsWrongCheckMonthAndDay) {
  EXPECT_FALSE(Check("it_fiscal_code", "RSSMRA85T10A562T"));
  EXPECT_FALSE(Check("it_fiscal_code", MakeFiscalCode("RSSMRA85F10A562")));  // F is no month
  EXPECT_FALSE(Check("it_fiscal_code", MakeFiscalCode("RSSMRA85B30A562")));  // 30 February
  EXPECT_FALSE(Check("it_fiscal_code", MakeFiscalCode("RSSMRA85T32A562")));
  EXPECT_FALSE(Check("it_fiscal_code", MakeFiscalCode("RSSMRA85TW0A562")));  // W is no digit
  EXPECT_FALSE(Check("it_fiscal_code", "RSSMRA85T10A562"));
}

std::string TwoDigits(long long value) {
  return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10);
}

std::string MakeNir(const std::string& first13) {
  std::string numeric = first13;
  if (numeric.substr(5, 2) == "2A") numeric.replace(5, 2, "19");
  if (numeric.substr(5, 2) == "2B") numeric.replace(5, 2, "18");
  return first13 + TwoDigits(97 - std::stoll(numeric) % 97);
}

TEST(FrenchNirValidatorTest, AcceptsKeysIncludingCorsica) {
  EXPECT_TRUE(Check("fr_nir", MakeNir("1850578006084")));
  EXPECT_TRUE(Check("fr_nir", MakeNir("2920275123456")));
  EXPECT_TRUE(Check("fr_nir", MakeNir("18505"
                                      "2A"
                                      "006084")));
  EXPECT_TRUE(Check("fr_nir", MakeNir("28511"
                                      "2B"
                                      "123456")));
  const std::string spaced = MakeNir("1850578006084");
  EXPECT_TRUE(Check("fr_nir", spaced.substr(0, 1) + " " + spaced.substr(1, 2) + " " +
                                  spaced.substr(3, 2) + " " + spaced.substr(5, 2) + " " +
                                  spaced.substr(7, 3) + " " + spaced.substr(10, 3) + " " +
                                  spaced.substr(13, 2)));
}

TEST(FrenchNirValidatorTest, RejectsWrongKeyCorsicaMixupAndBadMonth) {
  std::string wrong = MakeNir("1850578006084");
  wrong.back() = wrong.back() == '9' ? '0' : static_cast<char>(wrong.back() + 1);
  EXPECT_FALSE(Check("fr_nir", wrong));
  // A key computed over "00" where 2A stands is wrong: Corsica counts as 19.
  const std::string corsica = "185052A006084";
  const std::string unsubstituted_key = TwoDigits(97 - std::stoll("1850500006084") % 97);
  ASSERT_NE(corsica + unsubstituted_key, MakeNir(corsica));
  EXPECT_FALSE(Check("fr_nir", corsica + unsubstituted_key));
  EXPECT_FALSE(Check("fr_nir", MakeNir("1851578006084")));  // month 15
  EXPECT_FALSE(Check("fr_nir", MakeNir("5850578006084")));  // sex digit 5
}

std::string MakeGermanTaxId(const std::string& first10) {
  int product = 10;
  for (char c : first10) {
    int sum = (c - '0' + product) % 10;
    if (sum == 0) sum = 10;
    product = (2 * sum) % 11;
  }
  return first10 + static_cast<char>('0' + (11 - product) % 10);
}

TEST(GermanTaxIdValidatorTest, AcceptsOneDigitRepeatedTwiceOrThrice) {
  EXPECT_TRUE(Check("de_tax_id", MakeGermanTaxId("8609574271")));  // 7 twice
  EXPECT_TRUE(Check("de_tax_id", MakeGermanTaxId("1231456789")));  // 1 twice
  EXPECT_TRUE(Check("de_tax_id", MakeGermanTaxId("1211345678")));  // 1 three times
  EXPECT_TRUE(Check("de_tax_id", "86095742719"));                  // a published example number
}

TEST(GermanTaxIdValidatorTest, RejectsRepetitionRuleCheckDigitAndLeadingZero) {
  EXPECT_FALSE(Check("de_tax_id", MakeGermanTaxId("1234567890")));  // no digit repeats
  EXPECT_FALSE(Check("de_tax_id", MakeGermanTaxId("1122345678")));  // two digits repeat
  EXPECT_FALSE(Check("de_tax_id", MakeGermanTaxId("1111234567")));  // one digit four times
  EXPECT_FALSE(Check("de_tax_id", MakeGermanTaxId("0231456789")));
  std::string wrong = MakeGermanTaxId("8609574271");
  wrong.back() = wrong.back() == '9' ? '0' : static_cast<char>(wrong.back() + 1);
  EXPECT_FALSE(Check("de_tax_id", wrong));
}

// --- Dates of birth --------------------------------------------------------------------------

TEST(DateOfBirthValidatorTest, AcceptsCommonFormats) {
  for (const char* date :
       {"1985-03-12", "1985/3/12", "12/03/1985", "03/25/1985", "25.03.1985", "1985年3月12日",
        "1985年03月12日", "19850312", "2000-02-29", "１９８５－０３－１２"}) {
    EXPECT_TRUE(Check("date_of_birth", date)) << date;
  }
  using namespace std::chrono;
  const year_month_day today{floor<days>(system_clock::now())};
  EXPECT_TRUE(Check("date_of_birth", DateString(today, "%04d-%02u-%02u")));
}

TEST(DateOfBirthValidatorTest, RejectsImpossibleFutureAndAncientDates) {
  for (const char* date : {"1985-02-30", "30/02/1985", "1985年2月30日", "19850230", "1999-02-29",
                           "1985-13-01", "13/13/1985", "1899-12-31", "1900-01-01", "2099-01-01",
                           "1985-03", "1985-03/12", "12/03/85", "20240315123456"}) {
    EXPECT_FALSE(Check("date_of_birth", date)) << date;
  }
  EXPECT_FALSE(Check("date_of_birth", DateString(Tomorrow(), "%04d-%02u-%02u")));
  EXPECT_FALSE(Check("date_of_birth", DateString(Tomorrow(), "%04d%02u%02u")));
}

}  // namespace
}  // namespace crmaudit
