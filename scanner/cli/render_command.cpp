// `crmaudit render REPORT.json [--lang zh-CN] [--out DIR] [--key KEY.pub]`: writes the HTML
// report again from a signed report.json, in the reader's language.
//
// report.json is the signed, language-neutral record; the page made here is a rendering of
// it and says so: it names the report.json (file name and SHA-256) and whether a signature was
// found beside it, and, with --key, whether that signature verifies. The page is written as
// report.LANG.html, never over the signed report.html. Exit codes: 0 written; 2 usage (unreadable
// or not a report, bad key, unwritable --out); 4 the signature beside the report does not
// verify with --key (the page is still written, saying so in its first lines).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "reports/diff/report_diff.h"
#include "reports/html/html_report.h"
#include "reports/i18n/report_language.h"
#include "reports/json/report_reader.h"
#include "reports/output/report_writer.h"
#include "reports/signing/crypto_util.h"
#include "reports/signing/report_verifier.h"
#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"
#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"
#include "scanner/cli/language_option.h"
#include "scanner/cli/read_file.h"
#include "scanner/cli/rule_texts_loader.h"
#include "scanner/model/fingerprint.h"
#include "scanner/model/terminal_text.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {

namespace {

namespace fs = std::filesystem;

struct RenderArgs {
  std::string report;
  std::string lang;
  std::string out = ".";
  std::string key;
};

int RunRender(const RenderArgs& args) {
  const std::optional<std::string> chosen_language = ResolveLanguageOption("render", args.lang);
  if (!chosen_language) return kExitUsage;
  const std::string& language = *chosen_language;
  std::string reason;
  std::optional<std::string> bytes = ReadWholeFile(args.report, &reason);
  if (!bytes) {
    std::cerr << "crmaudit render: cannot read " << TerminalSafe(args.report) << ": "
              << TerminalSafe(reason) << "\n";
    return kExitUsage;
  }
  ScanResult result;
  try {
    result = ReadJsonReport(*bytes, args.report);
  } catch (const ReportReadError& e) {
    std::cerr << "crmaudit render: " << TerminalSafe(e.what()) << "\n";
    return kExitUsage;
  }

  HtmlReportOptions::Source source;
  source.file_name = fs::path(args.report).filename().string();
  source.sha256 = Sha256Hex(*bytes);
  std::error_code error;
  source.signature_found = fs::is_regular_file(args.report + ".sig", error);
  bool signature_failed = false;
  if (!args.key.empty()) {
    try {
      PublicKey key = PublicKey::Load(args.key);
      source.key_id = key.ShortKeyId();
      if (source.signature_found) {
        VerifyReport verified = VerifySignedFile(args.report, key);
        source.signature_verified = verified.ok();
        signature_failed = !verified.ok();
        for (const auto& line : verified.lines) {
          std::cerr << TerminalSafe(line.Format()) << "\n";
        }
      }
    } catch (const SigningError& e) {
      std::cerr << "crmaudit render: " << TerminalSafe(e.what()) << "\n";
      return kExitUsage;
    }
  }

  RuleTexts texts;
  try {
    texts = ShippedRuleTexts(language);
  } catch (const PolicyError& e) {
    // Without the catalog the rules keep the English words report.json holds.
    std::cerr << "crmaudit render: warning: " << TerminalSafe(e.what())
              << "; rule titles stay in English\n";
    texts.language = language;
  }
  HtmlReportOptions options;
  options.language = language;
  options.rule_texts = &texts;
  options.changes = ChangesOfReport(*bytes);
  options.rendered_from = source;
  const std::string html = RenderHtmlReport(result, options);

  const fs::path out_dir(args.out);
  fs::create_directories(out_dir, error);
  const fs::path out_file = out_dir / ("report." + language + ".html");
  try {
    crypto::WriteFileAtomically(out_file, html);
  } catch (const std::exception& e) {
    std::cerr << "crmaudit render: --out: " << TerminalSafe(e.what()) << "\n";
    return kExitUsage;
  }
  std::cerr << "rendered " << TerminalSafe(source.file_name) << " (sha256:" << source.sha256
            << ") in " << language << ": " << TerminalSafe(out_file.string()) << "\n";
  if (!source.signature_found) {
    std::cerr << "note: no signature beside " << TerminalSafe(args.report) << "\n";
  } else if (args.key.empty()) {
    std::cerr << "note: signature found but not checked (pass --key KEY.pub)\n";
  }
  if (signature_failed) {
    std::cerr << "crmaudit render: the signature of " << TerminalSafe(args.report)
              << " does NOT verify with " << TerminalSafe(args.key) << "\n";
    return kExitVerifyFailed;
  }
  return kExitOk;
}

}  // namespace

void AddRenderCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RenderArgs>();
  auto* cmd = app.add_subcommand(
      "render",
      "Write the HTML report again from a (signed) report.json, in another language: "
      "report.LANG.html, naming the report.json and its SHA-256");
  cmd->add_option("report", args->report, "The report.json to render")->required();
  cmd->add_option("--lang", args->lang,
                  "en or zh-CN (default: zh-CN when LC_ALL/LC_MESSAGES/LANG start with zh, "
                  "else en)")
      ->type_name("LANG");
  cmd->add_option("--out", args->out,
                  "Folder for report.LANG.html (created if needed); writing it into the signed "
                  "report folder makes `verify --strict` warn about an unlisted file")
      ->capture_default_str();
  cmd->add_option("--key", args->key,
                  "Public key: verify REPORT.json.sig before rendering (exit 4 when it does not "
                  "verify; the page then says so)");
  cmd->callback([args, exit_code] { *exit_code = RunRender(*args); });
}

}  // namespace crmaudit
