// PERSON_NAME, POSTAL_ADDRESS and DATE_OF_BIRTH: the validators with an injected scan day and
// word lists, and pii-core's detectors through the compiled matcher and the column profiler
// (header hints, look-alike columns, dataset vetoes, free text).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scanner/detect/column_profiler.h"
#include "scanner/detect/compiled_policy.h"
#include "scanner/detect/validators.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

using namespace std::chrono;

const std::filesystem::path kPolicies = std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies";

const PolicyPack& PiiCorePack() {
  static const PolicyPack pack = LoadPolicyPack(kPolicies / "pii-core.json");
  return pack;
}

const DetectorSpec& Spec(std::string_view id) {
  for (const DetectorSpec& spec : PiiCorePack().detectors) {
    if (spec.id == id) return spec;
  }
  throw std::runtime_error("no detector " + std::string(id));
}

// The validator `name` as the pack's detector `id` runs it (its word lists), on `today`.
bool Check(std::string_view name, std::string_view id, std::string_view value, bool hinted,
           std::optional<sys_days> today = std::nullopt) {
  ValidationContext context;
  context.column_hinted = hinted;
  context.word_lists = &Spec(id).word_lists;
  context.today = today;
  return FindValidator(name)(value, context);
}

bool Name(std::string_view value, bool hinted) {
  return Check("person_name", "person-name", value, hinted);
}
bool Address(std::string_view value) {
  return Check("postal_address", "postal-address", value, true);
}
bool Birth(std::string_view value, sys_days today, bool hinted = false) {
  return Check("date_of_birth", "date-of-birth", value, hinted, today);
}

constexpr sys_days kScanDay = sys_days{2026y / November / 29};

// --- Word lists ------------------------------------------------------------------------------

TEST(PersonDataWordListsTest, ShippedListsLoadWithThePack) {
  const WordLists& lists = Spec("person-name").word_lists;
  ASSERT_NE(FindWordList(&lists, "given_names"), nullptr);
  EXPECT_GT(FindWordList(&lists, "given_names")->size(), 5000u);
  EXPECT_EQ(FindWordList(&lists, "surnames")->size(), 1000u);
  EXPECT_TRUE(FindWordList(&lists, "cn_surnames")->Contains("欧阳"));
  EXPECT_TRUE(FindWordList(&lists, "given_names")->Contains("mary"));
  EXPECT_FALSE(FindWordList(&lists, "given_names")->Contains("# source"));  // comments skipped
  EXPECT_EQ(FindWordList(&lists, "missing"), nullptr);
}

TEST(PersonDataWordListsTest, MissingListFailsThePackNamingTheField) {
  const auto dir = std::filesystem::temp_directory_path() / "crmaudit-wordlist-test";
  std::filesystem::create_directories(dir);
  const auto pack = dir / "p.json";
  {
    std::ofstream out(pack);
    out << R"({"name":"p","version":"1","detectors":[{"id":"n","entity":"PERSON_NAME",)"
        << R"("title":"t","patterns":["x"],"word_lists":{"surnames":"nope.txt"}}]})";
  }
  try {
    LoadPolicyPack(pack);
    FAIL() << "a missing word list must fail the pack";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.field(), "detectors[0].word_lists.surnames");
  }
  std::filesystem::remove_all(dir);
}

// --- PERSON_NAME -----------------------------------------------------------------------------

TEST(PersonNameValidatorTest, UnderANameHeaderTheShapeDecides) {
  for (const char* value :
       {"Jane", "Doe", "Jürgen Müller", "Ludwig van Beethoven", "O'Brien", "Smith-Jones",
        "José María García", "SMITH", "jane doe", "J. R. Tolkien", "Doe, Jane", "Zoë Ångström",
        "张伟", "欧阳娜娜", "王小明", "阿卜杜拉·买买提"}) {
    EXPECT_TRUE(Name(value, true)) << value;
  }
  for (const char* value :
       {"jsmith42", "iPhone", "eBay Inc.", "user_01", "R2-D2", "N/A", "Jane Doe (VIP)", "会员卡",
        "北京某某科技有限公司", "张", "a b c d e f g", "Jan van", "iPhone d'Or", "x'Angelo",
        "d'AngeLo", "", "a", "J.", "A B"}) {
    EXPECT_FALSE(Name(value, true)) << value;
  }
}

