// Loading, resolving and listing policy packs: every error must name the file and the field.
#include "scanner/policy/policy_pack.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <stdlib.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace crmaudit {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kFixtures = std::filesystem::path(CRMAUDIT_TEST_FIXTURES) / "policy";
const std::filesystem::path kShippedPacks = std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "policy-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path Write(const std::string& name, const std::string& text) const {
    std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  std::filesystem::path path_;
};

PolicyError LoadError(const std::filesystem::path& file) {
  try {
    LoadPolicyPack(file);
  } catch (const PolicyError& error) {
    return error;
  }
  ADD_FAILURE() << file << " loaded although it is invalid";
  return PolicyError("", "", "");
}

std::string PackWithDetector(const std::string& detector_fields) {
  return R"({"name": "t", "version": "1.0.0", "detectors": [
    {"id": "ok", "entity": "EMAIL_ADDRESS", "title": "Email", "patterns": ["x@y"]},
    {"id": "d", "entity": "EMAIL_ADDRESS", "title": "Email", "patterns": ["x@y"])" +
         detector_fields + "}]}";
}

std::string FileSha256(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

TEST(PolicyPackTest, LoadsShippedPiiCore) {
  const auto file = kShippedPacks / "pii-core.json";
  const PolicyPack pack = LoadPolicyPack(file);
  EXPECT_EQ(pack.name, "pii-core");
  // The version is the one the file declares (read independently of the loader).
  std::ifstream in(file);
  const auto raw = nlohmann::json::parse(in, nullptr, true, /*ignore_comments=*/true);
  EXPECT_EQ(pack.version, raw.at("version").get<std::string>());
  EXPECT_EQ(pack.sha256, FileSha256(file));
  EXPECT_EQ(pack.source, file);
  std::vector<std::string> ids;
  for (const auto& detector : pack.detectors) {
    ids.push_back(detector.id);
    EXPECT_EQ(detector.pack, "pii-core");
    EXPECT_FALSE(detector.validator.empty()) << detector.id;
    EXPECT_FALSE(detector.remediation.empty()) << detector.id;
    EXPECT_FALSE(detector.examples_match.empty()) << detector.id;
    EXPECT_FALSE(detector.examples_no_match.empty()) << detector.id;
    EXPECT_THAT(detector.frameworks.at("GDPR"), ::testing::Contains("Art. 30")) << detector.id;
    EXPECT_TRUE(detector.frameworks.count("PIPL")) << detector.id;
  }
  EXPECT_THAT(ids, ::testing::ElementsAre("email-address", "phone-number", "credit-card-number",
                                          "iban-code", "ip-address", "person-name",
                                          "postal-address", "date-of-birth"));
  const DetectorSpec& card = pack.detectors[2];
  EXPECT_EQ(card.entity, "CREDIT_CARD_NUMBER");
  EXPECT_EQ(card.severity, Severity::kHigh);
  EXPECT_THAT(card.frameworks.at("GDPR"), ::testing::Contains("Art. 32(1)(a)"));
  EXPECT_THAT(card.frameworks.at("PIPL"), ::testing::Contains("Art. 28"));
  EXPECT_THAT(card.column_hints, ::testing::IsSupersetOf({"card", "银行卡", "卡号"}));
  EXPECT_THAT(card.negative_column_hints, ::testing::IsSupersetOf({"order_no", "sku", "id"}));
  EXPECT_THAT(pack.detectors[1].column_hints,
              ::testing::IsSupersetOf({"phone", "mobile", "tel", "手机", "电话", "联系方式"}));
  EXPECT_THAT(pack.detectors[0].column_hints,
              ::testing::IsSupersetOf({"email", "邮箱", "电子邮件"}));
}

TEST(PolicyPackTest, Sha256ChangesWithAnyByte) {
  TempDir dir;
  const auto a = dir.Write("a.json", R"({"name": "a", "version": "1"})");
  const auto b = dir.Write("b.json", R"({"name": "a", "version": "1"} // changed)");
  EXPECT_EQ(LoadPolicyPack(a).sha256.size(), 64u);
  EXPECT_NE(LoadPolicyPack(a).sha256, LoadPolicyPack(b).sha256);
}

TEST(PolicyPackTest, MalformedJsonNamesFileAndPosition) {
  const auto file = kFixtures / "malformed.json";
  const PolicyError error = LoadError(file);
  EXPECT_EQ(error.file(), file.string());
  EXPECT_THAT(error.what(), HasSubstr(file.string()));
  EXPECT_THAT(error.what(), HasSubstr("line 4"));  // the missing comma shows at "detectors"
}

// Found by tests/fuzz/fuzz_policy_pack: a number beyond double range made the JSON parser
// throw something other than a parse error, which escaped the loader.
TEST(PolicyPackTest, NumberOutOfRangeIsAPolicyErrorNamingTheFile) {
  TempDir dir;
  const auto file = dir.Write("huge.json", R"({"name": "a", "version": "1", "x": 1e999})");
  const PolicyError error = LoadError(file);
  EXPECT_EQ(error.file(), file.string());
  EXPECT_THAT(error.what(), HasSubstr("invalid JSON"));
}

TEST(PolicyPackTest, CommentsAreAllowed) {
  TempDir dir;
  const auto file = dir.Write("c.json",
                              "// line comment\n{ /* block */ \"name\": \"c\",\n"
                              "  \"version\": \"1.0.0\" // trailing\n}\n");
  EXPECT_EQ(LoadPolicyPack(file).name, "c");
}

TEST(PolicyPackTest, WrongSeverityNamesJsonPathAndChoices) {
  const PolicyError error = LoadError(kFixtures / "bad-severity.json");
  EXPECT_EQ(error.field(), "detectors[2].severity");
  EXPECT_THAT(error.what(),
              HasSubstr("detectors[2].severity: expected one of info|low|medium|high|critical"));
  EXPECT_THAT(error.what(), HasSubstr("bad-severity.json"));
}

TEST(PolicyPackTest, WrongFieldTypesNameTheJsonPath) {
  TempDir dir;
  struct Case {
    std::string fields;
    std::string path;
    std::string message;
  };
  const std::vector<Case> cases = {
      {R"(, "patterns": "x@y")", "detectors[1].patterns", "expected an array of strings"},
      {R"(, "patterns": ["x@y", 5])", "detectors[1].patterns[1]", "expected a string"},
      {R"(, "patterns": [])", "detectors[1].patterns", "at least one"},
      {R"(, "min_confidence": 150)", "detectors[1].min_confidence", "0 to 100"},
      {R"(, "min_confidence": 50.5)", "detectors[1].min_confidence", "expected an integer"},
      {R"(, "requires_column_hint": "yes")", "detectors[1].requires_column_hint",
       "expected true or false"},
      {R"(, "hints": {"columns": "email"})", "detectors[1].hints.columns", "array of strings"},
      {R"(, "hints": {"column": ["email"]})", "detectors[1].hints.column", "unknown field"},
      {R"(, "frameworks": {"GDPR": "Art. 30"})", "detectors[1].frameworks.GDPR", "array"},
      {R"(, "examples": {"match": [1]})", "detectors[1].examples.match[0]", "expected a string"},
      {R"(, "category": "secrets")", "detectors[1].category", "pii|secret"},
      {R"(, "validator": 7)", "detectors[1].validator", "expected a string"},
  };
  for (const auto& c : cases) {
    const auto file = dir.Write("t.json", PackWithDetector(c.fields));
    const PolicyError error = LoadError(file);
    EXPECT_EQ(error.field(), c.path) << c.fields;
    EXPECT_THAT(error.what(), HasSubstr(c.message)) << c.fields;
    EXPECT_EQ(error.file(), file.string());
  }
}

TEST(PolicyPackTest, EntityMustBeAKnownType) {
  TempDir dir;
  const auto file = dir.Write("e.json", R"({"name": "e", "version": "1", "detectors": [
        {"id": "x", "entity": "EMAIL", "title": "t", "patterns": ["a"]}]})");
  EXPECT_EQ(LoadError(file).field(), "detectors[0].entity");
}

