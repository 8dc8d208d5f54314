#include "scanner/sources/postgres/catalog.h"

#include <map>

#include "scanner/model/sql_identifier.h"
#include "scanner/sources/postgres/pg_session_impl.h"

namespace crmaudit {
namespace {

PgColumnKind KindOf(const std::string& type_name, const std::string& category) {
  if (type_name == "json" || type_name == "jsonb") return PgColumnKind::kJson;
  if (type_name == "bytea") return PgColumnKind::kBytea;
  if (category == "A") return PgColumnKind::kArray;
  if (category == "S") return PgColumnKind::kText;
  return PgColumnKind::kOther;
}

}  // namespace

std::string PgRelation::KindName() const {
  switch (relkind) {
    case 'p':
      return "partitioned table";
    case 'v':
      return "view";
    case 'm':
      return "materialized view";
    case 'f':
      return "foreign table";
    default:
      return "table";
  }
}

std::string PgRelation::QualifiedName() const {
  return QuoteSqlIdent(schema) + "." + QuoteSqlIdent(name);
}

bool DiscoverRelations(PgSession& session, const RelationFilter& filter,
                       std::vector<PgRelation>* out, PgFailure* failure) {
  // Relations and columns come from the catalogs (visible to every role); privileges are asked
  // per OID so that names never need to be re-quoted.
  static const char* kRelations = R"SQL(
    SELECT c.oid, n.nspname, c.relname, c.relkind, c.reltuples::float8,
           has_table_privilege(c.oid, 'SELECT'), has_schema_privilege(n.oid, 'USAGE'),
           c.relispopulated
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype = 'e')
    ORDER BY n.nspname, c.relname)SQL";
  static const char* kColumns = R"SQL(
    SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
           bt.typname, bt.typcategory::text,
           has_column_privilege(a.attrelid, a.attnum, 'SELECT')
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
    JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype
                                               ELSE t.oid END
    WHERE a.attnum > 0 AND NOT a.attisdropped
      AND a.attrelid = ANY($1::oid[])
    ORDER BY a.attrelid, a.attnum)SQL";
  return InReadOnlyTransaction(session, failure, [&](pqxx::read_transaction& tx) {
    std::map<uint32_t, size_t> by_oid;
    for (const auto& row : tx.exec(kRelations)) {
      PgRelation relation;
      relation.oid = row[0].as<uint32_t>();
      relation.schema = row[1].as<std::string>();
      relation.name = row[2].as<std::string>();
      if (!filter.Accepts(relation.schema, relation.name)) continue;
      relation.relkind = row[3].as<std::string>().at(0);
      relation.estimated_rows = row[4].as<double>();
      relation.can_select = row[5].as<bool>();
      relation.schema_usage = row[6].as<bool>();
      relation.populated = row[7].as<bool>();
      by_oid[relation.oid] = out->size();
      out->push_back(std::move(relation));
    }
    // Only the accepted relations' columns: the catalogs' own are thousands of rows.
    std::string oids = "{";
    for (const auto& [oid, index] : by_oid) {
      oids += (oids.size() > 1 ? "," : "") + std::to_string(oid);
    }
    oids += "}";
    for (const auto& row : tx.exec_params(kColumns, oids)) {
      auto it = by_oid.find(row[0].as<uint32_t>());
      if (it == by_oid.end()) continue;
      PgColumn column;
      column.name = row[1].as<std::string>();
      column.type = row[2].as<std::string>();
      column.kind = KindOf(row[3].as<std::string>(), row[4].as<std::string>());
      column.can_select = row[5].as<bool>();
      (*out)[it->second].columns.push_back(std::move(column));
    }
  });
}

bool ListDatabases(PgSession& session, std::vector<std::string>* out, PgFailure* failure) {
  return InReadOnlyTransaction(session, failure, [&](pqxx::read_transaction& tx) {
    for (const auto& row : tx.exec(
             "SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND NOT datistemplate"
             " AND has_database_privilege(oid, 'CONNECT') ORDER BY datname")) {
      out->push_back(row[0].as<std::string>());
    }
  });
}

}  // namespace crmaudit
