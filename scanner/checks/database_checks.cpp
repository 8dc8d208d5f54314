#include "scanner/checks/database_checks.h"

#include <algorithm>
#include <map>
#include <set>

#include "scanner/model/fingerprint.h"

namespace crmaudit {
namespace {

// Built-in defaults when no pack names a rule; packs normally override them.
struct RuleDefaults {
  const char* rule;
  Severity severity;
  FindingCategory category;
  const char* gdpr;
  const char* pipl;
};

constexpr RuleDefaults kDefaults[] = {
    {"ENC-01", Severity::kHigh, FindingCategory::kEncryption, "Art. 32(1)(a)", "Art. 51"},
    {"ENC-02", Severity::kHigh, FindingCategory::kEncryption, "Art. 32(1)(a)", "Art. 51"},
    {"ENC-03", Severity::kHigh, FindingCategory::kEncryption, "Art. 32(1)(a)", "Art. 51"},
    {"ENC-04", Severity::kHigh, FindingCategory::kEncryption, "Art. 32", "Art. 51"},
    {"ENC-05", Severity::kHigh, FindingCategory::kEncryption, "Art. 32(1)(a)", "Art. 51"},
    {"ENC-06", Severity::kCritical, FindingCategory::kEncryption, "Art. 32", "Art. 51"},
    {"AC-01", Severity::kHigh, FindingCategory::kAccess, "Art. 32(4)", "Art. 51"},
    {"AC-02", Severity::kMedium, FindingCategory::kAccess, "Art. 32(4)", "Art. 51"},
    {"AC-03", Severity::kCritical, FindingCategory::kAccess, "Art. 25(2)", "Art. 51"},
    {"AC-04", Severity::kMedium, FindingCategory::kAccess, "Art. 25", "Art. 51"},
    {"AC-05", Severity::kMedium, FindingCategory::kAccess, "Art. 32(4)", "Art. 51"},
    {"AUD-01", Severity::kMedium, FindingCategory::kAudit, "Art. 5(2)", "Art. 54"},
    {"AUD-02", Severity::kMedium, FindingCategory::kAudit, "Art. 5(1)(c)", "Art. 6"},
    {"BAK-01", Severity::kHigh, FindingCategory::kBackup, "Art. 32(1)(c)", "Art. 51"},
    {"RET-01", Severity::kMedium, FindingCategory::kRetention, "Art. 5(1)(e)", "Art. 19"},
    {"RET-02", Severity::kMedium, FindingCategory::kRetention, "Art. 17", "Art. 47"},
};

const RuleDefaults& DefaultsFor(const std::string& rule) {
  for (const auto& d : kDefaults) {
    if (rule == d.rule) return d;
  }
  return kDefaults[0];
}

std::string Q(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

class Emitter {
 public:
  Emitter(const DatabaseControls& controls, const DatabaseCheckContext& context,
          std::vector<Finding>* out)
      : controls_(controls), context_(context), out_(out) {}

  bool Enabled(const std::string& rule) const {
    auto it = controls_.checks.find(rule);
    return it == controls_.checks.end() || it->second.enabled;
  }

  Location Base() const {
    Location location;
    location.kind = "postgres";
    location.target = context_.target;
    location.database = context_.database;
    return location;
  }

  Finding& Add(const std::string& rule, std::string title, Location location,
               std::string remediation, std::optional<Severity> escalate = std::nullopt) {
    const RuleDefaults& d = DefaultsFor(rule);
    CheckMeta meta = controls_.Meta(rule, d.severity);
    Finding finding;
    finding.rule = rule;
    finding.title = std::move(title);
    finding.severity = escalate ? std::max(*escalate, meta.severity) : meta.severity;
    finding.category = d.category;
    finding.frameworks = meta.frameworks;
    if (finding.frameworks.empty()) {
      finding.frameworks["GDPR"] = {d.gdpr};
      finding.frameworks["PIPL"] = {d.pipl};
    }
    finding.location = std::move(location);
    finding.remediation = std::move(remediation);
    finding.id = FindingId(rule, finding.location);
    out_->push_back(std::move(finding));
    return out_->back();
  }

  void NotAssessed(const std::string& rule, const std::string& title, const Assessment& assessment,
                   const std::string& remediation) {
    Finding& finding = Add(rule, title, Base(), remediation);
    finding.status = FindingStatus::kNotAssessed;
    finding.status_reason = "not assessed: missing " + assessment.missing_privilege;
    finding.evidence.facts["missing_privilege"] = assessment.missing_privilege;
  }

 private:
  const DatabaseControls& controls_;
  const DatabaseCheckContext& context_;
  std::vector<Finding>* out_;
};

std::string Setting(const DatabaseFacts& facts, const std::string& name) {
  auto it = facts.settings.find(name);
  return it == facts.settings.end() ? std::string() : it->second;
}

bool IsOn(const std::string& value) { return value == "on" || value == "true" || value == "1"; }

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Tables (schema, table) holding personal data.
std::set<std::pair<std::string, std::string>> PiiTables(const std::vector<PiiColumnRef>& pii) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& column : pii) out.insert({column.schema, column.table});
  return out;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

Location TableLocation(const Emitter& emit, const std::string& schema, const std::string& table,
                       const std::string& column = {}) {
  Location location = emit.Base();
  location.schema = schema;
  location.table = table;
  location.column = column;
  return location;
}

}  // namespace

void CheckServerTls(const DatabaseFacts& facts, const DatabaseControls& controls,
                    const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("ENC-01")) return;
  if (!facts.settings_assessment.assessed) {
    emit.NotAssessed("ENC-01", "Server TLS could not be assessed", facts.settings_assessment,
                     "Grant pg_read_all_settings (part of pg_monitor) to the auditor role.");
    return;
  }
  const std::string ssl = Setting(facts, "ssl");
  if (!IsOn(ssl)) {
    Location location = emit.Base();
    location.extra["setting"] = "ssl";
    Finding& f = emit.Add("ENC-01", "Server accepts connections without TLS (ssl = off)", location,
                          "Install a certificate and key, set ssl = on and "
                          "ssl_min_protocol_version = '" +
                              controls.min_tls_version +
                              "' in postgresql.conf, then reload (SELECT pg_reload_conf()).");
    f.evidence.facts["ssl"] = ssl.empty() ? "unknown" : ssl;
    f.evidence.count = 1;
    return;
  }
  const std::string min_version = Setting(facts, "ssl_min_protocol_version");
  // TLSv1 < TLSv1.1 < TLSv1.2 < TLSv1.3 sort as strings.
  if (!min_version.empty() && min_version < controls.min_tls_version) {
    Location location = emit.Base();
    location.extra["setting"] = "ssl_min_protocol_version";
    Finding& f = emit.Add("ENC-01", "Server allows outdated TLS versions", location,
                          "ALTER SYSTEM SET ssl_min_protocol_version = '" +
                              controls.min_tls_version + "'; SELECT pg_reload_conf();");
    f.evidence.facts["ssl_min_protocol_version"] = min_version;
    f.evidence.facts["required"] = controls.min_tls_version;
    f.evidence.count = 1;
  }
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

void CheckPowerfulRoles(const DatabaseFacts& facts, const DatabaseControls& controls,
                        const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("AC-01")) return;
  if (!facts.roles_assessment.assessed) {
    emit.NotAssessed("AC-01", "Roles could not be listed", facts.roles_assessment,
                     "GRANT pg_monitor TO auditor;");
    return;
  }
  for (const auto& role : facts.roles) {
    if (!role.can_login) continue;
    // Each power with the statement that removes it: attributes are taken away with ALTER
    // ROLE (a REVOKE does nothing to them), memberships by revoking the role granted directly.
    std::vector<std::string> powers, fixes;
    const std::string name = Q(role.name);
    if (role.superuser && !Contains(controls.superuser_allow_list, role.name)) {
      powers.push_back("SUPERUSER");
      fixes.push_back("ALTER ROLE " + name + " NOSUPERUSER;");
    }
    if (!Contains(controls.powerful_allow_list, role.name) &&
        !Contains(controls.superuser_allow_list, role.name)) {
      for (const auto& [has, attribute] :
           {std::pair{role.create_role, "CREATEROLE"}, std::pair{role.bypass_rls, "BYPASSRLS"},
            std::pair{role.replication, "REPLICATION"}}) {
        if (!has || role.superuser) continue;  // a superuser's attributes go with NOSUPERUSER
        powers.push_back(attribute);
        fixes.push_back("ALTER ROLE " + name + " NO" + attribute + ";");
      }
      std::set<std::string> revoked;
      for (const auto& membership : role.powerful_memberships) {
        powers.push_back(
            "member of " + membership.role +
            (membership.via == membership.role ? "" : " (through " + membership.via + ")"));
        if (revoked.insert(membership.via).second) {
          fixes.push_back("REVOKE " + Q(membership.via) + " FROM " + name + ";");
        }
      }
    }
    if (powers.empty()) continue;
    Location location = emit.Base();
    location.extra["role"] = role.name;
    const bool superuser = Contains(powers, "SUPERUSER");
    std::string fix;
    for (const auto& statement : fixes) fix += (fix.empty() ? "" : " ") + statement;
    Finding& f =
        emit.Add("AC-01", "Login role " + role.name + " is powerful: " + Join(powers), location,
                 "Give day-to-day logins only the privileges they use: " + fix +
                     " Or add it to the pack's roles allow-list if intended.",
                 superuser ? std::optional<Severity>(Severity::kCritical) : std::nullopt);
    f.evidence.facts["role"] = role.name;
    f.evidence.facts["privileges"] = Join(powers);
    f.evidence.count = powers.size();
  }
}

