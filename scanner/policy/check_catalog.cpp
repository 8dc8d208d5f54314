#include "scanner/policy/check_catalog.h"

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "scanner/model/input_file.h"
#include "scanner/policy/json_fields.h"
#include "scanner/policy/policy_pack.h"

namespace crmaudit {
namespace {

using nlohmann::json;

constexpr const char* kFileFields[] = {"description", "checks"};
constexpr const char* kCheckFields[] = {"id",       "title", "category",   "severity",
                                        "engines",  "risk",  "parameters", "references",
                                        "outcomes", "texts", "fixtures"};
constexpr const char* kOutcomeFields[] = {"title", "remediation"};
constexpr const char* kTextFields[] = {"title", "risk", "outcomes"};
constexpr const char* kEngines[] = {"postgres", "mysql", "files", "backups"};

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void Fail(const std::string& field, const std::string& message) const {
    throw PolicyError(file_, field, message);
  }

  void Known(const json& object, const auto& allowed, const std::string& where) const {
    if (!object.is_object()) Fail(where, "expected an object");
    if (auto unknown = FindUnknownField(object, allowed)) {
      Fail(where.empty() ? unknown->key : where + "." + unknown->key, unknown->message);
    }
  }

  std::string Text(const json& object, const std::string& key, const std::string& where,
                   bool required) const {
    const std::string field = where + "." + key;
    if (!object.contains(key)) {
      if (required) Fail(field, "missing (a non-empty string is required)");
      return {};
    }
    const json& value = object.at(key);
    if (!value.is_string() || value.get<std::string>().empty()) {
      Fail(field, "expected a non-empty string");
    }
    return value.get<std::string>();
  }

