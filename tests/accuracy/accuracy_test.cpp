// Detection accuracy over a labelled, multi-locale CRM corpus, measured through the real CLI.
//
// generate_corpus.py writes seven CRM exports (en_US, de, fr, es, pt_BR, en_GB, and zh_CN in
// GB18030 with Chinese headers), several thousand rows in all, plus labels: which column holds
// which entity, which columns are look-alike decoys, and how many notes embed each entity.
// `crmaudit scan --full --format json --fail-on never` with every shipped pack runs over them,
// and the report's inventory is compared with the labels.
//
// Free-text precision and recall: the report exposes, per (column, entity type), the number of
// values in which at least one candidate was confirmed (inventory[].entities[].matched, the
// larger count when two detectors report one type). The labels count notes that embed at least
// one value of the type. Per type over all files: found = Σ matched, labelled = Σ labelled,
// agreed = Σ min(matched, labelled); precision = agreed / found, recall = agreed / labelled.
// A count cannot tell a false positive in one note from a miss in another, so it is an upper
// bound on both figures; the decoy snippets in the notes (order numbers, Luhn-valid epoch
// milliseconds, versions, IBANs with a wrong check, UUIDs) and the decoy columns are what keep
// it honest. Only counts are printed, never a value.
//
// When several detectors report one type in a column (pii-core's card detector and pii-cn's
// UnionPay one, or the bearer-token and key-assignment detectors), the inventory keeps the
// largest single detector's count. For types whose detectors find the same values that is
// exact; for SECRET_KEY, whose detectors find disjoint forms, it under-counts, so its printed
// recall is a lower bound (SECRET_KEY is not checksum-backed and not asserted).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

namespace crmaudit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kRowsPerLocale = 700;
constexpr double kMinPrecision = 0.99;
constexpr double kMinRecall = 0.97;

// Entity types whose validator checks a checksum (or a check character), so a pattern match
// that fails it is provably not the identifier.
const std::set<std::string> kChecksumBacked = {
    "CREDIT_CARD_NUMBER", "IBAN_CODE", "CN_RESIDENT_ID", "CN_USCC", "ES_DNI",         "ES_NIE",
    "IT_FISCAL_CODE",     "FR_NIR",    "DE_TAX_ID",      "NL_BSN",  "US_BANK_ROUTING"};

std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

json ReadJson(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return json();
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

struct Corpus {
  json labels;  // file name -> labels (generate_corpus.py)
  json report;  // report.json of the scan
  // file name -> column -> entity type -> matched
  std::map<std::string, std::map<std::string, std::map<std::string, uint64_t>>> inventory;
  std::string error;  // why the corpus could not be produced or scanned
  fs::path work;      // scratch directory, removed after the suite
};

Corpus* g_corpus = nullptr;

class AccuracyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    g_corpus = new Corpus();
    const fs::path work =
        fs::temp_directory_path() / ("crmaudit-accuracy-" + std::to_string(::getpid()));
    g_corpus->work = work;
    fs::remove_all(work);
    fs::create_directories(work);
    const fs::path corpus = work / "corpus";
    const fs::path out = work / "out";
    const fs::path generator = fs::path(CRMAUDIT_SOURCE_DIR) / "tests/accuracy/generate_corpus.py";
    const std::string generate = "/usr/bin/python3 " + Quote(generator.string()) + " " +
                                 Quote(corpus.string()) + " " + std::to_string(kRowsPerLocale);
    if (std::system(generate.c_str()) != 0) {
      g_corpus->error = "the corpus generator failed";
      return;
    }
    // Every shipped pack, from this source tree, whatever the environment says.
    ::setenv("CRMAUDIT_POLICY_DIR", (fs::path(CRMAUDIT_SOURCE_DIR) / "policies").c_str(), 1);
    const std::string scan = Quote(CRMAUDIT_BINARY) + " scan " + Quote(corpus.string()) +
                             " --full --format json --fail-on never --out " + Quote(out.string()) +
                             " > /dev/null 2>&1";
    const int status = std::system(scan.c_str());
    if (status != 0) {
      g_corpus->error = "crmaudit scan exited with status " + std::to_string(status);
      return;
    }
    g_corpus->labels = ReadJson(work / "corpus.labels.json");
    g_corpus->report = ReadJson(out / "report.json");
    if (!g_corpus->labels.is_object() || !g_corpus->report.is_object()) {
      g_corpus->error = "labels or report.json missing or not JSON";
      return;
    }
    for (const json& entry : g_corpus->report.value("inventory", json::array())) {
      const std::string file = fs::path(entry.value("dataset", "")).filename().string();
      auto& columns = g_corpus->inventory[file][entry.value("column", "")];
      for (const json& entity : entry.value("entities", json::array())) {
        columns[entity.value("type", "")] = entity.value("matched", uint64_t{0});
      }
    }
  }

  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(g_corpus->work, ignored);
    delete g_corpus;
    g_corpus = nullptr;
  }

  void SetUp() override { ASSERT_TRUE(g_corpus->error.empty()) << g_corpus->error; }
};

