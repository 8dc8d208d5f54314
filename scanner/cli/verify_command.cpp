// `crmaudit verify DIR|FILE... --key PUB.pem [--chain]`
#include "scanner/model/terminal_text.h"
// Prints one line per checked file and a final verdict line. Exit codes: 0 everything
// verified, 4 any mismatch (the failing file is named), 2 usage errors (unreadable key,
// folder or file).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "reports/signing/report_verifier.h"
#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"
#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"

namespace crmaudit {

namespace {

namespace fs = std::filesystem;

struct VerifyFlags {
  std::vector<std::string> targets;
  std::string key;
  bool chain = false;
};

std::string FirstFailure(const VerifyReport& report) {
  for (const auto& line : report.lines) {
    if (!line.ok) return line.subject;
  }
  return "";
}

int PrintSummary(const std::string& what, const VerifyReport& report) {
  for (const auto& line : report.lines) std::cout << TerminalSafe(line.Format()) << "\n";
  if (report.ok()) {
    std::cout << "verified " << TerminalSafe(what) << ": " << report.lines.size() << " checks OK\n";
    return kExitOk;
  }
  std::cout << "verification FAILED for " << TerminalSafe(what) << ": " << report.failures()
            << " of " << report.lines.size()
            << " checks failed (first: " << TerminalSafe(FirstFailure(report)) << ")\n";
  return kExitVerifyFailed;
}

int RunChain(const std::vector<fs::path>& targets, const PublicKey& key) {
  std::vector<fs::path> folders = ExpandArchiveFolders(targets);
  ArchiveReport archive = VerifyArchiveChain(folders, key);
  for (size_t i = 0; i < archive.folders.size(); ++i) {
    for (auto line : archive.folder_reports[i].lines) {
      line.subject = (archive.folders[i] / line.subject).string();
      std::cout << TerminalSafe(line.Format()) << "\n";
    }
  }
  if (archive.chain_break) std::cout << "FAIL " << TerminalSafe(*archive.chain_break) << "\n";
  if (archive.ok()) {
    std::cout << "chain OK: " << archive.folders.size()
              << " report folders, all signatures valid, no gap\n";
    return kExitOk;
  }
  size_t bad_folders = 0;
  for (const auto& report : archive.folder_reports) bad_folders += report.ok() ? 0 : 1;
  std::cout << "verification FAILED: " << bad_folders << " of " << archive.folders.size()
            << " folders have signature failures"
            << (archive.chain_break ? "; " + *archive.chain_break : std::string()) << "\n";
  return kExitVerifyFailed;
}

int RunVerify(const VerifyFlags& flags) {
  try {
    PublicKey key = PublicKey::Load(flags.key);
    std::vector<fs::path> targets(flags.targets.begin(), flags.targets.end());
    if (flags.chain) return RunChain(targets, key);
    int result = kExitOk;
    for (const auto& target : targets) {
      std::error_code error;
      VerifyReport report = fs::is_directory(target, error) ? VerifyReportDirectory(target, key)
                                                            : VerifySignedFile(target, key);
      if (PrintSummary(target.string(), report) != kExitOk) result = kExitVerifyFailed;
    }
    return result;
  } catch (const SigningError& error) {
    std::cerr << "crmaudit verify: " << TerminalSafe(error.what()) << "\n";
    return kExitUsage;
  }
}

}  // namespace

void AddVerifyCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<VerifyFlags>();
  auto* cmd = app.add_subcommand("verify", "verify signed reports (offline, with a public key)");
  cmd->add_option("targets", flags->targets,
                  "report folder(s) or signed file(s); with --chain, report folders in order or "
                  "a parent folder of dated report folders")
      ->required();
  cmd->add_option("--key", flags->key, "public key (PEM, SubjectPublicKeyInfo)")->required();
  cmd->add_flag("--chain", flags->chain,
                "also check that each report.json names the SHA-256 of the previous one");
  cmd->callback([flags, exit_code] { *exit_code = RunVerify(*flags); });
}

}  // namespace crmaudit
