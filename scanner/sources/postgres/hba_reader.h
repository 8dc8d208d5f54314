// HBA reader: the client authentication rules the server loaded (pg_hba_file_rules), one fact
// per line, with a line the server could not parse marked "invalid line" (its error text may
// quote the file, so it is not kept). Not assessed without superuser, or SELECT on the view
// and EXECUTE on its function.
#pragma once

#include "scanner/facts/database_facts.h"

namespace crmaudit {

class CatalogPass;

// Fills facts.hba_rules and facts.hba_assessment.
void ReadHba(CatalogPass& pass, DatabaseFacts& facts);

}  // namespace crmaudit
