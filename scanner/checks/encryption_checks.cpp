#include "scanner/checks/database_checks.h"

#include "scanner/checks/check_support.h"
#include "scanner/checks/outcome_recorder.h"

namespace crmaudit {

using namespace check_support;  // NOLINT: the family files share these helpers

void CheckServerTls(const DatabaseFacts& facts, const DatabaseControls& controls,
                    const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("ENC-01", ServerLocation(context), outcomes);
  Location location = record.base();
  location.extra["setting"] = "ssl";
  if (!facts.settings_assessment.assessed) {
    record.NotAssessed("not-assessed", "server", location,
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

void CheckSessionTls(const DatabaseFacts& facts, const DatabaseControls& controls,
                     const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("ENC-02")) return;
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
  if (clear > 0) {
    Finding& f = emit.Add("ENC-02", "Live TCP sessions without TLS", emit.Base(),
                          "Require TLS for TCP clients: replace host lines by hostssl in "
                          "pg_hba.conf and connect with sslmode=verify-full.");
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
    emit.NotAssessed("ENC-02", "Other users' sessions could not be inspected for TLS",
                     facts.sessions_assessment, "GRANT pg_read_all_stats TO auditor;");
  }
}

void CheckHbaRules(const DatabaseFacts& facts, const DatabaseControls& controls,
                   const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("ENC-03")) return;
  if (!facts.hba_assessment.assessed) {
    emit.NotAssessed("ENC-03", "Client authentication rules (pg_hba.conf) could not be read",
                     facts.hba_assessment,
                     "Run as a superuser, or: GRANT SELECT ON pg_hba_file_rules TO auditor; "
                     "GRANT EXECUTE ON FUNCTION pg_hba_file_rules() TO auditor;");
    return;
  }
  for (const auto& rule : facts.hba_rules) {
    const bool tcp = rule.type.rfind("host", 0) == 0;
    const bool without_tls = rule.type == "host" || rule.type == "hostnossl";
    const bool trust = rule.method == "trust";
    const bool weak_method = rule.method == "password" || rule.method == "md5";
    if (!without_tls && !trust && !weak_method) continue;
    std::vector<std::string> problems;
    if (without_tls) problems.push_back("TCP without TLS");
    if (trust) problems.push_back("no authentication (trust)");
    if (weak_method) problems.push_back("weak method " + rule.method);
    Location location = emit.Base();
    location.extra["hba_rule"] = rule.type + " " + rule.databases + " " + rule.users + " " +
                                 rule.address + " " + rule.method;
    std::string remediation =
        "In pg_hba.conf line " + std::to_string(rule.line) + ": use " +
        std::string(tcp ? "hostssl" : "local") + " with scram-sha-256" +
        (rule.method == "md5" ? " (after re-setting passwords with password_encryption = "
                                "'scram-sha-256')"
                              : "") +
        ", then SELECT pg_reload_conf();";
    Finding& f = emit.Add(
        "ENC-03", "Client authentication rule allows " + Join(problems), location, remediation,
        trust && tcp ? std::optional<Severity>(Severity::kCritical) : std::nullopt);
    f.evidence.count = 1;
    f.evidence.facts["line"] = std::to_string(rule.line);
    f.evidence.facts["type"] = rule.type;
    f.evidence.facts["method"] = rule.method;
    f.evidence.facts["databases"] = rule.databases;
    f.evidence.facts["users"] = rule.users;
  }
}

void CheckPasswordVerifiers(const DatabaseFacts& facts, const DatabaseControls& controls,
                            const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("ENC-04")) return;
  if (facts.settings_assessment.assessed && Setting(facts, "password_encryption") == "md5") {
    Location location = emit.Base();
    location.extra["setting"] = "password_encryption";
    Finding& f = emit.Add("ENC-04", "New passwords are stored as MD5 verifiers", location,
                          "ALTER SYSTEM SET password_encryption = 'scram-sha-256'; "
                          "SELECT pg_reload_conf();");
    f.evidence.facts["password_encryption"] = "md5";
    f.evidence.count = 1;
  }
  if (!facts.verifiers_assessment.assessed) {
    emit.NotAssessed("ENC-04", "Password verifiers of roles could not be inspected",
                     facts.verifiers_assessment,
                     "Install crmaudit_helper.role_verifiers() as described in "
                     "docs/auditor-role.md, or run the audit as a superuser.");
    return;
  }
  for (const auto& role : facts.roles) {
    if (!role.can_login) continue;
    if (role.verifier != "md5" && role.verifier != "plaintext") continue;
    Location location = emit.Base();
    location.extra["role"] = role.name;
    Finding& f = emit.Add(
        "ENC-04", "Login role " + role.name + " has a " + role.verifier + " password verifier",
        location,
        "SET password_encryption = 'scram-sha-256'; ALTER ROLE " + Q(role.name) +
            " PASSWORD '<new password>'; (then change md5 lines in pg_hba.conf to "
            "scram-sha-256)");
    f.evidence.facts["role"] = role.name;
    f.evidence.facts["verifier"] = role.verifier;
    f.evidence.count = 1;
  }
}

void CheckClearSensitiveColumns(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                                const DatabaseControls& controls,
                                const DatabaseCheckContext& context,
                                std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("ENC-05")) return;
  auto sensitive_of = [&](const PiiColumnRef& column) {
    std::vector<std::string> sensitive;
    for (const auto& entity : column.entities) {
      if (Contains(controls.sensitive_entities, entity)) sensitive.push_back(entity);
    }
    return sensitive;
  };
  // Storage: tables and materialized views hold the values. A view stores nothing: what it
  // shows is judged where it is stored, and the view is named there as a way to it.
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> stored;   // -> findings
  std::map<std::pair<std::string, std::string>, std::set<std::string>> views;  // view -> entities
  for (const auto& column : pii) {
    std::vector<std::string> sensitive = sensitive_of(column);
    if (sensitive.empty()) continue;
    if (column.relkind == 'v') {
      views[{column.schema, column.table}].insert(sensitive.begin(), sensitive.end());
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
    stored[{column.schema, column.table}].push_back(findings->size());
    Finding& f =
        emit.Add("ENC-05", "Sensitive personal data stored in clear (" + Join(sensitive) + ")",
                 TableLocation(emit, column.schema, column.table, column.column),
                 "Encrypt the column, e.g. with pgcrypto: ALTER TABLE " + Q(column.schema) + "." +
                     Q(column.table) +
                     " ADD COLUMN <name>_enc bytea; UPDATE … SET <name>_enc = "
                     "pgp_sym_encrypt(" +
                     Q(column.column) + ", <key from a key manager>); then drop " +
                     Q(column.column) + ". Keep the key outside the database.");
    f.evidence.count = readable;
    f.evidence.scanned = values;
    f.evidence.facts["entities"] = Join(sensitive);
    f.entity = sensitive.front();
  }
  // Exposure through views: evidence on the stored data's finding; a view whose stored side
  // was not judged here (its tables not read, or it decrypts) gets an exposure finding of its
  // own, never a second "stored in clear".
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
    Location location = TableLocation(emit, view.first, view.second);
    location.extra["aspect"] = "exposure through view";
    const std::vector<std::string> list(entities.begin(), entities.end());
    Finding& f = emit.Add(
        "ENC-05", "View shows sensitive personal data in clear (" + Join(list) + ")", location,
        "The view stores nothing but shows the values in clear: leave the columns out or mask "
        "them in its definition (CREATE OR REPLACE VIEW " +
            Q(view.first) + "." + Q(view.second) +
            " …), or REVOKE SELECT on it from roles that do not need them; encrypt the "
            "underlying columns where they are stored.");
    f.evidence.facts["entities"] = Join(list);
    f.evidence.facts["relation"] = "view (stores nothing)";
    f.evidence.count = 1;
    f.entity = list.front();
  }
  for (auto& [index, names] : exposed_through) {
    (*findings)[index].evidence.facts["exposed_through_views"] = Join(names);
  }
}

