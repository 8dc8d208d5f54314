#include "scanner/checks/encryption_checks.h"

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "scanner/checks/check_support.h"
#include "scanner/checks/database_checks.h"
#include "scanner/checks/outcome_recorder.h"

namespace crmaudit {

using namespace check_support;  // NOLINT: the family files share these helpers

void CheckServerTls(const DatabaseFacts& facts, const DatabaseControls& controls,
                    const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("ENC-01", ServerLocation(context), outcomes);
  Location location = record.base();
  location.extra["setting"] = "ssl";
  if (!facts.settings_assessment.assessed) {
    record
        .NotAssessed("not-assessed", "server", location,
                     "missing " + facts.settings_assessment.missing_privilege)
        .evidence.facts["missing_privilege"] = facts.settings_assessment.missing_privilege;
    return;
  }
  const std::string ssl = Setting(facts, "ssl");
  if (!IsOn(ssl)) {
    ControlOutcome& off = record.Fail("ssl-off", "server", location);
    off.values["min_tls_version"] = controls.min_tls_version;
    off.evidence.facts["ssl"] = ssl.empty() ? "unknown" : ssl;
    off.evidence.count = 1;
    return;
  }
  const std::string min_version = Setting(facts, "ssl_min_protocol_version");
  // TLSv1 < TLSv1.1 < TLSv1.2 < TLSv1.3 sort as strings.
  if (!min_version.empty() && min_version < controls.min_tls_version) {
    location.extra["setting"] = "ssl_min_protocol_version";
    ControlOutcome& old = record.Fail("outdated-tls", "server", location);
    old.values["min_tls_version"] = controls.min_tls_version;
    old.values["ssl_min_protocol_version"] = min_version;
    old.evidence.facts["ssl_min_protocol_version"] = min_version;
    old.evidence.facts["required"] = controls.min_tls_version;
    old.evidence.count = 1;
    return;
  }
  ControlOutcome& pass = record.Pass("server", location);
  pass.evidence.facts["ssl"] = ssl;
  pass.evidence.facts["ssl_min_protocol_version"] = min_version;
}

void CheckSessionTls(const DatabaseFacts& facts, const DatabaseControls& /*controls*/,
                     const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("ENC-02", ServerLocation(context), outcomes);
  // facts.sessions holds the server's other clients only: crmaudit's own connection says how
  // the operator chose sslmode, not how the server's clients connect (postgres_scan.h reports
  // it as a warning), and hba lines that allow TCP without TLS are ENC-03.
  std::set<std::string> users, applications;
  uint64_t clear = 0;
  for (const auto& session : facts.sessions) {
    if (session.ssl) continue;
    ++clear;
    users.insert(session.user);
    if (!session.application.empty()) applications.insert(session.application);
  }
  // Sessions in clear are a finding even when only some were visible; none seen proves
  // nothing when other users' sessions were hidden.
  if (clear > 0) {
    ControlOutcome& f = record.Fail("clear-sessions", "server", record.base());
    f.evidence.count = clear;
    f.evidence.scanned = facts.sessions.size();
    f.evidence.facts["users"] = Join({users.begin(), users.end()});
    f.evidence.facts["applications"] = Join({applications.begin(), applications.end()});
    if (!facts.sessions_assessment.assessed) {
      f.evidence.facts["visibility"] =
          "own sessions only (missing " + facts.sessions_assessment.missing_privilege + ")";
    }
    return;
  }
  if (!facts.sessions_assessment.assessed) {
    RecordNotAssessed(record, facts.sessions_assessment, record.base());
    return;
  }
  record.Pass("server", record.base()).evidence.scanned = facts.sessions.size();
}

namespace {

// The outcome of an hba line with at least one weakness: the method decides the advice (an md5
// line needs passwords re-set first), trust first since it lets anyone in.
const char* HbaOutcome(const HbaRuleFacts& rule) {
  if (rule.method == "trust") return "trust";
  if (rule.method == "password") return "password-method";
  if (rule.method == "md5") return "md5-method";
  return "no-tls";
}

}  // namespace

void CheckHbaRules(const DatabaseFacts& facts, const DatabaseControls& /*controls*/,
                   const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("ENC-03", ServerLocation(context), outcomes);
  if (!facts.hba_assessment.assessed) {
    RecordNotAssessed(record, facts.hba_assessment, record.base());
    return;
  }
  for (const auto& rule : facts.hba_rules) {
    const bool tcp = rule.type.rfind("host", 0) == 0;
    const bool without_tls = rule.type == "host" || rule.type == "hostnossl";
    const bool trust = rule.method == "trust";
    const bool weak_method = rule.method == "password" || rule.method == "md5";
    Location location = record.base();
    location.extra["hba_rule"] = rule.type + " " + rule.databases + " " + rule.users + " " +
                                 rule.address + " " + rule.method;
    const std::string object = "pg_hba.conf line " + std::to_string(rule.line);
    if (!without_tls && !trust && !weak_method) {
      ControlOutcome& pass = record.Pass(object, location);
      pass.evidence.facts["line"] = std::to_string(rule.line);
      pass.evidence.facts["type"] = rule.type;
      pass.evidence.facts["method"] = rule.method;
      continue;
    }
    std::vector<std::string> problems;
    if (without_tls) problems.push_back("TCP without TLS");
    if (trust) problems.push_back("no authentication (trust)");
    if (weak_method) problems.push_back("weak method " + rule.method);
    ControlOutcome& f = record.Fail(HbaOutcome(rule), object, location);
    f.values["problems"] = Join(problems);
    f.values["line"] = std::to_string(rule.line);
    f.values["connection_type"] = tcp ? "hostssl" : "local";
    // Anyone who reaches the port gets in, as any role the line names.
    if (trust && tcp) f.at_least = Severity::kCritical;
    f.evidence.count = 1;
    f.evidence.facts["line"] = std::to_string(rule.line);
    f.evidence.facts["type"] = rule.type;
    f.evidence.facts["method"] = rule.method;
    f.evidence.facts["databases"] = rule.databases;
    f.evidence.facts["users"] = rule.users;
  }
}

void CheckPasswordVerifiers(const DatabaseFacts& facts, const DatabaseControls& /*controls*/,
                            const DatabaseCheckContext& context,
                            std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("ENC-04", ServerLocation(context), outcomes);
  // The setting decides how the next passwords are stored; the verifiers how today's are.
  Location setting = record.base();
  setting.extra["setting"] = "password_encryption";
  if (!facts.settings_assessment.assessed) {
    RecordNotAssessed(record, facts.settings_assessment, setting, "server", "setting-not-assessed");
  } else if (const std::string value = Setting(facts, "password_encryption"); value == "md5") {
    ControlOutcome& f = record.Fail("md5-setting", "server", setting);
    f.evidence.facts["password_encryption"] = "md5";
    f.evidence.count = 1;
  } else {
    record.Pass("server", setting).evidence.facts["password_encryption"] = value;
  }
  if (!facts.verifiers_assessment.assessed) {
    RecordNotAssessed(record, facts.verifiers_assessment, record.base());
    return;
  }
  for (const auto& role : facts.roles) {
    if (!role.can_login) continue;
    Location location = record.base();
    location.extra["role"] = role.name;
    if (role.verifier != "md5" && role.verifier != "plaintext") {
      record.Pass("role " + role.name, location).evidence.facts["verifier"] = role.verifier;
      continue;
    }
    ControlOutcome& f = record.Fail("weak-verifier", "role " + role.name, location);
    f.values["role"] = role.name;
    f.values["role_sql"] = Q(role.name);
    f.values["verifier"] = role.verifier;
    f.evidence.facts["role"] = role.name;
    f.evidence.facts["verifier"] = role.verifier;
    f.evidence.count = 1;
  }
}

void CheckClearSensitiveColumns(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                                const DatabaseControls& controls,
                                const DatabaseCheckContext& context,
                                std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("ENC-05", ServerLocation(context), outcomes);
  auto sensitive_of = [&](const PiiColumnRef& column) {
    std::vector<std::string> sensitive;
    for (const auto& entity : column.entities) {
      if (Contains(controls.sensitive_entities, entity)) sensitive.push_back(entity);
    }
    return sensitive;
  };
  // Storage: tables and materialized views hold the values. A view stores nothing: what it
  // shows is judged where it is stored, and the view is named there as a way to it.
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> stored;   // -> outcomes
  std::map<std::pair<std::string, std::string>, std::set<std::string>> views;  // view -> entities
  bool judged = false;
  for (const auto& column : pii) {
    std::vector<std::string> sensitive = sensitive_of(column);
    if (column.relkind == 'v') {
      if (!sensitive.empty()) {
        views[{column.schema, column.table}].insert(sensitive.begin(), sensitive.end());
      }
      continue;
    }
    judged = true;
    const std::string object = "column " + column.schema + "." + column.table + "." + column.column;
    const Location location =
        TableLocation(record.base(), column.schema, column.table, column.column);
    if (sensitive.empty()) {
      record.Pass(object, location).evidence.facts["entities"] = Join(column.entities);
      continue;
    }
    // The profiler only sees values that were readable: whatever it classified is in clear.
    uint64_t values = 0, readable = 0;
    auto table = facts.column_values.find({column.schema, column.table});
    if (table != facts.column_values.end()) {
      for (const auto& value_facts : table->second) {
        if (value_facts.column == column.column ||
            column.column.rfind(value_facts.column + ".", 0) == 0) {
          values = value_facts.values;
          readable = value_facts.type == "bytea" ? value_facts.readable_text : value_facts.values;
        }
      }
    }
    stored[{column.schema, column.table}].push_back(outcomes->size());
    ControlOutcome& f = record.Fail("stored-in-clear", object, location);
    f.values["entities"] = Join(sensitive);
    f.values["table_sql"] = Q(column.schema) + "." + Q(column.table);
    f.values["column_sql"] = Q(column.column);
    f.evidence.count = readable;
    f.evidence.scanned = values;
    f.evidence.facts["entities"] = Join(sensitive);
    f.entity = sensitive.front();
  }
  // Exposure through views: evidence on the stored data's outcome; a view whose stored side
  // was not judged here (its tables not read, or it decrypts) fails as exposure on its own,
  // never as a second "stored in clear".
  std::map<size_t, std::vector<std::string>> exposed_through;
  for (const auto& [view, entities] : views) {
    const std::string view_name = view.first + "." + view.second;
    bool attached = false;
    for (const auto& relation : facts.relations) {
      if (relation.schema != view.first || relation.table != view.second) continue;
      for (const auto& base : relation.reads_from) {
        auto it = stored.find(base);
        if (it == stored.end()) continue;
        for (size_t index : it->second) exposed_through[index].push_back(view_name);
        attached = true;
      }
    }
    if (attached) continue;
    judged = true;
    Location location = TableLocation(record.base(), view.first, view.second);
    location.extra["aspect"] = "exposure through view";
    const std::vector<std::string> list(entities.begin(), entities.end());
    ControlOutcome& f = record.Fail("view-exposure", "view " + view_name, location);
    f.values["entities"] = Join(list);
    f.values["view_sql"] = Q(view.first) + "." + Q(view.second);
    f.evidence.facts["entities"] = Join(list);
    f.evidence.facts["relation"] = "view (stores nothing)";
    f.evidence.count = 1;
    f.entity = list.front();
  }
  for (auto& [index, names] : exposed_through) {
    (*outcomes)[index].evidence.facts["exposed_through_views"] = Join(names);
  }
  // Profiling found no personal data stored here: nothing is in clear.
  if (!judged) record.Pass("server", record.base());
}

void CheckPasswordStorage(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                          const DatabaseControls& /*controls*/, const DatabaseCheckContext& context,
                          std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("ENC-06", ServerLocation(context), outcomes);
  using ColumnKey = std::tuple<std::string, std::string, std::string>;
  std::set<ColumnKey> reported;
  std::vector<std::pair<ColumnKey, const ColumnValueFacts*>> well_stored;
  auto object_of = [](const ColumnKey& key) {
    return "column " + std::get<0>(key) + "." + std::get<1>(key) + "." + std::get<2>(key);
  };
  auto fail = [&](const ColumnKey& key, bool plaintext) -> ControlOutcome& {
    const auto& [schema, table, column] = key;
    reported.insert(key);
    ControlOutcome& f = record.Fail(plaintext ? "plaintext" : "unsalted-hash", object_of(key),
                                    TableLocation(record.base(), schema, table, column));
    f.values["table_sql"] = Q(schema) + "." + Q(table);
    f.values["column_sql"] = Q(column);
    // A password a thief reads (or cracks in seconds) opens this CRM and every other
    // service where its owner uses it: never below critical, whatever a pack says.
    f.at_least = Severity::kCritical;
    f.entity = plaintext ? "PLAINTEXT_PASSWORD" : "PASSWORD_HASH";
    return f;
  };
  for (const auto& [table_key, columns] : facts.column_values) {
    const auto& [schema, table] = table_key;
    for (const auto& column : columns) {
      if (!column.password_column) continue;
      const ColumnKey key{schema, table, column.column};
      if (column.fast_unsalted == 0 && column.plaintext_passwords == 0) {
        well_stored.emplace_back(key, &column);
        continue;
      }
      ControlOutcome& f = fail(key, column.plaintext_passwords > 0);
      f.evidence.count = column.plaintext_passwords + column.fast_unsalted;
      f.evidence.scanned = column.values;
      f.evidence.facts["plaintext"] = std::to_string(column.plaintext_passwords);
      f.evidence.facts["unsalted_fast_hashes"] = std::to_string(column.fast_unsalted);
      f.evidence.facts["strong_hashes"] = std::to_string(column.strong_hashes);
    }
  }
  // Columns the detectors classified as plaintext passwords, whatever their name.
  for (const auto& column : pii) {
    if (!Contains(column.entities, "PLAINTEXT_PASSWORD")) continue;
    const ColumnKey key{column.schema, column.table, column.column};
    if (reported.count(key)) continue;
    fail(key, /*plaintext=*/true);
  }
  for (const auto& [key, column] : well_stored) {
    if (reported.count(key)) continue;
    ControlOutcome& pass = record.Pass(
        object_of(key),
        TableLocation(record.base(), std::get<0>(key), std::get<1>(key), std::get<2>(key)));
    pass.evidence.scanned = column->values;
    pass.evidence.facts["strong_hashes"] = std::to_string(column->strong_hashes);
  }
  // No column holds passwords: none is stored weakly.
  if (reported.empty() && well_stored.empty()) record.Pass("server", record.base());
}

}  // namespace crmaudit
