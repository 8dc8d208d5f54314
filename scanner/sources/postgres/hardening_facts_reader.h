// Hardening facts: SECURITY DEFINER functions, extensions, procedural languages, the netmask of
// pg_hba lines and the server's date, read from a live server for AC-06, EXT-01, NET-01 and
// CFG-02 (sources/postgres: checks/ judges them without a database).
//
// Contract: called by CollectDatabaseFacts with its `pass` runner, which runs each body in its
// own read-only transaction and marks the given Assessment (assessed, or the missing privilege
// named here, or why collection stopped). Every catalog read here is allowed to any role by
// default (pg_proc, pg_extension, pg_language); a server that revokes them gets not_assessed
// naming the grant. Nothing read is a scanned value: names, flags and versions only.
#pragma once

#include <functional>
#include <pqxx/pqxx>
#include <string>

#include "scanner/facts/database_facts.h"

namespace crmaudit {

// One catalog pass: body, the Assessment it decides (may be null) and the privilege named when
// the server denies it.
using CatalogPass = std::function<void(const std::function<void(pqxx::read_transaction&)>&,
                                       Assessment*, const std::string&)>;

// Reads the hardening groups into `facts`. Call after the pg_hba pass (it adds netmasks to
// facts.hba_rules when those were read).
void ReadHardeningFacts(const CatalogPass& pass, DatabaseFacts& facts);

// When collection could not start (no connection): marks the hardening groups not assessed.
void HardeningNotAssessed(DatabaseFacts& facts, const std::string& reason);

}  // namespace crmaudit
