// NET-01, network exposure (pure): pg_hba host lines open to any address (0.0.0.0/0, ::/0,
// all), host lines that let every user - superusers included - in from beyond the machine,
// ident over TCP, and listen_addresses on every interface. One outcome per host line and
// aspect, and one for the server's listen_addresses. ENC-03 already judges trust, password, md5
// and TCP without TLS: NET-01 does not repeat them. Words: policies/checks/exposure.json.
#pragma once

#include <vector>

#include "scanner/checks/database_checks.h"

namespace crmaudit {

void CheckNetworkExposure(const DatabaseFacts&, const DatabaseCheckContext&,
                          std::vector<ControlOutcome>*);  // NET-01

}  // namespace crmaudit
