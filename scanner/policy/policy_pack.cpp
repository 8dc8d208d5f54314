// Loading a policy pack: strict, all-or-nothing validation of the JSON against the format in
// docs/policy-packs.md. Every rejection names the file and the JSON path of the field, so a
// typo is reported instead of silently disabling a detector.
#include "scanner/policy/policy_pack.h"
#include "scanner/model/input_file.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string_view>

#include "scanner/model/fingerprint.h"
#include "scanner/policy/json_fields.h"

namespace crmaudit {
namespace {

using nlohmann::json;

// The entity types of DESIGN.md; a pack naming another type is most likely a typo.
constexpr std::array<std::string_view, 25> kEntityTypes = {
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD_NUMBER",
    "IBAN_CODE",
    "IP_ADDRESS",
    "DATE_OF_BIRTH",
    "PERSON_NAME",
    "POSTAL_ADDRESS",
    "CN_RESIDENT_ID",
    "CN_USCC",
    "CN_PASSPORT",
    "US_SSN",
    "US_ITIN",
    "US_BANK_ROUTING",
    "UK_NINO",
    "ES_DNI",
    "ES_NIE",
    "NL_BSN",
    "IT_FISCAL_CODE",
    "FR_NIR",
    "DE_TAX_ID",
    "PASSWORD_HASH",
    "PLAINTEXT_PASSWORD",
    "SECRET_KEY",
    "SPECIAL_CATEGORY",
};

std::string_view TypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

// Reads one pack document, remembering the file for every error it raises.
class PackReader {
 public:
  explicit PackReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void Fail(const std::string& path, const std::string& message) const {
    throw PolicyError(file_, path, message);
  }

  void ExpectType(const json& value, json::value_t type, std::string_view expected,
                  const std::string& path) const {
    const bool integer_ok =
        type == json::value_t::number_integer && value.type() == json::value_t::number_unsigned;
    if (value.type() != type && !integer_ok) {
      Fail(path, "expected " + std::string(expected) + ", found " + std::string(TypeName(value)));
    }
  }

  void OnlyKeys(const json& object, std::initializer_list<std::string_view> allowed,
                const std::string& path) const {
    if (auto unknown = FindUnknownField(object, allowed)) {
      Fail(Join(path, unknown->key), unknown->message);
    }
  }

  std::string String(const json& value, const std::string& path, bool allow_empty = false) const {
    ExpectType(value, json::value_t::string, "a string", path);
    std::string text = value.get<std::string>();
    if (!allow_empty && text.empty()) Fail(path, "must not be empty");
    return text;
  }

  std::vector<std::string> Strings(const json& value, const std::string& path) const {
    ExpectType(value, json::value_t::array, "an array of strings", path);
    std::vector<std::string> out;
    for (size_t i = 0; i < value.size(); ++i) {
      out.push_back(String(value[i], path + "[" + std::to_string(i) + "]"));
    }
    return out;
  }

  int Integer(const json& value, const std::string& path, int low, int high) const {
    ExpectType(value, json::value_t::number_integer, "an integer", path);
    const bool in_range = value.is_number_unsigned()
                              ? value.get<uint64_t>() >= static_cast<uint64_t>(std::max(low, 0)) &&
                                    value.get<uint64_t>() <= static_cast<uint64_t>(high)
                              : value.get<int64_t>() >= low && value.get<int64_t>() <= high;
    if (!in_range) {
      Fail(path, "expected an integer from " + std::to_string(low) + " to " + std::to_string(high));
    }
    return static_cast<int>(value.get<int64_t>());
  }

  bool Boolean(const json& value, const std::string& path) const {
    ExpectType(value, json::value_t::boolean, "true or false", path);
    return value.get<bool>();
  }

  static std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

