#include "scanner/sources/postgres/relation_access_reader.h"

#include <map>
#include <utility>

#include "scanner/sources/postgres/catalog_pass.h"

namespace crmaudit {
namespace {

using RelationIndex = std::map<std::pair<std::string, std::string>, size_t>;

void ReadRelations(pqxx::read_transaction& tx, DatabaseFacts& facts, RelationIndex& index) {
  for (const auto& row :
       tx.exec("SELECT n.nspname::text, c.relname::text,"
               " has_table_privilege('public', c.oid, 'SELECT'),"
               " has_any_column_privilege('public', c.oid, 'SELECT'),"
               " has_schema_privilege('public', n.oid, 'USAGE'),"
               " c.relrowsecurity, c.relforcerowsecurity, c.relkind::text"
               " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
               " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition"
               " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
               " AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1, 2")) {
    RelationAccessFacts relation;
    relation.schema = row[0].as<std::string>();
    relation.table = row[1].as<std::string>();
    relation.public_select = row[2].as<bool>();
    relation.public_column_select = row[3].as<bool>();
    relation.public_schema_usage = row[4].as<bool>();
    relation.row_security = row[5].as<bool>();
    relation.force_row_security = row[6].as<bool>();
    relation.relkind = row[7].as<std::string>().at(0);
    index[{relation.schema, relation.table}] = facts.relations.size();
    facts.relations.push_back(std::move(relation));
  }
}

// What each view reads: its rewrite rule's dependencies on relations.
void ReadViewDependencies(pqxx::read_transaction& tx, DatabaseFacts& facts,
                          const RelationIndex& index) {
  for (const auto& row :
       tx.exec("SELECT DISTINCT vn.nspname::text, v.relname::text, tn.nspname::text,"
               " t.relname::text FROM pg_rewrite w"
               " JOIN pg_class v ON v.oid = w.ev_class"
               " JOIN pg_namespace vn ON vn.oid = v.relnamespace"
               " JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid"
               " AND d.refclassid = 'pg_class'::regclass"
               " JOIN pg_class t ON t.oid = d.refobjid"
               " JOIN pg_namespace tn ON tn.oid = t.relnamespace"
               " WHERE v.relkind = 'v' AND t.oid <> v.oid"
               " AND t.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1, 2, 3, 4")) {
    auto it = index.find({row[0].as<std::string>(), row[1].as<std::string>()});
    if (it == index.end()) continue;
    facts.relations[it->second].reads_from.emplace_back(row[2].as<std::string>(),
                                                        row[3].as<std::string>());
  }
}

// Every policy by name; a permissive one for PUBLIC whose USING is true (or absent) lets
// every row through, as if row security were off.
void ReadPolicies(pqxx::read_transaction& tx, DatabaseFacts& facts, const RelationIndex& index) {
  for (const auto& row : tx.exec("SELECT n.nspname::text, c.relname::text, p.polname::text,"
                                 " coalesce(pg_get_expr(p.polqual, p.polrelid), ''),"
                                 " p.polroles = '{0}'::oid[], p.polpermissive"
                                 " FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid"
                                 " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                 " ORDER BY 1, 2, 3")) {
    auto it = index.find({row[0].as<std::string>(), row[1].as<std::string>()});
    if (it == index.end()) continue;
    RelationAccessFacts& relation = facts.relations[it->second];
    const std::string name = row[2].as<std::string>();
    relation.policies.push_back(name);
    const std::string qual = row[3].as<std::string>();
    if (row[4].as<bool>() && row[5].as<bool>() && (qual == "true" || qual.empty())) {
      relation.always_true_public_policies.push_back(name);
    }
  }
}

}  // namespace

void ReadRelationAccess(CatalogPass& pass, DatabaseFacts& facts) {
  pass.Read(facts.relations_assessment, "SELECT on pg_class and pg_policy",
            [&](pqxx::read_transaction& tx) {
              RelationIndex index;
              ReadRelations(tx, facts, index);
              ReadViewDependencies(tx, facts, index);
              ReadPolicies(tx, facts, index);
            });
}

void ReadSchemaCreate(CatalogPass& pass, DatabaseFacts& facts) {
  pass.Read(facts.schemas_assessment, "SELECT on pg_namespace", [&](pqxx::read_transaction& tx) {
    for (const auto& row :
         tx.exec("SELECT n.nspname::text FROM pg_namespace n,"
                 " aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a"
                 " WHERE a.grantee = 0 AND a.privilege_type = 'CREATE'"
                 " AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
                 " ORDER BY 1")) {
      facts.schemas_public_create.push_back(row[0].as<std::string>());
    }
  });
}

}  // namespace crmaudit