  // A template: a text whose {placeholders} are plain names.
  std::string Template(const json& object, const std::string& key, const std::string& where,
                       bool required) const {
    std::string text = Text(object, key, where, required);
    for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
      const size_t close = text.find('}', open);
      if (close == std::string::npos) Fail(where + "." + key, "a '{' without its '}'");
      const std::string name = text.substr(open + 1, close - open - 1);
      const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      });
      if (!plain) {
        Fail(where + "." + key, "placeholder {" + name + "} is not a plain name ([a-z0-9_]+)");
      }
    }
    return text;
  }

  // The names of a template's {placeholders} (Template has checked them).
  static std::set<std::string> Placeholders(const std::string& text) {
    std::set<std::string> names;
    for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
      const size_t close = text.find('}', open);
      if (close == std::string::npos) break;
      names.insert(text.substr(open + 1, close - open - 1));
    }
    return names;
  }

  static std::string Names(const std::set<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "{" : ", {") + name + "}";
    return out.empty() ? "none" : out;
  }

  // A translated outcome can only use values the finding carries: its remediation names
  // exactly the English remediation's placeholders (a SQL statement keeps every value), its
  // title no others than the English title and remediation give (rule_texts.h takes them back
  // out of the English finding).
  void CheckTranslatedOutcome(const OutcomeText& english, const OutcomeText& translated,
                              const std::string& where) const {
    const std::set<std::string> remediation = Placeholders(english.remediation);
    if (!translated.remediation.empty() && Placeholders(translated.remediation) != remediation) {
      Fail(where + ".remediation", "placeholders " + Names(Placeholders(translated.remediation)) +
                                       " differ from the English remediation's " +
                                       Names(remediation));
    }
    std::set<std::string> known = Placeholders(english.title);
    known.insert(remediation.begin(), remediation.end());
    for (const auto& name : Placeholders(translated.title)) {
      if (!known.count(name)) {
        Fail(where + ".title",
             "placeholder {" + name + "} is in neither the English title nor the remediation");
      }
    }
  }

  std::vector<std::string> Strings(const json& value, const std::string& field) const {
    if (!value.is_array()) Fail(field, "expected a list of strings");
    std::vector<std::string> out;
    for (const auto& item : value) {
      if (!item.is_string() || item.get<std::string>().empty()) {
        Fail(field, "expected non-empty strings");
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  std::map<std::string, OutcomeText> Outcomes(const json& value, const std::string& field,
                                              bool english) const {
    if (!value.is_object()) Fail(field, "expected an object of outcome key -> texts");
    std::map<std::string, OutcomeText> out;
    for (const auto& [key, texts] : value.items()) {
      const std::string where = field + "." + key;
      Known(texts, kOutcomeFields, where);
      OutcomeText text;
      text.title = Template(texts, "title", where, english);
      text.remediation = Template(texts, "remediation", where, english);
      out[key] = std::move(text);
    }
    return out;
  }

  CheckDefinition Check(const json& entry, const std::string& where,
                        const ControlParameters* parameters) const {
    Known(entry, kCheckFields, where);
    CheckDefinition check;
    check.file = file_;
    check.field = where;
    check.id = Text(entry, "id", where, true);
    check.title = Text(entry, "title", where, true);
    check.risk = Text(entry, "risk", where, true);
    const std::string category = Text(entry, "category", where, true);
    auto parsed_category = ParseCategory(category);
    if (!parsed_category || *parsed_category == FindingCategory::kPii ||
        *parsed_category == FindingCategory::kSecret) {
      Fail(where + ".category",
           "expected encryption, access, audit, backup, retention or configuration");
    }
    check.category = *parsed_category;
    auto severity = ParseSeverity(Text(entry, "severity", where, true));
    if (!severity) Fail(where + ".severity", "expected info, low, medium, high or critical");
    check.severity = *severity;
    if (!entry.contains("engines")) Fail(where + ".engines", "missing (a list of engines)");
    check.engines = Strings(entry.at("engines"), where + ".engines");
    for (const auto& engine : check.engines) {
      if (std::find(std::begin(kEngines), std::end(kEngines), engine) == std::end(kEngines)) {
        Fail(where + ".engines",
             "unknown engine \"" + engine + "\" (postgres, mysql, files, backups)");
      }
    }
    if (entry.contains("parameters")) {
      check.parameters = Strings(entry.at("parameters"), where + ".parameters");
      for (size_t i = 0; i < check.parameters.size(); ++i) {
        const std::string& name = check.parameters[i];
        if (parameters == nullptr || !parameters->Has(name)) {
          Fail(where + ".parameters[" + std::to_string(i) + "]",
               "unknown control parameter \"" + name + "\" (not in " +
                   (parameters == nullptr ? std::string("parameters.json: none was loaded")
                                          : parameters->file) +
                   ")");
        }
      }
    }
    if (entry.contains("references")) {
      const json& references = entry.at("references");
      if (!references.is_object()) Fail(where + ".references", "expected an object");
      for (const auto& [framework, items] : references.items()) {
        check.references[framework] = Strings(items, where + ".references." + framework);
      }
    }
    if (!entry.contains("outcomes")) Fail(where + ".outcomes", "missing (an object)");
    check.outcomes = Outcomes(entry.at("outcomes"), where + ".outcomes", true);
    if (check.outcomes.empty()) Fail(where + ".outcomes", "a check needs at least one outcome");
    if (entry.contains("texts")) {
      const json& texts = entry.at("texts");
      if (!texts.is_object()) Fail(where + ".texts", "expected an object of locale -> texts");
      for (const auto& [locale, text] : texts.items()) {
        const std::string field = where + ".texts." + locale;
        Known(text, kTextFields, field);
        LocalizedCheckText localized;
        localized.title = Text(text, "title", field, false);
        localized.risk = Text(text, "risk", field, false);
        if (text.contains("outcomes")) {
          localized.outcomes = Outcomes(text.at("outcomes"), field + ".outcomes", false);
          for (const auto& [key, translated] : localized.outcomes) {
            auto english = check.outcomes.find(key);
            if (english == check.outcomes.end()) {
              Fail(field + ".outcomes." + key, "not an outcome of " + check.id);
            }
            CheckTranslatedOutcome(english->second, translated, field + ".outcomes." + key);
          }
        }
        check.texts[locale] = std::move(localized);
      }
    }
    check.fixtures_json = "[]";
    if (entry.contains("fixtures")) {
      if (!entry.at("fixtures").is_array()) Fail(where + ".fixtures", "expected a list");
      check.fixtures_json = entry.at("fixtures").dump();
    }
    return check;
  }

 private:
  std::string file_;
};

}  // namespace

const CheckDefinition* CheckCatalog::Find(const std::string& id) const {
  for (const auto& check : checks_) {
    if (check.id == id) return &check;
  }
  return nullptr;
}

void CheckCatalog::AddFile(const std::filesystem::path& file) {
  const std::string name = file.string();
  if (file.filename() == kControlParametersFile) {
    if (has_parameters_) throw PolicyError(name, "", "a second control parameters file");
    parameters_ = LoadControlParameters(file);
    has_parameters_ = true;
    files_.push_back(file);
    return;
  }
  std::string reason;
  const std::optional<std::string> read = ReadInputFile(file, kMaxSmallInputBytes, &reason);
  if (!read) throw PolicyError(name, "", "cannot read the check catalog file: " + reason);
  const std::string& bytes = *read;
  json doc = json::parse(bytes, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (doc.is_discarded() || !doc.is_object()) {
    throw PolicyError(name, "", "not a JSON object (invalid JSON?)");
  }
  Reader reader(name);
  reader.Known(doc, kFileFields, "");
  if (!doc.contains("checks") || !doc.at("checks").is_array()) {
    reader.Fail("checks", "expected a list of checks");
  }
  std::vector<CheckDefinition> added;
  size_t index = 0;
  for (const auto& entry : doc.at("checks")) {
    CheckDefinition check = reader.Check(entry, "checks[" + std::to_string(index++) + "]",
                                         has_parameters_ ? &parameters_ : nullptr);
    const bool taken = Find(check.id) != nullptr ||
                       std::any_of(added.begin(), added.end(), [&](const CheckDefinition& other) {
                         return other.id == check.id;
                       });
    if (taken)
      reader.Fail("checks[" + std::to_string(index - 1) + "].id",
                  "check " + check.id + " is defined twice");
    added.push_back(std::move(check));
  }
  for (auto& check : added) checks_.push_back(std::move(check));
  files_.push_back(file);
}

CheckCatalog LoadCheckCatalog(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".json" && entry.is_regular_file() &&
        entry.path().filename() != kControlParametersFile) {
      files.push_back(entry.path());
    }
  }
  if (error) throw PolicyError(dir.string(), "", "cannot read the check catalog folder");
  std::sort(files.begin(), files.end());
  const std::filesystem::path parameters = dir / kControlParametersFile;
  if (!std::filesystem::is_regular_file(parameters, error)) {
    throw PolicyError(parameters.string(), "",
                      "missing: a check catalog folder needs its control parameters file");
  }
  files.insert(files.begin(), parameters);
  CheckCatalog catalog;
  for (const auto& file : files) catalog.AddFile(file);
  return catalog;
}

