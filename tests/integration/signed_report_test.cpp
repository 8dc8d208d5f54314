// Signed, archivable reports end to end: keygen → scan --sign-key → verify, interop with the
// stock openssl command, tampering, the archive chain, and byte-for-byte determinism.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "cli_harness.h"

namespace crmaudit::testing {
namespace {

std::string Contacts() {
  std::string csv = "name,email,iban\n";
  for (int i = 0; i < 6; ++i) {
    csv += "P" + std::to_string(i) + ",p" + std::to_string(i) +
           "@example.com,GB82WEST12345698765432\n";
  }
  return csv;
}

class SignedReport : public ::testing::Test {
 protected:
  void SetUp() override {
    export_ = scratch_.Write("export/contacts.csv", Contacts());
    CliRun keygen = RunCrmaudit({"keygen", "--out", (scratch_.path() / "audit").string()});
    ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  }

  CliRun ScanSigned(const std::string& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"scan",       (scratch_.path() / "export").string(),
                                     "--out",      out,
                                     "--sign-key", Key(),
                                     "--fail-on",  "never"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCrmaudit(args);
  }

  std::string Key() const { return (scratch_.path() / "audit.key").string(); }
  std::string Pub() const { return (scratch_.path() / "audit.pub").string(); }

  ScratchDir scratch_;
  std::filesystem::path export_;
};

TEST_F(SignedReport, ScanSignsEveryArtifactAndVerifyAcceptsThem) {
  auto out = (scratch_.path() / "run").string();
  CliRun scan = ScanSigned(out);
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  for (const char* name :
       {"report.json.sig", "report.html.sig", "report.sarif.sig", "report.dsse.json"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out) / name)) << name;
  }
  CliRun verify = RunCrmaudit({"verify", out, "--key", Pub()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  // The stock openssl command accepts the Ed25519 signature over the exact bytes.
  std::string cmd = "openssl pkeyutl -verify -pubin -inkey " + Pub() + " -rawin -in " + out +
                    "/report.json -sigfile " + out + "/report.json.sig >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
}

TEST_F(SignedReport, OneFlippedByteFailsVerificationWithExitFour) {
  auto out = (scratch_.path() / "run").string();
  ASSERT_EQ(ScanSigned(out).exit_code, 0);
  auto html = std::filesystem::path(out) / "report.html";
  std::string bytes = ReadFile(html);
  bytes[bytes.size() / 2] ^= 0x01;
  std::ofstream(html, std::ios::binary | std::ios::trunc) << bytes;
  CliRun verify = RunCrmaudit({"verify", out, "--key", Pub()});
  EXPECT_EQ(verify.exit_code, 4);
  EXPECT_NE((verify.out + verify.err).find("report.html"), std::string::npos)
      << verify.out << verify.err;
}

TEST_F(SignedReport, KeyReadableByOthersIsRefusedBeforeScanning) {
  ::chmod(Key().c_str(), 0644);
  CliRun scan = ScanSigned((scratch_.path() / "run").string());
  EXPECT_EQ(scan.exit_code, 2);
  EXPECT_NE(scan.err.find("chmod 600"), std::string::npos) << scan.err;
  EXPECT_FALSE(std::filesystem::exists(scratch_.path() / "run" / "report.json"));
}

TEST_F(SignedReport, ChainOfSignedRunsVerifiesAndAGapIsNamed) {
  auto run1 = (scratch_.path() / "archive/2026-01").string();
  auto run2 = (scratch_.path() / "archive/2026-02").string();
  auto run3 = (scratch_.path() / "archive/2026-03").string();
  ASSERT_EQ(ScanSigned(run1).exit_code, 0);
  ASSERT_EQ(ScanSigned(run2, {"--chain-from", run1 + "/report.json"}).exit_code, 0);
  ASSERT_EQ(ScanSigned(run3, {"--chain-from", run2 + "/report.json"}).exit_code, 0);
  CliRun ok = RunCrmaudit({"verify", "--chain", run1, run2, run3, "--key", Pub()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;

  // Re-running February breaks the link March recorded.
  ASSERT_EQ(ScanSigned(run2, {"--chain-from", run1 + "/report.json"}).exit_code, 0);
  CliRun broken = RunCrmaudit({"verify", "--chain", run1, run2, run3, "--key", Pub()});
  EXPECT_EQ(broken.exit_code, 4);
  EXPECT_NE((broken.out + broken.err).find("2026-03"), std::string::npos)
      << broken.out << broken.err;
}

TEST_F(SignedReport, SameInputsGiveTheSameBytesApartFromIdAndTimes) {
  auto a = (scratch_.path() / "a").string();
  auto b = (scratch_.path() / "b").string();
  RunCrmaudit({"scan", export_.string(), "--out", a, "--format", "json"});
  RunCrmaudit({"scan", export_.string(), "--out", b, "--format", "json"});
  auto strip = [](nlohmann::json report) {
    report["scan"].erase("id");
    report["scan"].erase("started_at");
    report["scan"].erase("finished_at");
    return report.dump();
  };
  EXPECT_EQ(strip(ReadJson(a + "/report.json")), strip(ReadJson(b + "/report.json")));
  // Canonical bytes: parsing and re-serialising in sorted compact form changes nothing.
  std::string raw = ReadFile(a + "/report.json");
  EXPECT_EQ(raw, nlohmann::json::parse(raw).dump());
}

// #16 item 8: verify names what it did not verify, refuses links, and --strict fails on it.
TEST_F(SignedReport, UnlistedFilesWarnSymlinkedReportsFailAndStrictFailsOnWarnings) {
  auto out = scratch_.path() / "run";
  ASSERT_EQ(ScanSigned(out.string()).exit_code, 0);
  std::ofstream(out / "evil.html") << "<script>steal()</script>";
  CliRun verify = RunCrmaudit({"verify", out.string(), "--key", Pub()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("WARN evil.html: not listed in report.dsse.json, not verified"),
            std::string::npos)
      << verify.out;
  EXPECT_NE(verify.out.find("not checked: that this is the newest report"), std::string::npos)
      << verify.out;
  CliRun strict = RunCrmaudit({"verify", "--strict", out.string(), "--key", Pub()});
  EXPECT_EQ(strict.exit_code, 4) << strict.out << strict.err;

  std::filesystem::remove(out / "evil.html");
  std::filesystem::rename(out / "report.json", scratch_.path() / "report.json");
  std::filesystem::create_symlink("../report.json", out / "report.json");
  CliRun linked = RunCrmaudit({"verify", out.string(), "--key", Pub()});
  EXPECT_EQ(linked.exit_code, 4) << linked.out << linked.err;
  EXPECT_NE(linked.out.find("FAIL report.json: is a symbolic link"), std::string::npos)
      << linked.out;
}

// #16 item 8: one file is checked against the envelope beside it, not only its .sig.
TEST_F(SignedReport, SingleFileFromAnotherScanFailsAgainstTheEnvelopeBesideIt) {
  auto a = scratch_.path() / "a";
  auto b = scratch_.path() / "b";
  ASSERT_EQ(ScanSigned(a.string()).exit_code, 0);
  ASSERT_EQ(ScanSigned(b.string()).exit_code, 0);
  CliRun own = RunCrmaudit({"verify", (a / "report.json").string(), "--key", Pub()});
  EXPECT_EQ(own.exit_code, 0) << own.out << own.err;
  // b's report and its valid signature, put into a's folder.
  for (const char* name : {"report.json", "report.json.sig"}) {
    std::filesystem::copy_file(b / name, a / name,
                               std::filesystem::copy_options::overwrite_existing);
  }
  CliRun swapped = RunCrmaudit({"verify", (a / "report.json").string(), "--key", Pub()});
  EXPECT_EQ(swapped.exit_code, 4) << swapped.out << swapped.err;
  EXPECT_NE(swapped.out.find("FAIL report.json: sha256 does not match the report.dsse.json"),
            std::string::npos)
      << swapped.out;
}

// #16 item 8: a signing key file holding two keys or trailing bytes is refused (exit 2).
TEST_F(SignedReport, AmbiguousSigningKeyFilesAreRefused) {
  std::string pem = ReadFile(Key());
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"two.key", pem + pem}, {"trailing.key", pem + "appended\n"}}) {
    auto file = scratch_.Write(name, bytes);
    ::chmod(file.c_str(), 0600);
    CliRun scan = RunCrmaudit({"scan", (scratch_.path() / "export").string(), "--out",
                               (scratch_.path() / "run").string(), "--sign-key", file.string(),
                               "--fail-on", "never"});
    EXPECT_EQ(scan.exit_code, 2) << name << scan.err;
    EXPECT_NE(scan.err.find(name), std::string::npos) << scan.err;
    EXPECT_TRUE(scan.err.find("PEM blocks") != std::string::npos ||
                scan.err.find("text after its -----END") != std::string::npos)
        << scan.err;
  }
}

// #16 item 8: a chained archive names its newest report, so deleting it is noticed.
TEST_F(SignedReport, ChainedAuditWritesASignedHeadAndADeletedNewestReportFails) {
  scratch_.Write("audit.json", R"({
    "targets": ["export"],
    "policies": ["pii-core"],
    "fail_on": "never",
    "formats": ["json"],
    "sign_key": "audit.key",
    "out": {"dir": "reports", "dated_subfolder": true, "chain": true}
  })");
  std::string config = (scratch_.path() / "audit.json").string();
  for (int i = 0; i < 2; ++i) {
    CliRun run = RunCrmaudit({"scan", "--config", config, "--quiet"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  auto archive = scratch_.path() / "reports";
  std::vector<std::string> runs;
  for (const auto& e : std::filesystem::directory_iterator(archive)) {
    if (e.is_directory()) runs.push_back(e.path().filename().string());
  }
  std::sort(runs.begin(), runs.end());
  ASSERT_EQ(runs.size(), 2u);
  ASSERT_TRUE(std::filesystem::exists(archive / "chain-head.json.sig"));
  nlohmann::json head = ReadJson(archive / "chain-head.json");
  EXPECT_EQ(head["newest"], runs[1]);
  EXPECT_EQ(head["reports"], 2);
  CliRun ok = RunCrmaudit({"verify", "--chain", archive.string(), "--key", Pub()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("OK  " + (archive / "chain-head.json").string()), std::string::npos)
      << ok.out;

  std::filesystem::remove_all(archive / runs[1]);
  CliRun gone = RunCrmaudit({"verify", "--chain", archive.string(), "--key", Pub()});
  EXPECT_EQ(gone.exit_code, 4) << gone.out << gone.err;
  EXPECT_NE(gone.out.find("the newest report named by chain-head.json (" + runs[1] +
                          ") is missing or differs"),
            std::string::npos)
      << gone.out;
}

}  // namespace
}  // namespace crmaudit::testing