namespace {

// Whether an hba rule's user list names `role`: all, the role itself, or +group of a group
// it is a member of. A /regex entry is taken to match (not evaluated: erring towards a
// finding, never towards silence).
bool HbaUsersMatch(const HbaRuleFacts& rule, const RoleFacts& role) {
  size_t start = 0;
  while (start <= rule.users.size()) {
    size_t end = rule.users.find(',', start);
    if (end == std::string::npos) end = rule.users.size();
    const std::string user = rule.users.substr(start, end - start);
    start = end + 1;
    if (user == "all" || user == role.name || (!user.empty() && user[0] == '/')) return true;
    if (!user.empty() && user[0] == '+') {
      const std::string group = user.substr(1);
      if (group == role.name) return true;
      for (const auto& membership : role.member_of) {
        if (membership.role == group) return true;
      }
    }
  }
  return false;
}

// The trust lines of pg_hba.conf that can let `role` in without a password: trust lines
// naming it that no earlier line of the same connection type and address, for every database
// and this role, takes first (pg_hba.conf is first match). Peer, ident, certificate and
// password methods never let a role without a password in.
std::vector<const HbaRuleFacts*> TrustReaching(const DatabaseFacts& facts, const RoleFacts& role) {
  std::vector<const HbaRuleFacts*> out;
  for (size_t i = 0; i < facts.hba_rules.size(); ++i) {
    const HbaRuleFacts& rule = facts.hba_rules[i];
    if (rule.method != "trust" || !rule.error.empty() || !HbaUsersMatch(rule, role)) continue;
    bool shadowed = false;
    for (size_t j = 0; j < i && !shadowed; ++j) {
      const HbaRuleFacts& earlier = facts.hba_rules[j];
      shadowed = earlier.error.empty() && earlier.type == rule.type &&
                 earlier.address == rule.address && earlier.databases == "all" &&
                 HbaUsersMatch(earlier, role);
    }
    if (!shadowed) out.push_back(&rule);
  }
  return out;
}

}  // namespace

