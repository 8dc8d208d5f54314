// Phone numbers written the national way are found through the real binary: the region comes
// from the record's country column, from a header that implies one (手机/座机), or from the
// dataset's "+CC" majority, before --region (docs/detectors.md, "Phone numbers").
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cli_harness.h"

namespace crmaudit::testing {
namespace {

// (dataset column) -> PHONE_NUMBER values matched, from the report's inventory.
std::map<std::string, uint64_t> PhonesByColumn(const nlohmann::json& report) {
  std::map<std::string, uint64_t> phones;
  for (const auto& entry : report["inventory"]) {
    for (const auto& entity : entry["entities"]) {
      if (entity["type"] == "PHONE_NUMBER") {
        phones[entry["column"].get<std::string>()] = entity["matched"].get<uint64_t>();
      }
    }
  }
  return phones;
}

struct Contact {
  const char* country;
  const char* phone;
  const char* mobile;
};

// Ten countries, each number written nationally, the country in MailingCountry the way
// Salesforce exports it (names, codes, local names).
const Contact kContacts[] = {
    {"Germany", "030 901820", "0170 2348589"},
    {"United Kingdom", "020 7185 0022", "07400 123456"},
    {"中国", "010-6552 1234", "138 1234 5678"},
    {"France", "01 42 68 53 00", "06 12 34 56 78"},
    {"España", "912 345 678", "612 345 678"},
    {"NL", "020 123 4567", "06-12345678"},
    {"Brasil", "(11) 3456-7890", "(11) 91234-5678"},
    {"USA", "(415) 555-0132", "(650) 253-0000"},
    {"Italia", "06 6982 1234", "312 345 6789"},
    {"AUS", "02 9374 4000", "0412 345 678"},
};

std::string SalesforceContacts(int rows) {
  std::string csv =
      "FirstName,LastName,Phone,MobilePhone,MailingCountry,OrderNumber__c,Reference__c,"
      "CreatedDate,MailingPostalCode\n";
  const char* references[] = {"2024-000123", "INV 2023 004512", "15.03.2024", "1-2-2024"};
  const char* dates[] = {"2024-03-15", "15.03.2024", "03/15/2024", "2023-11-05 10:42"};
  const char* postcodes[] = {"10115", "SW1A 1AA", "75008", "28013", "1012 AB", "01310-100"};
  for (int i = 0; i < rows; ++i) {
    const Contact& contact = kContacts[i % 10];
    // Blank cells, as real exports have: every seventh mobile.
    csv += "Ann,Lee" + std::to_string(i) + "," + contact.phone + "," +
           (i % 7 == 3 ? "" : contact.mobile) + "," + contact.country + "," +
           std::to_string(100200 + i) + "," + references[i % 4] + "," + dates[i % 4] + "," +
           postcodes[i % 6] + "\n";
  }
  return csv;
}

TEST(PhoneRegionCli, NationalNumbersOfTenCountriesAreFoundFromTheCountryColumn) {
  constexpr int kRows = 60;
  ScratchDir scratch;
  const auto file = scratch.Write("Contact.csv", SalesforceContacts(kRows));
  int mobiles = 0;
  for (int i = 0; i < kRows; ++i) mobiles += i % 7 == 3 ? 0 : 1;
  // --region DE: the USA row's "(415) 555-0132" is found from its record, not the flag.
  for (const char* jobs : {"1", "2"}) {
    SCOPED_TRACE(jobs);
    const auto out = scratch.path() / (std::string("out") + jobs);
    CliRun run = RunCrmaudit({"scan", file.string(), "--region", "DE", "--jobs", jobs, "--out",
                              out.string(), "--format", "json", "--fail-on", "never"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto phones = PhonesByColumn(ReadJson(out / "report.json"));
    EXPECT_EQ(phones.size(), 2u);  // order numbers, references, dates, postcodes stay clean
    EXPECT_EQ(phones.count("Phone") ? phones.at("Phone") : 0, static_cast<uint64_t>(kRows));
    EXPECT_EQ(phones.count("MobilePhone") ? phones.at("MobilePhone") : 0,
              static_cast<uint64_t>(mobiles));
  }
}

TEST(PhoneRegionCli, WithoutTheCountryColumnOnlyTheRegionsOwnNumbersAreFound) {
  // The same export without MailingCountry, in --region DE: the numbers of the other countries
  // are read as German ones, and those that are no German number (German numbering takes many
  // lengths, so not all) are missed. This is what the country column adds.
  ScratchDir scratch;
  std::string csv = "FirstName,Phone\n";
  for (const Contact& contact : kContacts) csv += std::string("Ann,") + contact.phone + "\n";
  const auto file = scratch.Write("Contact.csv", csv);
  const auto out = scratch.path() / "out";
  CliRun run = RunCrmaudit({"scan", file.string(), "--region", "DE", "--out", out.string(),
                            "--format", "json", "--fail-on", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto phones = PhonesByColumn(ReadJson(out / "report.json"));
  ASSERT_TRUE(phones.count("Phone"));
  EXPECT_GE(phones.at("Phone"), 1u);  // the German one
  EXPECT_LT(phones.at("Phone"), 10u);
}

TEST(PhoneRegionCli, AChineseCustomerListIsReadAsChineseWithoutRegion) {
  ScratchDir scratch;
  std::string csv = "客户名称,手机,座机,订单号,下单日期\n";
  const char* landlines[] = {"010-6552 1234", "0512 6523 1234", "021-6234 5678", "0755-8888 6666",
                             "(020) 8765 4321"};
  const char* mobiles[] = {"13812345678", "139 0000 1111", "186-1234-5678"};
  for (int i = 0; i < 30; ++i) {
    csv += "客户" + std::to_string(i) + "," + mobiles[i % 3] + "," + landlines[i % 5] + ",2024" +
           std::to_string(100000 + i) + ",2024-03-" + std::to_string(10 + i % 18) + "\n";
  }
  const auto file = scratch.Write("客户名单.csv", csv);
  const auto out = scratch.path() / "out";
  CliRun run = RunCrmaudit(
      {"scan", file.string(), "--out", out.string(), "--format", "json", "--fail-on", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto phones = PhonesByColumn(ReadJson(out / "report.json"));
  EXPECT_EQ(phones.size(), 2u);
  EXPECT_EQ(phones.count("座机") ? phones.at("座机") : 0, 30u);
  EXPECT_EQ(phones.count("手机") ? phones.at("手机") : 0, 30u);
}

TEST(PhoneRegionCli, TheDatasetsPlusCcMajorityReadsItsNationalNumbers) {
  // A UK list where most numbers carry +44 and some were typed nationally.
  ScratchDir scratch;
  std::string csv = "name,phone\n";
  for (int i = 0; i < 40; ++i) {
    csv += "Ann," + std::string(i % 4 == 3 ? "020 7946 0" : "+44 20 7946 0") +
           std::to_string(100 + i) + "\n";
  }
  const auto file = scratch.Write("uk.csv", csv);
  const auto out = scratch.path() / "out";
  CliRun run = RunCrmaudit(
      {"scan", file.string(), "--out", out.string(), "--format", "json", "--fail-on", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto phones = PhonesByColumn(ReadJson(out / "report.json"));
  EXPECT_EQ(phones.count("phone") ? phones.at("phone") : 0, 40u);
}

}  // namespace
}  // namespace crmaudit::testing
