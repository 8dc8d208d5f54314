#include "scanner/checks/export_checks.h"

#include <cstdio>
#include <ctime>

#include "scanner/model/fingerprint.h"

namespace crmaudit {

namespace {

std::string OctalMode(uint32_t mode) {
  char out[8];
  std::snprintf(out, sizeof out, "%04o", mode & 07777);
  return out;
}

std::string IsoDate(int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &utc);
  return out;
}

}  // namespace

void CheckExportFile(const FileFacts& facts, const Location& location, uint64_t pii_columns,
                     const ExportControls& controls, int64_t now_epoch,
                     std::vector<Finding>* findings) {
  if (pii_columns == 0 || facts.encrypted) return;
  // A pack's mapping of the rule: its references replace the built-in ones, and it may turn the
  // rule off (policy/control_policy.h).
  auto mapped = [&](const std::string& rule) -> const CheckMeta* {
    auto it = controls.checks.find(rule);
    return it == controls.checks.end() ? nullptr : &it->second;
  };
  auto apply_mapping = [&](Finding* finding) {
    const CheckMeta* meta = mapped(finding->rule);
    if (meta != nullptr && !meta->frameworks.empty()) finding->frameworks = meta->frameworks;
  };
  auto enabled = [&](const std::string& rule) {
    const CheckMeta* meta = mapped(rule);
    return meta == nullptr || meta->enabled;
  };

  Finding enc;
  enc.rule = "ENC-07";
  enc.category = FindingCategory::kEncryption;
  enc.location = location;
  enc.location.column.clear();
  enc.location.row.reset();
  enc.evidence.count = pii_columns;
  enc.evidence.facts["mode"] = OctalMode(facts.mode);
  enc.evidence.facts["container"] = facts.container.empty() ? "none" : facts.container;
  enc.evidence.facts["pii_columns"] = std::to_string(pii_columns);
  enc.frameworks["GDPR"] = {"Art. 5(1)(f)", "Art. 32(1)(a)"};
  enc.frameworks["PIPL"] = {"Art. 51"};
  if (facts.readable_by_group_or_others()) {
    enc.title = "Personal-data export in plaintext, readable by other users";
    enc.severity = controls.readable_severity;
    enc.remediation =
        "Restrict the file to its owner (chmod 600) and store or send exports encrypted, e.g. "
        "`age -r RECIPIENT -o export.csv.age export.csv` or `gpg --encrypt`; delete the "
        "plaintext copy.";
  } else {
    enc.title = "Personal-data export stored in plaintext";
    enc.severity = controls.plaintext_severity;
    enc.remediation =
        "Store or send exports encrypted (age, OpenPGP, or an encrypted archive) and delete "
        "the plaintext copy once the transfer is done.";
  }
  enc.id = FindingId(enc.rule, enc.location);
  apply_mapping(&enc);
  if (enabled("ENC-07")) findings->push_back(enc);

  int64_t age_days = (now_epoch - facts.modified_epoch) / 86400;
  if (enabled("RET-03") && facts.modified_epoch > 0 && age_days > controls.max_age_days) {
    Finding ret;
    ret.rule = "RET-03";
    ret.title = "Personal-data export kept longer than the retention period";
    ret.category = FindingCategory::kRetention;
    ret.severity = controls.stale_severity;
    ret.location = enc.location;
    ret.evidence.count = static_cast<uint64_t>(age_days);
    ret.evidence.facts["modified"] = IsoDate(facts.modified_epoch);
    ret.evidence.facts["age_days"] = std::to_string(age_days);
    ret.evidence.facts["max_age_days"] = std::to_string(controls.max_age_days);
    ret.frameworks["GDPR"] = {"Art. 5(1)(e)", "Art. 17"};
    ret.frameworks["PIPL"] = {"Art. 19", "Art. 47"};
    ret.remediation =
        "Delete exports once their purpose is met, or move them into the "
        "retention-managed archive; the policy allows " +
        std::to_string(controls.max_age_days) + " days.";
    ret.id = FindingId(ret.rule, ret.location);
    apply_mapping(&ret);
    findings->push_back(ret);
  }
}

}  // namespace crmaudit