void CheckLoginHygiene(const DatabaseFacts& facts, const DatabaseControls& controls,
                       const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("AC-02")) return;
  if (!facts.roles_assessment.assessed) {
    emit.NotAssessed("AC-02", "Roles could not be listed", facts.roles_assessment,
                     "GRANT pg_monitor TO auditor;");
    return;
  }
  for (const auto& role : facts.roles) {
    if (!role.can_login) continue;
    std::vector<std::string> problems;
    std::string fix, no_password_reach;
    const bool no_expiry = !role.valid_until || *role.valid_until == "infinity";
    if (no_expiry && !Contains(controls.expiry_exempt_roles, role.name)) {
      problems.push_back("no expiry");
      fix += "ALTER ROLE " + Q(role.name) + " VALID UNTIL '<date>'; ";
    }
    if (role.expired) {
      problems.push_back("expired but still LOGIN");
      fix += "ALTER ROLE " + Q(role.name) + " NOLOGIN; ";
    }
    // No password matters only where a rule lets the role in without one (trust): behind
    // password methods it cannot log in at all, behind peer/ident it needs none.
    if (facts.verifiers_assessment.assessed && role.verifier == "none") {
      if (!facts.hba_assessment.assessed) {
        problems.push_back("no password");
        no_password_reach = "unknown: pg_hba.conf could not be read (missing " +
                            facts.hba_assessment.missing_privilege + ")";
        fix += "ALTER ROLE " + Q(role.name) + " PASSWORD '<new password>' (or NOLOGIN); ";
      } else if (auto trust = TrustReaching(facts, role); !trust.empty()) {
        problems.push_back("no password, and trust authentication lets it in");
        std::string lines;
        for (const HbaRuleFacts* rule : trust) {
          lines += (lines.empty() ? "" : ", ") + std::to_string(rule->line);
        }
        no_password_reach = "trust (pg_hba.conf line " + lines + ")";
        fix += "ALTER ROLE " + Q(role.name) +
               " PASSWORD '<new password>'; and replace trust on pg_hba.conf line " + lines +
               " by scram-sha-256 (or peer for local sockets), then SELECT pg_reload_conf(); ";
      }
    }
    if (problems.empty()) continue;
    Location location = emit.Base();
    location.extra["role"] = role.name;
    Finding& f =
        emit.Add("AC-02", "Login role " + role.name + ": " + Join(problems), location, fix);
    f.evidence.facts["role"] = role.name;
    f.evidence.facts["problems"] = Join(problems);
    f.evidence.facts["valid_until"] = role.valid_until.value_or("none");
    if (!no_password_reach.empty())
      f.evidence.facts["reached_without_password_by"] = no_password_reach;
    f.evidence.count = problems.size();
  }
  if (!facts.verifiers_assessment.assessed) {
    Finding& f = emit.Add("AC-02", "Logins without a password could not be assessed", emit.Base(),
                          "Install crmaudit_helper.role_verifiers() (docs/auditor-role.md).");
    f.status = FindingStatus::kNotAssessed;
    f.status_reason = "not assessed: missing " + facts.verifiers_assessment.missing_privilege;
    f.location.extra["aspect"] = "password";
    f.id = FindingId("AC-02", f.location);
  }
}

