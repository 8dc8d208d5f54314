#include "scanner/checks/backup_checks.h"

#include <algorithm>
#include <cstdio>

#include "scanner/checks/check_support.h"
#include "scanner/model/fingerprint.h"

namespace crmaudit {
namespace {

Finding MakeFinding(const std::string& rule, std::string title, const BackupSourceFacts& source,
                    const DatabaseControls& controls, const DatabaseCheckContext& context,
                    std::string remediation) {
  CheckMeta meta = controls.Meta(rule, Severity::kHigh);
  Finding finding;
  finding.rule = rule;
  finding.title = std::move(title);
  finding.severity = meta.severity;
  finding.category = FindingCategory::kBackup;
  finding.frameworks = meta.frameworks;
  if (finding.frameworks.empty()) {
    finding.frameworks["GDPR"] = {rule == "BAK-03" ? "Art. 32(1)(a)" : "Art. 32(1)(c)"};
    finding.frameworks["PIPL"] = {"Art. 51"};
  }
  finding.location.kind = "postgres";
  finding.location.target = context.target;
  finding.location.database = context.database;
  finding.location.extra["backup"] = source.kind + ":" + source.name;
  finding.remediation = std::move(remediation);
  finding.evidence.facts["source"] = source.kind;
  finding.evidence.facts["name"] = source.name;
  finding.id = FindingId(rule, finding.location);
  return finding;
}

std::string Hours(double hours) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f", hours);
  return buffer;
}

}  // namespace

void CheckBackups(const BackupFacts& facts, const DatabaseControls& controls,
                  const DatabaseCheckContext& context, int64_t now_epoch,
                  std::vector<Finding>* findings) {
  auto enabled = [&](const std::string& rule) {
    auto it = controls.checks.find(rule);
    return it == controls.checks.end() || it->second.enabled;
  };
  for (const auto& source : facts.sources) {
    if (!source.readable) {
      for (const char* rule : {"BAK-02", "BAK-03"}) {
        if (!enabled(rule)) continue;
        Finding f = MakeFinding(rule, "Backups could not be assessed", source, controls, context,
                                "Make the backup information readable by the auditor (pgbackrest "
                                "info --output=json, or a saved copy of it).");
        f.status = FindingStatus::kNotAssessed;
        f.status_reason = "not assessed: " + source.reason;
        findings->push_back(std::move(f));
      }
      continue;
    }
    if (enabled("BAK-02")) {
      int64_t newest = 0;
      uint64_t good = 0;
      for (const auto& backup : source.backups) {
        if (backup.type != "full" || backup.error || backup.stop_epoch <= 0) continue;
        ++good;
        newest = std::max(newest, backup.stop_epoch);
      }
      const double max_hours = controls.backup_max_age_hours;
      const std::string fix =
          source.kind == "pgbackrest"
              ? "Schedule full backups more often than every " + Hours(max_hours) +
                    " h: pgbackrest --stanza=" + source.name + " --type=full backup"
              : "Schedule full backups more often than every " + Hours(max_hours) + " h.";
      if (good == 0) {
        Finding f =
            MakeFinding("BAK-02", "No good full backup exists", source, controls, context, fix);
        f.evidence.count = 0;
        f.evidence.scanned = source.backups.size();
        if (source.kind == "pgbackrest") {
          f.evidence.facts["status_code"] = std::to_string(source.status_code);
          f.evidence.facts["status"] = source.status_message;
        }
        findings->push_back(std::move(f));
      } else {
        const double age_hours = static_cast<double>(now_epoch - newest) / 3600.0;
        if (age_hours > max_hours) {
          Finding f = MakeFinding("BAK-02",
                                  "Newest good full backup is " + Hours(age_hours) +
                                      " h old (policy: " + Hours(max_hours) + " h)",
                                  source, controls, context, fix);
          f.evidence.count = 1;
          f.evidence.scanned = source.backups.size();
          f.evidence.facts["age_hours"] = Hours(age_hours);
          f.evidence.facts["max_age_hours"] = Hours(max_hours);
          findings->push_back(std::move(f));
        }
      }
    }
    if (enabled("BAK-03") && controls.backup_require_encryption) {
      if (source.kind == "wal-g") {
        Finding f =
            MakeFinding("BAK-03", "Backup encryption could not be assessed", source, controls,
                        context, "Check WALG_LIBSODIUM_KEY / WALG_PGP_KEY in the WAL-G settings.");
        f.status = FindingStatus::kNotAssessed;
        f.status_reason = "not assessed: WAL-G backup-list does not show encryption";
        findings->push_back(std::move(f));
      } else if (source.kind == "pgbackrest" && source.cipher && *source.cipher == "none") {
        Finding f = MakeFinding("BAK-03", "pgBackRest repository is not encrypted", source,
                                controls, context,
                                "Create an encrypted repository: repo1-cipher-type=aes-256-cbc and "
                                "repo1-cipher-pass in pgbackrest.conf, then a new stanza and a "
                                "full backup.");
        f.evidence.count = source.backups.size();
        f.evidence.facts["cipher"] = "none";
        findings->push_back(std::move(f));
      } else if (source.kind == "dump-folder" && source.unencrypted_files > 0) {
        Finding f = MakeFinding("BAK-03", "Database dumps are stored unencrypted", source, controls,
                                context,
                                "Encrypt dumps as they are written, e.g. pg_dump … | age -r "
                                "<recipient> > crm.dump.age, and remove the plain copies.");
        f.evidence.count = source.unencrypted_files;
        f.evidence.scanned = source.files;
        // File names only (they name dates and databases, not people); a few are enough.
        std::string names;
        const size_t shown = std::min<size_t>(source.unencrypted_names.size(), 5);
        for (size_t i = 0; i < shown; ++i) names += (i ? ", " : "") + source.unencrypted_names[i];
        if (source.unencrypted_names.size() > shown) names += ", …";
        f.evidence.facts["files"] = names;
        f.evidence.facts["readable_as"] =
            "plain SQL, pg_dump archive or compressed only: no key needed";
        if (source.unrecognised_files > 0) {
          f.evidence.facts["unrecognised_files"] = std::to_string(source.unrecognised_files);
        }
        findings->push_back(std::move(f));
      }
    }
  }
}