 private:
  std::string file_;
};

bool IsPackName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsDetectorId(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// `word_lists`: list name -> file, relative to the pack's directory. Each file is loaded now,
// so a missing or unreadable list fails the pack (naming the field), never a scan halfway.
WordLists ReadWordLists(const PackReader& reader, const json& node, const std::string& path,
                        const std::filesystem::path& pack_dir) {
  reader.ExpectType(node, json::value_t::object, "an object", path);
  WordLists lists;
  for (const auto& [name, file] : node.items()) {
    const std::string list_path = PackReader::Join(path, name);
    if (name.empty()) reader.Fail(path, "list names must not be empty");
    const std::filesystem::path relative = reader.String(file, list_path);
    if (relative.is_absolute()) reader.Fail(list_path, "expected a path relative to the pack");
    try {
      lists.emplace(name, WordList::Load(pack_dir / relative));
    } catch (const std::exception& e) {
      reader.Fail(list_path, e.what());
    }
  }
  return lists;
}

DetectorSpec ReadDetector(const PackReader& reader, const json& node, const std::string& path,
                          const std::string& pack_name, const std::filesystem::path& pack_dir) {
  reader.ExpectType(node, json::value_t::object, "an object", path);
  reader.OnlyKeys(node,
                  {"id", "entity", "title", "category", "patterns", "validator", "hints",
                   "requires_column_hint", "min_confidence", "severity", "frameworks",
                   "remediation", "texts", "examples", "word_lists"},
                  path);
  for (std::string_view required : {"id", "entity", "title", "patterns"}) {
    if (!node.contains(required)) reader.Fail(PackReader::Join(path, required), "is required");
  }

  DetectorSpec spec;
  spec.pack = pack_name;
  spec.id = reader.String(node["id"], path + ".id");
  if (!IsDetectorId(spec.id)) {
    reader.Fail(path + ".id", "expected letters, digits, '-', '_' or '.' only");
  }
  spec.entity = reader.String(node["entity"], path + ".entity");
  if (std::find(kEntityTypes.begin(), kEntityTypes.end(), spec.entity) == kEntityTypes.end()) {
    reader.Fail(path + ".entity", "unknown entity type (see DESIGN.md for the list)");
  }
  spec.title = reader.String(node["title"], path + ".title");

  if (node.contains("category")) {
    const std::string text = reader.String(node["category"], path + ".category");
    if (text == "pii") {
      spec.category = FindingCategory::kPii;
    } else if (text == "secret") {
      spec.category = FindingCategory::kSecret;
    } else {
      reader.Fail(path + ".category", "expected one of pii|secret");
    }
  }

  spec.patterns = reader.Strings(node["patterns"], path + ".patterns");
  if (spec.patterns.empty()) reader.Fail(path + ".patterns", "needs at least one pattern");

  if (node.contains("validator")) {
    spec.validator = reader.String(node["validator"], path + ".validator");
  }

  if (node.contains("hints")) {
    const std::string hints_path = path + ".hints";
    const json& hints = node["hints"];
    reader.ExpectType(hints, json::value_t::object, "an object", hints_path);
    reader.OnlyKeys(hints,
                    {"columns", "negative_columns", "negative_datasets",
                     "negative_datasets_except_columns", "context", "negative_context"},
                    hints_path);
    if (hints.contains("columns")) {
      spec.column_hints = reader.Strings(hints["columns"], hints_path + ".columns");
    }
    if (hints.contains("negative_columns")) {
      spec.negative_column_hints =
          reader.Strings(hints["negative_columns"], hints_path + ".negative_columns");
    }
    if (hints.contains("negative_datasets")) {
      spec.negative_dataset_hints =
          reader.Strings(hints["negative_datasets"], hints_path + ".negative_datasets");
    }
    if (hints.contains("negative_datasets_except_columns")) {
      spec.negative_dataset_kept_column_hints =
          reader.Strings(hints["negative_datasets_except_columns"],
                         hints_path + ".negative_datasets_except_columns");
    }
    if (hints.contains("context")) {
      spec.context_words = reader.Strings(hints["context"], hints_path + ".context");
    }
    if (hints.contains("negative_context")) {
      spec.negative_context_words =
          reader.Strings(hints["negative_context"], hints_path + ".negative_context");
    }
  }

  if (node.contains("requires_column_hint")) {
    spec.requires_column_hint =
        reader.Boolean(node["requires_column_hint"], path + ".requires_column_hint");
    if (spec.requires_column_hint && spec.column_hints.empty()) {
      reader.Fail(path + ".requires_column_hint", "is true but hints.columns is empty");
    }
  }
  if (node.contains("min_confidence")) {
    spec.min_confidence = reader.Integer(node["min_confidence"], path + ".min_confidence", 0, 100);
  }
  if (node.contains("severity")) {
    const std::string text = reader.String(node["severity"], path + ".severity", true);
    auto severity = ParseSeverity(text);
    if (!severity) reader.Fail(path + ".severity", "expected one of info|low|medium|high|critical");
    spec.severity = *severity;
  }

  if (node.contains("frameworks")) {
    const std::string frameworks_path = path + ".frameworks";
    const json& frameworks = node["frameworks"];
    reader.ExpectType(frameworks, json::value_t::object, "an object", frameworks_path);
    for (const auto& [framework, articles] : frameworks.items()) {
      if (framework.empty()) reader.Fail(frameworks_path, "framework names must not be empty");
      spec.frameworks[framework] = reader.Strings(articles, frameworks_path + "." + framework);
    }
  }
  if (node.contains("remediation")) {
    spec.remediation = reader.String(node["remediation"], path + ".remediation");
  }

  if (node.contains("texts")) {
    // Translations for the reader of a report, by locale: what the detector finds and what to
    // do. Only these two words are translatable; everything that decides a match stays one.
    const std::string texts_path = path + ".texts";
    const json& texts = node["texts"];
    reader.ExpectType(texts, json::value_t::object, "an object of locale -> texts", texts_path);
    for (const auto& [locale, text] : texts.items()) {
      const std::string locale_path = PackReader::Join(texts_path, locale);
      if (locale.empty() || locale == "en") {
        reader.Fail(locale_path, "expected a locale other than English, e.g. \"zh-CN\"");
      }
      reader.ExpectType(text, json::value_t::object, "an object", locale_path);
      reader.OnlyKeys(text, {"title", "remediation"}, locale_path);
      DetectorText localized;
      if (text.contains("title"))
        localized.title = reader.String(text["title"], locale_path + ".title");
      if (text.contains("remediation")) {
        localized.remediation = reader.String(text["remediation"], locale_path + ".remediation");
      }
      spec.texts[locale] = std::move(localized);
    }
  }

  if (node.contains("word_lists")) {
    spec.word_lists = ReadWordLists(reader, node["word_lists"], path + ".word_lists", pack_dir);
  }

  if (node.contains("examples")) {
    const std::string examples_path = path + ".examples";
    const json& examples = node["examples"];
    reader.ExpectType(examples, json::value_t::object, "an object", examples_path);
    reader.OnlyKeys(examples, {"match", "no_match"}, examples_path);
    if (examples.contains("match")) {
      spec.examples_match = reader.Strings(examples["match"], examples_path + ".match");
    }
    if (examples.contains("no_match")) {
      spec.examples_no_match = reader.Strings(examples["no_match"], examples_path + ".no_match");
    }
  }
  return spec;
}

// "line 3, column 7" for nlohmann's 1-based byte position of the last character it read
// (columns count characters, as editors do).
std::string LineAndColumn(const std::string& text, size_t byte) {
  size_t line = 1;
  size_t column = 1;
  const size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at ..." prefix.
std::string ParseReason(const std::string& what) {
  const size_t colon = what.find(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace

PolicyPack LoadPolicyPack(const std::filesystem::path& file) {
  const std::string file_name = file.string();
  std::string reason;
  const std::optional<std::string> read = ReadInputFile(file, kMaxSmallInputBytes, &reason);
  if (!read) throw PolicyError(file_name, "", "cannot read the policy pack file: " + reason);
  const std::string& bytes = *read;

  json doc;
  try {
    doc = json::parse(bytes, /*cb=*/nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    throw PolicyError(
        file_name, "",
        "invalid JSON at " + LineAndColumn(bytes, e.byte) + ": " + ParseReason(e.what()));
  } catch (const json::exception& e) {
    // Other parser failures (a number beyond double range, found by fuzzing) are still a
    // malformed pack, never an escaping exception.
    throw PolicyError(file_name, "", "invalid JSON: " + ParseReason(e.what()));
  }

  PackReader reader(file_name);
  reader.ExpectType(doc, json::value_t::object, "an object at the top level", "");
  reader.OnlyKeys(
      doc, {"$schema", "name", "version", "description", "thresholds", "detectors", "controls"},
      "");
  for (std::string_view required : {"name", "version"}) {
    if (!doc.contains(required)) reader.Fail(std::string(required), "is required");
  }

  PolicyPack pack;
  pack.source = file;
  pack.sha256 = Sha256Hex(bytes);
  pack.name = reader.String(doc["name"], "name");
  if (!IsPackName(pack.name)) reader.Fail("name", "expected [a-z0-9-]+");
  pack.version = reader.String(doc["version"], "version");
  if (doc.contains("description")) {
    pack.description = reader.String(doc["description"], "description", true);
  }

  if (doc.contains("thresholds")) {
    const json& thresholds = doc["thresholds"];
    reader.ExpectType(thresholds, json::value_t::object, "an object", "thresholds");
    reader.OnlyKeys(thresholds, {"column_min_ratio_permille", "hinted_column_min_ratio_permille"},
                    "thresholds");
    if (thresholds.contains("column_min_ratio_permille")) {
      pack.column_min_ratio_permille = reader.Integer(
          thresholds["column_min_ratio_permille"], "thresholds.column_min_ratio_permille", 0, 1000);
    }
    if (thresholds.contains("hinted_column_min_ratio_permille")) {
      pack.hinted_column_min_ratio_permille =
          reader.Integer(thresholds["hinted_column_min_ratio_permille"],
                         "thresholds.hinted_column_min_ratio_permille", 0, 1000);
    }
  }

  if (doc.contains("detectors")) {
    const json& detectors = doc["detectors"];
    reader.ExpectType(detectors, json::value_t::array, "an array", "detectors");
    std::set<std::string> ids;
    for (size_t i = 0; i < detectors.size(); ++i) {
      const std::string path = "detectors[" + std::to_string(i) + "]";
      DetectorSpec spec = ReadDetector(reader, detectors[i], path, pack.name, file.parent_path());
      if (!ids.insert(spec.id).second) {
        reader.Fail(path + ".id", "duplicate detector id \"" + spec.id + "\"");
      }
      pack.detectors.push_back(std::move(spec));
    }
  }

  if (doc.contains("controls")) {
    pack.controls = ReadControlLayer(doc["controls"], file_name);
  }
  return pack;
}

ControlPolicy ControlPolicyFromPacks(const std::vector<PolicyPack>& packs) {
  std::vector<const ControlLayer*> layers;
  const ControlLayer* audit_file = nullptr;
  for (const PolicyPack& pack : packs) {
    if (pack.audit_file) {
      audit_file = &pack.controls;
    } else {
      layers.push_back(&pack.controls);
    }
  }
  return MergeControlPolicy(layers, audit_file);
}

std::filesystem::path ResolvePolicyPack(const std::string& name_or_path,
                                        const std::vector<std::filesystem::path>& search_dirs) {
  const bool is_path =
      name_or_path.find('/') != std::string::npos ||
      (name_or_path.size() >= 5 && name_or_path.compare(name_or_path.size() - 5, 5, ".json") == 0);
  std::error_code error;
  if (is_path) {
    if (!std::filesystem::is_regular_file(name_or_path, error)) {
      const bool exists = std::filesystem::exists(name_or_path, error);
      throw PolicyError(name_or_path, "",
                        exists ? "not a regular file" : "no such policy pack file");
    }
    return name_or_path;
  }
  for (const auto& dir : search_dirs) {
    std::filesystem::path candidate = dir / (name_or_path + ".json");
    if (std::filesystem::is_regular_file(candidate, error)) return candidate;
  }
  std::string searched;
  for (const auto& dir : search_dirs) {
    if (!searched.empty()) searched += ", ";
    searched += dir.string();
  }
  throw PolicyError(name_or_path, "",
                    "unknown policy pack (looked for " + name_or_path + ".json in: " +
                        (searched.empty() ? "no search directories" : searched) + ")");
}

std::vector<std::filesystem::path> ListPolicyPacks(
    const std::vector<std::filesystem::path>& search_dirs) {
  std::map<std::string, std::filesystem::path> by_name;  // sorted, first directory wins
  for (const auto& dir : search_dirs) {
    std::error_code error;
    std::filesystem::directory_iterator it(dir, error);
    if (error) continue;  // a missing search directory is normal (e.g. not installed)
    for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
      if (error) break;
      const auto& path = it->path();
      std::error_code type_error;
      if (path.extension() != ".json" || !it->is_regular_file(type_error)) continue;
      by_name.emplace(path.stem().string(), path);
    }
  }
  std::vector<std::filesystem::path> out;
  out.reserve(by_name.size());
  for (auto& [name, path] : by_name) out.push_back(std::move(path));
  return out;
}

namespace {

// Whether this process is a binary of the build tree it was compiled in (the CLI or a test),
// as opposed to an installed copy. Only a build-tree binary may read the source tree's packs:
// an installed crmaudit must never pick up packs from wherever it happened to be built.
bool RunsFromBuildTree() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return false;
  const std::filesystem::path build = std::filesystem::weakly_canonical(CRMAUDIT_BUILD_DIR, ec);
  if (ec) return false;
  const auto relative = exe.lexically_relative(build);
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

std::vector<std::filesystem::path> DefaultPolicySearchDirs() {
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv("CRMAUDIT_POLICY_DIR"); env != nullptr && *env != '\0') {
    // Colon-separated like PATH, so a site directory can be put in front of the shipped one.
    std::string_view list(env);
    while (!list.empty()) {
      const size_t colon = list.find(':');
      std::string_view entry = list.substr(0, colon);
      if (!entry.empty()) dirs.emplace_back(std::string(entry));
      if (colon == std::string_view::npos) break;
      list.remove_prefix(colon + 1);
    }
  }
  if (RunsFromBuildTree()) dirs.emplace_back(CRMAUDIT_SOURCE_POLICY_DIR);
  dirs.emplace_back(CRMAUDIT_INSTALL_POLICY_DIR);
  return dirs;
}

}  // namespace crmaudit
