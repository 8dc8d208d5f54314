#include "scanner/checks/hardening_checks.h"

#include <sstream>

#include "scanner/checks/check_support.h"
#include "scanner/checks/outcome_recorder.h"

namespace crmaudit {
namespace {

using namespace check_support;  // NOLINT: the family files share these helpers

// One not_assessed outcome for a group whose facts could not be read.
void NotAssessed(OutcomeRecorder& record, const std::string& outcome, const std::string& object,
                 Location location, const Assessment& assessment) {
  record
      .NotAssessed(outcome, object, std::move(location), "missing " + assessment.missing_privilege)
      .evidence.facts["missing_privilege"] = assessment.missing_privilege;
}

Location WithSetting(const OutcomeRecorder& record, const std::string& setting) {
  Location location = record.base();
  location.extra["setting"] = setting;
  return location;
}

}  // namespace

void RunHardeningChecks(const DatabaseFacts& facts, const DatabaseControls& controls,
                        const DatabaseCheckContext& context,
                        std::vector<ControlOutcome>* outcomes) {
  CheckDefinerFunctions(facts, context, outcomes);
  CheckExtensions(facts, controls, context, outcomes);
  CheckDataChecksums(facts, context, outcomes);
  CheckServerVersion(facts, context, outcomes);
  CheckAuthenticationModules(facts, context, outcomes);
  CheckLogAttribution(facts, context, outcomes);
}

void CheckDefinerFunctions(const DatabaseFacts& facts, const DatabaseCheckContext& context,
                           std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("AC-06", ServerLocation(context), outcomes);
  if (!facts.functions_assessment.assessed) {
    NotAssessed(record, "not-assessed", "database " + context.database, record.base(),
                facts.functions_assessment);
    return;
  }
  if (facts.definer_functions.empty()) {
    record.Pass("database " + context.database, record.base()).evidence.facts["definer_functions"] =
        "0";
    return;
  }
  for (const auto& function : facts.definer_functions) {
    const std::string signature = function.name + "(" + function.arguments + ")";
    Location location = record.base();
    location.schema = function.schema;
    location.extra["function"] = signature;
    const std::string object = "function " + function.schema + "." + signature;
    const bool unsafe =
        function.owner_superuser && !function.sets_search_path && function.public_execute;
    ControlOutcome& outcome =
        unsafe ? record.Fail("superuser-definer", object, location) : record.Pass(object, location);
    outcome.evidence.facts["owner"] = function.owner;
    outcome.evidence.facts["owner_superuser"] = function.owner_superuser ? "yes" : "no";
    outcome.evidence.facts["search_path_set"] = function.sets_search_path ? "yes" : "no";
    outcome.evidence.facts["public_execute"] = function.public_execute ? "yes" : "no";
    if (unsafe) {
      outcome.values["function"] =
          Q(function.schema) + "." + Q(function.name) + "(" + function.arguments + ")";
      outcome.values["owner"] = Q(function.owner);
      outcome.evidence.count = 1;
    }
  }
}

void CheckExtensions(const DatabaseFacts& facts, const DatabaseControls& controls,
                     const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("EXT-01", ServerLocation(context), outcomes);
  std::vector<std::string> language_names;
  for (const auto& language : facts.languages) language_names.push_back(language.name);
  if (!facts.extensions_assessment.assessed) {
    Location location = record.base();
    location.extra["aspect"] = "extensions";
    NotAssessed(record, "extensions-not-assessed", "database " + context.database, location,
                facts.extensions_assessment);
  } else {
    for (const auto& extension : facts.extensions) {
      // A language installed as an extension (plperlu) is judged as the language below.
      if (facts.languages_assessment.assessed && Contains(language_names, extension.name)) {
        continue;
      }
      Location location = record.base();
      location.extra["extension"] = extension.name;
      // The parameter extensions.risky (policies/checks/parameters.json) names them.
      const bool risky = Contains(controls.risky_extensions, extension.name);
      const std::string object = "extension " + extension.name;
      ControlOutcome& outcome =
          risky ? record.Fail("risky-extension", object, location) : record.Pass(object, location);
      outcome.evidence.facts["extension"] = extension.name;
      outcome.evidence.facts["version"] = extension.version;
      outcome.evidence.facts["schema"] = extension.schema;
      if (risky) {
        outcome.values["extension"] = Q(extension.name);
        outcome.values["name"] = extension.name;
        outcome.evidence.count = 1;
      }
    }
  }
  if (!facts.languages_assessment.assessed) {
    Location location = record.base();
    location.extra["aspect"] = "languages";
    NotAssessed(record, "languages-not-assessed", "database " + context.database, location,
                facts.languages_assessment);
    return;
  }
  for (const auto& language : facts.languages) {
    Location location = record.base();
    location.extra["language"] = language.name;
    const std::string object = "language " + language.name;
    ControlOutcome& outcome = language.trusted
                                  ? record.Pass(object, location)
                                  : record.Fail("untrusted-language", object, location);
    outcome.evidence.facts["language"] = language.name;
    outcome.evidence.facts["trusted"] = language.trusted ? "yes" : "no";
    if (!language.trusted) {
      outcome.values["language"] = Q(language.name);
      outcome.values["name"] = language.name;
      outcome.evidence.count = 1;
    }
  }
}

void CheckDataChecksums(const DatabaseFacts& facts, const DatabaseCheckContext& context,
                        std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("CFG-01", ServerLocation(context), outcomes);
  const Location location = WithSetting(record, "data_checksums");
  if (!facts.settings_assessment.assessed) {
    NotAssessed(record, "not-assessed", "server", location, facts.settings_assessment);
    return;
  }
  const std::string checksums = Setting(facts, "data_checksums");
  ControlOutcome& outcome = IsOn(checksums) ? record.Pass("server", location)
                                            : record.Fail("checksums-off", "server", location);
  outcome.evidence.facts["data_checksums"] = checksums.empty() ? "unknown" : checksums;
  if (!IsOn(checksums)) outcome.evidence.count = 1;
}

void CheckServerVersion(const DatabaseFacts& facts, const DatabaseCheckContext& context,
                        std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("CFG-02", ServerLocation(context), outcomes);
  const Location location = WithSetting(record, "server_version");
  const PostgresReleases* releases = context.postgres_releases;
  if (releases == nullptr || releases->majors.empty()) {
    record.NotAssessed("no-release-list", "server", location,
                       "the PostgreSQL release list (policies/data/postgres-releases.json) was "
                       "not loaded");
    return;
  }
  if (facts.server_version <= 0) {
    record.NotAssessed("version-unknown", "server", location,
                       "the server's version could not be read");
    return;
  }
  // server_version_num: 150018 is 15.18; before 10, 90624 is 9.6.24 (every such major is long
  // past its end of life).
  const int major =
      facts.server_version >= 100000 ? facts.server_version / 10000 : facts.server_version / 100;
  const int minor =
      facts.server_version >= 100000 ? facts.server_version % 10000 : facts.server_version % 100;
  const std::string version = facts.server_version >= 100000
                                  ? std::to_string(major) + "." + std::to_string(minor)
                                  : std::to_string(major / 100) + "." +
                                        std::to_string(major % 100) + "." + std::to_string(minor);
  auto fill = [&](ControlOutcome& outcome) -> ControlOutcome& {
    outcome.values["version"] = version;
    outcome.values["as_of"] = releases->as_of;
    outcome.evidence.facts["server_version"] = version;
    outcome.evidence.facts["releases_as_of"] = releases->as_of;
    outcome.evidence.facts["releases_source"] = releases->source;
    return outcome;
  };
  // Majors before 10 (server_version < 100000) are numbered 906 for 9.6 here: all older
  // than any listed.
  const bool before_ten = facts.server_version < 100000;
  auto listed = before_ten ? releases->majors.end() : releases->majors.find(major);
  if (listed == releases->majors.end()) {
    if (before_ten || major < releases->majors.begin()->first) {
      ControlOutcome& old = fill(record.Fail("end-of-life", "server", location));
      old.values["end_of_life"] = "before " + releases->majors.begin()->second.end_of_life;
      old.values["newest_major"] = std::to_string(releases->majors.rbegin()->first);
      old.evidence.count = 1;
      return;
    }
    fill(record.NotAssessed("unknown-major", "server", location,
                            "PostgreSQL " + std::to_string(major) +
                                " is newer than the release list (as of " + releases->as_of +
                                "): update policies/data/postgres-releases.json"));
    return;
  }
  const PostgresRelease& release = listed->second;
  const std::string latest = std::to_string(major) + "." + std::to_string(release.latest_minor);
  if (!facts.server_date.empty() && facts.server_date > release.end_of_life) {
    ControlOutcome& old = fill(record.Fail("end-of-life", "server", location));
    old.values["end_of_life"] = release.end_of_life;
    old.values["newest_major"] = std::to_string(releases->majors.rbegin()->first);
    old.evidence.facts["end_of_life"] = release.end_of_life;
    old.evidence.facts["server_date"] = facts.server_date;
    old.evidence.count = 1;
    return;
  }
  if (minor < release.latest_minor) {
    ControlOutcome& behind = fill(record.Fail("minor-behind", "server", location));
    behind.values["latest"] = latest;
    behind.evidence.facts["latest_minor"] = latest;
    behind.evidence.facts["end_of_life"] = release.end_of_life;
    behind.evidence.count = 1;
    return;
  }
  ControlOutcome& pass = fill(record.Pass("server", location));
  pass.evidence.facts["latest_minor"] = latest;
  pass.evidence.facts["end_of_life"] = release.end_of_life;
}

void CheckAuthenticationModules(const DatabaseFacts& facts, const DatabaseCheckContext& context,
                                std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("AUTH-01", ServerLocation(context), outcomes);
  Location complexity = WithSetting(record, "shared_preload_libraries");
  complexity.extra["aspect"] = "password complexity";
  Location delay = WithSetting(record, "shared_preload_libraries");
  delay.extra["aspect"] = "brute-force delay";
  if (!facts.settings_assessment.assessed) {
    NotAssessed(record, "not-assessed", "server", WithSetting(record, "shared_preload_libraries"),
                facts.settings_assessment);
    return;
  }
  const std::string preload = Setting(facts, "shared_preload_libraries");
  const std::vector<std::string> libraries = SplitList(preload);
  auto with = [&](const std::string& library) {
    std::string list = preload;
    if (!Contains(libraries, library)) list = list.empty() ? library : list + "," + library;
    return list;
  };
  const bool checks_passwords =
      Contains(libraries, "passwordcheck") || Contains(libraries, "credcheck");
  ControlOutcome& password = checks_passwords
                                 ? record.Pass("server", complexity)
                                 : record.Fail("no-password-check", "server", complexity);
  password.evidence.facts["shared_preload_libraries"] = preload;
  if (!checks_passwords) {
    password.values["libraries"] = with("passwordcheck");
    password.evidence.count = 1;
  }

  const bool auth_delay = Contains(libraries, "auth_delay");
  const std::string milliseconds = Setting(facts, "auth_delay.milliseconds");
  int delay_ms = 0;
  if (!milliseconds.empty() && milliseconds.find_first_not_of("0123456789") == std::string::npos &&
      milliseconds.size() < 9) {
    delay_ms = std::stoi(milliseconds);
  }
  if (!auth_delay) {
    ControlOutcome& missing = record.Fail("no-auth-delay", "server", delay);
    missing.values["libraries"] = with("auth_delay");
    missing.evidence.facts["shared_preload_libraries"] = preload;
    missing.evidence.count = 1;
  } else if (delay_ms <= 0) {
    ControlOutcome& zero = record.Fail("auth-delay-zero", "server", delay);
    zero.evidence.facts["auth_delay.milliseconds"] =
        milliseconds.empty() ? "unknown" : milliseconds;
    zero.evidence.count = 1;
  } else {
    ControlOutcome& pass = record.Pass("server", delay);
    pass.evidence.facts["shared_preload_libraries"] = preload;
    pass.evidence.facts["auth_delay.milliseconds"] = milliseconds;
  }
}

void CheckLogAttribution(const DatabaseFacts& facts, const DatabaseCheckContext& context,
                         std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("AUD-03", ServerLocation(context), outcomes);
  if (!facts.settings_assessment.assessed) {
    NotAssessed(record, "not-assessed", "server", WithSetting(record, "logging_collector"),
                facts.settings_assessment);
    return;
  }
  // Kept: the collector writes rotated files, or syslog / the event log receives them. Without
  // either, stderr goes wherever the service manager sends it, often nowhere kept.
  const std::string collector = Setting(facts, "logging_collector");
  const std::string destination = Setting(facts, "log_destination");
  const std::vector<std::string> destinations = SplitList(destination);
  const bool kept =
      IsOn(collector) || Contains(destinations, "syslog") || Contains(destinations, "eventlog");
  {
    ControlOutcome& outcome =
        kept ? record.Pass("server", WithSetting(record, "logging_collector"))
             : record.Fail("not-collected", "server", WithSetting(record, "logging_collector"));
    outcome.evidence.facts["logging_collector"] = collector;
    outcome.evidence.facts["log_destination"] = destination;
    if (!kept) outcome.evidence.count = 1;
  }
  // Log files readable beyond the server's OS user expose what logs hold (statements, names).
  {
    const std::string mode = Setting(facts, "log_file_mode");
    bool open = false;
    if (!mode.empty() && mode.find_first_not_of("01234567") == std::string::npos &&
        mode.size() <= 4) {
      open = (std::stoi(mode, nullptr, 8) & ~0600) != 0;
    }
    ControlOutcome& outcome =
        open ? record.Fail("file-mode-open", "server", WithSetting(record, "log_file_mode"))
             : record.Pass("server", WithSetting(record, "log_file_mode"));
    outcome.evidence.facts["log_file_mode"] = mode.empty() ? "unknown" : mode;
    if (open) {
      outcome.values["log_file_mode"] = mode;
      outcome.evidence.count = 1;
    }
  }
  // Attributable: each line names the user, the database and the client.
  {
    const std::string prefix = Setting(facts, "log_line_prefix");
    std::vector<std::string> missing;
    if (prefix.find("%u") == std::string::npos) missing.push_back("%u (user)");
    if (prefix.find("%d") == std::string::npos) missing.push_back("%d (database)");
    if (prefix.find("%h") == std::string::npos && prefix.find("%r") == std::string::npos) {
      missing.push_back("%h or %r (client)");
    }
    const Location location = WithSetting(record, "log_line_prefix");
    ControlOutcome& outcome = missing.empty()
                                  ? record.Pass("server", location)
                                  : record.Fail("prefix-unattributable", "server", location);
    outcome.evidence.facts["log_line_prefix"] = prefix;
    if (!missing.empty()) {
      outcome.values["missing"] = Join(missing);
      outcome.evidence.facts["missing"] = Join(missing);
      outcome.evidence.count = missing.size();
    }
  }
  // Debug output of parse, rewrite and plan trees writes statements' constants - personal data
  // included - into the log.
  {
    std::vector<std::string> on;
    for (const char* name : {"debug_print_parse", "debug_print_rewritten", "debug_print_plan"}) {
      if (IsOn(Setting(facts, name))) on.push_back(name);
    }
    const Location location = WithSetting(record, "debug_print");
    ControlOutcome& outcome = on.empty() ? record.Pass("server", location)
                                         : record.Fail("debug-print", "server", location);
    outcome.evidence.facts["debug_print_on"] = on.empty() ? "none" : Join(on);
    if (!on.empty()) {
      outcome.values["settings"] = Join(on);
      std::string sql;
      for (const auto& name : on) sql += "ALTER SYSTEM SET " + name + " = off; ";
      outcome.values["sql"] = sql + "SELECT pg_reload_conf();";
      outcome.evidence.count = on.size();
    }
  }
}

}  // namespace crmaudit
