// Archiver reader: whether WAL archiving works (pg_stat_archiver): counts, the time since the
// last archived segment and the last failure, and whether a failure came after the last
// success. Not assessed without SELECT on pg_stat_archiver.
#pragma once

#include "scanner/facts/database_facts.h"

namespace crmaudit {

class CatalogPass;

// Fills facts.archiver and facts.archiver_assessment.
void ReadArchiver(CatalogPass& pass, DatabaseFacts& facts);

}  // namespace crmaudit
