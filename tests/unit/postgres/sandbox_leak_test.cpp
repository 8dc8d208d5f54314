// Raw values never leave the process, for a database too: the leak test's distinctive values
// (tests/support/leak_search.h) in a real PostgreSQL table, one more table the auditor may not
// read (an error path), scanned in full by the real binary with every format and signing on a
// pseudo-terminal. Every output file, the DSSE payload and the terminal are searched for each
// value and every 8-character piece of it, and for the password of the connection URI.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/leak_search.h"
#include "tests/unit/postgres/cli_run.h"
#include "tests/unit/postgres/sandbox.h"

namespace crmaudit {
namespace {

namespace fs = std::filesystem;
using testing::SharedSandboxTest;

std::string ReadAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class DatabaseLeak : public SharedSandboxTest<DatabaseLeak> {};

TEST_F(DatabaseLeak, NoRawValueOrPasswordInAnyOutput) {
  std::string rows;
  for (int i = 1; i <= 12; ++i) {
    rows += std::string(i > 1 ? "," : "") + "(" + std::to_string(i) +
            ", 'Quentin Zarkovsky', 'quentin.zarkleak@wombatmail.org', '+49 1523 7781904',"
            " '4539172683051949', 'DE29370400440917263548', '440305198706127318',"
            " 'login password: Tr0ub4dor&3xyzzyQ; aws_access_key_id=AKIAZQ7LEAKW4MBT9XRV"
            " aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzqxLEAKEY1',"
            " E'-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAzqXleakWombatKeyBodyQ9v7Tn2"
            "\\n-----END RSA PRIVATE KEY-----')";
  }
  sandbox_->Exec(
      "CREATE SCHEMA leak;"
      "CREATE TABLE leak.customers (id int, full_name text, email text, mobile text,"
      " card_number text, iban text, id_card text, notes text, ssh_key text);"
      "INSERT INTO leak.customers VALUES " +
      rows +
      ";"
      "CREATE TABLE leak.hidden AS SELECT * FROM leak.customers;"
      "GRANT USAGE ON SCHEMA leak TO auditor; GRANT SELECT ON leak.customers TO auditor;");
  const fs::path dir = sandbox_->dir();
  const std::string binary = CRMAUDIT_BINARY;
  ASSERT_EQ(std::system(("cd '" + dir.string() + "' && '" + binary +
                         "' keygen --out leak-signer > /dev/null 2>&1")
                            .c_str()),
            0);
  const std::string uri = "postgresql://auditor:auditor-demo-secret@127.0.0.1:" + sandbox_->port() +
                          "/crm?sslmode=disable";
  const fs::path out = dir / "leak-out";
  const fs::path transcript = dir / "leak-terminal.txt";
  const std::string scan = "'" + binary + "' scan '" + uri +
                           "' --tables 'leak.*' --full --format json,html,sarif"
                           " --sign-key leak-signer.key --fail-on never --out '" +
                           out.string() + "'";
  const int status = std::system(("cd '" + dir.string() + "' && script -qefc \"" + scan + "\" '" +
                                  transcript.string() + "' > /dev/null 2>&1")
                                     .c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3) << ReadAll(transcript);  // leak.hidden was not readable

  const std::string terminal = testing::ProgramOutput(ReadAll(transcript));
  EXPECT_NE(terminal.find("leak.hidden"), std::string::npos) << terminal;
  testing::ExpectNoLeakedValue("the terminal", terminal);
  EXPECT_EQ(terminal.find("auditor-demo-secret"), std::string::npos);
  const std::string report = ReadAll(out / "report.json");
  for (const char* entity :
       {"EMAIL_ADDRESS", "CREDIT_CARD_NUMBER", "IBAN_CODE", "CN_RESIDENT_ID", "PERSON_NAME"}) {
    EXPECT_NE(report.find(entity), std::string::npos) << entity << " was not found at all";
  }
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(out)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string bytes = ReadAll(entry.path());
    testing::ExpectNoLeakedValue(entry.path().filename().string(), bytes);
    EXPECT_EQ(bytes.find("auditor-demo-secret"), std::string::npos) << entry.path();
    if (entry.path().filename() == "report.dsse.json") {
      const auto envelope = nlohmann::json::parse(bytes);
      testing::ExpectNoLeakedValue("the DSSE payload",
                                   testing::DecodeBase64(envelope["payload"].get<std::string>()));
    }
  }
  EXPECT_GE(files, 7u);  // three reports, three signatures, the envelope
  sandbox_->Exec("DROP SCHEMA leak CASCADE;");
}

}  // namespace
}  // namespace crmaudit
