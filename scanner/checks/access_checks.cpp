#include "scanner/checks/database_checks.h"

#include "scanner/checks/check_support.h"

namespace crmaudit {

using namespace check_support;  // NOLINT: the family files share these helpers

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


}  // namespace crmaudit