// A family-name column holds the particle in front, in lower case (Dutch tussenvoegsel,
// Portuguese dos, German von, Italian elided d'): the name is confirmed, not refused as lower
// case.
TEST(PersonNameValidatorTest, SurnamesWithALowerCaseParticleAreNames) {
  for (const char* value :
       {"de Jong", "de Vries", "de Boer", "de Groot", "van Dijk", "van Leeuwen", "van den Berg",
        "Jan de Vries", "Maria van den Berg", "d'Angelo", "d’Angelo", "Paolo dell'Acqua",
        "dos Santos", "João dos Santos", "von Trapp", "ter Horst"}) {
    EXPECT_TRUE(Name(value, true)) << value;
  }
}

TEST(PersonNameValidatorTest, WithoutAHeaderBothNamesMustBeInTheFrequencyLists) {
  for (const char* value : {"Mary Johnson", "James Smith", "ROBERT BROWN", "Linda M. Garcia",
                            "Smith, John", "Maria de Garcia", "Maria van den Berg"}) {
    EXPECT_TRUE(Name(value, false)) << value;
  }
  for (const char* value : {"San Francisco", "New York", "Acme Corporation", "Widget Pro", "Mary",
                            "Johnson", "Paris", "mary johnson", "张伟", "Quantum Leap"}) {
    EXPECT_FALSE(Name(value, false)) << value;
  }
}

// Without a header a name has two to four parts (parts are split at spaces and commas), which
// is checked before anything else: a note of five listed words is no name, while the same
// words under a name header are one.
TEST(PersonNameValidatorTest, WithoutAHeaderANameHasTwoToFourParts) {
  for (const char* value :
       {"Smith,John", "Smith , John", "Mary Anne Lee Johnson", "  Mary  Johnson "}) {
    EXPECT_TRUE(Name(value, false)) << value;
  }
  for (const char* value : {"Mary Anne Lee Rose Johnson", "Mary, Anne Lee Rose Johnson", "Mary",
                            ",Mary,", "Mary , , Lee"}) {
    EXPECT_FALSE(Name(value, false)) << value;
  }
  EXPECT_TRUE(Name("Mary Anne Lee Rose Johnson", true));
}

TEST(PersonNameValidatorTest, WithoutWordListsOnlyHintedLatinNamesAreNames) {
  ValidationContext context;  // no lists: nothing to confirm a bare value with
  EXPECT_FALSE(FindValidator("person_name")("Mary Johnson", context));
  context.column_hinted = true;
  EXPECT_TRUE(FindValidator("person_name")("Mary Johnson", context));
  EXPECT_FALSE(FindValidator("person_name")("张伟", context));  // no cn_surnames list
}

// --- POSTAL_ADDRESS --------------------------------------------------------------------------

TEST(PostalAddressValidatorTest, AcceptsStreetLinesAndWholeAddresses) {
  for (const char* value :
       {"1600 Amphitheatre Parkway", "Hauptstraße 5", "12 rue de Rivoli, 75001 Paris",
        "Flat 4\n12 High Street", "Calle Mayor 10", "Keizersgracht 123", "Rua Augusta 274",
        "北京市朝阳区建国路88号", "上海市浦东新区世纪大道100号2001室"}) {
    EXPECT_TRUE(Address(value)) << value;
  }
  for (const char* value : {"Berlin", "75001", "jane@example.com", "https://example.com/1",
                            "上海市", "浦东新区", "N/A"}) {
    EXPECT_FALSE(Address(value)) << value;
  }
  ValidationContext unhinted;
  EXPECT_FALSE(FindValidator("postal_address")("1600 Amphitheatre Parkway", unhinted));
}

// --- DATE_OF_BIRTH ---------------------------------------------------------------------------

TEST(DateOfBirthValidatorTest, AgeIsZeroToOneHundredTwentyYearsOnTheScanDay) {
  EXPECT_TRUE(Birth("1906-11-29", kScanDay));   // 120 years old that day
  EXPECT_FALSE(Birth("1906-11-28", kScanDay));  // a day older
  EXPECT_TRUE(Birth("2026-11-29", kScanDay));   // born on the scan day
  EXPECT_FALSE(Birth("2026-11-30", kScanDay));  // the future
  // The same date judged on another day: the scan day is what counts, not the clock.
  EXPECT_TRUE(Birth("1906-11-28", sys_days{2026y / November / 27}));
}

