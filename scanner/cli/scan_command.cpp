// `crmaudit scan TARGET...`: plan, scan, judge, write the reports, exit with the contract code.
#include <openssl/sha.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "reports/json/json_report.h"
#include "reports/output/report_writer.h"
#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/scan/scan_runner.h"
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
  std::vector<std::string> include, exclude;
  std::string encoding;
  std::string region = "US";
  int statement_timeout_ms = 30000;
  int lock_timeout_ms = 1000;
  bool all_databases = false;
  std::string backup_info;
  bool quiet = false;
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

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

bool ReadWholeFile(const std::string& path, std::string* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *bytes = buffer.str();
  return static_cast<bool>(in) || in.eof();
}

// Finding ids accepted by a baseline: a previous report.json, or a baseline file holding
// {"findings":[{"id":…}]} or {"baseline":["crm-…"]}.
std::set<std::string> LoadBaselineIds(const std::string& path) {
  std::string bytes;
  if (!ReadWholeFile(path, &bytes)) throw std::runtime_error("cannot read baseline " + path);
  nlohmann::json doc = nlohmann::json::parse(bytes, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    throw std::runtime_error("baseline " + path + " is not a JSON object");
  }
  std::set<std::string> ids;
  if (doc.contains("findings") && doc["findings"].is_array()) {
    for (const auto& f : doc["findings"]) {
      if (f.is_object() && f.contains("id") && f["id"].is_string()) {
        ids.insert(f["id"].get<std::string>());
      }
    }
  }
  if (doc.contains("baseline") && doc["baseline"].is_array()) {
    for (const auto& id : doc["baseline"]) {
      if (id.is_string()) ids.insert(id.get<std::string>());
    }
  }
  return ids;
}

void PrintSummary(const ScanRun& run, const std::vector<std::filesystem::path>& written,
                  double seconds) {
  const ScanResult& r = run.result;
  uint64_t rows = 0, bytes = 0, incomplete = 0;
  for (const auto& c : r.coverage) {
    rows += c.rows;
    bytes += c.bytes;
    if (IsIncomplete(c)) ++incomplete;
  }
  std::ostringstream out;
  out << "crmaudit: scanned " << r.coverage.size() << " dataset(s) in " << r.targets.size()
      << " target(s): " << rows << " rows, " << bytes << " bytes in " << std::fixed;
  out.precision(1);
  out << seconds << " s";
  if (incomplete) out << "; " << incomplete << " not scanned completely";
  out << "\n";
  out << "findings (open): ";
  static constexpr const char* kOrder[] = {"critical", "high", "medium", "low", "info"};
  for (size_t i = 0; i < 5; ++i) {
    auto it = r.summary.by_severity.find(kOrder[i]);
    out << (i ? ", " : "") << (it == r.summary.by_severity.end() ? 0 : it->second) << " "
        << kOrder[i];
  }
  uint64_t not_open = 0;
  for (const auto& f : r.findings) not_open += f.status != FindingStatus::kOpen;
  if (not_open) out << " (+" << not_open << " baselined/suppressed/not assessed)";
  out << "\n";
  out << "personal data: " << r.inventory.size() << " column(s) in the inventory\n";
  out << "verdict: " << (r.summary.verdict == "fail" ? "FAIL" : "PASS") << " (fail-on "
      << r.summary.fail_on << ")";
  if (!r.scan.complete) out << ", INCOMPLETE scan";
  out << "\n";
  for (const auto& path : written) out << "report: " << path.string() << "\n";
  std::cerr << out.str();
}

