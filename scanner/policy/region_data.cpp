#include "scanner/policy/region_data.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "scanner/model/input_file.h"
#include "scanner/policy/json_fields.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

using nlohmann::json;

json ReadJson(const std::filesystem::path& file) {
  std::string reason;
  const std::optional<std::string> text = ReadInputFile(file, kMaxSmallInputBytes, &reason);
  if (!text) throw PolicyError(file.string(), "", "cannot read the region data file: " + reason);
  json doc = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    throw PolicyError(file.string(), "", "not a JSON object");
  }
  return doc;
}

void CheckKeys(const json& object, const std::set<std::string>& known, const std::string& file,
               const std::string& where) {
  if (auto unknown = FindUnknownField(object, known)) {
    throw PolicyError(file, where.empty() ? unknown->key : where + "." + unknown->key,
                      unknown->message);
  }
}

std::string Region(const json& value, const std::string& file, const std::string& field) {
  if (!value.is_string()) throw PolicyError(file, field, "expected a region code string");
  const std::string code = value.get<std::string>();
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') {
    throw PolicyError(file, field, "expected an ISO 3166-1 alpha-2 code such as \"DE\"");
  }
  return code;
}

std::vector<std::string> Words(const json& value, const std::string& file,
                               const std::string& field) {
  if (!value.is_array()) throw PolicyError(file, field, "expected a list of strings");
  std::vector<std::string> words;
  for (const auto& word : value) {
    if (!word.is_string() || word.get<std::string>().empty()) {
      throw PolicyError(file, field, "expected non-empty strings");
    }
    words.push_back(word.get<std::string>());
  }
  return words;
}

}  // namespace

RegionData LoadRegionData(const std::filesystem::path& rules_file,
                          const std::filesystem::path& names_file) {
  RegionData data;
  const std::string rules_name = rules_file.string();
  const json rules = ReadJson(rules_file);
  CheckKeys(rules,
            {"description", "phone_entity", "country_columns", "columns_implying_region",
             "dataset_majority", "aliases"},
            rules_name, "");
  if (!rules.contains("phone_entity") || !rules["phone_entity"].is_string()) {
    throw PolicyError(rules_name, "phone_entity", "expected an entity name");
  }
  data.phone_entity = rules["phone_entity"].get<std::string>();
  if (rules.contains("country_columns")) {
    data.country_columns = Words(rules["country_columns"], rules_name, "country_columns");
  }
  if (rules.contains("columns_implying_region")) {
    const json& implying = rules["columns_implying_region"];
    if (!implying.is_object()) {
      throw PolicyError(rules_name, "columns_implying_region", "expected an object");
    }
    for (const auto& [code, words] : implying.items()) {
      const std::string field = "columns_implying_region." + code;
      data.columns_implying_region[Region(json(code), rules_name, field)] =
          Words(words, rules_name, field);
    }
  }
  if (rules.contains("dataset_majority")) {
    const json& majority = rules["dataset_majority"];
    CheckKeys(majority, {"min_numbers"}, rules_name, "dataset_majority");
    if (majority.contains("min_numbers")) {
      if (!majority["min_numbers"].is_number_unsigned() || majority["min_numbers"] == 0) {
        throw PolicyError(rules_name, "dataset_majority.min_numbers",
                          "expected a positive integer");
      }
      data.majority_min_numbers = majority["min_numbers"].get<uint32_t>();
    }
  }

  const std::string names_name = names_file.string();
  const json names = ReadJson(names_file);
  CheckKeys(names, {"description", "names"}, names_name, "");
  if (!names.contains("names") || !names["names"].is_object()) {
    throw PolicyError(names_name, "names", "expected an object of name -> region code");
  }
  for (const auto& [name, code] : names["names"].items()) {
    data.names[name] = Region(code, names_name, "names." + name);
  }
  if (rules.contains("aliases")) {
    if (!rules["aliases"].is_object())
      throw PolicyError(rules_name, "aliases", "expected an object");
    for (const auto& [name, code] : rules["aliases"].items()) {
      data.names[name] = Region(code, rules_name, "aliases." + name);
    }
  }
  return data;
}

RegionData LoadShippedRegionData(const std::vector<std::filesystem::path>& search_dirs) {
  std::string searched;
  for (const auto& dir : search_dirs) {
    const std::filesystem::path rules = dir / "data" / "phone-regions.json";
    std::error_code error;
    if (std::filesystem::is_regular_file(rules, error)) {
      return LoadRegionData(rules, dir / "data" / "country-names.json");
    }
    searched += (searched.empty() ? "" : ", ") + dir.string();
  }
  throw PolicyError("data/phone-regions.json", "",
                    "phone region data not found in the policy directories (" + searched + ")");
}

}  // namespace crmaudit