TEST(DateOfBirthValidatorTest, CommonFormatsWithAnOptionalMidnightTime) {
  for (const char* value :
       {"1985-03-02", "1985/3/2", "02/03/1985", "03/25/1985", "02.03.1985", "1985年3月2日",
        "1985-03-02 00:00:00", "1985-03-02T00:00:00Z", "1985-03-02 00:00", "02.03.1985 00:00"}) {
    EXPECT_TRUE(Birth(value, kScanDay)) << value;
  }
  for (const char* value : {"1985-03-02 14:22:10", "1985-02-30", "25/25/1985", "1985-03",
                            "1985年3月", "v1.2.3", "1985-03-02T10:00:00Z"}) {
    EXPECT_FALSE(Birth(value, kScanDay)) << value;
  }
  // A year and month alone count only under a birth-date header (出生年月).
  EXPECT_TRUE(Birth("1985-03", kScanDay, /*hinted=*/true));
  EXPECT_TRUE(Birth("1985年3月", kScanDay, /*hinted=*/true));
}

// --- The detectors through the matcher and the profiler -------------------------------------

std::shared_ptr<const CompiledPolicy> PiiCore() {
  static const auto policy = CompiledPolicy::Compile({PiiCorePack()});
  return policy;
}

std::set<std::string> Entities(std::string_view column, std::string_view value,
                               std::string_view dataset = "contacts.csv") {
  std::vector<ValueMatch> matches;
  PiiCore()->Scan(value, PiiCore()->ColumnHints(column, dataset), &matches);
  std::set<std::string> types;
  for (const ValueMatch& m : matches) types.insert(PiiCore()->detectors()[m.detector]->entity);
  return types;
}

TEST(PersonDataDetectorsTest, HeadersInTheLanguagesAndCrmFieldNames) {
  const std::set<std::string> name{"PERSON_NAME"};
  for (const char* column :
       {"FirstName", "LastName", "Name", "First Name", "Contact owner", "Lead_Owner", "Full_Name",
        "Vorname", "Nachname", "prénom", "nom", "apellidos", "nombre", "cognome", "nome",
        "achternaam", "voornaam", "sobrenome"}) {
    EXPECT_EQ(Entities(column, "Jürgen"), name) << column;
  }
  for (const char* column : {"姓名", "联系人", "客户名称"}) {
    EXPECT_EQ(Entities(column, "李娜"), name) << column;
  }
  for (const char* column :
       {"Account Name", "Company", "公司名称", "username", "product_name", "city"}) {
    EXPECT_TRUE(Entities(column, "Jürgen").empty()) << column;
  }
  const std::set<std::string> address{"POSTAL_ADDRESS"};
  for (const char* column :
       {"MailingStreet", "Street Address", "Address", "地址", "住址", "通讯地址", "Straße",
        "Strasse", "adresse", "dirección", "indirizzo", "adres", "endereço"}) {
    EXPECT_EQ(Entities(column, "221B Baker Street"), address) << column;
  }
  EXPECT_TRUE(Entities("Email Address", "221B Baker Street").empty());
  EXPECT_TRUE(Entities("notes", "221B Baker Street").empty());  // the detector needs the header
  const std::set<std::string> birth{"DATE_OF_BIRTH"};
  for (const char* column : {"Birthdate", "date_of_birth", "dob", "birthday", "出生日期", "生日",
                             "出生年月", "Geburtsdatum", "date de naissance", "fecha de nacimiento",
                             "data di nascita", "geboortedatum", "data de nascimento"}) {
    EXPECT_EQ(Entities(column, "1985-03-02"), birth) << column;
  }
  for (const char* column :
       {"CreatedDate", "LastModifiedDate", "order_date", "CloseDate", "value"}) {
    EXPECT_TRUE(Entities(column, "1985-03-02").empty()) << column;
  }
}

TEST(PersonDataDetectorsTest, BirthDatesInFreeTextNeedABirthWordBeforeThem) {
  EXPECT_EQ(Entities("notes", "Customer born 1985-03-02, verified by phone"),
            std::set<std::string>{"DATE_OF_BIRTH"});
  EXPECT_EQ(Entities("备注", "客户出生日期：1985年3月2日"), std::set<std::string>{"DATE_OF_BIRTH"});
  EXPECT_TRUE(Entities("notes", "Meeting moved to 2024-03-02 at the office").empty());
  // The birth date inside a resident ID stays part of the ID.
  EXPECT_TRUE(Entities("birthdate", "110105198503021234").empty());
}

