// `crmaudit trend ARCHIVE_DIR --key PUB.pem [--lang zh-CN] [--out FILE]`: verifies an archive
// of chained, signed audits (the code of `verify --chain`) and writes one self-contained page
// of open findings by severity and personal-data columns over time (reports/trend).
//
// Exit codes: 0 verified and written; 4 the chain or a signature does not verify (the page is
// still written and says so first); 2 usage (no run folders, unreadable key, unwritable
// --out).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "reports/i18n/report_language.h"
#include "reports/json/report_reader.h"
#include "reports/signing/crypto_util.h"
#include "reports/signing/report_verifier.h"
#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"
#include "reports/trend/trend_page.h"
#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"
#include "scanner/cli/language_option.h"
#include "scanner/cli/read_file.h"
#include "scanner/model/terminal_text.h"

namespace crmaudit {

namespace {

namespace fs = std::filesystem;

struct TrendArgs {
  std::string archive;
  std::string key;
  std::string lang;
  std::string out;
};

int RunTrend(const TrendArgs& args) {
  const std::optional<std::string> chosen_language = ResolveLanguageOption("trend", args.lang);
  if (!chosen_language) return kExitUsage;
  const std::string& language = *chosen_language;
  const fs::path archive(args.archive);
  std::error_code error;
  if (!fs::is_directory(archive, error)) {
    std::cerr << "crmaudit trend: " << TerminalSafe(args.archive) << " is not a folder\n";
    return kExitUsage;
  }
  const fs::path out = args.out.empty() ? archive / "trend.html" : fs::path(args.out);
  std::vector<fs::path> folders;
  TrendOptions options;
  options.language = language;
  try {
    PublicKey key = PublicKey::Load(args.key);
    folders = ExpandArchiveFolders({archive});
    if (folders.empty()) {
      std::cerr << "crmaudit trend: no report folders in " << TerminalSafe(args.archive) << "\n";
      return kExitUsage;
    }
    ArchiveReport chain = VerifyArchiveChain(folders, key);
    VerifyReport head = VerifyChainHead(archive, key);
    options.chain_verified = chain.ok() && head.ok();
    size_t failures = head.failures();
    for (const auto& report : chain.folder_reports) failures += report.failures();
    options.chain_detail = options.chain_verified
                               ? UiText(language).Format("trend.chain_detail_ok",
                                                         {{"n", std::to_string(folders.size())},
                                                          {"key", key.ShortKeyId()}})
                               : (chain.chain_break ? *chain.chain_break + "; " : std::string()) +
                                     UiText(language).Format("trend.chain_detail_failed",
                                                             {{"n", std::to_string(failures)}});
  } catch (const SigningError& e) {
    std::cerr << "crmaudit trend: " << TerminalSafe(e.what()) << "\n";
    return kExitUsage;
  }

  std::vector<TrendRun> runs;
  const fs::path page_dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
  for (const fs::path& folder : folders) {
    std::string reason;
    std::optional<std::string> bytes = ReadWholeFile((folder / "report.json").string(), &reason);
    if (!bytes) continue;  // the chain verification already named it
    ScanResult result;
    try {
      result = ReadJsonReport(*bytes, (folder / "report.json").string());
    } catch (const ReportReadError&) {
      continue;
    }
    TrendRun run;
    run.name = folder.filename().string();
    if (fs::exists(folder / "report.html", error)) {
      const fs::path relative =
          fs::relative(fs::absolute(folder / "report.html"), fs::absolute(page_dir), error);
      run.link = error ? (folder / "report.html").string() : relative.generic_string();
    }
    run.finished_at = result.scan.finished_at;
    run.verdict = result.summary.verdict;
    run.by_severity = result.summary.by_severity;
    run.personal_data_columns = result.inventory.size();
    runs.push_back(std::move(run));
  }
  try {
    crypto::WriteFileAtomically(out, RenderTrendPage(runs, options));
  } catch (const std::exception& e) {
    std::cerr << "crmaudit trend: --out: " << TerminalSafe(e.what()) << "\n";
    return kExitUsage;
  }
  std::cerr << "trend of " << runs.size() << " runs: " << TerminalSafe(out.string()) << "\n";
  if (!options.chain_verified) {
    std::cerr << "crmaudit trend: the archive does not verify: "
              << TerminalSafe(options.chain_detail) << "\n";
    return kExitVerifyFailed;
  }
  return kExitOk;
}

}  // namespace

void AddTrendCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<TrendArgs>();
  auto* cmd = app.add_subcommand(
      "trend",
      "Verify an archive of chained audits and write trend.html: open findings by severity and "
      "personal-data columns over time, linking each run");
  cmd->add_option("archive", args->archive, "The archive folder (dated run folders)")->required();
  cmd->add_option("--key", args->key, "Public key the runs were signed with (PEM)")->required();
  cmd->add_option("--lang", args->lang,
                  "en or zh-CN (default: zh-CN when LC_ALL/LC_MESSAGES/LANG start with zh, "
                  "else en)")
      ->type_name("LANG");
  cmd->add_option("--out", args->out, "The page to write (default ARCHIVE/trend.html)");
  cmd->callback([args, exit_code] { *exit_code = RunTrend(*args); });
}

}  // namespace crmaudit
