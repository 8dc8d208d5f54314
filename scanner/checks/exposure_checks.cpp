#include "scanner/checks/exposure_checks.h"

#include <sstream>

#include "scanner/checks/check_support.h"
#include "scanner/checks/outcome_recorder.h"

namespace crmaudit {
namespace {

using namespace check_support;  // NOLINT: the family files share these helpers

// Any address: the keyword all, 0.0.0.0/0 or ::/0 (pg_hba_file_rules prints the mask apart).
bool AnyAddress(const HbaRuleFacts& rule) {
  if (rule.address == "all") return true;
  if (rule.address == "0.0.0.0" && rule.netmask == "0.0.0.0") return true;
  return rule.address == "::" && rule.netmask == "::";
}

// Only this machine: 127.0.0.0/8 addresses, ::1, samehost. Every user reachable from here is
// a local concern (shell access is needed first), not network exposure.
bool LoopbackOnly(const HbaRuleFacts& rule) {
  return rule.address.rfind("127.", 0) == 0 || rule.address == "::1" ||
         rule.address == "samehost" || rule.address == "localhost";
}

}  // namespace

void CheckNetworkExposure(const DatabaseFacts& facts, const DatabaseCheckContext& context,
                          std::vector<ControlOutcome>* outcomes) {
  OutcomeRecorder record("NET-01", ServerLocation(context), outcomes);

  // listen_addresses: which interfaces accept TCP connections at all.
  Location listen = record.base();
  listen.extra["setting"] = "listen_addresses";
  if (!facts.settings_assessment.assessed) {
    record
        .NotAssessed("settings-not-assessed", "server", listen,
                     "missing " + facts.settings_assessment.missing_privilege)
        .evidence.facts["missing_privilege"] = facts.settings_assessment.missing_privilege;
  } else {
    const std::string addresses = Setting(facts, "listen_addresses");
    bool every_interface = false;
    for (const auto& address : SplitList(addresses)) {
      if (address == "*" || address == "0.0.0.0" || address == "::") every_interface = true;
    }
    ControlOutcome& outcome = every_interface ? record.Fail("listen-all", "server", listen)
                                              : record.Pass("server", listen);
    outcome.evidence.facts["listen_addresses"] = addresses;
    if (every_interface) {
      outcome.values["listen_addresses"] = addresses;
      outcome.evidence.count = 1;
    }
  }

  if (!facts.hba_assessment.assessed) {
    Location location = record.base();
    location.extra["aspect"] = "pg_hba.conf";
    record
        .NotAssessed("hba-not-assessed", "pg_hba.conf", location,
                     "missing " + facts.hba_assessment.missing_privilege)
        .evidence.facts["missing_privilege"] = facts.hba_assessment.missing_privilege;
    return;
  }
  for (const auto& rule : facts.hba_rules) {
    // Local (socket) lines are not network exposure; lines with errors were not loaded.
    if (rule.type.rfind("host", 0) != 0 || !rule.error.empty()) continue;
    const std::string object = "pg_hba.conf line " + std::to_string(rule.line);
    Location location = record.base();
    location.extra["hba_rule"] = rule.type + " " + rule.databases + " " + rule.users + " " +
                                 rule.address + " " + rule.method;
    auto fail = [&](const std::string& aspect) -> ControlOutcome& {
      Location at = location;
      at.extra["aspect"] = aspect;
      ControlOutcome& outcome = record.Fail(aspect, object, at);
      outcome.values["line"] = std::to_string(rule.line);
      outcome.values["type"] = rule.type;
      outcome.values["databases"] = rule.databases;
      outcome.values["users"] = rule.users;
      outcome.values["address"] =
          rule.netmask.empty() ? rule.address : rule.address + "/" + rule.netmask;
      outcome.evidence.count = 1;
      outcome.evidence.facts["line"] = std::to_string(rule.line);
      outcome.evidence.facts["type"] = rule.type;
      outcome.evidence.facts["address"] = outcome.values["address"];
      outcome.evidence.facts["users"] = rule.users;
      outcome.evidence.facts["method"] = rule.method;
      return outcome;
    };
    bool failed = false;
    // A reject line lets nobody in, whatever it matches.
    if (rule.method != "reject") {
      if (AnyAddress(rule)) {
        fail("open-address");
        failed = true;
      }
      if (Contains(SplitList(rule.users), "all") && !LoopbackOnly(rule)) {
        fail("all-users-remote");
        failed = true;
      }
      if (rule.method == "ident") {
        fail("ident-tcp");
        failed = true;
      }
    }
    if (!failed) {
      ControlOutcome& pass = record.Pass(object, location);
      pass.evidence.facts["line"] = std::to_string(rule.line);
      pass.evidence.facts["method"] = rule.method;
    }
  }
}

}  // namespace crmaudit
