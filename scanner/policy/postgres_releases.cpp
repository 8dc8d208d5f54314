#include "scanner/policy/postgres_releases.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "scanner/policy/json_fields.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

using nlohmann::json;

constexpr const char* kFileFields[] = {"description", "as_of", "source", "majors"};
constexpr const char* kMajorFields[] = {"latest_minor", "end_of_life"};

bool IsDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const int month = std::stoi(text.substr(5, 2)), day = std::stoi(text.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

PostgresReleases LoadPostgresReleases(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PolicyError(file, "", "cannot open the PostgreSQL release list");
  std::stringstream text;
  text << in.rdbuf();
  const json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) throw PolicyError(file, "", "not a JSON object");
  auto known = [&](const json& object, const auto& allowed, const std::string& where) {
    if (auto unknown = FindUnknownField(object, allowed)) {
      throw PolicyError(file, where.empty() ? unknown->key : where + "." + unknown->key,
                        unknown->message);
    }
  };
  auto date = [&](const json& object, const std::string& key, const std::string& where) {
    const std::string field = where.empty() ? key : where + "." + key;
    if (!object.contains(key) || !object.at(key).is_string() ||
        !IsDate(object.at(key).get<std::string>())) {
      throw PolicyError(file, field, "expected a date YYYY-MM-DD");
    }
    return object.at(key).get<std::string>();
  };
  known(doc, kFileFields, "");
  PostgresReleases releases;
  releases.file = file;
  releases.as_of = date(doc, "as_of", "");
  if (!doc.contains("source") || !doc.at("source").is_string() ||
      doc.at("source").get<std::string>().rfind("https://", 0) != 0) {
    throw PolicyError(file, "source", "expected the https:// address the dates come from");
  }
  releases.source = doc.at("source").get<std::string>();
  if (!doc.contains("majors") || !doc.at("majors").is_object() || doc.at("majors").empty()) {
    throw PolicyError(file, "majors", "expected a non-empty object of major version -> release");
  }
  for (const auto& [key, entry] : doc.at("majors").items()) {
    const std::string where = "majors." + key;
    int major = 0;
    const bool number =
        !key.empty() && key.size() <= 3 && key.find_first_not_of("0123456789") == std::string::npos;
    if (number) major = std::stoi(key);
    if (!number || major < 10) {
      throw PolicyError(file, where, "expected a major version number of 10 or later");
    }
    if (!entry.is_object()) throw PolicyError(file, where, "expected an object");
    known(entry, kMajorFields, where);
    PostgresRelease release;
    if (!entry.contains("latest_minor") || !entry.at("latest_minor").is_number_integer() ||
        entry.at("latest_minor").get<int>() < 0) {
      throw PolicyError(file, where + ".latest_minor", "expected a whole number >= 0");
    }
    release.latest_minor = entry.at("latest_minor").get<int>();
    release.end_of_life = date(entry, "end_of_life", where);
    releases.majors[major] = release;
  }
  return releases;
}

PostgresReleases LoadShippedPostgresReleases(
    const std::vector<std::filesystem::path>& search_dirs) {
  std::string searched;
  for (const auto& dir : search_dirs) {
    const std::filesystem::path file = dir / "data" / "postgres-releases.json";
    std::error_code error;
    if (std::filesystem::is_regular_file(file, error)) return LoadPostgresReleases(file);
    searched += (searched.empty() ? "" : ", ") + dir.string();
  }
  throw PolicyError(
      "data/postgres-releases.json", "",
      "PostgreSQL release list not found in the policy directories (" + searched + ")");
}

}  // namespace crmaudit