void CheckPublicRead(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                     const DatabaseControls& controls, const DatabaseCheckContext& context,
                     std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("AC-03")) return;
  if (!facts.relations_assessment.assessed) {
    emit.NotAssessed("AC-03", "Table privileges could not be read", facts.relations_assessment,
                     "GRANT pg_monitor TO auditor;");
    return;
  }
  const auto tables = PiiTables(pii);
  for (const auto& relation : facts.relations) {
    if (!tables.count({relation.schema, relation.table})) continue;
    if (!relation.public_select && !relation.public_column_select) continue;
    if (!relation.public_schema_usage) continue;  // unreachable without USAGE on the schema
    const std::string name = Q(relation.schema) + "." + Q(relation.table);
    Finding& f = emit.Add("AC-03", "Everyone (PUBLIC) can read a table holding personal data",
                          TableLocation(emit, relation.schema, relation.table),
                          "REVOKE SELECT ON " + name +
                              " FROM PUBLIC; and grant SELECT to the "
                              "roles that need it.");
    f.evidence.count = 1;
    f.evidence.facts["public_select"] = relation.public_select ? "table" : "some columns";
    f.evidence.facts["public_schema_usage"] = "true";
  }
}

void CheckRowSecurity(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                      const DatabaseControls& controls, const DatabaseCheckContext& context,
                      std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("AC-04")) return;
  if (!facts.relations_assessment.assessed) {
    emit.NotAssessed("AC-04", "Row-level security could not be inspected",
                     facts.relations_assessment, "GRANT pg_monitor TO auditor;");
    return;
  }
  const auto tables = PiiTables(pii);
  for (const auto& relation : facts.relations) {
    if (relation.relkind != 'r' && relation.relkind != 'p') continue;  // RLS is for tables
    if (!tables.count({relation.schema, relation.table})) continue;
    const std::string name = Q(relation.schema) + "." + Q(relation.table);
    if (!relation.row_security) {
      Finding& f = emit.Add("AC-04", "Table holding personal data has no row-level security",
                            TableLocation(emit, relation.schema, relation.table),
                            "ALTER TABLE " + name +
                                " ENABLE ROW LEVEL SECURITY; CREATE POLICY "
                                "… ON " +
                                name + " USING (<who may see which rows>);");
      f.evidence.count = 1;
      f.evidence.facts["relrowsecurity"] = "false";
      continue;
    }
    if (!relation.always_true_public_policies.empty()) {
      Location location = TableLocation(emit, relation.schema, relation.table);
      location.extra["aspect"] = "always-true policy";
      Finding& f =
          emit.Add("AC-04", "Row-level security policy lets everyone see every row", location,
                   "DROP POLICY " + Q(relation.always_true_public_policies.front()) + " ON " +
                       name + "; and write a policy with a real predicate.");
      f.evidence.count = relation.always_true_public_policies.size();
      f.evidence.facts["policies"] = Join(relation.always_true_public_policies);
    }
  }
}

