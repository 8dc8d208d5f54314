// Roles reader: the accounts of the server (pg_roles, without the built-in pg_* roles), the
// roles each is a member of (pg_auth_members, followed recursively, with the powerful ones
// apart), and each role's password verifier kind.
//
// Verifiers live in pg_authid, which only a superuser may read; a non-superuser auditor reads
// them through the DBA-installed crmaudit_helper.role_verifiers() (docs/auditor-role.md), or
// the verifiers group is not assessed naming both ways. Never the verifier itself: only its
// kind ("scram-sha-256", "md5", "none", "plaintext").
#pragma once

#include "scanner/facts/database_facts.h"

namespace crmaudit {

class CatalogPass;

// Fills facts.roles (with member_of and powerful_memberships) and facts.roles_assessment.
void ReadRoles(CatalogPass& pass, DatabaseFacts& facts);

// Fills RoleFacts::verifier of the roles already read and facts.verifiers_assessment. Needs
// facts.current_user_superuser (ReadOwnSession) to choose pg_authid or the helper.
void ReadVerifiers(CatalogPass& pass, DatabaseFacts& facts);

}  // namespace crmaudit
