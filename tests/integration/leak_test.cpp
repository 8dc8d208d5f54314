// Raw values never leave the process. Distinctive values of every kind (email, phone, card,
// IBAN, resident ID, a password in notes, a cloud secret key, a PEM private key, a name) are
// put in every export kind (CSV, GB18030 CSV, gzip, JSON, NDJSON, XLSX, ZIP, tar.gz, a SQLite
// database: in TEXT and BLOB cells, and as a table's name) and in broken files whose error paths
// name a position or a table (an unbalanced quote, a cut gzip stream, an invalid JSON line, a cut
// workbook, a cut archive member, broken sheet XML, a .db that is not SQLite),
// scanned in full with every format and signing on a pseudo-terminal (so progress lines are
// drawn), then verified and diffed. Every output file, the DSSE payload, stdout and stderr
// are searched for each value and for every 8-character piece of it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/cli_harness.h"
#include "tests/support/archive_writer.h"
#include "tests/support/leak_search.h"
#include "tests/support/sqlite_fixture.h"
#include "tests/support/xlsx_writer.h"

namespace crmaudit::testing {
namespace {

namespace fs = std::filesystem;

std::string Row(int id) {
  return std::to_string(id) +
         ",Quentin Zarkovsky,quentin.zarkleak@wombatmail.org,+49 1523 7781904,4539172683051949,"
         "DE29370400440917263548,440305198706127318,\"login password: Tr0ub4dor&3xyzzyQ; "
         "aws_access_key_id=AKIAZQ7LEAKW4MBT9XRV aws_secret_access_key="
         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzqxLEAKEY1\",\"-----BEGIN RSA PRIVATE KEY-----\n"
         "MIIEowIBAAKCAQEAzqXleakWombatKeyBodyQ9v7Tn2\n-----END RSA PRIVATE KEY-----\"\n";
}

const char* kHeader = "id,full_name,email,phone,card_number,iban,resident_id,notes,ssh_key\n";

std::string JsonRecord() {
  return R"({"contact": {"name": "Quentin Zarkovsky", "email": "quentin.zarkleak@wombatmail.org",)"
         R"( "mobile": "+49 1523 7781904"}, "billing": {"card": "4539172683051949",)"
         R"( "iban": "DE29370400440917263548"}, "cn_id": "440305198706127318",)"
         R"( "notes": "password: Tr0ub4dor&3xyzzyQ"})";
}

// Runs `command` on a pseudo-terminal (util-linux script), returning what the terminal showed.
std::string OnTerminal(const std::string& command, const fs::path& dir, int* exit_code) {
  const fs::path transcript = dir / "terminal.txt";
  const std::string line = "cd '" + dir.string() + "' && script -qefc \"" + command + "\" '" +
                           transcript.string() + "' > /dev/null 2>&1";
  const int status = std::system(line.c_str());
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return ProgramOutput(ReadFile(transcript));
}

TEST(NoRawValueLeaves, AnyOutputOfAnyInputKindIncludingErrorPaths) {
  ScratchDir scratch;
  std::string csv = kHeader;
  for (int i = 1; i <= 6; ++i) csv += Row(i);
  scratch.Write("data/contacts.csv", csv);
  scratch.Write("data/contacts.csv.gz", Gzip(csv));
  std::string cut = Gzip(csv + csv + csv);
  scratch.Write("data/broken/cut.csv.gz", cut.substr(0, cut.size() - 40));
  scratch.Write("data/broken/quote.csv",
                csv + "7,\"Quentin Zarkovsky,quentin.zarkleak@wombatmail.org\n");
  std::string ndjson;
  for (int i = 0; i < 5; ++i) ndjson += JsonRecord() + "\n";
  scratch.Write("data/events.jsonl", ndjson + R"({"email": "quentin.zarkleak@wombatmail.org", )" +
                                         "\n" + JsonRecord() + "\n");
  scratch.Write("data/accounts.json", "[" + JsonRecord() + "," + JsonRecord() + "]");
  const std::string chinese =
      "姓名,手机,身份证号,邮箱\n"
      "Quentin Zarkovsky,+49 1523 7781904,440305198706127318,quentin.zarkleak@wombatmail.org\n"
      "Quentin Zarkovsky,+49 1523 7781904,440305198706127318,quentin.zarkleak@wombatmail.org\n";
  scratch.Write("utf8.csv", chinese);
  // A SQLite database: the values in TEXT and BLOB cells, a table named after the e-mail
  // address (its reasons and dataset names must mask it), a view that fails to read, and a
  // .db file that is not SQLite at all.
  std::string sqlite =
      "CREATE TABLE contact(id INTEGER, full_name TEXT, email TEXT, phone TEXT, card_number TEXT,"
      " iban TEXT, resident_id TEXT, notes TEXT, ssh_key BLOB);"
      "CREATE TABLE \"quentin.zarkleak@wombatmail.org\"(email TEXT);"
      "INSERT INTO \"quentin.zarkleak@wombatmail.org\" VALUES "
      "('quentin.zarkleak@wombatmail.org');"
      "CREATE VIEW \"broken quentin.zarkleak@wombatmail.org\" AS SELECT email FROM gone;";
  for (int i = 1; i <= 6; ++i) {
    sqlite += "INSERT INTO contact VALUES (" + std::to_string(i) +
              ", 'Quentin Zarkovsky', 'quentin.zarkleak@wombatmail.org', '+49 1523 7781904',"
              " '4539172683051949', 'DE29370400440917263548', '440305198706127318',"
              " 'login password: Tr0ub4dor&3xyzzyQ; aws_access_key_id=AKIAZQ7LEAKW4MBT9XRV "
              "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzqxLEAKEY1',"
              " CAST('-----BEGIN RSA PRIVATE KEY-----' || char(10) || "
              "'MIIEowIBAAKCAQEAzqXleakWombatKeyBodyQ9v7Tn2' || char(10) || "
              "'-----END RSA PRIVATE KEY-----' AS BLOB));";
  }
  fs::create_directories(scratch.path() / "data" / "broken");
  ExecSql(scratch.path() / "data" / "crm.sqlite", sqlite);
  scratch.Write("data/broken/contacts.db", csv);
  ASSERT_EQ(std::system(("iconv -f UTF-8 -t GB18030 '" + (scratch.path() / "utf8.csv").string() +
                         "' > '" + (scratch.path() / "data/客户_gb18030.csv").string() + "'")
                            .c_str()),
            0);

  // A workbook: shared strings, inline strings, the card and the phone stored as numbers.
  XlsxSpec book;
  book.shared_strings = {"full_name",
                         "email",
                         "Quentin Zarkovsky",
                         "quentin.zarkleak@wombatmail.org",
                         "DE29370400440917263548",
                         "password: Tr0ub4dor&amp;3xyzzyQ"};
  std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t>card</t></is></c><c r=\"D1\" t=\"inlineStr\"><is>"
      "<t>mobile</t></is></c><c r=\"E1\" t=\"inlineStr\"><is><t>iban</t></is></c>"
      "<c r=\"F1\" t=\"inlineStr\"><is><t>notes</t></is></c></row>";
  for (int r = 2; r < 8; ++r) {
    const std::string n = std::to_string(r);
    rows += "<row r=\"" + n + "\"><c r=\"A" + n + "\" t=\"s\"><v>2</v></c><c r=\"B" + n +
            "\" t=\"s\"><v>3</v></c><c r=\"C" + n + "\"><v>4539172683051949</v></c><c r=\"D" + n +
            "\" t=\"inlineStr\"><is><t>+49 1523 7781904</t></is></c><c r=\"E" + n +
            "\" t=\"s\"><v>4</v></c><c r=\"F" + n + "\" t=\"s\"><v>5</v></c></row>";
  }
  book.sheets = {{"Contacts", rows}};
  const std::string workbook = BuildXlsx(book);
  scratch.Write("data/containers/contacts.xlsx", workbook);
  scratch.Write("data/broken/cut.xlsx", workbook.substr(0, workbook.size() * 2 / 3));
  XlsxSpec broken_sheet = book;
  broken_sheet.sheets = {{"Contacts", rows + "<row r=\"9\"><c r=\"A9\" t=\"inlineStr\"><is><t>"
                                             "quentin.zarkleak@wombatmail.org</is></c></row>"}};
  scratch.Write("data/broken/badxml.xlsx", BuildXlsx(broken_sheet));
  const std::string zip =
      BuildArchive({{"Contact.csv", csv}, {"Lead.json", "[" + JsonRecord() + "]"}});
  scratch.Write("data/containers/weekly-export.zip", zip);
  scratch.Write("data/broken/cut.zip", zip.substr(0, zip.size() / 2));
  ArchiveSpec tgz;
  tgz.format = "tar.gz";
  scratch.Write("data/containers/export.tar.gz",
                BuildArchive({{"contacts.csv.gz", Gzip(csv)}}, tgz));

  const std::string binary = CRMAUDIT_BINARY;
  int code = -1;
  ASSERT_EQ(std::system(("cd '" + scratch.path().string() + "' && '" + binary +
                         "' keygen --out signer > /dev/null 2>&1")
                            .c_str()),
            0);
  std::string terminal = OnTerminal(
      "'" + binary +
          "' scan data --out out --full --format json,html,sarif,records-csv --sign-key signer.key "
          "--fail-on never",
      scratch.path(), &code);
  EXPECT_EQ(code, 3) << terminal;  // the broken files make the scan incomplete
  EXPECT_NE(terminal.find("cut.csv.gz"), std::string::npos) << terminal;
  ExpectNoLeakedValue("the scan's terminal output", terminal);

  EXPECT_TRUE(fs::exists(scratch.path() / "out" / "records-of-processing.csv"));
  // The findings are there (masked): a test that would pass on an empty report proves nothing.
  const std::string report = ReadFile(scratch.path() / "out" / "report.json");
  for (const char* entity : {"EMAIL_ADDRESS", "CREDIT_CARD_NUMBER", "IBAN_CODE", "CN_RESIDENT_ID",
                             "PHONE_NUMBER", "PERSON_NAME"}) {
    EXPECT_NE(report.find(entity), std::string::npos) << entity << " not found at all";
  }
  EXPECT_NE(report.find("\"crm.sqlite#contact\""), std::string::npos) << "the database was read";
  EXPECT_NE(terminal.find("broken/contacts.db: not a SQLite database"), std::string::npos)
      << terminal;
  // The spreadsheet and the archives were read, and their values found.
  const nlohmann::json parsed = nlohmann::json::parse(report);
  for (const char* dataset :
       {"containers/contacts.xlsx#Contacts", "containers/weekly-export.zip!/Contact.csv",
        "containers/weekly-export.zip!/Lead.json", "containers/export.tar.gz!/contacts.csv.gz"}) {
    EXPECT_EQ(FindingsFor(parsed, "EMAIL_ADDRESS", dataset).size(), 1u) << dataset;
  }
  EXPECT_EQ(FindingsFor(parsed, "CREDIT_CARD_NUMBER", "containers/contacts.xlsx#Contacts").size(),
            1u);
  for (const auto& entry : fs::recursive_directory_iterator(scratch.path() / "out")) {
    if (!entry.is_regular_file()) continue;
    const std::string bytes = ReadFile(entry.path());
    ExpectNoLeakedValue(entry.path().filename().string(), bytes);
    if (entry.path().filename() == "report.dsse.json") {
      const nlohmann::json envelope = nlohmann::json::parse(bytes);
      ExpectNoLeakedValue("the DSSE payload", DecodeBase64(envelope["payload"].get<std::string>()));
    }
  }
  terminal = OnTerminal("'" + binary + "' verify out --key signer.pub", scratch.path(), &code);
  EXPECT_EQ(code, 0) << terminal;
  ExpectNoLeakedValue("verify's output", terminal);
  terminal =
      OnTerminal("'" + binary + "' diff out/report.json out/report.json", scratch.path(), &code);
  ExpectNoLeakedValue("diff's output", terminal);
  // The Chinese rendering of the signed report, and its terminal lines.
  terminal = OnTerminal(
      "'" + binary + "' render out/report.json --lang zh-CN --out rendered --key signer.pub",
      scratch.path(), &code);
  EXPECT_EQ(code, 0) << terminal;
  ExpectNoLeakedValue("render's output", terminal);
  const std::string rendered = ReadFile(scratch.path() / "rendered" / "report.zh-CN.html");
  EXPECT_NE(rendered.find("lang=\"zh-CN\""), std::string::npos);
  ExpectNoLeakedValue("report.zh-CN.html", rendered);
  // A scan that writes its own summary and report in Chinese.
  terminal = OnTerminal("'" + binary +
                            "' scan data --out out-zh --full --format html --lang zh-CN "
                            "--fail-on never",
                        scratch.path(), &code);
  EXPECT_NE(terminal.find("审计结论"), std::string::npos) << terminal;
  ExpectNoLeakedValue("the Chinese scan's terminal output", terminal);
  ExpectNoLeakedValue("the Chinese report.html",
                      ReadFile(scratch.path() / "out-zh" / "report.html"));
}

}  // namespace
}  // namespace crmaudit::testing
