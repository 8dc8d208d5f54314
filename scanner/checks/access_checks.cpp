#include "scanner/checks/access_checks.h"

#include <set>
#include <string>
#include <utility>

#include "scanner/checks/check_support.h"
#include "scanner/checks/database_checks.h"
#include "scanner/checks/outcome_recorder.h"

namespace crmaudit {

using namespace check_support;  // NOLINT: the family files share these helpers

void CheckPowerfulRoles(const DatabaseFacts& facts, const DatabaseControls& controls,
                        const DatabaseCheckContext& context,
                        std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("AC-01", ServerLocation(context), outcomes);
  if (!facts.roles_assessment.assessed) {
    RecordNotAssessed(record, facts.roles_assessment, record.base());
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
    Location location = record.base();
    location.extra["role"] = role.name;
    if (powers.empty()) {
      record.Pass("role " + role.name, location);
      continue;
    }
    std::string fix;
    for (const auto& statement : fixes) fix += (fix.empty() ? "" : " ") + statement;
    ControlOutcome& f = record.Fail("powerful", "role " + role.name, location);
    f.values["role"] = role.name;
    f.values["privileges"] = Join(powers);
    f.values["statements"] = fix;
    // A superuser bypasses every other control of this catalog.
    if (Contains(powers, "SUPERUSER")) f.at_least = Severity::kCritical;
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
                       const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("AC-02", ServerLocation(context), outcomes);
  if (!facts.roles_assessment.assessed) {
    RecordNotAssessed(record, facts.roles_assessment, record.base());
    return;
  }
  for (const auto& role : facts.roles) {
    if (!role.can_login) continue;
    // One finding per role (its id is the role's): the outcome names the expiry problem and
    // the password problem it has, e.g. "expired-no-password-trust".
    std::vector<std::string> problems, parts;
    std::string no_password_reach, trust_lines;
    const bool no_expiry = !role.valid_until || *role.valid_until == "infinity";
    if (no_expiry && !Contains(controls.expiry_exempt_roles, role.name)) {
      problems.push_back("no expiry");
      parts.push_back("no-expiry");
    }
    if (role.expired) {
      problems.push_back("expired but still LOGIN");
      parts.push_back("expired");
    }
    // No password matters only where a rule lets the role in without one (trust): behind
    // password methods it cannot log in at all, behind peer/ident it needs none.
    if (facts.verifiers_assessment.assessed && role.verifier == "none") {
      if (!facts.hba_assessment.assessed) {
        problems.push_back("no password");
        parts.push_back("no-password");
        no_password_reach = "unknown: pg_hba.conf could not be read (missing " +
                            facts.hba_assessment.missing_privilege + ")";
      } else if (auto trust = TrustReaching(facts, role); !trust.empty()) {
        problems.push_back("no password, and trust authentication lets it in");
        parts.push_back("no-password-trust");
        for (const HbaRuleFacts* rule : trust) {
          trust_lines += (trust_lines.empty() ? "" : ", ") + std::to_string(rule->line);
        }
        no_password_reach = "trust (pg_hba.conf line " + trust_lines + ")";
      }
    }
    Location location = record.base();
    location.extra["role"] = role.name;
    if (problems.empty()) {
      record.Pass("role " + role.name, location);
      continue;
    }
    std::string outcome;
    for (const auto& part : parts) outcome += (outcome.empty() ? "" : "-") + part;
    ControlOutcome& f = record.Fail(outcome, "role " + role.name, location);
    f.values["role"] = role.name;
    f.values["role_sql"] = Q(role.name);
    if (!trust_lines.empty()) f.values["trust_lines"] = trust_lines;
    f.evidence.facts["role"] = role.name;
    f.evidence.facts["problems"] = Join(problems);
    f.evidence.facts["valid_until"] = role.valid_until.value_or("none");
    if (!no_password_reach.empty())
      f.evidence.facts["reached_without_password_by"] = no_password_reach;
    f.evidence.count = problems.size();
  }
  if (!facts.verifiers_assessment.assessed) {
    Location location = record.base();
    location.extra["aspect"] = "password";
    RecordNotAssessed(record, facts.verifiers_assessment, location, "login passwords",
                      "password-not-assessed");
  }
}

void CheckPublicRead(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                     const DatabaseControls& /*controls*/, const DatabaseCheckContext& context,
                     std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("AC-03", ServerLocation(context), outcomes);
  if (!facts.relations_assessment.assessed) {
    RecordNotAssessed(record, facts.relations_assessment, record.base());
    return;
  }
  const auto tables = PiiTables(pii);
  bool judged = false;
  for (const auto& relation : facts.relations) {
    if (!tables.count({relation.schema, relation.table})) continue;
    judged = true;
    const std::string object = "table " + relation.schema + "." + relation.table;
    const Location location = TableLocation(record.base(), relation.schema, relation.table);
    const bool granted = relation.public_select || relation.public_column_select;
    // A grant without USAGE on the schema reaches nothing.
    if (!granted || !relation.public_schema_usage) {
      record.Pass(object, location);
      continue;
    }
    ControlOutcome& f = record.Fail("public-read", object, location);
    f.values["table_sql"] = Q(relation.schema) + "." + Q(relation.table);
    f.evidence.count = 1;
    f.evidence.facts["public_select"] = relation.public_select ? "table" : "some columns";
    f.evidence.facts["public_schema_usage"] = "true";
  }
  // Profiling found no table holding personal data: PUBLIC can read none.
  if (!judged) record.Pass("server", record.base());
}

void CheckRowSecurity(const DatabaseFacts& facts, const std::vector<PiiColumnRef>& pii,
                      const DatabaseControls& /*controls*/, const DatabaseCheckContext& context,
                      std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("AC-04", ServerLocation(context), outcomes);
  if (!facts.relations_assessment.assessed) {
    RecordNotAssessed(record, facts.relations_assessment, record.base());
    return;
  }
  const auto tables = PiiTables(pii);
  bool judged = false;
  for (const auto& relation : facts.relations) {
    if (relation.relkind != 'r' && relation.relkind != 'p') continue;  // RLS is for tables
    if (!tables.count({relation.schema, relation.table})) continue;
    judged = true;
    const std::string object = "table " + relation.schema + "." + relation.table;
    const std::string name = Q(relation.schema) + "." + Q(relation.table);
    Location location = TableLocation(record.base(), relation.schema, relation.table);
    if (!relation.row_security) {
      ControlOutcome& f = record.Fail("no-rls", object, location);
      f.values["table_sql"] = name;
      f.evidence.count = 1;
      f.evidence.facts["relrowsecurity"] = "false";
      continue;
    }
    if (relation.always_true_public_policies.empty()) {
      ControlOutcome& pass = record.Pass(object, location);
      pass.evidence.facts["relrowsecurity"] = "true";
      pass.evidence.facts["policies"] = Join(relation.policies);
      continue;
    }
    location.extra["aspect"] = "always-true policy";
    ControlOutcome& f = record.Fail("always-true-policy", object, location);
    f.values["table_sql"] = name;
    f.values["policy_sql"] = Q(relation.always_true_public_policies.front());
    f.evidence.count = relation.always_true_public_policies.size();
    f.evidence.facts["policies"] = Join(relation.always_true_public_policies);
  }
  // Profiling found no table holding personal data: no rows to protect.
  if (!judged) record.Pass("server", record.base());
}

void CheckPublicCreate(const DatabaseFacts& facts, const DatabaseControls& /*controls*/,
                       const DatabaseCheckContext& context, std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("AC-05", ServerLocation(context), outcomes);
  if (!facts.schemas_assessment.assessed) {
    RecordNotAssessed(record, facts.schemas_assessment, record.base());
    return;
  }
  // The facts list only the schemas where PUBLIC may CREATE: none listed is one pass.
  for (const auto& schema : facts.schemas_public_create) {
    Location location = record.base();
    location.schema = schema;
    ControlOutcome& f = record.Fail("public-create", "schema " + schema, location);
    f.values["schema"] = schema;
    f.values["schema_sql"] = Q(schema);
    f.evidence.count = 1;
  }
  if (facts.schemas_public_create.empty()) record.Pass("server", record.base());
}

}  // namespace crmaudit
