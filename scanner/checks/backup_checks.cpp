#include "scanner/checks/backup_checks.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "scanner/checks/check_support.h"
#include "scanner/checks/outcome_recorder.h"

namespace crmaudit {

using namespace check_support;  // NOLINT: shared with the database check families

namespace {

std::string Hours(double hours) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f", hours);
  return buffer;
}

// A backup source as the object BAK-02/BAK-03 judge: its finding location names it in
// extra["backup"] beside the target and database.
struct SourceObject {
  std::string name;
  Location location;
};

SourceObject ObjectOf(const BackupSourceFacts& source, const Location& base) {
  SourceObject object;
  object.name = "backup " + source.kind + ":" + source.name;
  object.location = base;
  object.location.extra["backup"] = source.kind + ":" + source.name;
  return object;
}

ControlOutcome& Named(ControlOutcome& outcome, const BackupSourceFacts& source) {
  outcome.evidence.facts["source"] = source.kind;
  outcome.evidence.facts["name"] = source.name;
  return outcome;
}

// BAK-02: the newest good full backup of `source` against backup.max_age_hours.
void JudgeFreshness(const BackupSourceFacts& source, const DatabaseControls& controls,
                    int64_t now_epoch, OutcomeRecorder& record) {
  const SourceObject object = ObjectOf(source, record.base());
  int64_t newest = 0;
  uint64_t good = 0;
  for (const auto& backup : source.backups) {
    if (backup.type != "full" || backup.error || backup.stop_epoch <= 0) continue;
    ++good;
    newest = std::max(newest, backup.stop_epoch);
  }
  const double max_hours = controls.backup_max_age_hours;
  // pgBackRest's outcomes name the command that takes a full backup of the stanza.
  const std::string prefix = source.kind == "pgbackrest" ? "pgbackrest-" : "";
  if (good == 0) {
    ControlOutcome& none =
        Named(record.Fail(prefix + "no-full-backup", object.name, object.location), source);
    none.values["max_age_hours"] = Hours(max_hours);
    none.values["stanza"] = source.name;
    none.evidence.count = 0;
    none.evidence.scanned = source.backups.size();
    if (source.kind == "pgbackrest") {
      none.evidence.facts["status_code"] = std::to_string(source.status_code);
      none.evidence.facts["status"] = source.status_message;
    }
    return;
  }
  const double age_hours = static_cast<double>(now_epoch - newest) / 3600.0;
  ControlOutcome& outcome =
      Named(age_hours > max_hours ? record.Fail(prefix + "stale", object.name, object.location)
                                  : record.Pass(object.name, object.location),
            source);
  outcome.values["age_hours"] = Hours(age_hours);
  outcome.values["max_age_hours"] = Hours(max_hours);
  outcome.values["stanza"] = source.name;
  outcome.evidence.count = age_hours > max_hours ? 1 : 0;
  outcome.evidence.scanned = source.backups.size();
  outcome.evidence.facts["age_hours"] = Hours(age_hours);
  outcome.evidence.facts["max_age_hours"] = Hours(max_hours);
}

// BAK-03: whether `source` keeps its backups encrypted.
void JudgeEncryption(const BackupSourceFacts& source, OutcomeRecorder& record) {
  const SourceObject object = ObjectOf(source, record.base());
  if (source.kind == "wal-g" || (source.kind == "pgbackrest" && !source.cipher)) {
    Named(record.NotAssessed("encryption-not-shown", object.name, object.location,
                             source.kind == "wal-g"
                                 ? "WAL-G backup-list does not show encryption"
                                 : "pgbackrest info does not show the repository cipher"),
          source);
    return;
  }
  if (source.kind == "pgbackrest" && *source.cipher == "none") {
    ControlOutcome& plain =
        Named(record.Fail("repository-unencrypted", object.name, object.location), source);
    plain.evidence.count = source.backups.size();
    plain.evidence.facts["cipher"] = "none";
    return;
  }
  if (source.kind == "dump-folder" && source.unencrypted_files > 0) {
    ControlOutcome& plain =
        Named(record.Fail("dumps-unencrypted", object.name, object.location), source);
    plain.evidence.count = source.unencrypted_files;
    plain.evidence.scanned = source.files;
    // File names only (they name dates and databases, not people); a few are enough.
    std::string names;
    const size_t shown = std::min<size_t>(source.unencrypted_names.size(), 5);
    for (size_t i = 0; i < shown; ++i) names += (i ? ", " : "") + source.unencrypted_names[i];
    if (source.unencrypted_names.size() > shown) names += ", …";
    plain.evidence.facts["files"] = names;
    plain.evidence.facts["readable_as"] =
        "plain SQL, pg_dump archive or compressed only: no key needed";
    if (source.unrecognised_files > 0) {
      plain.evidence.facts["unrecognised_files"] = std::to_string(source.unrecognised_files);
    }
    return;
  }
  ControlOutcome& pass = Named(record.Pass(object.name, object.location), source);
  if (source.cipher) pass.evidence.facts["cipher"] = *source.cipher;
  if (source.kind == "dump-folder") {
    pass.evidence.scanned = source.files;
    if (source.unrecognised_files > 0) {
      pass.evidence.facts["unrecognised_files"] = std::to_string(source.unrecognised_files);
    }
  }
}

}  // namespace