void CheckPasswordStorage(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                          const DatabaseControls& controls, const DatabaseCheckContext& context,
                          std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("ENC-06")) return;
  std::set<std::tuple<std::string, std::string, std::string>> reported;
  for (const auto& [table_key, columns] : facts.column_values) {
    const auto& [schema, table] = table_key;
    for (const auto& column : columns) {
      if (!column.password_column) continue;
      if (column.fast_unsalted == 0 && column.plaintext_passwords == 0) continue;
      const bool plaintext = column.plaintext_passwords > 0;
      Finding& f = emit.Add(
          "ENC-06",
          plaintext ? "Passwords stored in plaintext" : "Passwords stored as unsalted fast hashes",
          TableLocation(emit, schema, table, column.column),
          plaintext ? "Hash every password with a slow salted function (bcrypt or argon2id; with "
                      "pgcrypto: crypt(pw, gen_salt('bf', 12))) and drop the column: ALTER TABLE " +
                          Q(schema) + "." + Q(table) + " DROP COLUMN " + Q(column.column) + ";"
                    : "Re-hash passwords with bcrypt or argon2id at next login and force a reset "
                      "for the rest; never store bare MD5/SHA hashes.",
          Severity::kCritical);
      f.evidence.count = column.plaintext_passwords + column.fast_unsalted;
      f.evidence.scanned = column.values;
      f.evidence.facts["plaintext"] = std::to_string(column.plaintext_passwords);
      f.evidence.facts["unsalted_fast_hashes"] = std::to_string(column.fast_unsalted);
      f.evidence.facts["strong_hashes"] = std::to_string(column.strong_hashes);
      f.entity = plaintext ? "PLAINTEXT_PASSWORD" : "PASSWORD_HASH";
      reported.insert({schema, table, column.column});
    }
  }
  // Columns the detectors classified as plaintext passwords, whatever their name.
  for (const auto& column : pii) {
    if (!Contains(column.entities, "PLAINTEXT_PASSWORD")) continue;
    if (reported.count({column.schema, column.table, column.column})) continue;
    Finding& f = emit.Add("ENC-06", "Passwords stored in plaintext",
                          TableLocation(emit, column.schema, column.table, column.column),
                          "Hash passwords with bcrypt or argon2id and drop the plaintext column.",
                          Severity::kCritical);
    f.entity = "PLAINTEXT_PASSWORD";
  }
}


}  // namespace crmaudit
