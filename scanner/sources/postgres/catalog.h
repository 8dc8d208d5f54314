// Catalog discovery: which schemas, tables, views, partitioned tables and columns a database
// holds, and what the connected role may read of them.
//
// Leaf partitions are not listed on their own: their partitioned parent is read instead, so no
// row is counted twice. System schemas are skipped. Which relations are kept: RelationFilter
// (sources/sql/relation_filter.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scanner/sources/postgres/pg_session.h"
#include "scanner/sources/sql/relation_filter.h"

namespace crmaudit {

enum class PgColumnKind { kText, kJson, kArray, kBytea, kOther };

struct PgColumn {
  std::string name;
  std::string type;  // format_type(), e.g. "character varying(80)", "jsonb", "text[]"
  PgColumnKind kind = PgColumnKind::kOther;
  bool can_select = true;
};

struct PgRelation {
  uint32_t oid = 0;
  std::string schema, name;
  char relkind = 'r';          // r table, p partitioned, v view, m materialized view, f foreign
  double estimated_rows = -1;  // reltuples; -1 when never analysed
  bool can_select = true;      // table-level SELECT
  bool schema_usage = true;
  bool populated = true;  // false for a materialized view never refreshed: it holds no rows
  std::vector<PgColumn> columns;

  std::string KindName() const;       // "table", "partitioned table", "view"...
  std::string QualifiedName() const;  // quoted "schema"."name"
};

// Lists relations and their columns in one read-only transaction. On failure returns false and
// fills *failure.
bool DiscoverRelations(PgSession& session, const RelationFilter& filter,
                       std::vector<PgRelation>* out, PgFailure* failure);

// Databases the role may connect to (datallowconn, not templates), for --all-databases.
bool ListDatabases(PgSession& session, std::vector<std::string>* out, PgFailure* failure);

}  // namespace crmaudit
