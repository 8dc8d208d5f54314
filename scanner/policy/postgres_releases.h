// PostgresReleases: the supported PostgreSQL releases as shipped data
// (policies/data/postgres-releases.json): per major version its latest minor release and its
// end-of-life date, with the date the list was compiled and where from. CFG-02 compares a
// server's version with it.
//
// Reading is strict like the packs: an unknown field, a wrong type, a date that is not
// YYYY-MM-DD or a minor that is not a whole number is a PolicyError naming the file and field.
// The list is only as current as its `as_of` date: reports carry that date as evidence.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace crmaudit {

struct PostgresRelease {
  int latest_minor = 0;     // e.g. 18 for 15.18
  std::string end_of_life;  // YYYY-MM-DD: the final release date of the major version
};

struct PostgresReleases {
  std::string as_of;                      // YYYY-MM-DD: when the list was compiled
  std::string source;                     // URL of the versioning policy the dates come from
  std::map<int, PostgresRelease> majors;  // by major version (10 and later)
  std::string file;                       // for messages
};

// Throws PolicyError (file, field) as described above.
PostgresReleases LoadPostgresReleases(const std::filesystem::path& file);

// data/postgres-releases.json of the first search directory (DefaultPolicySearchDirs order)
// that has it. Throws PolicyError when none has.
PostgresReleases LoadShippedPostgresReleases(const std::vector<std::filesystem::path>& search_dirs);

}  // namespace crmaudit