TEST(PolicyPackTest, UnknownKeysAreErrorsSoTyposCannotDisableADetector) {
  const PolicyError detector_key = LoadError(kFixtures / "typo-key.json");
  EXPECT_EQ(detector_key.field(), "detectors[0].validtor");
  EXPECT_THAT(detector_key.what(), HasSubstr("unknown field"));

  TempDir dir;
  const auto file = dir.Write("k.json", R"({"name": "k", "version": "1", "detector": []})");
  EXPECT_EQ(LoadError(file).field(), "detector");
  const auto thresholds = dir.Write(
      "h.json", R"({"name": "h", "version": "1", "thresholds": {"column_min_ratio": 5}})");
  EXPECT_EQ(LoadError(thresholds).field(), "thresholds.column_min_ratio");
}

TEST(PolicyPackTest, RequiredFieldsAndNameFormat) {
  TempDir dir;
  EXPECT_EQ(LoadError(dir.Write("a.json", R"({"version": "1"})")).field(), "name");
  EXPECT_EQ(LoadError(dir.Write("b.json", R"({"name": "b"})")).field(), "version");
  EXPECT_EQ(LoadError(dir.Write("c.json", R"({"name": "Bad Name", "version": "1"})")).field(),
            "name");
  EXPECT_EQ(LoadError(dir.Write("d.json", R"([1, 2])")).field(), "");
  EXPECT_EQ(LoadError(dir.Write("e.json", R"({"name": "e", "version": "1", "detectors": [
                 {"entity": "EMAIL_ADDRESS", "title": "t", "patterns": ["a"]}]})"))
                .field(),
            "detectors[0].id");
}

