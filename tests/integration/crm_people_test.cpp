// Names, postal addresses and birth dates in CRM-shaped exports, through the real binary: a
// Salesforce Contact and Account export, a HubSpot contacts export and a Chinese customer list
// (UTF-8 with BOM), with empty cells. The inventory must list the people's name, address and
// birth-date columns and none of the look-alike columns (company names, the account's billing
// address, cities, products, created dates, usernames).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>

#include "tests/integration/cli_harness.h"

namespace crmaudit::testing {
namespace {

using Column = std::pair<std::string, std::string>;  // dataset, column

// Salesforce Data Loader export of Contact: API field names, empty cells.
constexpr const char* kSalesforceContacts =
    "Id,FirstName,LastName,AccountId,Birthdate,MailingStreet,MailingCity,CreatedDate,Title\n"
    "0035g00000AbCdE1,Jane,Doe,0015g00000XyZ001,1985-03-02,221B Baker Street,London,"
    "2023-11-05T10:22:01.000Z,Buyer\n"
    "0035g00000AbCdE2,Jürgen,Müller,0015g00000XyZ002,,Hauptstraße 5,Berlin,"
    "2023-11-06T08:00:00.000Z,CTO\n"
    "0035g00000AbCdE3,Marie,Dubois,0015g00000XyZ003,1979-12-24,12 rue de Rivoli,Paris,"
    "2023-11-07T09:15:00.000Z,\n"
    "0035g00000AbCdE4,,Rossi,0015g00000XyZ004,1990-07-15,,Roma,2023-11-08T12:00:00.000Z,CFO\n"
    "0035g00000AbCdE5,Pieter,van Dijk,0015g00000XyZ005,1968-01-30,Keizersgracht 123,Amsterdam,"
    "2023-11-09T16:45:00.000Z,Owner\n";

// Salesforce Account export: a company's name and billing address are not personal data.
constexpr const char* kSalesforceAccounts =
    "Id,Name,BillingStreet,BillingCity,Industry,CreatedDate\n"
    "0015g00000XyZ001,Acme Corporation,1 Market Street,San Francisco,Manufacturing,"
    "2022-01-03T10:00:00.000Z\n"
    "0015g00000XyZ002,Globex GmbH,Industriestraße 12,München,Energy,2022-02-03T10:00:00.000Z\n"
    "0015g00000XyZ003,Initech SARL,5 avenue des Champs-Élysées,Paris,,"
    "2022-03-03T10:00:00.000Z\n"
    "0015g00000XyZ004,Umbrella SpA,Via Roma 1,Roma,Biotech,2022-04-03T10:00:00.000Z\n";

// HubSpot contacts export: display labels as headers; no name header on "Assistant", which
// holds given and family names the frequency lists know.
constexpr const char* kHubSpotContacts =
    "Record ID,First Name,Last Name,Contact owner,Street Address,City,Company Name,"
    "Product,Username,Create Date,Assistant\n"
    "101,Mary,Johnson,Linda Garcia,1600 Amphitheatre Parkway,Mountain View,Acme Corporation,"
    "Widget Pro,mjohnson,2024-01-15 10:22,James Smith\n"
    "102,Robert,,Linda Garcia,,Austin,Globex,Widget Max,rbrown84,2024-01-16 11:00,"
    "Patricia Brown\n"
    "103,,Miller,Michael Wilson,350 Fifth Avenue,New York,Initech,Gadget Lite,jmiller,"
    "2024-01-17 09:30,\n"
    "104,Jennifer,Davis,Michael Wilson,742 Evergreen Terrace,Springfield,Hooli,Widget Pro,"
    "jdavis,2024-01-18 14:05,Robert Miller\n"
    "105,David,Martinez,Linda Garcia,10 Downing Street,London,Pied Piper,Gadget Lite,dmartinez,"
    "2024-01-19 16:40,Susan Taylor\n";

// A Chinese customer list, UTF-8 with a byte-order mark.
constexpr const char* kChineseCustomers =
    "\xEF\xBB\xBF"
    "客户编号,姓名,联系人,出生日期,通讯地址,城市,公司名称,产品名称,创建时间\n"
    "C001,张伟,王芳,1985年3月2日,北京市朝阳区建国路88号,北京,北京某某科技有限公司,高级会员,"
    "2024-01-15 10:22:01\n"
    "C002,欧阳娜娜,,1992-07-15,上海市浦东新区世纪大道100号2001室,上海,上海某某贸易有限公司,"
    "基础套餐,2024-01-16 11:00:00\n"
    "C003,李娜,刘洋,,广东省广州市天河区天河路385号,广州,,高级会员,2024-01-17 09:30:00\n"
    "C004,陈静,赵磊,1979-12-24,,深圳,深圳某某电子有限公司,企业版,2024-01-18 14:05:00\n";

std::set<std::tuple<std::string, std::string, std::string>> Inventory(const nlohmann::json& r) {
  std::set<std::tuple<std::string, std::string, std::string>> found;
  for (const auto& e : r["inventory"]) {
    for (const auto& entity : e["entities"]) {
      found.insert({e["dataset"].get<std::string>(), e["column"].get<std::string>(),
                    entity["type"].get<std::string>()});
    }
  }
  return found;
}

TEST(CrmPeopleTest, NamesAddressesAndBirthDatesAreListedAndLookAlikesAreNot) {
  ScratchDir dir;
  dir.Write("crm/Contact.csv", kSalesforceContacts);
  dir.Write("crm/Account.csv", kSalesforceAccounts);
  dir.Write("crm/hubspot-contacts.csv", kHubSpotContacts);
  dir.Write("crm/客户名单.csv", kChineseCustomers);
  const std::string out = (dir.path() / "out").string();
  const CliRun run = RunCrmaudit({"scan", (dir.path() / "crm").string(), "--policy", "pii-core",
                                  "--out", out, "--format", "json", "--fail-on", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto found = Inventory(ReadJson(dir.path() / "out" / "report.json"));

  const std::set<std::tuple<std::string, std::string, std::string>> expected = {
      {"Contact.csv", "FirstName", "PERSON_NAME"},
      {"Contact.csv", "LastName", "PERSON_NAME"},
      {"Contact.csv", "Birthdate", "DATE_OF_BIRTH"},
      {"Contact.csv", "MailingStreet", "POSTAL_ADDRESS"},
      {"hubspot-contacts.csv", "First Name", "PERSON_NAME"},
      {"hubspot-contacts.csv", "Last Name", "PERSON_NAME"},
      {"hubspot-contacts.csv", "Contact owner", "PERSON_NAME"},
      {"hubspot-contacts.csv", "Street Address", "POSTAL_ADDRESS"},
      {"hubspot-contacts.csv", "Assistant", "PERSON_NAME"},  // no hint: frequency lists
      {"客户名单.csv", "姓名", "PERSON_NAME"},
      {"客户名单.csv", "联系人", "PERSON_NAME"},
      {"客户名单.csv", "出生日期", "DATE_OF_BIRTH"},
      {"客户名单.csv", "通讯地址", "POSTAL_ADDRESS"},
  };
  for (const auto& item : expected) {
    EXPECT_TRUE(found.count(item))
        << std::get<0>(item) << " " << std::get<1>(item) << " " << std::get<2>(item);
  }
  // Nothing else: no company name, billing address, city, product, created date or username.
  for (const auto& item : found) {
    EXPECT_TRUE(expected.count(item)) << "unexpected: " << std::get<0>(item) << " "
                                      << std::get<1>(item) << " " << std::get<2>(item);
  }
  // Masked samples only: no raw name or street in the report.
  const std::string report = ReadFile(dir.path() / "out" / "report.json");
  for (const char* raw : {"Baker Street", "Jürgen", "Johnson", "建国路88号", "1985-03-02"}) {
    EXPECT_EQ(report.find(raw), std::string::npos) << raw;
  }
}

}  // namespace
}  // namespace crmaudit::testing
