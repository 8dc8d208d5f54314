#include "scanner/policy/region_data.h"

#include <simdjson.h>
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

// A region data file's bytes (a regular file of bounded size); throws PolicyError naming it.
std::string ReadRegionFile(const std::filesystem::path& file) {
  std::string reason;
  std::optional<std::string> text = ReadInputFile(file, kMaxSmallInputBytes, &reason);
  if (!text) throw PolicyError(file.string(), "", "cannot read the region data file: " + reason);
  return std::move(*text);
}

json ReadJson(const std::filesystem::path& file) {
  json doc = json::parse(ReadRegionFile(file), nullptr, /*allow_exceptions=*/false);
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

bool IsRegionCode(std::string_view code) {
  return code.size() == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z';
}

constexpr const char* kNotARegionCode = "expected an ISO 3166-1 alpha-2 code such as \"DE\"";

std::string Region(const json& value, const std::string& file, const std::string& field) {
  if (!value.is_string()) throw PolicyError(file, field, "expected a region code string");
  const std::string& code = value.get_ref<const std::string&>();
  if (!IsRegionCode(code)) throw PolicyError(file, field, kNotARegionCode);
  return code;
}

// The generated names file (~250 KB, ~8,600 names) is read on every start-up, so it is walked
// with simdjson's on-demand parser straight into the map (sorted input: each insert at the
// end) instead of building a DOM first; this was a seventh of a sampled PostgreSQL scan's
// client CPU. The same checks and messages as the DOM readers: unknown keys, region codes.
void LoadCountryNames(const std::filesystem::path& file,
                      std::map<std::string, std::string, std::less<>>* names) {
  namespace od = simdjson::ondemand;
  const std::string name = file.string();
  const simdjson::padded_string padded(ReadRegionFile(file));
  od::parser parser;
  auto invalid = [&](const std::string& field, simdjson::error_code error) {
    return PolicyError(name, field,
                       std::string("not valid JSON: ") + simdjson::error_message(error));
  };
  od::document document;
  od::object root;
  if (auto error = parser.iterate(padded).get(document); error) throw invalid("", error);
  if (document.get_object().get(root) != simdjson::SUCCESS) {
    throw PolicyError(name, "", "not a JSON object");
  }
  bool has_names = false;
  for (auto field : root) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key); error) throw invalid("", error);
    if (key == "description") {
      std::string_view ignored;
      if (auto error = field.value().get_string().get(ignored); error) {
        throw PolicyError(name, "description", "expected a string");
      }
      continue;
    }
    if (key != "names") {
      throw PolicyError(name, std::string(key),
                        "unknown field (expected one of: description, names)");
    }
    od::object entries;
    if (field.value().get_object().get(entries) != simdjson::SUCCESS) {
      throw PolicyError(name, "names", "expected an object of name -> region code");
    }
    has_names = true;
    for (auto entry : entries) {
      std::string_view country;
      if (auto error = entry.unescaped_key().get(country); error) throw invalid("names", error);
      std::string_view code;
      if (entry.value().get_string().get(code) != simdjson::SUCCESS) {
        throw PolicyError(name, "names." + std::string(country), "expected a region code string");
      }
      if (!IsRegionCode(code)) {
        throw PolicyError(name, "names." + std::string(country), kNotARegionCode);
      }
      std::string region(code);
      if (names->empty() || names->rbegin()->first < country) {
        names->emplace_hint(names->end(), country, std::move(region));  // the sorted file
      } else {
        (*names)[std::string(country)] = std::move(region);  // a repeated name: the last counts
      }
    }
  }
  // After the root object only the end may follow (current_location() fails there).
  if (document.current_location().error() == simdjson::SUCCESS) {
    throw invalid("", simdjson::TRAILING_CONTENT);
  }
  if (!has_names) throw PolicyError(name, "names", "expected an object of name -> region code");
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

  LoadCountryNames(names_file, &data.names);
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
