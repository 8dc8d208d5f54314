// A hand-built ScanResult that exercises every branch the HTML and SARIF writers have: file and
// database findings, every status, hostile file and column names, Chinese names, invalid UTF-8
// and incomplete coverage. Samples are masked, as the model guarantees. Its control checks:
// ENC-01 failed on t2 (the ssl finding), ENC-02 passed on t2 (two objects), BAK-01 not
// assessed on t2 (the backup finding) and RET-02 failed on t1 with one passed file beside the
// failed one; rules[] carries their catalog entries, one with a hostile title.
#pragma once

#include <string>
#include <vector>

#include "scanner/model/fingerprint.h"
#include "scanner/model/scan_result.h"

namespace crmaudit::testing {

inline constexpr const char* kHostileFile = "<script>alert(1)</script>.csv";
inline constexpr const char* kHostileColumn = "\"><img src=x onerror=document.title='pwned'>";
inline constexpr const char* kHostileSample = "<img src=x onerror=document.title='pwned'>";
inline constexpr const char* kChineseFile = "legacy/客户名单.csv";
inline constexpr const char* kChineseColumn = "身份证号";
inline constexpr const char* kChineseTitle = "居民身份证号以明文存储";

inline Location FileLocation(const std::string& path, const std::string& column,
                             std::optional<uint64_t> row = std::nullopt) {
  Location location;
  location.kind = "file";
  location.target = "t1";
  location.path = path;
  location.column = column;
  location.row = row;
  if (row) location.line = *row + 1;  // as read below a header row on line 1
  return location;
}

inline Location DatabaseLocation(const std::string& schema, const std::string& table,
                                 const std::string& column) {
  Location location;
  location.kind = "postgres";
  location.target = "t2";
  location.database = "crm";
  location.schema = schema;
  location.table = table;
  location.column = column;
  return location;
}

inline Finding MakeFinding(const std::string& rule, const std::string& title, Severity severity,
                           FindingCategory category, FindingStatus status, Location location) {
  Finding finding;
  finding.rule = rule;
  finding.title = title;
  finding.severity = severity;
  finding.category = category;
  finding.status = status;
  finding.location = std::move(location);
  finding.id = FindingId(rule, finding.location);
  return finding;
}

inline constexpr const char* kHostileRuleTitle = "TLS <b>required</b> & \"enforced\"";

inline ControlResult MakeControl(const std::string& rule, const std::string& target,
                                 const std::vector<ControlObject>& objects) {
  ControlResult control;
  control.rule = rule;
  control.target = target;
  control.objects = objects;
  for (const ControlObject& object : objects) {
    if (object.status == OutcomeStatus::kPass) ++control.passed;
    if (object.status == OutcomeStatus::kFail) ++control.failed;
    if (object.status == OutcomeStatus::kNotAssessed) ++control.not_assessed;
  }
  control.status = control.failed         ? OutcomeStatus::kFail
                   : control.not_assessed ? OutcomeStatus::kNotAssessed
                                          : OutcomeStatus::kPass;
  return control;
}

inline RuleDescription MakeRule(const std::string& id, const std::string& title,
                                const std::string& category, Severity severity,
                                const std::string& risk) {
  RuleDescription rule;
  rule.id = id;
  rule.title = title;
  rule.category = category;
  rule.severity = severity;
  rule.risk = risk;
  rule.texts["en"] = {title, risk};
  return rule;
}

inline ScanResult SampleScan() {
  ScanResult result;
  result.tool_version = "0.1.0";
  result.scan.id = "3f6c2b7e-9a41-4c1d-8e2f-5b7a9c0d1e2f";
  result.scan.started_at = "2026-11-24T18:00:00Z";
  result.scan.finished_at = "2026-11-24T18:02:13Z";
  result.scan.complete = false;
  result.scan.policy_packs = {
      {"gdpr-core", "1.2.0", std::string(64, 'a')},
      {"pipl-core", "1.0.3", std::string(64, 'b')},
  };
  result.scan.previous_sha256 = std::string(64, 'c');
  result.scan.options = {{"sample_rows", "1000"}};
  result.targets = {{"t1", "directory", "exports/"},
                    {"t2", "postgres", "postgresql://auditor@db.internal:5432/crm"}};

  auto coverage = [](std::string target, std::string dataset, CoverageStatus status, uint64_t rows,
                     uint64_t bytes, bool sampled, std::string reason) {
    CoverageEntry entry;
    entry.target = std::move(target);
    entry.dataset = std::move(dataset);
    entry.status = status;
    entry.rows = rows;
    entry.bytes = bytes;
    entry.sampled = sampled;
    entry.reason = std::move(reason);
    return entry;
  };
  result.coverage.push_back(
      coverage("t1", "customers.csv", CoverageStatus::kScanned, 1200, 98304, false, ""));
  result.coverage.back().format = "csv";
  result.coverage.back().encoding = "UTF-8";
  result.coverage.push_back(coverage("t1", kChineseFile, CoverageStatus::kPartial, 800, 51234, true,
                                     "stopped after 3 undecodable byte sequences"));
  result.coverage.back().format = "csv";
  result.coverage.back().encoding = "GB18030";
  result.coverage.back().invalid_bytes = 3;
  result.coverage.back().ragged_rows = 2;
  result.coverage.push_back(
      coverage("t1", kHostileFile, CoverageStatus::kScanned, 10, 700, false, ""));
  result.coverage.push_back(coverage("t1", "broken.json.gz", CoverageStatus::kError, 0, 4096, false,
                                     "gzip stream truncated at byte 4096"));
  result.coverage.push_back(
      coverage("t2", "crm.public.contacts", CoverageStatus::kScanned, 5000, 0, true, ""));
  result.coverage.back().format = "postgres-table";
  result.coverage.push_back(coverage("t2", "crm.billing.cards", CoverageStatus::kSkipped, 0, 0,
                                     false, "permission denied for table cards"));

  result.inventory = {
      {"t1", "customers.csv", "email", {{"EMAIL_ADDRESS", 1180, 1200, 95}}},
      {"t1",
       kChineseFile,
       "手机号",
       {{"PHONE_NUMBER", 790, 800, 90}, {"PERSON_NAME", 12, 800, 40}}},
      {"t1", kChineseFile, kChineseColumn, {{"CN_RESIDENT_ID", 798, 800, 99}}},
      {"t1", kHostileFile, kHostileColumn, {{"PERSON_NAME", 9, 10, 60}}},
      {"t1",
       "customers.csv",
       "bad\xff\xfe"
       "name",
       {{"PERSON_NAME", 5, 1200, 40}}},
      {"t2", "crm.public.contacts", "email", {{"EMAIL_ADDRESS", 4990, 5000, 95}}},
  };

  Finding email = MakeFinding("email-address", "Email addresses stored in clear", Severity::kHigh,
                              FindingCategory::kPii, FindingStatus::kOpen,
                              FileLocation("customers.csv", "email", 2));
  email.entity = "EMAIL_ADDRESS";
  email.confidence = 95;
  email.evidence = {1180, 1200, {"j***@e***.com", "m***@c***.cn"}, {}};
  email.frameworks = {{"GDPR", {"Art. 5(1)(c)", "Art. 32(1)(a)"}}, {"PIPL", {"Art. 51"}}};
  email.remediation = "Encrypt or pseudonymise the column, or drop it from exports.";
  result.findings.push_back(email);

  Finding resident_id =
      MakeFinding("cn-resident-id", kChineseTitle, Severity::kCritical, FindingCategory::kPii,
                  FindingStatus::kOpen, FileLocation(kChineseFile, kChineseColumn, 1));
  resident_id.entity = "CN_RESIDENT_ID";
  resident_id.confidence = 99;
  resident_id.evidence = {798, 800, {"110105********002X"}, {}};
  resident_id.frameworks = {{"PIPL", {"Art. 28", "Art. 51"}}, {"GDPR", {"Art. 87"}}};
  resident_id.remediation = "敏感个人信息应加密存储 (PIPL Art. 51): encrypt the column.";
  result.findings.push_back(resident_id);

  Finding hostile =
      MakeFinding("person-name", "Person names", Severity::kMedium, FindingCategory::kPii,
                  FindingStatus::kOpen, FileLocation(kHostileFile, kHostileColumn));
  hostile.entity = "PERSON_NAME";
  hostile.evidence = {9, 10, {kHostileSample, "J*** D**"}, {}};
  hostile.frameworks = {{"GDPR", {"Art. 5(1)(c)"}}};
  hostile.remediation = "Check why </td></tr><script>alert(2)</script> names are exported.";
  result.findings.push_back(hostile);

  Finding baselined = MakeFinding("email-address", "Email addresses stored in clear",
                                  Severity::kHigh, FindingCategory::kPii, FindingStatus::kBaselined,
                                  DatabaseLocation("public", "contacts", "email"));
  baselined.status_reason = "accepted in baseline 2026-10 (ticket SEC-42)";
  baselined.entity = "EMAIL_ADDRESS";
  baselined.evidence = {4990, 5000, {"a***@e***.com"}, {}};
  baselined.frameworks = {{"GDPR", {"Art. 32(1)(a)"}}};
  baselined.remediation = "Encrypt or pseudonymise the column.";
  result.findings.push_back(baselined);

  Location ssl_location = DatabaseLocation("", "", "");
  ssl_location.extra = {{"setting", "ssl"}};
  Finding ssl = MakeFinding("ENC-01", "Connections are not encrypted (ssl = off)", Severity::kHigh,
                            FindingCategory::kEncryption, FindingStatus::kOpen, ssl_location);
  ssl.evidence.facts = {{"ssl", "off"}};
  ssl.frameworks = {{"GDPR", {"Art. 32(1)(a)"}}, {"PIPL", {"Art. 51(3)"}}};
  ssl.remediation = "Set ssl = on and require hostssl in pg_hba.conf.";
  result.findings.push_back(ssl);

  Finding rls = MakeFinding("ACC-03", "Row-level security is off on a table with personal data",
                            Severity::kMedium, FindingCategory::kAccess, FindingStatus::kSuppressed,
                            DatabaseLocation("public", "contacts", ""));
  rls.status_reason = "RLS enforced by the application until 2027-01-31";
  rls.frameworks = {{"GDPR", {"Art. 25"}}};
  rls.remediation = "Enable row-level security with per-tenant policies.";
  result.findings.push_back(rls);

  Finding backup = MakeFinding("BAK-01", "Backups are recent and archived", Severity::kHigh,
                               FindingCategory::kBackup, FindingStatus::kNotAssessed,
                               DatabaseLocation("", "", ""));
  backup.status_reason = "missing privilege: pg_read_all_settings";
  backup.frameworks = {{"GDPR", {"Art. 32(1)(c)"}}};
  backup.remediation = "Grant pg_read_all_settings to the audit role and scan again.";
  result.findings.push_back(backup);

  Finding retention = MakeFinding("RET-02", "Export older than the retention period",
                                  Severity::kLow, FindingCategory::kRetention, FindingStatus::kOpen,
                                  FileLocation("customers.csv", ""));
  retention.evidence.facts = {{"age_days", "900"}, {"limit_days", "365"}};
  retention.frameworks = {{"GDPR", {"Art. 5(1)(e)"}}, {"PIPL", {"Art. 19"}}};
  retention.remediation = "Delete the export or move it to an archive with a retention policy.";
  result.findings.push_back(retention);

  Finding audit =
      MakeFinding("AUD-01", "Statement logging is minimal", Severity::kInfo,
                  FindingCategory::kAudit, FindingStatus::kOpen, DatabaseLocation("", "", ""));
  audit.evidence.facts = {{"log_statement", "none"}};
  audit.remediation = "Consider pgaudit for access to personal-data tables.";
  result.findings.push_back(audit);

  // Listed out of order on purpose: writers order controls by (rule, target), rules by id.
  result.controls = {
      MakeControl("RET-02", "t1",
                  {{"export customers.csv", OutcomeStatus::kFail},
                   {std::string("export ") + kChineseFile, OutcomeStatus::kPass}}),
      MakeControl("ENC-02", "t2",
                  {{"server", OutcomeStatus::kPass}, {"role <crm_app>", OutcomeStatus::kPass}}),
      MakeControl("ENC-01", "t2", {{"server", OutcomeStatus::kFail}}),
      MakeControl("BAK-01", "t2", {{"server", OutcomeStatus::kNotAssessed}}),
  };
  RuleDescription enc01 = MakeRule(
      "ENC-01", "Connections to the server are encrypted (TLS)", "encryption", Severity::kHigh,
      "Without TLS, passwords and personal data cross the network in clear.");
  enc01.references["CIS"] = {"PostgreSQL 16 Benchmark v1.0.0 6.8"};
  enc01.texts["zh-CN"] = {"与服务器的连接已加密 (TLS)",
                          "未启用 TLS 时，密码和个人信息以明文在网络中传输。"};
  result.rules = {
      MakeRule("RET-02", "Exports are deleted after the retention period", "retention",
               Severity::kLow, "Old exports keep personal data longer than needed."),
      enc01,
      MakeRule("ENC-02", kHostileRuleTitle, "encryption", Severity::kMedium,
               "Clients </td><script>alert(3)</script> without TLS can be read on the network."),
      MakeRule("BAK-01", "Backups are recent and archived", "backup", Severity::kHigh,
               "Without a recent backup, personal data can be lost for good."),
  };

  Summarize(result, Severity::kHigh);
  SortForOutput(result);
  return result;
}

}  // namespace crmaudit::testing