std::filesystem::path ShippedCheckCatalogDir(
    const std::vector<std::filesystem::path>& search_dirs) {
  std::string searched;
  for (const auto& dir : search_dirs) {
    std::error_code error;
    if (std::filesystem::is_directory(dir / "checks", error)) return dir / "checks";
    searched += (searched.empty() ? "" : ", ") + dir.string();
  }
  throw PolicyError("checks/", "",
                    "the check catalog was not found in the policy directories (" + searched + ")");
}

CheckCatalog LoadShippedCheckCatalog(const std::vector<std::filesystem::path>& search_dirs) {
  return LoadCheckCatalog(ShippedCheckCatalogDir(search_dirs));
}

RuleDescription DescribeCheck(const CheckDefinition& check, Severity severity) {
  RuleDescription rule;
  rule.id = check.id;
  rule.title = check.title;
  rule.category = std::string(CategoryName(check.category));
  rule.severity = severity;
  rule.risk = check.risk;
  rule.references = check.references;
  rule.texts["en"] = RuleText{check.title, check.risk};
  for (const auto& [locale, text] : check.texts) {
    rule.texts[locale] = RuleText{text.title.empty() ? check.title : text.title,
                                  text.risk.empty() ? check.risk : text.risk};
  }
  return rule;
}

}  // namespace crmaudit
