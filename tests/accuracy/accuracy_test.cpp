// Detection accuracy over a labelled, multi-locale CRM corpus, measured through the real CLI.
//
// generate_corpus.py writes seven CRM exports (en_US, de, fr, es, pt_BR, en_GB, and zh_CN in
// GB18030 with Chinese headers) and, through crm_layouts.py, eight files laid out like real CRM
// exports: Salesforce Data Loader Contact / Account / Task, HubSpot contacts, Zoho CRM Leads, a
// Chinese CRM's individual and company customer lists (GB18030 with CRLF; UTF-8 with a BOM) and
// a SuiteCRM user table, with empty cells, national and international phones of ten countries,
// two values in one cell, multi-line addresses, notes in eight languages and a decoy for each
// entity type. Labels say which column holds which entity, which columns are decoys, which
// address parts (city, postcode) may be claimed as POSTAL_ADDRESS without being required to,
// and how many notes embed each entity. `crmaudit scan --full --format json --fail-on never`
// with every shipped pack runs over them, and the report's inventory is compared with labels.
//
// Columns, per entity type: recall = labelled columns classified with the type / labelled
// columns; precision = those / all structured columns classified with the type (a decoy, an
// unlabelled column or a column labelled with another type is a false claim). Both must be 1.
//
// Free-text precision and recall: the report exposes, per (column, entity type), the number of
// values in which at least one candidate was confirmed (inventory[].entities[].matched, the
// larger count when two detectors report one type). The labels count notes that embed at least
// one value of the type. Per type over all files: found = Σ matched, labelled = Σ labelled,
// agreed = Σ min(matched, labelled); precision = agreed / found, recall = agreed / labelled.
// A count cannot tell a false positive in one note from a miss in another, so it is an upper
// bound on both figures; the decoy snippets in the notes (order numbers, Luhn-valid epoch
// milliseconds, versions, OIDs, ITIN-shaped references without context, IBANs with a wrong
// check, UUIDs), the notes of company records (decoys only) and the decoy columns are what keep
// it honest. Only counts are printed, never a value.
//
// When several detectors report one type in a column (pii-core's card detector and pii-cn's
// UnionPay one, or the bearer-token and key-assignment detectors), the inventory keeps the
// largest single detector's count. For types whose detectors find the same values that is
// exact; for SECRET_KEY, whose detectors find disjoint forms, it under-counts, so its printed
// recall is a lower bound and it is not asserted.
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
constexpr double kMinPrecision = 0.995;  // free text, per entity type (issue 10)
constexpr double kMinRecall = 0.98;

// Free-text types whose figures are printed but not asserted, and why.
const std::map<std::string, std::string> kNotAsserted = {
    {"SECRET_KEY", "the inventory keeps one detector's count of disjoint forms: a lower bound"}};

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
                                 Quote(corpus.string()) + " " +
                                 std::to_string(kRowsPerLocale);  // the layouts scale with it
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
  ASSERT_EQ(g_corpus->labels.size(), 15u);
  std::map<std::string, uint64_t> rows;
  for (const json& coverage : g_corpus->report.value("coverage", json::array())) {
    rows[fs::path(coverage.value("dataset", "")).filename().string()] =
        coverage.value("rows", uint64_t{0});
    EXPECT_EQ(coverage.value("status", ""), "scanned") << coverage.value("dataset", "");
  }
  for (const auto& [file, label] : g_corpus->labels.items()) {
    EXPECT_EQ(rows[file], label.value("rows", uint64_t{0})) << file;
  }
}