// BAK-01 (WAL archiving) is judged from the server's facts, beside the backups.
using namespace check_support;  // NOLINT: shared with the database check families

void CheckWalArchiving(const DatabaseFacts& facts, const DatabaseControls& controls,
                       const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("BAK-01")) return;
  if (!facts.settings_assessment.assessed || !facts.archiver_assessment.assessed) {
    emit.NotAssessed(
        "BAK-01", "WAL archiving could not be assessed",
        facts.settings_assessment.assessed ? facts.archiver_assessment : facts.settings_assessment,
        "GRANT pg_monitor TO auditor;");
    return;
  }
  Location location = emit.Base();
  location.extra["setting"] = "archive_mode";
  const std::string mode = Setting(facts, "archive_mode");
  if (mode != "on" && mode != "always") {
    Finding& f = emit.Add("BAK-01", "WAL archiving is off: no point-in-time recovery", location,
                          "Set archive_mode = on and archive_command (or archive_library, e.g. "
                          "pgBackRest archive-push) in postgresql.conf and restart.");
    f.evidence.facts["archive_mode"] = mode.empty() ? "unknown" : mode;
    f.evidence.count = 1;
    return;
  }
  const ArchiverFacts& a = facts.archiver;
  double timeout_s = 0;
  try {
    timeout_s = std::stod(Setting(facts, "archive_timeout"));
  } catch (...) {
    timeout_s = 0;
  }
  const double limit_s = timeout_s > 0 ? timeout_s * controls.archive_timeout_factor
                                       : controls.archive_max_age_hours * 3600;
  std::string problem;
  if (a.failed_after_last_success) {
    problem = "WAL archiving is failing";
  } else if (a.archived_count == 0) {
    problem = "WAL archiving is on but nothing was ever archived";
  } else if (a.seconds_since_archive && *a.seconds_since_archive > limit_s) {
    problem = "WAL archiving is stale";
  }
  if (problem.empty()) return;
  Finding& f = emit.Add("BAK-01", problem, location,
                        "Check the archive_command / archive_library and the server log; "
                        "pgbackrest check --stanza=<stanza> tests the whole path.");
  f.evidence.count = a.failed_count;
  f.evidence.facts["archive_mode"] = mode;
  f.evidence.facts["archived_count"] = std::to_string(a.archived_count);
  f.evidence.facts["failed_count"] = std::to_string(a.failed_count);
  if (a.seconds_since_archive) {
    f.evidence.facts["hours_since_last_archive"] =
        std::to_string(static_cast<int64_t>(*a.seconds_since_archive / 3600));
  }
  f.evidence.facts["limit_hours"] = std::to_string(static_cast<int64_t>(limit_s / 3600));
}


}  // namespace crmaudit
