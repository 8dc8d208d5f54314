// Header rows that are data, and names that hold values (detect/header_row.h,
// detect/value_names.h), judged with the shipped pii-core pack.
#include "scanner/detect/header_row.h"

#include <gtest/gtest.h>

#include "scanner/detect/value_names.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

const CompiledPolicy& PiiCore() {
  static const auto policy = CompiledPolicy::Compile(
      {LoadPolicyPack(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json")});
  return *policy;
}

using Row = std::vector<std::string_view>;

TEST(HeaderRow, WordsAreAHeader) {
  Row first = {"id", "first_name", "email", "phone", "iban", "created_at", "客户邮箱", "health"};
  std::vector<Row> below = {
      {"C00001", "Frank", "frank@example.com", "+49 30 1234 5898", "", "2025-02-08", "", ""}};
  EXPECT_TRUE(FirstRecordIsHeader(PiiCore(), first, below));
  EXPECT_TRUE(FirstRecordIsHeader(PiiCore(), first, {}));
  // Numbered headers and short numbers (years) are still names.
  Row years = {"region", "2024", "2025", "address_2"};
  std::vector<Row> amounts = {{"north", "100", "120", "Main St 5"}};
  EXPECT_TRUE(FirstRecordIsHeader(PiiCore(), years, amounts));
}

TEST(HeaderRow, AConfirmedValueMakesItData) {
  Row first = {"C00001", "Frank", "frank.example1@example.com", "+49 30 1234 5898"};
  EXPECT_FALSE(FirstRecordIsHeader(PiiCore(), first, {}));  // a one-line file too
  Row iban_only = {"x", "NL91ABNA0417164300"};
  EXPECT_FALSE(FirstRecordIsHeader(PiiCore(), iban_only, {}));
}

TEST(HeaderRow, AValueShapeSharedWithTheRowsBelowMakesItData) {
  // Order numbers and dates no detector claims, but a header would hold words there.
  Row first = {"100234", "2026-01-03", "paid"};
  std::vector<Row> below = {{"100235", "2026-01-04", "open"}, {"100236", "2026-01-05", "paid"}};
  EXPECT_FALSE(FirstRecordIsHeader(PiiCore(), first, below));
}

TEST(ValueNames, ConfirmedValuesInNamesAreMaskedAndTheRestKept) {
  EXPECT_EQ(MaskValuesInName(PiiCore(), "email"), "email");
  EXPECT_EQ(MaskValuesInName(PiiCore(), "contact.email"), "contact.email");
  for (const char* header : {"first_name", "Last Name", "Contact Person", "Company", "City",
                             "Street Address", "Date of Birth", "created_at", "iban", "card_number",
                             "客户邮箱", "手机", "notes", "ip_address"}) {
    EXPECT_EQ(MaskValuesInName(PiiCore(), header), header);
  }
  const std::string masked = MaskValuesInName(PiiCore(), "frank.example1@example.com");
  EXPECT_EQ(masked.find("frank"), std::string::npos) << masked;
  EXPECT_NE(masked.find("***"), std::string::npos) << masked;
  const std::string nested = MaskValuesInName(PiiCore(), "frank.example1@example.com.phone");
  EXPECT_EQ(nested.find("example1"), std::string::npos) << nested;
  const std::string file = MaskValuesInPath(PiiCore(), "2026/frank.example1@example.com.csv.gz");
  EXPECT_EQ(file.rfind("2026/", 0), 0u) << file;
  EXPECT_EQ(file.find("example1"), std::string::npos) << file;
  EXPECT_EQ(file.substr(file.size() - 7), ".csv.gz") << file;
  EXPECT_EQ(MaskValuesInPath(PiiCore(), "exports/contacts.csv"), "exports/contacts.csv");
}

}  // namespace
}  // namespace crmaudit
