// Relation access reader: who may read what, from the catalog alone (no row is read).
// - Relations (tables, partitioned parents, views, materialized views, foreign tables outside
//   the system schemas): PUBLIC's SELECT on the table, on any column and USAGE on its schema,
//   row security, and for a view the relations it reads (its rewrite rule's dependencies).
// - Row-level security policies per relation, with the always-true ones granted to PUBLIC.
// - Schemas where PUBLIC may CREATE (a group of its own: pg_namespace's ACLs).
#pragma once

#include "scanner/facts/database_facts.h"

namespace crmaudit {

class CatalogPass;

// Fills facts.relations (with reads_from, policies) and facts.relations_assessment.
void ReadRelationAccess(CatalogPass& pass, DatabaseFacts& facts);

// Fills facts.schemas_public_create and facts.schemas_assessment.
void ReadSchemaCreate(CatalogPass& pass, DatabaseFacts& facts);

}  // namespace crmaudit
