// A CRM-shaped export through the real binary: identifiers named in notes (several languages),
// the decoys that must stay clean beside them, IP addresses in columns and in notes, version
// strings and OIDs, and password columns judged by the shared password classification.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "cli_harness.h"

namespace crmaudit::testing {
namespace {

// Entity type -> matched count, per column of the one dataset scanned.
using Inventory = std::map<std::string, std::map<std::string, long>>;

Inventory ColumnsOf(const nlohmann::json& report) {
  Inventory columns;
  for (const auto& entry : report["inventory"]) {
    for (const auto& entity : entry["entities"]) {
      columns[entry["column"].get<std::string>()][entity["type"].get<std::string>()] =
          entity["matched"].get<long>();
    }
  }
  return columns;
}

std::set<std::string> TypesOf(const Inventory& columns, const std::string& column) {
  std::set<std::string> types;
  if (auto found = columns.find(column); found != columns.end()) {
    for (const auto& [type, count] : found->second) types.insert(type);
  }
  return types;
}

// 40 rows. Every fourth note is an ITIN-shaped decoy with no ITIN context; the others name
// their identifier right before it, in Dutch, English, German, Chinese and Spanish.
std::string CrmExport() {
  const char* notes[] = {
      "Klant gaf BSN 123456782 door",
      "SSN 199958039 confirmed on the phone",
      "Refund to IBAN DE21 6233 4018 7801 7598 98 approved",  // its digits pass Luhn as a card
      "Old reference 987-65-4321 from the legacy system",
      "Kunde meldete sich von 203.0.113.42 an.",
      "客户登录IP：198.51.100.23，已核实",
      "Upgraded the client to version 1.2.3.4 yesterday",
      "Old reference 912-78-1234 from the legacy system",
      "Build 4.2.0.1 deployed; OID 1.3.6.1.4.1.311 registered",
      "Meeting moved to 12.03.2024, budget 3.14 million",
  };
  const char* versions[] = {"1.2.3.4", "10.0.19041.1", "4.2.0.1", "2.7.18", "v3.1.0.12"};
  const char* oids[] = {"1.3.6.1.4.1.311", "2.5.4.3", "1.2.840.113549.1.1.1", "1.3.6.1.2.1"};
  const char* plaintext[] = {"hunter22", "Summer2024!", "********", "correct horse staple"};
  const char* hashes[] = {"$2b$12$RA.EZmC4RcAY/WOUjZIWwOM0r9jSCznpTeFD1EkFoW7qTuaMx5xWG",
                          "2ab96390c7dbe3439de74d0c9b0b1767"};
  std::string csv =
      "Id,Last Name,Last IP,App Version,Schema OID,Password,password_hash,"
      "Portal Password,Notes\n";
  for (int row = 0; row < 40; ++row) {
    csv += std::to_string(1000 + row) + ",Name" + std::to_string(row) + ",";
    csv += "203.0.113." + std::to_string(10 + row) + ",";
    csv += std::string(versions[row % 5]) + ",";
    csv += std::string(oids[row % 4]) + ",";
    csv += std::string(plaintext[row % 4]) + ",";
    csv += std::string(hashes[row % 2]) + ",";
    csv += "********,";
    csv += "\"" + std::string(notes[row % 10]) + "\"\n";
  }
  return csv;
}

TEST(IdentifiersInContext, CrmExportGivesEachSpanOneEntityAndKeepsDecoysClean) {
  ScratchDir scratch;
  auto file = scratch.Write("contacts.csv", CrmExport());
  CliRun run = RunCrmaudit({"scan", file.string(), "--out", (scratch.path() / "out").string(),
                            "--format", "json", "--fail-on", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto report = ReadJson(scratch.path() / "out/report.json");
  const Inventory columns = ColumnsOf(report);

  // Notes: BSN and bare SSN named right before the number are found; the ITIN-shaped
  // references are not; the IBAN is an IBAN, not also a card; IPs in German and Chinese notes
  // are found, the version and OID in notes are not. Each of the ten notes is used four times.
  const auto notes = columns.at("Notes");
  EXPECT_EQ(notes.count("NL_BSN") ? notes.at("NL_BSN") : 0, 4);
  EXPECT_EQ(notes.count("US_SSN") ? notes.at("US_SSN") : 0, 4);
  EXPECT_EQ(notes.count("IBAN_CODE") ? notes.at("IBAN_CODE") : 0, 4);
  EXPECT_EQ(notes.count("IP_ADDRESS") ? notes.at("IP_ADDRESS") : 0, 8);
  EXPECT_EQ(notes.count("US_ITIN"), 0u) << "ITIN decoys reported";
  EXPECT_EQ(notes.count("CREDIT_CARD_NUMBER"), 0u) << "the IBAN was also reported as a card";

  EXPECT_EQ(TypesOf(columns, "Last IP"), std::set<std::string>{"IP_ADDRESS"});
  EXPECT_EQ(columns.at("Last IP").at("IP_ADDRESS"), 40);
  EXPECT_EQ(TypesOf(columns, "App Version"), std::set<std::string>{});
  EXPECT_EQ(TypesOf(columns, "Schema OID"), std::set<std::string>{});

  // Password columns: plain text reported as such, the masks not counted; the hashes column as
  // PASSWORD_HASH; a column of masks is nothing at all.
  EXPECT_EQ(TypesOf(columns, "Password"), std::set<std::string>{"PLAINTEXT_PASSWORD"});
  EXPECT_EQ(columns.at("Password").at("PLAINTEXT_PASSWORD"), 30);
  EXPECT_EQ(TypesOf(columns, "password_hash"), std::set<std::string>{"PASSWORD_HASH"});
  EXPECT_EQ(columns.at("password_hash").at("PASSWORD_HASH"), 40);
  EXPECT_EQ(TypesOf(columns, "Portal Password"), std::set<std::string>{});

  // The finding of the hash column takes its most severe detector: MD5 beside bcrypt is weak.
  bool hash_finding = false;
  for (const auto& finding : FindingsFor(report, "PASSWORD_HASH", "contacts.csv")) {
    if (finding["location"]["column"] != "password_hash") continue;
    hash_finding = true;
    EXPECT_EQ(finding["severity"], "high");
  }
  EXPECT_TRUE(hash_finding);
  // Two jobs match the same rows in parallel and must agree on every count.
  CliRun parallel =
      RunCrmaudit({"scan", file.string(), "--out", (scratch.path() / "out2").string(), "--format",
                   "json", "--fail-on", "never", "--jobs", "2", "--full"});
  ASSERT_EQ(parallel.exit_code, 0) << parallel.err;
  EXPECT_EQ(ColumnsOf(ReadJson(scratch.path() / "out2/report.json")), columns);
  // No raw value in any sample.
  const std::string text = ReadFile(scratch.path() / "out/report.json");
  for (const char* raw : {"hunter22", "123456782", "199958039", "203.0.113.42", "Summer2024!"}) {
    EXPECT_EQ(text.find(raw), std::string::npos) << "raw value in report";
  }
}

}  // namespace
}  // namespace crmaudit::testing
