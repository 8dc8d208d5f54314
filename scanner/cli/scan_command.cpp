// `crmaudit scan TARGET...`: plan, scan, judge, write the reports, exit with the contract code.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include "scanner/model/terminal_text.h"

#include <algorithm>
#include <cctype>

#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "reports/diff/report_diff.h"
#include "reports/i18n/report_language.h"
#include "reports/json/json_report.h"
#include "reports/json/report_reader.h"
#include "reports/output/report_writer.h"
#include "reports/signing/chain_head.h"
#include "reports/signing/signing_keys.h"
#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"
#include "scanner/cli/language_option.h"
#include "scanner/cli/read_file.h"
#include "scanner/cli/rule_texts_loader.h"
#include "scanner/model/fingerprint.h"
#include "scanner/model/human_text.h"
#include "scanner/model/input_file.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/scan/audit_config.h"
#include "scanner/scan/duration.h"
#include "scanner/scan/earlier_report.h"
#include "scanner/scan/file_scan.h"
#include "scanner/scan/option_checks.h"
#include "scanner/scan/scan_runner.h"
#include "scanner/scan/suppressions.h"
#include "scanner/scan/targets.h"

namespace crmaudit {

namespace {

struct ScanArgs {
  std::vector<std::string> targets;
  std::vector<std::string> policies;
  std::string out = "out";
  std::string formats;
  std::string sign_key;
  std::string fail_on = "high";
  uint64_t sample_rows = 1000;
  bool full = false;
  int jobs = 1;
  std::string baseline;
  std::string chain_from;
  std::string sarif_root;
  std::vector<std::string> include, exclude;
  std::vector<std::string> tables, exclude_tables;
  std::string encoding;
  std::string region = "US";
  int statement_timeout_ms = 30000;
  int lock_timeout_ms = 1000;
  // Being gentle with a live database: the defaults are ScanPlan's (the one home).
  double max_rows_per_second = ScanPlan{}.max_rows_per_second;
  double max_mb_per_second = ScanPlan{}.max_mb_per_second;
  int max_active_sessions = ScanPlan{}.max_active_sessions;
  std::string max_replication_lag;  // DURATION, or 0 = not checked
  std::string max_backoff;          // DURATION
  std::string timeout;              // --timeout for the whole scan, e.g. 30s, 10m
  bool all_databases = false;
  std::string backup_info;
  bool quiet = false;
  bool sarif_passes = false;
  std::string config;
  std::string suppressions;
  bool no_suppressions = false;
  std::string lang;  // --lang; empty: the audit file's "lang", else the locale
};

std::vector<std::string> SplitCommaList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// Finding ids accepted by a baseline (scan/earlier_report.h).
std::set<std::string> LoadBaselineIds(const std::string& path) {
  std::string reason;
  std::optional<std::string> bytes = ReadWholeFile(path, &reason);
  if (!bytes) throw std::runtime_error("cannot read baseline " + path + ": " + reason);
  return BaselineIdsOf(*bytes, path);
}

// "3 datasets" / "3 个数据集" (count.NOUN.one / .many in reports/i18n/ui_strings.json).
std::string Counted(const UiText& ui, uint64_t n, const std::string& noun) {
  return ui.Format("count." + noun + (n == 1 ? ".one" : ".many"), {{"n", std::to_string(n)}});
}

// The files written, each named for what it is: reports, their signatures, the envelope.
void PrintWritten(const UiText& ui, const std::vector<std::filesystem::path>& written,
                  std::ostream& out) {
  std::vector<std::string> signatures;
  for (const auto& path : written) {
    const std::string name = path.filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".sig") == 0) {
      signatures.push_back(path.string());
    } else if (name == "report.dsse.json") {
      out << ui("summary.envelope") << path.string() << "\n";
    } else {
      out << ui("summary.report") << path.string() << "\n";
    }
  }
  if (!signatures.empty()) {
    out << ui(signatures.size() == 1 ? "summary.signature" : "summary.signatures");
    for (size_t i = 0; i < signatures.size(); ++i) out << (i ? ", " : "") << signatures[i];
    out << "\n";
  }
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// A private key file given to --sign-key that is in fact a public key: said first, before the
// permission check would ask to chmod a file that could never sign.
bool LooksLikePublicKey(const std::string& path) {
  // Bounded and regular files only: a FIFO given as --sign-key must not hang the scan (the
  // key loader then says what is wrong with the file).
  std::string head = ReadInputFile(path, kMaxSmallInputBytes).value_or("");
  head.resize(std::min<size_t>(head.size(), 4096));
  // A file that also holds a private key is not "a public key": the key loader names what is
  // wrong with it (two PEM blocks).
  if (head.find("PRIVATE KEY-----") != std::string::npos) return false;
  return head.find("-----BEGIN PUBLIC KEY-----") != std::string::npos ||
         head.find("-----BEGIN RSA PUBLIC KEY-----") != std::string::npos ||
         head.rfind("ssh-ed25519 ", 0) == 0 || head.rfind("ssh-rsa ", 0) == 0;
}

bool SameFolder(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

void PrintSummary(const ScanRun& run, const std::vector<std::filesystem::path>& written,
                  double seconds, const UiText& ui) {
  const ScanResult& r = run.result;
  // Datasets read (scanned or partly), and what was not read, apart: a missing target or a
  // README beside the exports is not a scanned dataset.
  uint64_t rows = 0, bytes = 0, read = 0, incomplete = 0, skipped = 0;
  for (const auto& c : r.coverage) {
    const bool was_read =
        c.status == CoverageStatus::kScanned || c.status == CoverageStatus::kPartial;
    if (was_read) {
      ++read;
      rows += c.rows;
      bytes += c.bytes;
    }
    if (IsIncomplete(c)) {
      incomplete += DatasetsIn(c);
    } else if (!was_read) {
      skipped += DatasetsIn(c);
    }
  }
  std::ostringstream out;
  std::ostringstream duration;
  duration << std::fixed;
  duration.precision(1);
  duration << seconds;
  out << ui.Format("summary.scanned", {{"datasets", Counted(ui, read, "dataset")},
                                       {"rows", Counted(ui, rows, "row")},
                                       {"bytes", HumanBytes(bytes)},
                                       {"targets", Counted(ui, r.targets.size(), "target")},
                                       {"seconds", duration.str()}})
      << "\n";
  if (incomplete) {
    out << ui.Format("summary.incomplete", {{"datasets", Counted(ui, incomplete, "dataset")}})
        << "\n";
  }
  if (skipped) {
    out << ui.Format("summary.skipped", {{"files", Counted(ui, skipped, "file")}}) << "\n";
  }
  out << ui("summary.findings");
  static constexpr const char* kOrder[] = {"critical", "high", "medium", "low", "info"};
  for (size_t i = 0; i < 5; ++i) {
    auto it = r.summary.by_severity.find(kOrder[i]);
    const uint64_t count = it == r.summary.by_severity.end() ? 0 : it->second;
    out << (i ? ui("summary.list_separator") : "")
        << ui.Format("summary.severity_count",
                     {{"n", std::to_string(count)},
                      {"severity", ui(std::string("severity.") + kOrder[i])}});
  }
  uint64_t not_open = 0;
  for (const auto& f : r.findings) not_open += f.status != FindingStatus::kOpen;
  if (not_open) out << ui.Format("summary.not_open", {{"n", std::to_string(not_open)}});
  out << "\n";
  out << ui.Format("summary.personal_data",
                   {{"columns", Counted(ui, r.inventory.size(), "column")}})
      << "\n";
  std::string verdict = ui.Find("verdict." + r.summary.verdict).value_or(r.summary.verdict);
  for (char& c : verdict) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out << ui.Format(
      "summary.verdict",
      {{"verdict", verdict},
       {"fail_on", ui.Find("severity." + r.summary.fail_on).value_or(r.summary.fail_on)},
       {"controls", Counted(ui, r.summary.not_assessed, "control")}});
  if (!r.scan.complete) out << ui("summary.not_every_dataset");
  out << "\n";
  PrintWritten(ui, written, out);
  // Target names and written paths are the user's, but a folder name can hold anything.
  std::string text = out.str();
  for (size_t start = 0, end; start < text.size(); start = end + 1) {
    end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::cerr << TerminalSafe(std::string_view(text).substr(start, end - start)) << "\n";
  }
}

// Which options the user typed, so that an audit file's values are only overridden by them.
struct GivenOptions {
  std::map<std::string, CLI::Option*> options;
  bool given(const std::string& name) const {
    auto it = options.find(name);
    return it != options.end() && it->second->count() > 0;
  }
};

int RunScanCommand(ScanArgs args, const GivenOptions& given) {
  ScanPlan plan;
  ControlLayer audit_controls;
  std::optional<std::filesystem::path> suppressions_file;
  bool dated_subfolder = false, auto_chain = false;
  std::optional<std::string> config_lang;
  if (!args.config.empty()) {
    try {
      AuditConfig config = LoadAuditConfig(args.config);
      plan = config.plan;
      audit_controls = config.controls;
      suppressions_file = config.suppressions;
      dated_subfolder = config.dated_subfolder;
      auto_chain = config.chain;
      config_lang = config.lang;
    } catch (const AuditConfigError& e) {
      std::cerr << "crmaudit scan: audit file error: " << TerminalSafe(e.what()) << "\n";
      return kExitUsage;
    }
  }
  // The reader's language: --lang, else the audit file's "lang", else the locale.
  const std::optional<std::string> chosen_language =
      ResolveLanguageOption("scan", args.lang, config_lang);
  if (!chosen_language) return kExitUsage;
  const std::string& language = *chosen_language;
  if (plan.targets.empty() && args.targets.empty()) {
    std::cerr << "crmaudit scan: no target given (pass TARGET... or --config FILE)\n";
    return kExitUsage;
  }
  for (const auto& t : args.targets) {
    plan.targets.push_back(ClassifyTarget(t, "t" + std::to_string(plan.targets.size() + 1)));
  }
  if (given.given("--policy")) plan.policies = args.policies;
  if (given.given("--out") || args.config.empty()) plan.out_dir = args.out;
  auto supported = SupportedFormats();
  if (given.given("--format")) {
    plan.formats.clear();
    for (std::string f : SplitCommaList(args.formats)) {
      f = Lower(f);
      f.erase(0, f.find_first_not_of(' '));
      f.erase(f.find_last_not_of(' ') + 1);
      if (std::find(supported.begin(), supported.end(), f) == supported.end()) {
        std::cerr << "crmaudit scan: --format '" << f
                  << "' is not a report format; valid: " << JoinWords(supported)
                  << " (several comma-separated: --format json,html)\n";
        return kExitUsage;
      }
      if (std::find(plan.formats.begin(), plan.formats.end(), f) == plan.formats.end()) {
        plan.formats.push_back(f);
      }
    }
    if (plan.formats.empty()) {
      std::cerr << "crmaudit scan: --format needs at least one of " << JoinWords(supported) << "\n";
      return kExitUsage;
    }
  } else if (args.config.empty()) {
    plan.formats = DefaultFormats();
  }
  // `--format json html` makes "html" a target: a missing target named like a format is that
  // mistake, not an export to report as missing.
  for (const auto& t : args.targets) {
    std::error_code ec;
    if (std::find(supported.begin(), supported.end(), Lower(t)) != supported.end() &&
        !std::filesystem::exists(t, ec)) {
      std::cerr << "crmaudit scan: target '" << t
                << "' does not exist and is named like a report format; write several formats "
                   "comma-separated: --format json,"
                << Lower(t) << "\n";
      return kExitUsage;
    }
  }
  if (given.given("--fail-on") || args.config.empty()) {
    if (args.fail_on == "never") {
      plan.fail_on = std::nullopt;
    } else if (auto s = ParseSeverity(args.fail_on)) {
      plan.fail_on = *s;
    } else {
      std::cerr << "crmaudit scan: --fail-on must be info, low, medium, high, critical or never\n";
      return kExitUsage;
    }
  }
  if (given.given("--sample-rows")) plan.sample_rows = args.sample_rows;
  if (given.given("--full")) plan.full = args.full;
  if (given.given("--jobs")) plan.jobs = std::max(1, args.jobs);
  if (given.given("--include")) plan.include = args.include;
  if (given.given("--exclude")) plan.exclude = args.exclude;
  if (given.given("--tables")) plan.table_include = args.tables;
  if (given.given("--exclude-tables")) plan.table_exclude = args.exclude_tables;
  if (given.given("--encoding")) {
    if (std::string problem = EncodingProblem(args.encoding); !problem.empty()) {
      std::cerr << "crmaudit scan: --encoding " << problem << "\n";
      return kExitUsage;
    }
    plan.forced_encoding = args.encoding;
  }
  if (given.given("--region")) {
    std::string region = args.region;
    if (std::string problem = RegionProblem(&region); !problem.empty()) {
      std::cerr << "crmaudit scan: --region " << problem << "\n";
      return kExitUsage;
    }
    plan.default_region = region;
  }
  if (given.given("--statement-timeout-ms")) plan.statement_timeout_ms = args.statement_timeout_ms;
  if (given.given("--lock-timeout-ms")) plan.lock_timeout_ms = args.lock_timeout_ms;
  if (given.given("--all-databases")) plan.all_databases = args.all_databases;
  if (given.given("--max-rows-per-second")) plan.max_rows_per_second = args.max_rows_per_second;
  if (given.given("--max-mb-per-second")) plan.max_mb_per_second = args.max_mb_per_second;
  if (given.given("--max-active-sessions")) plan.max_active_sessions = args.max_active_sessions;
  if (!args.max_replication_lag.empty()) {
    if (args.max_replication_lag == "0") {
      plan.max_replication_lag_seconds = 0;
    } else if (auto lag = ParseDuration(args.max_replication_lag)) {
      plan.max_replication_lag_seconds = std::chrono::duration<double>(*lag).count();
    } else {
      std::cerr << "crmaudit scan: --max-replication-lag must be a duration such as 30s or 5m, "
                   "or 0 (not checked)\n";
      return kExitUsage;
    }
  }
  if (!args.max_backoff.empty()) {
    auto longest = ParseDuration(args.max_backoff);
    if (!longest) {
      std::cerr << "crmaudit scan: --max-backoff must be a duration such as 30s, 10m or 1h\n";
      return kExitUsage;
    }
    plan.max_backoff = *longest;
  }
  std::optional<std::chrono::milliseconds> scan_timeout;
  if (!args.timeout.empty()) {
    scan_timeout = ParseDuration(args.timeout);
    if (!scan_timeout) {
      std::cerr << "crmaudit scan: --timeout must be a duration such as 30s, 10m or 1h\n";
      return kExitUsage;
    }
  }
  if (!args.backup_info.empty()) plan.backup_info = args.backup_info;
  if (!args.sign_key.empty()) plan.sign_key = args.sign_key;
  if (!args.baseline.empty()) plan.baseline = args.baseline;
  if (!args.sarif_root.empty()) plan.sarif_root = args.sarif_root;
  if (!args.suppressions.empty()) suppressions_file = args.suppressions;
  if (args.no_suppressions) suppressions_file.reset();
  plan.progress = !args.quiet && ::isatty(STDERR_FILENO);

  // The output folder is made ready before the scan: an unwritable --out is a usage error now,
  // not after an hour of scanning; the walk never enters it.
  std::filesystem::path out_root = plan.out_dir;
  std::optional<ReportOutput> output_folder;
  try {
    output_folder.emplace(ReportOutput::Prepare(
        out_root, dated_subfolder ? std::optional<std::string>(DatedFolderName()) : std::nullopt));
  } catch (const ReportWriteError& e) {
    std::cerr << "crmaudit scan: --out: " << TerminalSafe(e.what()) << "\n";
    return kExitUsage;
  }
  plan.out_dir = output_folder->dir();
  plan.own_output_folders = {out_root};
  for (const PlannedTarget& target : plan.targets) {
    if (target.kind == "directory" && SameFolder(target.location, out_root)) {
      std::cerr << "crmaudit scan: --out " << out_root.string()
                << " is the folder being scanned; write the reports elsewhere (e.g. --out "
                << (out_root / "crmaudit-out").string() << ")\n";
      return kExitUsage;
    }
  }

  std::optional<std::string> previous_sha256;
  std::optional<Summary> previous_summary;
  std::optional<ScanResult> previous_result;
  std::string chain_from = args.chain_from;
  if (chain_from.empty() && auto_chain) {
    if (auto latest = LatestReportIn(out_root)) chain_from = latest->string();
  }
  if (!chain_from.empty() && !dated_subfolder &&
      SameFolder(std::filesystem::path(chain_from).parent_path().empty()
                     ? std::filesystem::path(".")
                     : std::filesystem::path(chain_from).parent_path(),
                 plan.out_dir)) {
    // The link would point at a report this run is about to overwrite.
    std::cerr << "crmaudit scan: --chain-from " << chain_from
              << " is in the --out folder and would be overwritten by this run; write each run "
                 "to its own folder (--out elsewhere, or an audit file's dated run folders)\n";
    return kExitUsage;
  }
  if (!chain_from.empty()) {
    std::string reason;
    std::optional<std::string> bytes = ReadWholeFile(chain_from, &reason);
    if (!bytes) {
      std::cerr << "crmaudit scan: cannot read --chain-from report " << chain_from << ": " << reason
                << "\n";
      return kExitUsage;
    }
    previous_sha256 = Sha256Hex(*bytes);
    previous_summary = SummaryOf(*bytes);
    try {
      previous_result = ReadJsonReport(*bytes, chain_from);
    } catch (const ReportReadError&) {
      // Not a report.json we can compare with: the chain link still records its hash, and
      // the HTML shows the per-severity counts only.
    }
  }
  std::set<std::string> baseline;
  if (plan.baseline) {
    try {
      baseline = LoadBaselineIds(plan.baseline->string());
    } catch (const std::exception& e) {
      std::cerr << "crmaudit scan: " << TerminalSafe(e.what()) << "\n";
      return kExitUsage;
    }
  }
  std::vector<Suppression> suppressions;
  if (suppressions_file) {
    try {
      suppressions = LoadSuppressions(*suppressions_file);
    } catch (const SuppressionError& e) {
      std::cerr << "crmaudit scan: " << TerminalSafe(e.what()) << "\n";
      return kExitUsage;
    }
  }

  // Load the signing key before the scan: a key readable by others or a wrong passphrase is a
  // configuration error (exit 2), found now rather than after an hour of scanning.
  std::shared_ptr<const PrivateKey> signing_key;
  if (plan.sign_key) {
    if (LooksLikePublicKey(plan.sign_key->string())) {
      std::cerr << "crmaudit scan: --sign-key " << plan.sign_key->string()
                << " is a public key; signing needs the private key (PREFIX.key from crmaudit "
                   "keygen), and verify takes the .pub\n";
      return kExitUsage;
    }
    try {
      signing_key = std::make_shared<const PrivateKey>(PrivateKey::Load(*plan.sign_key));
    } catch (const std::exception& e) {
      std::cerr << "crmaudit scan: signing key: " << TerminalSafe(e.what()) << "\n";
      return kExitUsage;
    }
  }

  std::shared_ptr<const CompiledPolicy> policy;
  try {
    policy = LoadPolicies(plan.policies, &audit_controls, plan.default_region);
  } catch (const std::exception& e) {
    std::cerr << "crmaudit scan: policy error: " << TerminalSafe(e.what()) << "\n";
    return kExitUsage;
  }

  auto started = std::chrono::steady_clock::now();
  if (scan_timeout) plan.deadline = started + *scan_timeout;
  ScanRun run = RunScan(plan, policy);
  ScanResult& result = run.result;
  result.tool_version = CRMAUDIT_VERSION;
  result.scan.previous_sha256 = previous_sha256;
  for (auto& f : result.findings) {
    if (f.status == FindingStatus::kOpen && baseline.count(f.id)) {
      f.status = FindingStatus::kBaselined;
      f.status_reason = "accepted in baseline " + plan.baseline->filename().string();
    }
  }
  auto expired = ApplySuppressions(suppressions, NowRfc3339().substr(0, 10), &result.findings);
  for (auto& w : expired) run.warnings.push_back(w);
  Summarize(result, plan.fail_on);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  for (const auto& w : run.warnings) {
    std::cerr << "crmaudit: warning: " << TerminalSafe(w) << "\n";
  }

  std::vector<std::filesystem::path> written;
  try {
    ReportOutputOptions output;
    output.formats = plan.formats;
    output.sign_key = plan.sign_key;
    output.previous_summary = previous_summary;
    output.sarif_passes = args.sarif_passes;
    output.loaded_key = signing_key;
    output.language = language;
    output.rule_texts = std::make_shared<const RuleTexts>(
        RuleTextsFor(language, policy->packs(), policy->check_catalog()));
    if (previous_result) output.changes = CompareScans(*previous_result, result);
    written = output_folder->Write(result, output);
  } catch (const std::exception& e) {
    std::cerr << "crmaudit scan: " << TerminalSafe(e.what()) << "\n";
    return kExitUsage;
  }
  // A chained archive names its newest run in chain-head.json (reports/signing/chain_head.h):
  // deleting the newest report breaks no link, so only the head shows it is gone.
  auto report_json = std::find_if(written.begin(), written.end(), [](const auto& path) {
    return path.filename() == "report.json";
  });
  if (dated_subfolder && auto_chain && report_json != written.end()) {
    try {
      WriteChainHead(output_folder->root(), report_json->parent_path().filename().string(),
                     signing_key.get());
    } catch (const std::exception& e) {
      std::cerr << "crmaudit scan: chain head: " << TerminalSafe(e.what()) << "\n";
      return kExitUsage;
    }
  }
  PrintSummary(run, written, seconds, UiText(language));

  if (!result.scan.complete) return kExitIncomplete;
  return result.summary.verdict == "fail" ? kExitFindings : kExitOk;
}

}  // namespace

void AddScanCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ScanArgs>();
  auto given = std::make_shared<GivenOptions>();
  auto* cmd = app.add_subcommand(
      "scan",
      "Scan CRM exports (files, directories, workbooks, archives), PostgreSQL, MySQL and "
      "MariaDB databases and SQLite database files for personal data and control gaps; write "
      "report.json/html/sarif");
  cmd->add_option("targets", args->targets,
                  "Files, directories, postgresql:// URIs (libpq conventions: PG* variables, "
                  ".pgpass, sslmode), mysql:// / mariadb:// URIs (~/.my.cnf or ?defaults-file=, "
                  "?socket=, ?ssl-mode=), or SQLite databases (sqlite:///PATH, or a "
                  ".sqlite/.sqlite3/.db/.db3 file; opened read-only and immutable, nothing is "
                  "written beside them); a password is never printed");
  cmd->add_option("--config", args->config,
                  "Audit file (JSON): targets, packs, thresholds, output, signing key, fail-on")
      ->check(CLI::ExistingFile);
  cmd->add_option("--suppressions", args->suppressions,
                  "Suppressions file: accepted findings, each with a reason and an expiry date");
  cmd->add_flag("--no-suppressions", args->no_suppressions,
                "Ignore every suppression (strict CI runs)");
  cmd->add_option("--policy", args->policies,
                  "Policy pack NAME (from the packs folder) or PATH; repeatable; default: all "
                  "shipped packs");
  cmd->add_option("--out", args->out,
                  "Output folder for the reports (checked before scanning, never scanned itself; "
                  "each run replaces the previous run's reports and signatures)")
      ->capture_default_str();
  cmd->add_option("--format", args->formats,
                  "Comma-separated list of json,html,sarif,records-csv (any case; default "
                  "json,html,sarif); records-csv writes records-of-processing.csv, the records of "
                  "processing per dataset");
  cmd->add_option("--sign-key", args->sign_key,
                  "Private key (PEM, mode 0600) to sign every report and write report.dsse.json");
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit 1 when an open finding is at or above this severity "
                  "(info|low|medium|high|critical|never)")
      ->capture_default_str();
  auto* sample = cmd->add_option("--sample-rows", args->sample_rows,
                                 "Rows sampled per database table (SQLite: the first N rows)")
                     ->capture_default_str();
  auto* full = cmd->add_flag("--full", args->full, "Read every row of every table");
  sample->excludes(full);
  cmd->add_option("--jobs,-j", args->jobs,
                  "Cores to use: files and big tables are matched on N threads (files: at most "
                  "one per available core); at most N database connections")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_option("--baseline", args->baseline,
                  "Previous report.json or baseline file: its findings are marked baselined");
  cmd->add_option("--chain-from", args->chain_from,
                  "Previous report.json whose SHA-256 is recorded in scan.chain");
  cmd->add_option("--sarif-root", args->sarif_root,
                  "Folder report.sarif paths are relative to (%SRCROOT%); default: the git "
                  "repository around each target")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--include", args->include, "Glob of files to scan (repeatable)");
  cmd->add_option("--exclude", args->exclude, "Glob of files to skip (repeatable)");
  cmd->add_option("--tables", args->tables,
                  "schema.table pattern of database tables to scan (MySQL: database.table; "
                  "SQLite: main.TABLE; repeatable; default all)");
  cmd->add_option("--exclude-tables", args->exclude_tables,
                  "schema.table pattern of database tables to skip (repeatable)");
  cmd->add_option("--encoding", args->encoding,
                  "Force the export encoding (utf-8, utf-16le, utf-16be, gb18030, gbk)");
  cmd->add_option("--region", args->region,
                  "Region for phone numbers without a country prefix (ISO 3166, e.g. CN) when "
                  "neither their record's country column, their header (手机: CN) nor the "
                  "dataset's +CC majority gives one")
      ->capture_default_str();
  cmd->add_option("--statement-timeout-ms", args->statement_timeout_ms,
                  "Time limit per database statement (PostgreSQL statement_timeout, MariaDB "
                  "max_statement_time, MySQL max_execution_time)")
      ->capture_default_str();
  cmd->add_option("--lock-timeout-ms", args->lock_timeout_ms,
                  "Longest wait for a lock held by another session (PostgreSQL lock_timeout; "
                  "MySQL/MariaDB lock_wait_timeout, in whole seconds, at least 1)")
      ->capture_default_str();
  cmd->add_option("--timeout", args->timeout,
                  "End the whole scan after DURATION (30s, 10m, 1h): what is not finished is "
                  "listed in coverage, the report is written, exit 3")
      ->type_name("DURATION");
  cmd->add_flag("--all-databases", args->all_databases,
                "Scan every database the role may connect to (MySQL/MariaDB: every database the "
                "account can see, also when the URI names one)");
  cmd->add_option("--max-rows-per-second", args->max_rows_per_second,
                  "Throttle: read at most N database table rows (PostgreSQL, MySQL/MariaDB) per "
                  "second, all --jobs together (0 = no limit)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  cmd->add_option("--max-mb-per-second", args->max_mb_per_second,
                  "Throttle: read at most X MB (10^6 bytes of row text) of database table rows "
                  "(PostgreSQL, MySQL/MariaDB) per second, all --jobs together (0 = no limit)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_option("--max-active-sessions", args->max_active_sessions,
                  "Back off (wait) while more than N other sessions of a PostgreSQL server are "
                  "active (0 = not checked; all sessions are seen with pg_monitor)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--max-replication-lag", args->max_replication_lag,
                  "Back off while a standby being scanned replays more than DURATION behind its "
                  "primary (default 60s; 0 = not checked)")
      ->type_name("DURATION");
  cmd->add_option("--max-backoff", args->max_backoff,
                  "Longest busy spell waited out (default 10m): a table the server stays busy "
                  "for longer is not read, and listed in coverage")
      ->type_name("DURATION");
  cmd->add_option("--backup-info", args->backup_info,
                  "pgBackRest info JSON, WAL-G backup-list JSON, or a folder of dump files or "
                  "Mariabackup/XtraBackup backups (directories, .xbstream files)");
  cmd->add_option("--lang", args->lang,
                  "Language of report.html and this summary: en or zh-CN (default: the audit "
                  "file's \"lang\", else zh-CN when LC_ALL/LC_MESSAGES/LANG start with zh, else "
                  "en); report.json and report.sarif are always language-neutral")
      ->type_name("LANG");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress line");
  cmd->add_flag("--sarif-passes", args->sarif_passes,
                "Also write each passed control check to report.sarif as a result of kind "
                "\"pass\" (off by default: code-scanning UIs such as GitHub's show every "
                "result as an alert)");
  for (const char* name :
       {"--policy", "--out", "--format", "--fail-on", "--sample-rows", "--full", "--jobs",
        "--include", "--exclude", "--tables", "--exclude-tables", "--encoding", "--region",
        "--statement-timeout-ms", "--lock-timeout-ms", "--all-databases", "--max-rows-per-second",
        "--max-mb-per-second", "--max-active-sessions"}) {
    given->options[name] = cmd->get_option(name);
  }
  cmd->callback([args, given, exit_code] { *exit_code = RunScanCommand(*args, *given); });
}

}  // namespace crmaudit