void CheckBackups(const BackupFacts& facts, const DatabaseControls& controls,
                  const DatabaseCheckContext& context, int64_t now_epoch,
                  std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder freshness("BAK-02", ServerLocation(context), outcomes);
  OutcomeRecorder encryption("BAK-03", ServerLocation(context), outcomes);
  for (const auto& source : facts.sources) {
    if (!source.readable) {
      // Neither freshness nor encryption can be told: both not_assessed, naming why.
      for (OutcomeRecorder* record : {&freshness, &encryption}) {
        const SourceObject object = ObjectOf(source, record->base());
        Named(record->NotAssessed("not-assessed", object.name, object.location, source.reason),
              source);
      }
      continue;
    }
    JudgeFreshness(source, controls, now_epoch, freshness);
    if (controls.backup_require_encryption) JudgeEncryption(source, encryption);
  }
}

// BAK-01 (WAL archiving) is judged from the server's facts, beside the backups.
void CheckWalArchiving(const DatabaseFacts& facts, const DatabaseControls& controls,
                       const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("BAK-01", ServerLocation(context), outcomes);
  if (!facts.settings_assessment.assessed || !facts.archiver_assessment.assessed) {
    const Assessment& missing =
        facts.settings_assessment.assessed ? facts.archiver_assessment : facts.settings_assessment;
    record
        .NotAssessed("not-assessed", "server", record.base(),
                     "missing " + missing.missing_privilege)
        .evidence.facts["missing_privilege"] = missing.missing_privilege;
    return;
  }
  Location location = record.base();
  location.extra["setting"] = "archive_mode";
  const std::string mode = Setting(facts, "archive_mode");
  if (mode != "on" && mode != "always") {
    ControlOutcome& off = record.Fail("archiving-off", "server", location);
    off.evidence.facts["archive_mode"] = mode.empty() ? "unknown" : mode;
    off.evidence.count = 1;
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
    problem = "failing";
  } else if (a.archived_count == 0) {
    problem = "never-archived";
  } else if (a.seconds_since_archive && *a.seconds_since_archive > limit_s) {
    problem = "stale";
  }
  ControlOutcome& outcome =
      problem.empty() ? record.Pass("server", location) : record.Fail(problem, "server", location);
  outcome.evidence.count = a.failed_count;
  outcome.evidence.facts["archive_mode"] = mode;
  outcome.evidence.facts["archived_count"] = std::to_string(a.archived_count);
  outcome.evidence.facts["failed_count"] = std::to_string(a.failed_count);
  if (a.seconds_since_archive) {
    outcome.evidence.facts["hours_since_last_archive"] =
        std::to_string(static_cast<int64_t>(*a.seconds_since_archive / 3600));
  }
  outcome.evidence.facts["limit_hours"] = std::to_string(static_cast<int64_t>(limit_s / 3600));
}

}  // namespace crmaudit