int RunScanCommand(ScanArgs args) {
  ScanPlan plan;
  int n = 0;
  for (const auto& t : args.targets)
    plan.targets.push_back(ClassifyTarget(t, "t" + std::to_string(++n)));
  plan.policies = args.policies;
  plan.out_dir = args.out;
  plan.formats = args.formats.empty() ? SupportedFormats() : SplitCommaList(args.formats);
  auto supported = SupportedFormats();
  for (const auto& f : plan.formats) {
    if (std::find(supported.begin(), supported.end(), f) == supported.end()) {
      std::cerr << "crmaudit scan: unknown or unavailable --format '" << f << "'\n";
      return kExitUsage;
    }
  }
  if (args.fail_on == "never") {
    plan.fail_on = std::nullopt;
  } else if (auto s = ParseSeverity(args.fail_on)) {
    plan.fail_on = *s;
  } else {
    std::cerr << "crmaudit scan: --fail-on must be info, low, medium, high, critical or never\n";
    return kExitUsage;
  }
  plan.sample_rows = args.sample_rows;
  plan.full = args.full;
  plan.jobs = std::max(1, args.jobs);
  plan.include = args.include;
  plan.exclude = args.exclude;
  plan.forced_encoding = args.encoding;
  plan.default_region = args.region;
  plan.statement_timeout_ms = args.statement_timeout_ms;
  plan.lock_timeout_ms = args.lock_timeout_ms;
  plan.all_databases = args.all_databases;
  if (!args.backup_info.empty()) plan.backup_info = args.backup_info;
  if (!args.sign_key.empty()) plan.sign_key = args.sign_key;
  plan.progress = !args.quiet && ::isatty(STDERR_FILENO);

  std::optional<std::string> previous_sha256;
  if (!args.chain_from.empty()) {
    std::string bytes;
    if (!ReadWholeFile(args.chain_from, &bytes)) {
      std::cerr << "crmaudit scan: cannot read --chain-from report " << args.chain_from << "\n";
      return kExitUsage;
    }
    previous_sha256 = Sha256Hex(bytes);
  }
  std::set<std::string> baseline;
  if (!args.baseline.empty()) {
    try {
      baseline = LoadBaselineIds(args.baseline);
    } catch (const std::exception& e) {
      std::cerr << "crmaudit scan: " << e.what() << "\n";
      return kExitUsage;
    }
  }

  std::shared_ptr<const CompiledPolicy> policy;
  try {
    policy = LoadPolicies(plan.policies);
  } catch (const PolicyError& e) {
    std::cerr << "crmaudit scan: policy error: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "crmaudit scan: policy error: " << e.what() << "\n";
    return kExitUsage;
  }

  auto started = std::chrono::steady_clock::now();
  ScanRun run = RunScan(plan, policy);
  ScanResult& result = run.result;
  result.tool_version = CRMAUDIT_VERSION;
  result.scan.previous_sha256 = previous_sha256;
  if (!baseline.empty()) {
    for (auto& f : result.findings) {
      if (f.status == FindingStatus::kOpen && baseline.count(f.id)) {
        f.status = FindingStatus::kBaselined;
        f.status_reason =
            "accepted in baseline " + std::filesystem::path(args.baseline).filename().string();
      }
    }
    Summarize(result, plan.fail_on);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  for (const auto& w : run.warnings) std::cerr << "crmaudit: warning: " << w << "\n";

  std::vector<std::filesystem::path> written;
  try {
    ReportOutputOptions output;
    output.out_dir = plan.out_dir;
    output.formats = plan.formats;
    output.sign_key = plan.sign_key;
    written = WriteReports(result, output);
  } catch (const std::exception& e) {
    std::cerr << "crmaudit scan: " << e.what() << "\n";
    return kExitUsage;
  }
  PrintSummary(run, written, seconds);

  if (!result.scan.complete) return kExitIncomplete;
  return result.summary.verdict == "fail" ? kExitFindings : kExitOk;
}

}  // namespace

void AddScanCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ScanArgs>();
  auto* cmd = app.add_subcommand(
      "scan",
      "Scan CRM exports (files, directories) and PostgreSQL databases for personal data "
      "and control gaps; write report.json/html/sarif");
  cmd->add_option("targets", args->targets,
                  "Files, directories, or postgresql:// URIs (libpq conventions: PG* variables, "
                  ".pgpass, sslmode); a password is never printed")
      ->required();
  cmd->add_option("--policy", args->policies,
                  "Policy pack NAME (from the packs folder) or PATH; repeatable; default: all "
                  "shipped packs");
  cmd->add_option("--out", args->out, "Output folder for the reports")->capture_default_str();
  cmd->add_option("--format", args->formats, "Comma-separated list of json,html,sarif");
  cmd->add_option("--sign-key", args->sign_key,
                  "Private key (PEM, mode 0600) to sign every report and write report.dsse.json");
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit 1 when an open finding is at or above this severity "
                  "(info|low|medium|high|critical|never)")
      ->capture_default_str();
  auto* sample =
      cmd->add_option("--sample-rows", args->sample_rows, "Rows sampled per database table")
          ->capture_default_str();
  auto* full = cmd->add_flag("--full", args->full, "Read every row of every table");
  sample->excludes(full);
  cmd->add_option("--jobs,-j", args->jobs, "Parallel readers (files) / connections (databases)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_option("--baseline", args->baseline,
                  "Previous report.json or baseline file: its findings are marked baselined");
  cmd->add_option("--chain-from", args->chain_from,
                  "Previous report.json whose SHA-256 is recorded in scan.chain");
  cmd->add_option("--include", args->include, "Glob of files to scan (repeatable)");
  cmd->add_option("--exclude", args->exclude, "Glob of files to skip (repeatable)");
  cmd->add_option("--encoding", args->encoding,
                  "Force the export encoding (utf-8, utf-16le, utf-16be, gb18030, gbk)");
  cmd->add_option("--region", args->region,
                  "Default region for phone numbers without a country prefix (ISO 3166, e.g. CN)")
      ->capture_default_str();
  cmd->add_option("--statement-timeout-ms", args->statement_timeout_ms,
                  "Database statement_timeout per query")
      ->capture_default_str();
  cmd->add_option("--lock-timeout-ms", args->lock_timeout_ms, "Database lock_timeout")
      ->capture_default_str();
  cmd->add_flag("--all-databases", args->all_databases,
                "Scan every database the role may connect to");
  cmd->add_option("--backup-info", args->backup_info,
                  "pgBackRest info JSON, WAL-G backup-list JSON, or a folder of dump files");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress line");
  cmd->callback([args, exit_code] { *exit_code = RunScanCommand(*args); });
}

}  // namespace crmaudit
