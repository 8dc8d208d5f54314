// CheckSupport: what the database check families share: quoting of SQL identifiers for
// remediation values, locations of the server and its tables, recording a group that could
// not be read, and small readers of DatabaseFacts. Internal to checks/ (included by the
// *_checks.cpp files only).
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "scanner/checks/database_checks.h"
#include "scanner/checks/outcome_recorder.h"
#include "scanner/model/fingerprint.h"
#include "scanner/model/sql_identifier.h"

namespace crmaudit::check_support {

// A PostgreSQL identifier in remediation SQL, quoted as the scan's own queries quote it.
inline std::string Q(const std::string& name) { return QuoteSqlIdent(name); }

// The server as a location: kind postgres, the target and the database.
inline Location ServerLocation(const DatabaseCheckContext& context) {
  Location location;
  location.kind = "postgres";
  location.target = context.target;
  location.database = context.database;
  return location;
}

// The items of a comma-separated setting ("passwordcheck, auth_delay", listen_addresses),
// trimmed of spaces and quotes.
inline std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto first = item.find_first_not_of(" \t\"");
    const auto last = item.find_last_not_of(" \t\"");
    if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
  }
  return items;
}

inline std::string Setting(const DatabaseFacts& facts, const std::string& name) {
  auto it = facts.settings.find(name);
  return it == facts.settings.end() ? std::string() : it->second;
}

inline bool IsOn(const std::string& value) {
  return value == "on" || value == "true" || value == "1";
}

inline bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Tables (schema, table) holding personal data.
inline std::set<std::pair<std::string, std::string>> PiiTables(
    const std::vector<PiiColumnRef>& pii) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& column : pii) out.insert({column.schema, column.table});
  return out;
}

inline std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// A table (or one of its columns) of the server at `base`.
inline Location TableLocation(const Location& base, const std::string& schema,
                              const std::string& table, const std::string& column = {}) {
  Location location = base;
  location.schema = schema;
  location.table = table;
  location.column = column;
  return location;
}

// The one not_assessed outcome of a check whose facts could not be collected: the reason and
// the evidence name the missing privilege.
inline ControlOutcome& RecordNotAssessed(OutcomeRecorder& record, const Assessment& assessment,
                                         Location location, std::string object = "server",
                                         std::string outcome = "not-assessed") {
  ControlOutcome& missing =
      record.NotAssessed(std::move(outcome), std::move(object), std::move(location),
                         "missing " + assessment.missing_privilege);
  missing.evidence.facts["missing_privilege"] = assessment.missing_privilege;
  return missing;
}

}  // namespace crmaudit::check_support
