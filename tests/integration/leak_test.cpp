// Raw values never leave the process. Distinctive values of every kind (email, phone, card,
// IBAN, resident ID, a password in notes, a cloud secret key, a PEM private key, a name) are
// put in every export kind (CSV, GB18030 CSV, gzip, JSON, NDJSON) and in broken files whose
// error paths name a position (an unbalanced quote, a cut gzip stream, an invalid JSON line),
// scanned in full with every format and signing on a pseudo-terminal (so progress lines are
// drawn), then verified and diffed. Every output file, the DSSE payload, stdout and stderr
// are searched for each value and for every 8-character piece of it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/cli_harness.h"
#include "tests/support/leak_search.h"

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
  ASSERT_EQ(std::system(("iconv -f UTF-8 -t GB18030 '" + (scratch.path() / "utf8.csv").string() +
                         "' > '" + (scratch.path() / "data/客户_gb18030.csv").string() + "'")
                            .c_str()),
            0);

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