void CheckPublicCreate(const DatabaseFacts& facts, const DatabaseControls& controls,
                       const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("AC-05")) return;
  if (!facts.schemas_assessment.assessed) {
    emit.NotAssessed("AC-05", "Schema privileges could not be read", facts.schemas_assessment,
                     "GRANT pg_monitor TO auditor;");
    return;
  }
  for (const auto& schema : facts.schemas_public_create) {
    Location location = emit.Base();
    location.schema = schema;
    Finding& f = emit.Add("AC-05", "Everyone (PUBLIC) may create objects in schema " + schema,
                          location, "REVOKE CREATE ON SCHEMA " + Q(schema) + " FROM PUBLIC;");
    f.evidence.count = 1;
  }
}

void CheckLogging(const DatabaseFacts& facts, const DatabaseControls& controls,
                  const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("AUD-01")) return;
  if (!facts.settings_assessment.assessed) {
    emit.NotAssessed("AUD-01", "Logging settings could not be read", facts.settings_assessment,
                     "GRANT pg_read_all_settings TO auditor;");
    return;
  }
  std::vector<std::string> missing;
  std::string fix;
  if (!IsOn(Setting(facts, "log_connections"))) {
    missing.push_back("log_connections");
    fix += "ALTER SYSTEM SET log_connections = on; ";
  }
  if (!IsOn(Setting(facts, "log_disconnections"))) {
    missing.push_back("log_disconnections");
    fix += "ALTER SYSTEM SET log_disconnections = on; ";
  }
  const std::string pgaudit = Setting(facts, "pgaudit.log");
  const std::string statement = Setting(facts, "log_statement");
  if ((pgaudit.empty() || pgaudit == "none") && (statement.empty() || statement == "none")) {
    missing.push_back("pgaudit.log / log_statement");
    fix +=
        "Load pgaudit (shared_preload_libraries = 'pgaudit', CREATE EXTENSION pgaudit) and "
        "ALTER SYSTEM SET pgaudit.log = 'ddl, role, read'; ";
  }
  if (missing.empty()) return;
  Location location = emit.Base();
  location.extra["setting"] = "logging";
  Finding& f = emit.Add("AUD-01", "Audit logging incomplete: " + Join(missing), location,
                        fix + "SELECT pg_reload_conf();");
  f.evidence.count = missing.size();
  for (const char* name : {"log_connections", "log_disconnections", "log_statement"}) {
    f.evidence.facts[name] = Setting(facts, name);
  }
  f.evidence.facts["pgaudit.log"] = pgaudit.empty() ? "(not loaded)" : pgaudit;
}

void CheckLoggedPersonalData(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                             const DatabaseControls& controls, const DatabaseCheckContext& context,
                             std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  if (!emit.Enabled("AUD-02") || pii.empty() || !facts.settings_assessment.assessed) return;
  const bool all_statements = Setting(facts, "log_statement") == "all";
  const bool all_durations = Setting(facts, "log_min_duration_statement") == "0";
  if (!all_statements && !all_durations) return;
  Location location = emit.Base();
  location.extra["setting"] = all_statements ? "log_statement" : "log_min_duration_statement";
  Finding& f =
      emit.Add("AUD-02", "Server logs record every statement, with personal data", location,
               std::string(all_statements ? "ALTER SYSTEM SET log_statement = 'ddl'; " : "") +
                   (all_durations ? "ALTER SYSTEM SET log_min_duration_statement = 1000; " : "") +
                   "SELECT pg_reload_conf(); use pgaudit with parameter logging off.");
  f.evidence.count = 1;
  f.evidence.facts["log_statement"] = Setting(facts, "log_statement");
  f.evidence.facts["log_min_duration_statement"] = Setting(facts, "log_min_duration_statement");
  f.evidence.facts["pii_columns"] = std::to_string(pii.size());
}

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

