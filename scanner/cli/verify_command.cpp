// `crmaudit verify DIR|FILE... --key PUB.pem [--chain] [--strict]`
// Prints one line per checked file (OK, WARN or FAIL) and a final verdict line. Exit codes: 0
// everything verified (warnings allowed unless --strict), 4 any mismatch (the failing file is
// named), 2 usage errors (unreadable or ambiguous key, missing folder or file).
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
#include "scanner/model/terminal_text.h"

namespace crmaudit {

namespace {

namespace fs = std::filesystem;

struct VerifyFlags {
  std::vector<std::string> targets;
  std::string key;
  bool chain = false;
  bool strict = false;
};

std::string FirstFailure(const VerifyReport& report) {
  for (const auto& line : report.lines) {
    if (!line.ok) return line.subject;
  }
  return "";
}

std::string Warnings(size_t count) {
  if (count == 0) return "";
  return ", " + std::to_string(count) + (count == 1 ? " warning" : " warnings") +
         " (--strict fails on warnings)";
}

// A folder's signatures prove who wrote it and that it is unchanged, not that it is current.
constexpr const char* kFreshnessNote =
    "; not checked: that this is the newest report (an older report signed with the same key "
    "verifies too; verify the archive with --chain)";

int PrintSummary(const std::string& what, const VerifyReport& report, bool folder) {
  for (const auto& line : report.lines) std::cout << TerminalSafe(line.Format()) << "\n";
  if (report.ok()) {
    std::cout << "verified " << TerminalSafe(what) << ": "
              << report.lines.size() - report.warnings() << " checks OK"
              << Warnings(report.warnings()) << (folder ? kFreshnessNote : "") << "\n";
    return kExitOk;
  }
  std::cout << "verification FAILED for " << TerminalSafe(what) << ": " << report.failures()
            << " of " << report.lines.size()
            << " checks failed (first: " << TerminalSafe(FirstFailure(report)) << ")\n";
  return kExitVerifyFailed;
}

int RunChain(const std::vector<fs::path>& targets, const PublicKey& key,
             const VerifyOptions& options) {
  std::vector<fs::path> folders = ExpandArchiveFolders(targets);
  ArchiveReport archive = VerifyArchiveChain(folders, key, options);
  size_t warnings = 0;
  for (size_t i = 0; i < archive.folders.size(); ++i) {
    warnings += archive.folder_reports[i].warnings();
    for (auto line : archive.folder_reports[i].lines) {
      line.subject = (archive.folders[i] / line.subject).string();
      std::cout << TerminalSafe(line.Format()) << "\n";
    }
  }
  // The head of each archive folder given: without it, deleting the newest report breaks no
  // link and would go unnoticed.
  size_t head_failures = 0;
  for (const auto& target : targets) {
    if (!IsArchiveFolder(target)) continue;
    VerifyReport head = VerifyChainHead(target, key, options);
    warnings += head.warnings();
    head_failures += head.failures();
    for (auto line : head.lines) {
      line.subject = (target / line.subject).string();
      std::cout << TerminalSafe(line.Format()) << "\n";
    }
  }
  if (archive.chain_break) std::cout << "FAIL " << TerminalSafe(*archive.chain_break) << "\n";
  if (archive.ok() && head_failures == 0) {
    std::cout << "chain OK: " << archive.folders.size()
              << " report folders, all signatures valid, no gap" << Warnings(warnings) << "\n";
    return kExitOk;
  }
  size_t bad_folders = 0;
  for (const auto& report : archive.folder_reports) bad_folders += report.ok() ? 0 : 1;
  std::cout << "verification FAILED: " << bad_folders << " of " << archive.folders.size()
            << " folders have signature failures"
            << (head_failures > 0 ? "; the chain head does not match the archive" : "")
            << (archive.chain_break ? "; " + *archive.chain_break : std::string()) << "\n";
  return kExitVerifyFailed;
}

int RunVerify(const VerifyFlags& flags) {
  try {
    PublicKey key = PublicKey::Load(flags.key);
    VerifyOptions options;
    options.strict = flags.strict;
    std::vector<fs::path> targets(flags.targets.begin(), flags.targets.end());
    if (flags.chain) return RunChain(targets, key, options);
    int result = kExitOk;
    for (const auto& target : targets) {
      std::error_code error;
      bool folder = fs::is_directory(target, error);
      VerifyReport report = folder ? VerifyReportDirectory(target, key, options)
                                   : VerifySignedFile(target, key, options);
      if (PrintSummary(target.string(), report, folder) != kExitOk) result = kExitVerifyFailed;
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
                "also check that each report.json names the SHA-256 of the previous one, and "
                "the archive's chain-head.json (so a deleted newest report is noticed)");
  cmd->add_flag("--strict", flags->strict,
                "fail on warnings too: files in a report folder that report.dsse.json does not "
                "list, a file verified without an envelope beside it, a missing chain head");
  cmd->callback([flags, exit_code] { *exit_code = RunVerify(*flags); });
}

}  // namespace crmaudit