TEST_F(AccuracyTest, EveryDatasetIsScannedCompletely) {
  ASSERT_EQ(g_corpus->labels.size(), 7u);
  std::map<std::string, uint64_t> rows;
  for (const json& coverage : g_corpus->report.value("coverage", json::array())) {
    rows[fs::path(coverage.value("dataset", "")).filename().string()] =
        coverage.value("rows", uint64_t{0});
    EXPECT_EQ(coverage.value("status", ""), "scanned") << coverage.value("dataset", "");
  }
  for (const auto& [file, label] : g_corpus->labels.items()) {
    EXPECT_EQ(rows[file], static_cast<uint64_t>(kRowsPerLocale)) << file;
  }
}

TEST_F(AccuracyTest, EveryLabelledPiiColumnIsClassifiedWithItsEntity) {
  int columns = 0;
  int classified = 0;
  for (const auto& [file, label] : g_corpus->labels.items()) {
    for (const auto& [column, entity] : label["pii_columns"].items()) {
      ++columns;
      const auto& found = g_corpus->inventory[file][column];
      const bool ok = found.count(entity.get<std::string>()) > 0;
      classified += ok ? 1 : 0;
      EXPECT_TRUE(ok) << file << ": column \"" << column << "\" not classified as "
                      << entity.get<std::string>();
    }
  }
  std::cout << "[accuracy] structured PII columns classified: " << classified << "/" << columns
            << "\n";
}

TEST_F(AccuracyTest, NoDecoyColumnIsFlagged) {
  int decoys = 0;
  int flagged = 0;
  for (const auto& [file, label] : g_corpus->labels.items()) {
    for (const json& column : label["decoy_columns"]) {
      ++decoys;
      const auto found = g_corpus->inventory[file].find(column.get<std::string>());
      if (found == g_corpus->inventory[file].end()) continue;
      ++flagged;
      for (const auto& [type, matched] : found->second) {
        ADD_FAILURE() << file << ": decoy column \"" << column.get<std::string>()
                      << "\" flagged as " << type << " (" << matched << " values)";
      }
    }
  }
  std::cout << "[accuracy] decoy columns flagged: " << flagged << "/" << decoys << "\n";
}

// Structured columns must carry only their labelled entity: a second type on a labelled column
// (say CN_USCC on the resident-ID column) would be a column-level false positive.
TEST_F(AccuracyTest, LabelledColumnsCarryNoOtherEntity) {
  for (const auto& [file, label] : g_corpus->labels.items()) {
    for (const auto& [column, entity] : label["pii_columns"].items()) {
      for (const auto& [type, matched] : g_corpus->inventory[file][column]) {
        EXPECT_EQ(type, entity.get<std::string>())
            << file << ": column \"" << column << "\" also classified as " << type << " ("
            << matched << " values)";
      }
    }
  }
}

TEST_F(AccuracyTest, FreeTextPrecisionAndRecallMeetTargets) {
  struct Tally {
    uint64_t labelled = 0, found = 0, agreed = 0;
  };
  std::map<std::string, Tally> by_type;
  for (const auto& [file, label] : g_corpus->labels.items()) {
    for (const auto& [column, counts] : label["free_text"].items()) {
      const auto& found = g_corpus->inventory[file][column];
      std::set<std::string> types;
      for (const auto& [type, count] : counts.items()) types.insert(type);
      for (const auto& [type, matched] : found) types.insert(type);
      for (const std::string& type : types) {
        const uint64_t labelled = counts.value(type, uint64_t{0});
        const auto hit = found.find(type);
        const uint64_t matched = hit == found.end() ? 0 : hit->second;
        Tally& tally = by_type[type];
        tally.labelled += labelled;
        tally.found += matched;
        tally.agreed += std::min(labelled, matched);
      }
    }
  }
  ASSERT_FALSE(by_type.empty());
  for (const auto& [type, tally] : by_type) {
    const double precision =
        tally.found == 0 ? 1.0
                         : static_cast<double>(tally.agreed) / static_cast<double>(tally.found);
    const double recall = tally.labelled == 0 ? 1.0
                                              : static_cast<double>(tally.agreed) /
                                                    static_cast<double>(tally.labelled);
    const bool checksum = kChecksumBacked.count(type) > 0;
    std::ostringstream line;
    line << "[accuracy] free text " << std::left << std::setw(20) << type
         << (checksum ? " (checksum)" : "           ") << " labelled=" << tally.labelled
         << " found=" << tally.found << std::fixed << std::setprecision(3)
         << " precision=" << precision << " recall=" << recall;
    std::cout << line.str() << "\n";
    if (!checksum) continue;
    EXPECT_GE(precision, kMinPrecision) << type;
    EXPECT_GE(recall, kMinRecall) << type;
  }
}

}  // namespace
}  // namespace crmaudit