TEST(PolicyPackTest, DuplicateDetectorIdsInOnePack) {
  TempDir dir;
  const auto file = dir.Write("d.json", R"({"name": "d", "version": "1", "detectors": [
      {"id": "same", "entity": "EMAIL_ADDRESS", "title": "t", "patterns": ["a"]},
      {"id": "same", "entity": "PHONE_NUMBER", "title": "t", "patterns": ["b"]}]})");
  const PolicyError error = LoadError(file);
  EXPECT_EQ(error.field(), "detectors[1].id");
  EXPECT_THAT(error.what(), HasSubstr("duplicate"));
}

TEST(PolicyPackTest, ThresholdsAndControlsAreRead) {
  TempDir dir;
  const auto file = dir.Write("t.json", R"({"name": "t", "version": "1",
      "thresholds": {"column_min_ratio_permille": 500, "hinted_column_min_ratio_permille": 50},
      "controls": {"exports": {"max_age_days": 30}}})");
  const PolicyPack pack = LoadPolicyPack(file);
  EXPECT_EQ(pack.column_min_ratio_permille, 500);
  EXPECT_EQ(pack.hinted_column_min_ratio_permille, 50);
  EXPECT_EQ(pack.controls.numbers.at("exports.max_age_days"), 30);
  EXPECT_EQ(ControlPolicyFromPacks({pack}).exports.max_age_days, 30);
  EXPECT_TRUE(LoadPolicyPack(kShippedPacks / "pii-core.json").controls.empty());
}

TEST(PolicyPackTest, MissingFileIsAPolicyError) {
  const PolicyError error = LoadError(kFixtures / "does-not-exist.json");
  EXPECT_THAT(error.what(), HasSubstr("does-not-exist.json"));
}

TEST(PolicyPackTest, ResolvesNamesInSearchOrderAndPaths) {
  TempDir first;
  TempDir second;
  second.Write("site.json", "{}");
  const auto shadowed_second = second.Write("common.json", "{}");
  const auto common_first = first.Write("common.json", "{}");
  const std::vector<std::filesystem::path> dirs = {first.path() / "missing", first.path(),
                                                   second.path()};
  EXPECT_EQ(ResolvePolicyPack("site", dirs), second.path() / "site.json");
  EXPECT_EQ(ResolvePolicyPack("common", dirs), common_first);
  EXPECT_EQ(ResolvePolicyPack(shadowed_second.string(), dirs), shadowed_second);

  try {
    ResolvePolicyPack("no-such-pack", dirs);
    FAIL() << "an unknown name resolved";
  } catch (const PolicyError& error) {
    EXPECT_THAT(error.what(), HasSubstr("no-such-pack"));
    EXPECT_THAT(error.what(), HasSubstr("unknown policy pack"));
  }
  EXPECT_THROW(ResolvePolicyPack("./nowhere/x.json", dirs), PolicyError);
}

TEST(PolicyPackTest, ListsPacksSortedFirstDirectoryWins) {
  TempDir first;
  TempDir second;
  first.Write("zeta.json", "{}");
  first.Write("alpha.json", "{}");
  first.Write("notes.txt", "not a pack");
  second.Write("alpha.json", "{}");
  second.Write("beta.json", "{}");
  const auto packs = ListPolicyPacks({first.path(), first.path() / "missing", second.path()});
  EXPECT_THAT(packs,
              ::testing::ElementsAre(first.path() / "alpha.json", second.path() / "beta.json",
                                     first.path() / "zeta.json"));
}

TEST(PolicyPackTest, DefaultSearchDirsHonourTheEnvironmentFirst) {
  ::setenv("CRMAUDIT_POLICY_DIR", "/opt/site-policies", 1);
  const auto dirs = DefaultPolicySearchDirs();
  ::unsetenv("CRMAUDIT_POLICY_DIR");
  ASSERT_GE(dirs.size(), 3u);
  EXPECT_EQ(dirs[0], "/opt/site-policies");
  EXPECT_EQ(dirs[1], kShippedPacks);
  const auto without_env = DefaultPolicySearchDirs();
  EXPECT_EQ(without_env.front(), kShippedPacks);
  EXPECT_EQ(ResolvePolicyPack("pii-core", without_env), kShippedPacks / "pii-core.json");
}

}  // namespace
}  // namespace crmaudit