TEST(PersonDataDetectorsTest, CompanyDatasetsCancelNameAndAddressHeaders) {
  EXPECT_TRUE(Entities("BillingStreet", "1 Market Street", "Account.csv").empty());
  EXPECT_TRUE(Entities("地址", "北京市朝阳区建国路88号", "exports/企业客户.csv").empty());
  EXPECT_TRUE(
      Entities("Street Address", "1 Market Street", "hubspot-crm-exports-all-companies-2024.csv")
          .empty());
  EXPECT_EQ(Entities("MailingStreet", "1 Market Street", "Contact.csv"),
            std::set<std::string>{"POSTAL_ADDRESS"});
  // Only the dataset's own name counts, not a folder above it.
  EXPECT_EQ(Entities("MailingStreet", "1 Market Street", "accounts/Contact.csv"),
            std::set<std::string>{"POSTAL_ADDRESS"});
  // In a company dataset a name header does not count: the company's "Name" is not a person's,
  // while an owner's name still stands on the frequency lists.
  EXPECT_TRUE(Entities("Name", "Hooli Labs", "Account.csv").empty());
  EXPECT_EQ(Entities("Name", "Hooli Labs", "Contact.csv"), std::set<std::string>{"PERSON_NAME"});
  EXPECT_EQ(Entities("Account Owner", "Linda Garcia", "Account.csv"),
            std::set<std::string>{"PERSON_NAME"});
  EXPECT_TRUE(Entities("客户名称", "王芳", "fxiaoke_企业客户.csv").empty());
  EXPECT_TRUE(Entities("name", "Hooli Labs", "accounts.json").empty());
}

// A contact person's name in a company list is personal data: headers naming a person
// (`negative_datasets_except_columns`) keep their hint where the dataset cancels the rest.
TEST(PersonDataDetectorsTest, ContactPersonColumnsOfCompanyDatasetsStillCount) {
  const std::set<std::string> name{"PERSON_NAME"};
  EXPECT_EQ(Entities("联系人", "王芳", "fxiaoke_企业客户.csv"), name);
  EXPECT_EQ(Entities("contact.name", "Olivia Specimen", "accounts.json"), name);
  EXPECT_EQ(Entities("Contact Name", "Olivia Specimen", "companies.csv"), name);
  EXPECT_EQ(Entities("FirstName", "Olivia", "Account.csv"), name);
  EXPECT_EQ(Entities("Account Owner", "Olivia Specimen", "Account.csv"), name);
  // The exception names the person, not the company: a contact's company stays vetoed.
  EXPECT_TRUE(Entities("contact.company_name", "Olivia Specimen", "accounts.json").empty());
  // Not hinted, not a name of the frequency lists: the generic header is cancelled.
  EXPECT_TRUE(Entities("Name", "Olivia Specimen", "Account.csv").empty());
  EXPECT_TRUE(Entities("BillingStreet", "1 Market Street", "Account.csv").empty());
  // A home address is a person's wherever it stands; a company's address is not.
  EXPECT_EQ(Entities("home_address", "1 Market Street", "companies.csv"),
            std::set<std::string>{"POSTAL_ADDRESS"});
  EXPECT_TRUE(Entities("contact.address", "1 Market Street", "accounts.json").empty());
}

// A column with no header hint: classified as names from the frequency lists, while a city
// and a company column of the same shape stay clean.
TEST(PersonDataDetectorsTest, UnhintedColumnOfGivenAndFamilyNamesIsFound) {
  ColumnProfiler profiler(PiiCore(), "people.csv");
  const size_t who = profiler.DeclareColumn("col_a");
  const size_t city = profiler.DeclareColumn("col_b");
  const size_t company = profiler.DeclareColumn("col_c");
  const char* names[] = {"Mary Johnson",  "James Smith",    "Patricia Brown", "", "Linda Garcia",
                         "Robert Miller", "Jennifer Davis", "Michael Wilson", "", "Zhang Wei"};
  const char* cities[] = {"San Francisco", "New York",   "Los Angeles", "Chicago",    "Houston",
                          "San Jose",      "Santa Rosa", "Carson City", "Long Beach", "Austin"};
  const char* companies[] = {"Acme Corporation", "Globex Inc",        "Initech", "Umbrella Labs",
                             "Stark Industries", "Wayne Enterprises", "Hooli",   "Vandelay Imports",
                             "Morgan Stanley",   "Pied Piper"};
  for (int i = 0; i < 10; ++i) {
    profiler.Field(who, names[i]);
    profiler.Field(city, cities[i]);
    profiler.Field(company, companies[i]);
    profiler.EndRecord();
  }
  std::map<std::string, std::set<std::string>> found;
  for (const ColumnProfile& profile : profiler.Finish()) {
    for (const auto& entity : profile.entities) {
      found[profile.column].insert(PiiCore()->detectors()[entity.detector]->entity);
    }
  }
  EXPECT_EQ(found["col_a"], std::set<std::string>{"PERSON_NAME"});
  EXPECT_FALSE(found.count("col_b"));
  EXPECT_FALSE(found.count("col_c"));
}

}  // namespace
}  // namespace crmaudit
