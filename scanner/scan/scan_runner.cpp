#include "scanner/scan/scan_runner.h"

#include <sys/random.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "scanner/checks/outcome_findings.h"
#include "scanner/detect/value_names.h"
#include "scanner/model/fingerprint.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/policy/postgres_releases.h"
#include "scanner/policy/region_data.h"
#include "scanner/scan/file_scan.h"
#include "scanner/scan/finding_identity.h"
#include "scanner/scan/live_database_limits.h"
#include "scanner/scan/mysql_scan.h"
#include "scanner/scan/postgres_scan.h"
#include "scanner/scan/progress.h"
#include "scanner/scan/source_root.h"
#include "scanner/scan/sqlite_scan.h"

namespace crmaudit {

std::shared_ptr<const CompiledPolicy> LoadPolicies(const std::vector<std::string>& names_or_paths,
                                                   const ControlLayer* audit_controls,
                                                   const std::string& default_region) {
  auto search_dirs = DefaultPolicySearchDirs();
  std::vector<std::filesystem::path> files;
  if (names_or_paths.empty()) {
    files = ListPolicyPacks(search_dirs);
    if (files.empty()) {
      throw PolicyError("", "", "no policy packs found (set CRMAUDIT_POLICY_DIR or pass --policy)");
    }
  } else {
    for (const auto& name : names_or_paths) files.push_back(ResolvePolicyPack(name, search_dirs));
  }
  std::vector<PolicyPack> packs;
  for (const auto& file : files) packs.push_back(LoadPolicyPack(file));
  if (audit_controls != nullptr && !audit_controls->empty()) {
    PolicyPack audit;
    audit.name = "audit-file";
    audit.version = "local";
    audit.source = audit_controls->file;
    audit.controls = *audit_controls;
    audit.audit_file = true;
    audit.sha256 = audit_controls->sha256;
    packs.push_back(std::move(audit));
  }
  CompileOptions options;
  options.default_region = default_region;
  // Column-only patterns compiled when a column first needs them (`policy test` checks them
  // all at load): a scan of tables without such columns starts without that cost.
  options.compile_every_pattern = false;
  options.regions = std::make_shared<const RegionRules>(LoadShippedRegionData(search_dirs));
  options.checks = std::make_shared<const CheckCatalog>(LoadShippedCheckCatalog(search_dirs));
  options.postgres_releases =
      std::make_shared<const PostgresReleases>(LoadShippedPostgresReleases(search_dirs));
  return CompiledPolicy::Compile(std::move(packs), options);
}

std::string NewScanId() {
  // The kernel's random bytes (getrandom), not OpenSSL's generator: an id needs no DRBG, and
  // setting one up costs every scan about a millisecond.
  unsigned char b[16];
  if (getrandom(b, sizeof b, 0) != static_cast<ssize_t>(sizeof b)) {
    // Not security-relevant (an id, not a key); fall back to the clock rather than fail a scan.
    auto t = std::chrono::high_resolution_clock::now().time_since_epoch().count();
    for (size_t i = 0; i < sizeof b; ++i) b[i] = static_cast<unsigned char>(t >> ((i % 8) * 8));
  }
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

std::string NowUtc(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char out[64];
  std::strftime(out, sizeof out, format, &utc);
  return out;
}

std::string NowRfc3339() { return NowUtc("%Y-%m-%dT%H:%M:%SZ"); }

ScanRun RunScan(const ScanPlan& given_plan, std::shared_ptr<const CompiledPolicy> policy) {
  ScanPlan plan = given_plan;
  plan.identity_roots = IdentityRoots(plan.targets);
  for (auto& [id, root] : plan.identity_roots) root = MaskValuesInPath(*policy, root);
  ScanRun run;
  ScanResult& result = run.result;
  result.scan.id = NewScanId();
  result.scan.started_at = NowRfc3339();
  for (const PolicyPack& pack : policy->packs()) {
    result.scan.policy_packs.push_back({pack.name, pack.version, pack.sha256});
  }
  result.scan.options["mode"] = plan.full ? "full" : "sample";
  result.scan.options["sample_rows"] = std::to_string(plan.sample_rows);
  result.scan.options["jobs"] = std::to_string(plan.jobs);
  if (!plan.forced_encoding.empty()) result.scan.options["encoding"] = plan.forced_encoding;
  RecordLiveDatabaseLimits(plan, &result.scan.options);
  BackoffTally backoff;

  Progress progress(plan.progress);
  for (PlannedTarget target : plan.targets) {
    if (target.kind == "file" || target.kind == "directory" || target.kind == "sqlite") {
      // A path typed on the command line can hold a value too (a file named after a person).
      target.display = MaskValuesInPath(*policy, target.display);
      if (auto root = SourceRootPath(target.location, plan.sarif_root)) {
        result.source_root_paths[target.id] = *root;
      }
    }
    result.targets.push_back({target.id, target.kind, target.display});
    TargetScanOutput output;
    if (plan.deadline && std::chrono::steady_clock::now() >= *plan.deadline) {
      // --timeout expired before this target's turn: recorded, never silently left out.
      CoverageEntry entry;
      entry.target = target.id;
      entry.dataset = target.display;
      entry.status = CoverageStatus::kSkipped;
      entry.reason = "not scanned: the scan's --timeout expired before this target";
      run.warnings.push_back(target.display + ": " + entry.reason);
      output.coverage.push_back(std::move(entry));
      output.complete = false;
    } else if (target.kind == "postgres" || target.kind == "mysql") {
      output = target.kind == "postgres" ? ScanPostgresTarget(target, plan, policy)
                                         : ScanMysqlTarget(target, plan, policy);
      backoff.Add(output.backed_off, output.busy_check_sees_all_sessions);
      if (!output.error.empty()) run.warnings.push_back(target.display + ": " + output.error);
      for (const auto& w : output.warnings) run.warnings.push_back(target.display + ": " + w);
      for (const auto& c : output.coverage) {
        if (c.status != CoverageStatus::kScanned && !c.reason.empty() && c.reason != output.error) {
          run.warnings.push_back(target.display + " " + c.dataset + ": " + c.reason);
        }
      }
    } else if (target.kind == "sqlite") {
      output = ScanSqliteTarget(target, plan, policy, run.warnings);
    } else {
      output = ScanFileTarget(target, plan, policy, progress, run.warnings);
    }
    if (!output.complete) result.scan.complete = false;
    for (auto& c : output.coverage) result.coverage.push_back(std::move(c));
    for (auto& e : output.inventory) result.inventory.push_back(std::move(e));
    for (auto& f : output.findings) result.findings.push_back(std::move(f));
    for (auto& c : output.controls) result.controls.push_back(std::move(c));
  }
  progress.Finish();
  RecordBackoff(plan, backoff, &result.scan.options);
  if (const CheckCatalog* catalog = policy->check_catalog()) {
    const ControlPolicy controls = ControlPolicyFromPacks(policy->packs());
    std::map<std::string, CheckMeta> settings = controls.exports.checks;
    for (const auto& [rule, meta] : controls.database.checks) settings[rule] = meta;
    DescribeEvaluatedChecks(result.controls, *catalog, settings, &result.rules);
  }
  SeparateCollidingIds(plan.identity_roots, &result.findings);
  result.scan.finished_at = NowRfc3339();
  Summarize(result, plan.fail_on);
  SortForOutput(result);
  return run;
}

}  // namespace crmaudit