void CheckRetention(const DatabaseFacts& facts, const DatabaseControls& controls,
                    const DatabaseCheckContext& context, std::vector<Finding>* findings) {
  Emitter emit(controls, context, findings);
  for (const auto& age : facts.ages) {
    const AgeProbe& probe = age.probe;
    const std::string rule = probe.soft_delete ? "RET-02" : "RET-01";
    if (!emit.Enabled(rule)) continue;
    const bool flag = !probe.flag_column.empty();
    const bool date_unknown = flag && probe.column.empty();
    Location location =
        TableLocation(emit, probe.schema, probe.table, flag ? probe.flag_column : probe.column);
    const std::string name = Q(probe.schema) + "." + Q(probe.table);
    const std::string condition = Q(probe.column) + " < now() - interval '" + probe.period + "'";
    if (!age.assessed) {
      Finding& f = emit.Add(rule, "Retention could not be assessed", location,
                            "Grant SELECT on " + name + " to the auditor role.");
      f.status = FindingStatus::kNotAssessed;
      f.status_reason = "not assessed: " + age.reason;
      continue;
    }
    if (age.rows_past == 0) continue;
    std::string title, remediation;
    if (date_unknown) {
      title = "Soft-deleted rows kept with unknown deletion date";
      remediation = "Erase the flagged rows (DELETE FROM " + name + " WHERE " +
                    Q(probe.flag_column) + ";) and record when a row is flagged (ALTER TABLE " +
                    name + " ADD COLUMN deleted_at timestamptz;) so the " + probe.period +
                    " grace period can be enforced.";
    } else if (flag) {
      title = "Soft-deleted rows kept past the " + probe.period + " grace period";
      remediation = "DELETE FROM " + name + " WHERE " + Q(probe.flag_column) + " AND " + condition +
                    "; and schedule it.";
    } else if (probe.soft_delete) {
      title = "Soft-deleted rows kept past the " + probe.period + " grace period";
      remediation = "DELETE FROM " + name + " WHERE " + condition + "; and schedule it.";
    } else {
      title = "Rows kept longer than the " + probe.period + " retention period";
      remediation = "Erase or anonymise them and schedule it: DELETE FROM " + name + " WHERE " +
                    condition + "; (or UPDATE … SET <personal columns> = NULL)";
    }
    Finding& f = emit.Add(rule, title, location, remediation);
    f.evidence.count = age.rows_past;
    f.evidence.scanned = age.rows_total;
    f.evidence.facts["period"] = probe.period;
    if (!age.oldest.empty() || !date_unknown) f.evidence.facts["oldest"] = age.oldest;
    f.evidence.facts["column_source"] = probe.source;
    if (flag) {
      f.evidence.facts["flag_column"] = probe.flag_column;
      f.evidence.facts["deletion_date"] =
          date_unknown ? "unknown: the table has no modification timestamp, every flagged row "
                         "is counted as kept"
                       : "judged by " + probe.column + " (last modification of the row)";
    }
  }
}

void RunDatabaseChecks(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                       const DatabaseControls& controls, const DatabaseCheckContext& context,
                       std::vector<Finding>* findings) {
  CheckServerTls(facts, controls, context, findings);
  CheckSessionTls(facts, controls, context, findings);
  CheckHbaRules(facts, controls, context, findings);
  CheckPasswordVerifiers(facts, controls, context, findings);
  CheckClearSensitiveColumns(facts, pii, controls, context, findings);
  CheckPasswordStorage(facts, pii, controls, context, findings);
  CheckPowerfulRoles(facts, controls, context, findings);
  CheckLoginHygiene(facts, controls, context, findings);
  CheckPublicRead(facts, pii, controls, context, findings);
  CheckRowSecurity(facts, pii, controls, context, findings);
  CheckPublicCreate(facts, controls, context, findings);
  CheckLogging(facts, controls, context, findings);
  CheckLoggedPersonalData(facts, pii, controls, context, findings);
  CheckWalArchiving(facts, controls, context, findings);
  CheckRetention(facts, controls, context, findings);
}

}  // namespace crmaudit
