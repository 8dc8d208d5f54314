// Hardening facts: SECURITY DEFINER functions, extensions, procedural languages, the netmask of
// pg_hba lines and the server's date, read from a live server for AC-06, EXT-01, NET-01 and
// CFG-02 (sources/postgres: checks/ judges them without a database).
//
// Contract: called by CollectDatabaseFacts after ReadHba with its CatalogPass, which runs each
// body in its own read-only transaction and marks the given Assessment (assessed, or the
// missing privilege named here, or why collection stopped; without a connection every group
// is marked with the connection's error). Every catalog read here is allowed to any role by
// default (pg_proc, pg_extension, pg_language); a server that revokes them gets not_assessed
// naming the grant. Nothing read is a scanned value: names, flags and versions only.
#pragma once

#include "scanner/facts/database_facts.h"
#include "scanner/sources/postgres/catalog_pass.h"

namespace crmaudit {

// Reads the hardening groups into `facts`. Call after the pg_hba pass (it adds netmasks to
// facts.hba_rules when those were read).
void ReadHardeningFacts(CatalogPass& pass, DatabaseFacts& facts);

}  // namespace crmaudit
