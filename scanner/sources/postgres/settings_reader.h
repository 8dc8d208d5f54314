// Settings reader: the server settings the checks judge (TLS, password hashing, logging,
// archiving, listen addresses...) from pg_settings, and pgaudit.log when the extension is
// loaded. One pass; the group is not assessed without SELECT on pg_settings.
#pragma once

#include "scanner/facts/database_facts.h"

namespace crmaudit {

class CatalogPass;

// Fills facts.settings and facts.settings_assessment.
void ReadSettings(CatalogPass& pass, DatabaseFacts& facts);

}  // namespace crmaudit
