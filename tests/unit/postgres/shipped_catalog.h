// The shipped check catalog (policies/checks) as CompileOptions, for tests that compile a
// policy and scan a database: control checks are judged from it.
#pragma once

#include <filesystem>
#include <memory>

#include "scanner/detect/compiled_policy.h"
#include "scanner/policy/check_catalog.h"
#include "scanner/policy/postgres_releases.h"

namespace crmaudit {

inline CompileOptions WithShippedCatalog(CompileOptions options = {}) {
  options.checks = std::make_shared<const CheckCatalog>(
      LoadCheckCatalog(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "checks"));
  options.postgres_releases = std::make_shared<const PostgresReleases>(LoadPostgresReleases(
      std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "data" / "postgres-releases.json"));
  return options;
}

}  // namespace crmaudit