// Column-level precision and recall per entity type, both 1.00: every labelled column carries its
// entity, and no structured column carries a type it does not hold (decoys, company names and
// addresses, dates that are not birth dates, versions, usernames...). Free-text columns are
// measured by the next test; optional columns (city, postcode) may carry the types they list.
TEST_F(AccuracyTest, ColumnPrecisionAndRecallArePerfectPerType) {
  struct Tally {
    int labelled = 0, found = 0, missed = 0, false_claims = 0;
  };
  std::map<std::string, Tally> by_type;
  for (const auto& [file, label] : g_corpus->labels.items()) {
    const json& pii = label["pii_columns"];
    const json optional = label.value("optional_columns", json::object());
    for (const auto& [column, entity] : pii.items()) {
      Tally& tally = by_type[entity.get<std::string>()];
      ++tally.labelled;
      if (g_corpus->inventory[file][column].count(entity.get<std::string>()) > 0) {
        ++tally.found;
      } else {
        ++tally.missed;
        ADD_FAILURE() << file << ": column \"" << column << "\" not classified as "
                      << entity.get<std::string>();
      }
    }
    for (const auto& [column, types] : g_corpus->inventory[file]) {
      if (label["free_text"].contains(column)) continue;
      for (const auto& [type, matched] : types) {
        if (pii.contains(column) && pii[column] == type) continue;
        if (optional.contains(column) && std::find(optional[column].begin(), optional[column].end(),
                                                   type) != optional[column].end()) {
          continue;
        }
        ++by_type[type].false_claims;
        const bool decoy = std::find(label["decoy_columns"].begin(), label["decoy_columns"].end(),
                                     column) != label["decoy_columns"].end();
        ADD_FAILURE() << file << ": " << (decoy ? "decoy " : "") << "column \"" << column
                      << "\" falsely classified as " << type << " (" << matched << " values)";
      }
    }
  }
  ASSERT_FALSE(by_type.empty());
  for (const auto& [type, tally] : by_type) {
    const int claims = tally.found + tally.false_claims;
    std::ostringstream line;
    line << "[accuracy] columns   " << std::left << std::setw(20) << type
         << " labelled=" << tally.labelled << " missed=" << tally.missed
         << " false=" << tally.false_claims << std::fixed << std::setprecision(3)
         << " precision=" << (claims == 0 ? 1.0 : static_cast<double>(tally.found) / claims)
         << " recall="
         << (tally.labelled == 0 ? 1.0 : static_cast<double>(tally.found) / tally.labelled);
    std::cout << line.str() << "\n";
  }
}

// Values inside labelled columns: Σ matched / Σ non-empty cells per type. A column is claimed
// when enough of its values validate, so a column of mixed formats can be claimed while every
// number written the national way is missed; this is the figure that shows it. Asserted for
// PHONE_NUMBER (issue 10: national-format numbers, the region from the record's country column,
// from 手机/座机 or the dataset's +CC majority); printed for the other types.
TEST_F(AccuracyTest, ValuesInLabelledColumnsAreFound) {
  constexpr double kMinPhoneValueRecall = 0.98;
  std::map<std::string, std::pair<uint64_t, uint64_t>> by_type;  // type -> (matched, values)
  for (const auto& [file, label] : g_corpus->labels.items()) {
    const json values = label.value("pii_values", json::object());
    for (const auto& [column, entity] : label["pii_columns"].items()) {
      const std::string type = entity.get<std::string>();
      const auto& found = g_corpus->inventory[file][column];
      const auto hit = found.find(type);
      auto& [matched, total] = by_type[type];
      matched += hit == found.end() ? 0 : hit->second;
      total += values.value(column, uint64_t{0});
      EXPECT_LE(hit == found.end() ? 0 : hit->second, values.value(column, uint64_t{0}))
          << file << ": column \"" << column << "\" has more matched values than cells";
    }
  }
  for (const auto& [type, counts] : by_type) {
    const double recall =
        counts.second == 0 ? 1.0
                           : static_cast<double>(counts.first) / static_cast<double>(counts.second);
    std::ostringstream line;
    line << "[accuracy] values    " << std::left << std::setw(20) << type
         << " cells=" << counts.second << " matched=" << counts.first << std::fixed
         << std::setprecision(3) << " recall=" << recall;
    std::cout << line.str() << "\n";
  }
  const auto& phones = by_type["PHONE_NUMBER"];
  ASSERT_GT(phones.second, 0u);
  EXPECT_GE(static_cast<double>(phones.first) / static_cast<double>(phones.second),
            kMinPhoneValueRecall)
      << "phone numbers in labelled phone columns";
}

// The decoys by themselves, so that a failure names them even when the column test is noisy.
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
  EXPECT_GT(decoys, 80);
  std::cout << "[accuracy] decoy columns flagged: " << flagged << "/" << decoys << "\n";
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
    const auto excluded = kNotAsserted.find(type);
    std::ostringstream line;
    line << "[accuracy] free text " << std::left << std::setw(20) << type
         << " labelled=" << tally.labelled << " found=" << tally.found << std::fixed
         << std::setprecision(3) << " precision=" << precision << " recall=" << recall
         << (excluded == kNotAsserted.end() ? "" : " (not asserted: " + excluded->second + ")");
    std::cout << line.str() << "\n";
    if (excluded != kNotAsserted.end()) continue;
    EXPECT_GE(precision, kMinPrecision) << type;
    EXPECT_GE(recall, kMinRecall) << type;
  }
}

}  // namespace
}  // namespace crmaudit
