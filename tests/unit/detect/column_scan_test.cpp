// Scanning a column with what the matcher learns about it (ColumnScanState: predicted detector,
// repeat cache, hit rate) and a batch at a time (ScanColumn: many values cleared by one pass)
// must give exactly what scanning every value alone gives. These tests compare the three ways
// over columns built to push the shortcuts to their edges: repeats, a column that changes
// character half way, values that are wholly one entity but hold another, refused look-alikes,
// line breaks inside values, and patterns that need a text of their own.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "scanner/detect/column_learning.h"
#include "scanner/detect/compiled_policy.h"
#include "scanner/policy/region_data.h"

namespace crmaudit {
namespace {

namespace fs = std::filesystem;

using Found = std::vector<std::tuple<int, size_t, size_t, int>>;

Found AsTuples(const ValueMatch* matches, size_t count) {
  Found found;
  for (size_t i = 0; i < count; ++i) {
    found.emplace_back(matches[i].detector, matches[i].begin, matches[i].end,
                       matches[i].confidence);
  }
  return found;
}

std::shared_ptr<const CompiledPolicy> AllShippedPacks() {
  static const auto policy = [] {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fs::path(CRMAUDIT_SOURCE_DIR) / "policies")) {
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<PolicyPack> packs;
    for (const auto& file : files) packs.push_back(LoadPolicyPack(file));
    return CompiledPolicy::Compile(std::move(packs));
  }();
  return policy;
}

std::shared_ptr<const CompiledPolicy> PiiCore() {
  static const auto policy = CompiledPolicy::Compile(
      {LoadPolicyPack(fs::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json")});
  return policy;
}

std::string Digits(unsigned seed, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    seed = seed * 1103515245u + 12345u;
    out.push_back(static_cast<char>('0' + (seed >> 16) % 10));
  }
  return out;
}

// A card number that passes the Luhn check, different for each seed.
std::string LuhnNumber(unsigned seed) {
  std::string number = "4" + Digits(seed, 14);
  int sum = 0;
  for (size_t i = 0; i < number.size(); ++i) {
    int digit = number[number.size() - 1 - i] - '0';
    if (i % 2 == 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return number + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// A column of `rows` values in phases: what a real column rarely does all at once.
std::vector<std::string> ColumnValues(const std::string& kind, int rows) {
  std::vector<std::string> values;
  for (int row = 0; row < rows; ++row) {
    const unsigned seed = static_cast<unsigned>(row * 7919 + static_cast<int>(kind.size()));
    std::string value;
    if (kind == "email") {
      switch (row % 9) {
        case 0:
          value = "";  // blank cells are part of real columns
          break;
        case 1:
          value = LuhnNumber(seed) + "@example.com";  // wholly an email holding a card number
          break;
        case 2:
          value = "not an address";
          break;
        case 3:
          value = "shared@example.com";  // repeats
          break;
        case 4:
          // A stray space: the validator trims it, but the value is not wholly the pattern's.
          value = "user" + Digits(seed, 5) + "@example.com ";
          break;
        default:
          value = "user" + Digits(seed, 5) + "@example.com";
      }
    } else if (kind == "phone") {
      switch (row % 7) {
        case 0:
          value = "n/a";
          break;
        case 1:
          value = "+44 20 7946 " + Digits(seed, 4) + " ext 12";
          break;
        case 2:
          value = "+1 000 000 " + Digits(seed, 4);  // wholly the pattern, refused by the validator
          break;
        case 3:
          value = "+49 30 901820";
          break;
        case 4:
          value = " +44 20 79" + Digits(seed, 2) + " " + Digits(seed + 1, 4);  // a stray space
          break;
        default:
          value = "+44 20 79" + Digits(seed, 2) + " " + Digits(seed + 1, 4);
      }
    } else if (kind == "mobile") {
      // A Chinese CRM's 手机 column: a national mobile number is wholly the candidate of three
      // phone detectors, a "+86" one of two, another country's of one. In phases: national
      // numbers only, then everything mixed (a remark beside the number, two numbers in a cell,
      // a look-alike), then "+1" numbers with every tenth one "+86".
      const std::string national = "13" + Digits(seed, 9);
      if (row < rows / 3) {
        value = row % 50 == 0 ? "" : national;
      } else if (row < 2 * rows / 3) {
        switch (row % 6) {
          case 0:
            value = "+86 138 " + Digits(seed, 4) + " " + Digits(seed + 1, 4);
            break;
          case 1:
            value = national + " (office)";
            break;
          case 2:
            value = national + "/139" + Digits(seed + 1, 8);
            break;
          case 3:
            value = "12" + Digits(seed, 9);  // no Chinese mobile number
            break;
          case 4:
            value = "+1 202 555 01" + Digits(seed, 2);
            break;
          default:
            value = national;
        }
      } else {
        value = row % 10 == 0 ? "+86 139 " + Digits(seed, 4) + " " + Digits(seed + 1, 4)
                              : "+1 202 555 01" + Digits(seed, 2);
      }
    } else if (kind == "notes") {
      switch (row % 5) {
        case 0:
          value = "Call back on +44 20 7946 " + Digits(seed, 4) + "\nor mail jo@example.org";
          break;
        case 1:
          value = "Card 4111 1111 1111 1111 on file, IBAN DE89 3704 0044 0532 0130 00";
          break;
        default:
          value = "Customer since 20" + Digits(seed, 2) + ", prefers email";
      }
    } else if (kind == "changing") {
      // Emails, then phones, then names, then emails again: predictions and hit rates must
      // follow without ever changing a result.
      const int phase = (row / 700) % 4;
      if (phase == 0 || phase == 3) {
        value = "p" + Digits(seed, 6) + "@example.net";
      } else if (phase == 1) {
        value = "+44 20 7946 " + Digits(seed, 4);
      } else {
        value = row % 50 == 0 ? "reach me at a" + Digits(seed, 3) + "@example.com" : "Ms Lovelace";
      }
    } else if (kind == "context_notes") {
      // Identifiers named right before them, decoys without a name, and candidates of
      // different types on one span (resolved to one entity in the full scan only).
      switch (row % 11) {
        case 0:
          value = "Klant gaf BSN 123456782 door";
          break;
        case 1:
          value = "SSN " + Digits(seed, 9) + " confirmed";
          break;
        case 2:
          value = "Old reference 9" + Digits(seed, 2) + "-7" + Digits(seed + 1, 1) + "-" +
                  Digits(seed + 2, 4) + " from the legacy system";
          break;
        case 3:
          value = row % 2 ? "IBAN DE93 4319 1284 5298 4153 77" : "IBAN DE21 6233 4018 7801 7598 98";
          break;
        case 4:
          value = "Card " + LuhnNumber(seed) + Digits(seed, 4) + " is no card";  // 20 digits
          break;
        case 5:
          value = "Login from 203.0.113." + std::to_string(row % 200 + 1) + ", version 1.2.3.4";
          break;
        case 6:
          value = "138" + Digits(seed, 8) + "@163.com";  // an email whose local part is a mobile
          break;
        case 7:
          value = "203.0.113." + std::to_string(row % 250 + 1);
          break;
        case 8:
          value = "ITIN 912-78-" + Digits(seed, 4) + "; ref 912-78-" + Digits(seed + 3, 4);
          break;
        default:
          value = "Follow-up in " + Digits(seed, 2) + " days";
      }
    } else if (kind == "ip_address") {
      switch (row % 8) {
        case 0:
          value = "";
          break;
        case 1:
          value = "2001:db8::" + Digits(seed, 3);
          break;
        case 2:
          value = "127.0.0.1";  // refused: loopback
          break;
        case 3:
          value = "198.51.100.7";  // repeats
          break;
        default:
          value = "10." + std::to_string(row % 256) + "." + std::to_string(row / 256 % 256) + "." +
                  std::to_string(1 + row % 254);
      }
    } else if (kind == "password") {
      static const char* kPasswords[] = {
          "********",
          "hunter22",
          "2ab96390c7dbe3439de74d0c9b0b1767",
          "redacted",
          "$2b$12$RA.EZmC4RcAY/WOUjZIWwOM0r9jSCznpTeFD1EkFoW7qTuaMx5xWG",
          "N/A"};
      value = row % 7 == 6 ? "Pw" + Digits(seed, 6) + "!" : kPasswords[row % 6];
    } else if (kind == "id") {
      value = row % 97 == 0 ? Digits(seed, 11) : std::to_string(100000 + row);
    } else {  // city: a handful of repeating values
      static const char* kCities[] = {"London", "Paris", "Berlin", "上海", "São Paulo"};
      value = kCities[row % 5];
    }
    values.push_back(value);
  }
  return values;
}

const char* const kColumns[] = {"email", "phone",         "notes",      "changing", "id",
                                "city",  "context_notes", "ip_address", "password"};

// Scan with a column's state, and ScanColumn in batches of several sizes, give `alone` (each
// value's matches when scanned on its own); `regions` holds value i's region at i, or is empty
// (every value in the policy's default region).
void ExpectStateAndBatchesGiveAlone(const CompiledPolicy& policy, const ColumnContext& context,
                                    const std::vector<std::string>& values,
                                    const std::vector<RegionId>& regions,
                                    const std::vector<Found>& alone) {
  ColumnScanState state;
  for (size_t i = 0; i < values.size(); ++i) {
    std::vector<ValueMatch> matches;
    policy.Scan(values[i], context, &state, &matches, regions.empty() ? 0 : regions[i]);
    ASSERT_EQ(AsTuples(matches.data(), matches.size()), alone[i]) << "Scan with state, value " << i;
  }
  for (size_t batch : {size_t{1}, size_t{7}, size_t{64}, size_t{300}}) {
    ColumnScanState batch_state;
    for (size_t start = 0; start < values.size(); start += batch) {
      const size_t count = std::min(batch, values.size() - start);
      std::vector<std::string_view> views(values.begin() + static_cast<long>(start),
                                          values.begin() + static_cast<long>(start + count));
      std::vector<ValueMatch> matches = {ValueMatch{-1, 0, 0, 0}};  // spans must skip this
      std::vector<MatchSpan> spans(count);
      std::span<const RegionId> batch_regions;
      if (!regions.empty())
        batch_regions = std::span<const RegionId>(regions).subspan(start, count);
      policy.ScanColumn(views, context, &batch_state, &matches, spans.data(), batch_regions);
      for (size_t k = 0; k < count; ++k) {
        ASSERT_EQ(AsTuples(matches.data() + spans[k].first, spans[k].count), alone[start + k])
            << "ScanColumn in batches of " << batch << ", value " << start + k;
      }
    }
  }
}

void ExpectSameAsAlone(const CompiledPolicy& policy, const std::string& column,
                       const std::vector<std::string>& values) {
  SCOPED_TRACE("column " + column);
  const ColumnContext context = policy.ColumnHints(column);
  std::vector<Found> alone;
  for (const auto& value : values) {
    std::vector<ValueMatch> matches;
    policy.Scan(value, context, &matches);
    alone.push_back(AsTuples(matches.data(), matches.size()));
  }
  ExpectStateAndBatchesGiveAlone(policy, context, values, {}, alone);
}

TEST(ColumnScanTest, LearningAndBatchesGiveWhatEachValueAloneGives) {
  for (const auto& policy : {PiiCore(), AllShippedPacks()}) {
    for (const char* column : kColumns) {
      SCOPED_TRACE(column);
      ExpectSameAsAlone(*policy, column, ColumnValues(column, 3000));
    }
  }
}

// One column holding values of records from different countries: a result learnt for a value
// in one region (repeat cache, predicted detector, line batches) must never be reused for the
// same value read in another region.
TEST(ColumnScanTest, ValuesReadInDifferentRegionsGiveWhatEachGivesAlone) {
  CompileOptions options;
  options.regions = std::make_shared<const RegionRules>(
      LoadShippedRegionData({fs::path(CRMAUDIT_SOURCE_DIR) / "policies"}));
  const auto policy = CompiledPolicy::Compile(
      {LoadPolicyPack(fs::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json")}, options);
  const char* const kNumbers[] = {
      "0170 2348589", "020 7185 0022", "06 12 34 56 78",   "612 345 678",
      "06-12345678",  "010-6552 1234", "+44 20 7946 0958", "n/a"};
  const char* const kRegions[] = {"DE", "GB", "FR", "ES", "NL", "CN", "", "US", "IT"};
  std::vector<std::string> values;
  std::vector<RegionId> regions;
  for (int row = 0; row < 3000; ++row) {
    // Long runs of one pair (predictions and repeats settle), then pairs that change every row.
    const int phase = row < 1200 ? row / 300 : row;
    values.push_back(row % 13 == 0 ? "" : kNumbers[phase % 8]);
    regions.push_back(RegionIdOf(kRegions[(phase + row / 600) % 9]));
  }
  const ColumnContext context = policy->ColumnHints("Phone");
  std::vector<Found> alone;
  size_t found = 0;
  size_t refused = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    std::vector<ValueMatch> matches;
    policy->Scan(values[i], context, nullptr, &matches, regions[i]);
    alone.push_back(AsTuples(matches.data(), matches.size()));
    (matches.empty() ? refused : found) += values[i].empty() ? 0 : 1;
  }
  EXPECT_GT(found, 500u);    // national numbers in their own region, "+44" everywhere
  EXPECT_GT(refused, 500u);  // national numbers read in another region
  ExpectStateAndBatchesGiveAlone(*policy, context, values, regions, alone);
}

// The shortcuts must be exercised, not bypassed: the test corpus finds real matches in the
// columns the learning works on.
TEST(ColumnScanTest, TheCorpusHoldsWhatTheShortcutsAreFor) {
  const auto& policy = *PiiCore();
  size_t whole_emails = 0;
  size_t whole_phones = 0;
  for (const char* column : {"email", "phone"}) {
    const ColumnContext context = policy.ColumnHints(column);
    for (const auto& value : ColumnValues(column, 700)) {
      std::vector<ValueMatch> matches;
      policy.Scan(value, context, &matches);
      if (matches.size() == 1 && matches[0].begin == 0 && matches[0].end == value.size()) {
        ++(std::string(column) == "email" ? whole_emails : whole_phones);
      }
    }
  }
  EXPECT_GT(whole_emails, 300u);
  EXPECT_GT(whole_phones, 200u);
}

// The corpus kinds added for context words, overlaps and column-only detectors hold what they
// are for: identifiers vouched for by a word right before them, an IBAN that also held a card
// candidate, an email that also held a phone candidate, and password values that only the
// column-only detectors find.
TEST(ColumnScanTest, TheCorpusHoldsContextOverlapAndColumnOnlyCases) {
  const auto& policy = *AllShippedPacks();
  std::map<std::string, size_t> values_with;  // entity -> values of the column holding one
  for (const char* column : {"context_notes", "password"}) {
    const ColumnContext context = policy.ColumnHints(column);
    for (const auto& value : ColumnValues(column, 220)) {
      std::vector<ValueMatch> matches;
      policy.Scan(value, context, &matches);
      std::set<std::string> entities;
      for (const auto& match : matches) {
        entities.insert(policy.detectors()[static_cast<size_t>(match.detector)]->entity);
      }
      for (const auto& entity : entities) ++values_with[std::string(column) + "/" + entity];
      if (value.rfind("IBAN ", 0) == 0) {
        EXPECT_EQ(entities, std::set<std::string>{"IBAN_CODE"}) << "value " << value.size();
      }
      if (value.rfind("ITIN ", 0) == 0) {  // the second number follows a clause break
        EXPECT_EQ(std::count_if(
                      matches.begin(), matches.end(),
                      [&](const ValueMatch& match) {
                        return policy.detectors()[static_cast<size_t>(match.detector)]->entity ==
                               "US_ITIN";
                      }),
                  1);
      }
      if (value.find("@163.com") != std::string::npos) {
        EXPECT_EQ(entities, std::set<std::string>{"EMAIL_ADDRESS"});
      }
    }
  }
  EXPECT_EQ(values_with["context_notes/NL_BSN"], 20u);
  EXPECT_GT(values_with["context_notes/US_SSN"], 5u);
  EXPECT_EQ(values_with["context_notes/US_ITIN"], 20u);  // only the named ones
  EXPECT_GT(values_with["context_notes/IP_ADDRESS"], 30u);
  EXPECT_EQ(values_with["context_notes/CREDIT_CARD_NUMBER"], 0u);
  EXPECT_GT(values_with["password/PLAINTEXT_PASSWORD"], 60u);
  EXPECT_GT(values_with["password/PASSWORD_HASH"], 60u);
}

DetectorSpec Detector(std::string id, std::vector<std::string> patterns) {
  DetectorSpec spec;
  spec.id = id;
  spec.entity = "TEST_" + id;
  spec.title = id;
  spec.patterns = std::move(patterns);
  spec.min_confidence = 50;
  spec.pack = "test";
  return spec;
}

std::shared_ptr<const CompiledPolicy> TestPolicy(std::vector<DetectorSpec> detectors) {
  PolicyPack pack;
  pack.name = "test";
  pack.version = "1.0.0";
  pack.source = "test.json";
  pack.detectors = std::move(detectors);
  return CompiledPolicy::Compile({pack});
}

// How many matches of each detector (by id) one ScanColumn over a whole column finds.
std::map<std::string, size_t> FoundInColumn(const CompiledPolicy& policy, const std::string& column,
                                            const std::vector<std::string>& values) {
  ColumnScanState state;
  std::vector<std::string_view> views(values.begin(), values.end());
  std::vector<ValueMatch> matches;
  std::vector<MatchSpan> spans(views.size());
  policy.ScanColumn(views, policy.ColumnHints(column), &state, &matches, spans.data());
  std::map<std::string, size_t> found;
  for (const ValueMatch& match : matches) {
    ++found[policy.detectors()[static_cast<size_t>(match.detector)]->id];
  }
  return found;
}

// A card detector that a "card" header hints: 16 digits between non-digits, Luhn-checked.
DetectorSpec HintedCard() {
  DetectorSpec card = Detector("card", {"(?:^|[^0-9])(?P<value>[0-9]{16})(?:$|[^0-9])"});
  card.validator = "credit_card";
  card.column_hints = {"card"};
  return card;
}

// The detector a header hints is asked first, and once it takes the whole value, detectors
// that cannot outrank that candidate are not asked. The result must stay what resolving the
// overlaps of every detector's candidates gives, also when an asked detector outranks the
// hinted one after all (then the skipped ones are asked: here `part`, of the card's type,
// survives beside the card).
TEST(ColumnScanTest, SkippingOutrankedDetectorsKeepsTheResult) {
  DetectorSpec card = Detector("card", {"[0-9]{16}"});
  card.validator = "credit_card";  // unhinted and validated: 90
  DetectorSpec part = Detector("part", {"[0-9]{4}"});
  part.entity = card.entity;  // the card's type: never in conflict with the card
  DetectorSpec hinted = Detector("hinted", {"[0-9]{16}"});
  hinted.column_hints = {"code"};  // hinted, pattern only: 75
  const auto policy = TestPolicy({card, part, hinted});
  auto count = [&](std::string_view value, std::string_view column) {
    std::vector<ValueMatch> matches;
    policy->Scan(value, policy->ColumnHints(column), &matches);
    std::map<int, int> per_detector;
    for (const ValueMatch& match : matches) ++per_detector[match.detector];
    return per_detector;
  };
  // A card number outranks the hinted candidate: the card and its four parts remain.
  EXPECT_EQ(count("4111111111111111", "code"), (std::map<int, int>{{0, 1}, {1, 4}}));
  EXPECT_EQ(count("4111111111111111", "value"), (std::map<int, int>{{0, 1}, {1, 4}}));
  // Not a card (Luhn fails): the whole value of the third detector, and no part beside it.
  EXPECT_EQ(count("4111111111111112", "code"), (std::map<int, int>{{2, 1}}));
  EXPECT_EQ(count("4111111111111112", "value"), (std::map<int, int>{{2, 1}}));
}

// A pattern anchored to the whole text (\A, \z) or switching multi-line mode off cannot be
// checked on values joined by line breaks; such values are then checked one by one.
TEST(ColumnScanTest, PatternsThatNeedATextOfTheirOwnAreStillFoundInBatches) {
  const auto policy =
      TestPolicy({Detector("starts", {R"(\AREF-[0-9]{4})"}),
                  Detector("ends", {R"(TAIL[0-9]{2}\z)"}), Detector("line", {R"((?-m)^LINE$)"})});
  std::vector<std::string> values;
  for (int i = 0; i < 200; ++i) {
    values.push_back(i % 40 == 13   ? "REF-" + std::to_string(1000 + i)
                     : i % 40 == 27 ? "x TAIL" + std::to_string(10 + i % 90)
                     : i % 40 == 33 ? "LINE"
                                    : "nothing " + std::to_string(i));
  }
  ExpectSameAsAlone(*policy, "value", values);
  std::vector<std::string_view> views(values.begin(), values.end());
  ColumnScanState state;
  std::vector<ValueMatch> matches;
  std::vector<MatchSpan> spans(views.size());
  policy->ScanColumn(views, policy->ColumnHints("value"), &state, &matches, spans.data());
  EXPECT_EQ(matches.size(), 15u);  // 5 of each
}

// A pattern anchored with ^ and $ must still be found when its value is one line of many.
TEST(ColumnScanTest, AnchoredPatternsAreFoundInsideABatch) {
  const auto policy = TestPolicy({Detector("anchored", {"^ANCHORED-[0-9]+$"})});
  std::vector<std::string> values;
  for (int i = 0; i < 1000; ++i) {
    values.push_back(i % 100 == 37 ? "ANCHORED-" + std::to_string(i)
                                   : "plain " + std::to_string(i));
  }
  ExpectSameAsAlone(*policy, "value", values);
}

// "Whole value first": a value that is entirely one candidate of a detector is that candidate,
// even where a search from the left would have stopped at a shorter one.
TEST(ColumnScanTest, AValueThatIsWhollyACandidateIsTakenWhole) {
  const auto policy = TestPolicy({Detector("code", {"[0-9]{4}|[0-9]{8}"})});
  std::vector<ValueMatch> matches;
  policy->Scan("12345678", policy->ColumnHints("value"), &matches);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].begin, 0u);
  EXPECT_EQ(matches[0].end, 8u);
  // Inside longer text the search still finds the candidates from the left.
  matches.clear();
  policy->Scan("code 12345678", policy->ColumnHints("value"), &matches);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].end - matches[0].begin, 4u);
}

// "Is the value wholly one of the detector's candidates?" is one anchored match of all its
// patterns' whole-value regexes together (WholeValueAny). It must answer as asking each pattern
// would: a value wholly a candidate of the second pattern only is taken whole (asking only the
// first, the search would find two shorter candidates); a pattern with no whole-value regex (a
// required prefix) leaves the others' answer alone; and a flag group of one pattern must not
// reach the next one, or "xyab" would be taken whole as the case-sensitive `XY[a-z]{2}`.
TEST(ColumnScanTest, AWholeValueOfAnyPatternOfTheDetectorIsTakenWhole) {
  const auto policy = TestPolicy(
      {Detector("code",
                {"(?:^|[^0-9])(?P<value>[0-9]{4})(?:$|[^0-9])", "[0-9]{4}-[0-9]{4}-[0-9]{2}"}),
       Detector("tagged", {"card:(?P<value>[0-9]{8})", "(?:^|[^0-9])(?P<value>[0-9]{8})(?:$|-)"}),
       Detector("flagged", {"(?i)ab", "XY[a-z]{2}"})});
  const ColumnContext context = policy->ColumnHints("value");
  auto spans = [&](std::string_view value) {
    std::vector<ValueMatch> matches;
    policy->Scan(value, context, &matches);
    std::vector<std::pair<size_t, size_t>> found;
    for (const ValueMatch& match : matches) found.emplace_back(match.begin, match.end);
    return found;
  };
  using Spans = std::vector<std::pair<size_t, size_t>>;
  EXPECT_EQ(spans("1234-5678-90"), (Spans{{0, 12}}));
  EXPECT_EQ(spans("1234 5678"), (Spans{{0, 4}, {5, 9}}));  // not wholly one: searched
  EXPECT_EQ(spans("12345678"), (Spans{{0, 8}}));
  EXPECT_EQ(spans("card:12345678"), (Spans{{5, 13}}));
  EXPECT_EQ(spans("xyab"), (Spans{{2, 4}}));
  EXPECT_EQ(spans("XYab"), (Spans{{0, 4}}));
  // The same through the column's shortcuts (predicted detector, batches).
  std::vector<std::string> values;
  for (int i = 0; i < 600; ++i) {
    values.push_back(i % 50 == 7   ? "1234 5678"
                     : i % 50 == 8 ? "xyab"
                                   : "1234-5678-" + Digits(i, 2));
  }
  ExpectSameAsAlone(*policy, "value", values);
}

// A column predicted to hold one detector's whole values ("plain") goes on being confirmed a
// batch at a time when other detectors' patterns hit its values, as long as those cannot report
// beside the whole value: a detector the header rules out ("vetoed"), or one that needs a
// context word the value lacks ("ref" in "abc 123456789"). Where they can, the value must be
// scanned in full: "ref" with its word, of the prediction's own entity, reports beside it; and a
// card number that passes its checksum is the validated "card" (90) rather than "plain" (50).
TEST(ColumnScanTest, HitsOfDetectorsThatCannotReportBesideThePredictionDoNotStopIt) {
  DetectorSpec plain = Detector("plain", {"[0-9]{15,16}", "[a-z]+ [0-9]{9}"});
  DetectorSpec card = Detector("card", {"(?:^|[^0-9])(?P<value>[0-9]{16})(?:$|[^0-9])"});
  card.validator = "credit_card";
  DetectorSpec ref = Detector("ref", {"(?:^|[^0-9])(?P<value>[0-9]{9})(?:$|[^0-9])"});
  ref.entity = plain.entity;  // never in conflict with the whole value: reported beside it
  ref.context_words = {"ref"};
  ref.min_confidence = 65;  // 50 for the pattern, 15 more with its word before the candidate
  DetectorSpec vetoed = Detector("vetoed", {"[0-9]{9}"});
  vetoed.negative_column_hints = {"code"};
  const auto policy = TestPolicy({plain, card, ref, vetoed});
  std::vector<std::string> values;
  for (int i = 0; i < 3000; ++i) {
    const unsigned seed = static_cast<unsigned>(i);
    if (i % 100 == 17) {
      values.push_back(LuhnNumber(seed));
    } else if (i % 100 == 41) {
      values.push_back("ref " + Digits(seed, 9));
    } else if (i % 2 == 0) {
      values.push_back("abc " + Digits(seed, 9));
    } else {
      values.push_back(Digits(seed, 15));  // too short for the card pattern
    }
  }
  ExpectSameAsAlone(*policy, "code", values);
  std::map<std::string, size_t> found = FoundInColumn(*policy, "code", values);
  EXPECT_EQ(found["card"], 30u);
  EXPECT_EQ(found["ref"], 30u);
  EXPECT_EQ(found["vetoed"], 0u);
}

// In a column of amounts a date-of-birth pattern hits "1994.05" in a third of the values, but
// the detector can only report after its word ("born"), and no word stands in a value without a
// letter: the column gets a line set that answers only for such values and leaves the pattern
// out. Values with letters that come later ("born 1994.05", "Ann 1994.05") must still be scanned
// in full, whatever batch they fall in, and the card numbers among the amounts still found.
TEST(ColumnScanTest, AColumnWithoutLettersClearsHitsOfDetectorsThatNeedAWord) {
  DetectorSpec dob =
      Detector("dob", {"(?:^|[^0-9])(?P<value>(?:19|20)[0-9]{2}\\.[0-9]{2})(?:$|[^0-9])"});
  dob.context_words = {"born"};
  dob.min_confidence = 65;  // 50 for the pattern, 15 more with its word before the candidate
  DetectorSpec card = Detector("card", {"(?:^|[^0-9])(?P<value>[0-9]{16})(?:$|[^0-9])"});
  card.validator = "credit_card";
  DetectorSpec name = Detector("name", {"[A-Z][a-z]+ [A-Z][a-z]+"});
  const auto policy = TestPolicy({dob, card, name});
  std::vector<std::string> values;
  size_t born = 0, cards = 0, names = 0;
  for (int i = 0; i < 4000; ++i) {
    const unsigned seed = static_cast<unsigned>(i);
    std::string amount =
        (i % 3 == 0 ? "19" + Digits(seed, 2) : Digits(seed, 4)) + "." + Digits(seed + 7, 2);
    if (i % 100 == 17) {
      values.push_back(LuhnNumber(seed));
      ++cards;
    } else if (i >= 2000 && i % 10 == 3) {
      values.push_back("born " + amount);
      born += amount.starts_with("19") || amount.starts_with("20") ? 1 : 0;
    } else if (i >= 2000 && i % 25 == 4) {
      values.push_back("Ann Lee " + amount);
      ++names;
    } else {
      values.push_back(amount);
    }
  }
  ExpectSameAsAlone(*policy, "amount", values);
  std::map<std::string, size_t> found = FoundInColumn(*policy, "amount", values);
  EXPECT_GT(born, 20u);
  EXPECT_EQ(found["dob"], born);
  EXPECT_EQ(found["card"], cards);
  EXPECT_EQ(found["name"], names);
}

// A prediction asks only the patterns that could stop it: here, in a card column, those of
// `twin` (the card's own entity type, so never outranked: reported beside the card) and not
// those of `digits` (pattern only, outranked by a validated card). A value `twin` hits must
// still be scanned in full and keep both candidates, however the values are batched; a value
// only `digits` hits is confirmed as the card alone.
TEST(ColumnScanTest, APredictionAsksThePatternsThatCouldStopIt) {
  const DetectorSpec card = HintedCard();
  DetectorSpec twin = Detector("twin", {"(?:^|[^0-9])(?P<value>49[0-9]{14})(?:$|[^0-9])"});
  twin.entity = card.entity;
  DetectorSpec digits = Detector("digits", {"[0-9]{12}"});
  const auto policy = TestPolicy({card, twin, digits});
  std::vector<std::string> values;
  for (int i = 0; i < 4000; ++i) values.push_back(LuhnNumber(static_cast<unsigned>(i)));
  ExpectSameAsAlone(*policy, "card", values);
  std::map<std::string, size_t> found = FoundInColumn(*policy, "card", values);
  EXPECT_EQ(found["card"], values.size());
  EXPECT_GT(found["twin"], 200u);  // about one in ten starts with "49"
  EXPECT_LT(found["twin"], 800u);
  EXPECT_EQ(found["digits"], 0u);  // outranked
}

// A Chinese mobile number is wholly the candidate of three phone detectors (two for "+86 …"),
// and a column of them is predicted with all of them: the predicted detector and its
// companions, each asked whether it holds the value wholly, not at all, or only in part (then
// the value is scanned in full). Results must be what each value alone gives, in every phase of
// the column (mobile numbers only, mixed, "+1" numbers with a few "+86" ones).
TEST(ColumnScanTest, ValuesWhollyTheCandidatesOfSeveralDetectorsAreFoundWithEachOfThem) {
  const auto& policy = *AllShippedPacks();
  const std::vector<std::string> values = ColumnValues("mobile", 3000);
  ExpectSameAsAlone(policy, "手机", values);
  // The column holds what the prediction is for: values wholly three, two and one detectors'
  // candidates, and values a companion's pattern hits only in part.
  const ColumnContext context = policy.ColumnHints("手机");
  std::map<size_t, size_t> values_with_whole;  // whole-value candidates -> values
  size_t partial = 0;
  for (const auto& value : values) {
    std::vector<ValueMatch> matches;
    policy.Scan(value, context, &matches);
    const size_t whole = static_cast<size_t>(std::count_if(
        matches.begin(), matches.end(),
        [&](const ValueMatch& match) { return match.begin == 0 && match.end == value.size(); }));
    if (whole == matches.size()) ++values_with_whole[whole];
    partial += whole != matches.size() ? 1 : 0;
  }
  EXPECT_GT(values_with_whole[3], 1000u);
  EXPECT_GT(values_with_whole[2], 150u);
  EXPECT_GT(values_with_whole[1], 1000u);
  EXPECT_GT(partial, 150u);
}

// A companion of the prediction (here `twin`, of the card's entity type, wholly the candidate
// of the card numbers that start with "49") may also hit a part of a value only ("4…49…"):
// that candidate is reported beside the card, so such a value must be scanned in full, in a
// batch or alone.
TEST(ColumnScanTest, ACompanionThatHitsOnlyPartOfAValueStopsThePrediction) {
  const DetectorSpec card = HintedCard();
  DetectorSpec twin = Detector("twin", {"49[0-9]{6}(?:[0-9]{8})?"});
  twin.entity = card.entity;
  const auto policy = TestPolicy({card, twin});
  std::vector<std::string> values;
  // Numbers starting with "49" first, so that `twin` becomes a companion early.
  for (unsigned seed = 0; values.size() < 300; ++seed) {
    if (LuhnNumber(seed).starts_with("49")) values.push_back(LuhnNumber(seed));
  }
  for (int i = 0; i < 4000; ++i) values.push_back(LuhnNumber(static_cast<unsigned>(i)));
  ExpectSameAsAlone(*policy, "card", values);
  const ColumnContext context = policy->ColumnHints("card");
  size_t whole = 0, part = 0;
  for (const auto& value : values) {
    std::vector<ValueMatch> matches;
    policy->Scan(value, context, &matches);
    for (const ValueMatch& match : matches) {
      if (policy->detectors()[static_cast<size_t>(match.detector)]->id != "twin") continue;
      ++(match.end - match.begin == value.size() ? whole : part);
    }
  }
  EXPECT_GT(whole, 500u);
  EXPECT_GT(part, 200u);
}

// The value group's boundaries take part only when they can match nothing at a value's
// edges; a prefix that must match text keeps its meaning.
TEST(ColumnScanTest, AValueGroupWithARequiredPrefixIsNotTakenWhole) {
  const auto policy = TestPolicy({Detector("tagged", {"card:(?P<value>[0-9]{8})"}),
                                  Detector("flagged", {"(?i)(?P<value>ab[0-9]{3})"})});
  std::vector<ValueMatch> matches;
  policy->Scan("12345678", policy->ColumnHints("value"), &matches);
  EXPECT_TRUE(matches.empty());
  policy->Scan("card:12345678", policy->ColumnHints("value"), &matches);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].begin, 5u);
  matches.clear();
  policy->Scan("AB123", policy->ColumnHints("value"), &matches);  // (?i) reaches the group
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].end, 5u);
  std::vector<std::string> values(100, "card:12345678");
  values[50] = "AB123";
  ExpectSameAsAlone(*policy, "value", values);
}

int DetectorIndex(const CompiledPolicy& policy, std::string_view id) {
  const auto& detectors = policy.detectors();
  for (size_t d = 0; d < detectors.size(); ++d) {
    if (detectors[d]->id == id) return static_cast<int>(d);
  }
  return -1;
}

// A capitalised word of letters only, different for each seed ("Kalvoreth"): what a city,
// a town or a product name looks like to person-name's pattern.
std::string Word(unsigned seed) {
  static const char* const kSyllables[] = {"ka",  "lor", "ven", "mi",  "sto", "ra", "dun", "el",
                                           "bri", "tho", "sa",  "gen", "wol", "fa", "ne",  "ru"};
  std::string word;
  for (int i = 0; i < 3; ++i) {
    seed = seed * 1103515245u + 12345u;
    word += kSyllables[(seed >> 16) % 16];
  }
  word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

// Scans `values` as one column a batch of 300 at a time and returns what the column learnt.
ColumnScanState ScanInBatches(const CompiledPolicy& policy, const std::string& column,
                              const std::vector<std::string>& values) {
  ColumnScanState state;
  const ColumnContext context = policy.ColumnHints(column);
  for (size_t start = 0; start < values.size(); start += 300) {
    const size_t count = std::min<size_t>(300, values.size() - start);
    std::vector<std::string_view> views(values.begin() + static_cast<long>(start),
                                        values.begin() + static_cast<long>(start + count));
    std::vector<ValueMatch> matches;
    std::vector<MatchSpan> spans(count);
    policy.ScanColumn(views, context, &state, &matches, spans.data());
  }
  return state;
}

// A column whose header rules a detector out (person-name under "city") while that detector's
// pattern matches nearly every value: the hits do not count against the column, which takes a
// line set of its own (without the ruled-out detector's patterns) and clears its values many
// at a time again. The rare values that hold something the column can report (an email, an IP
// address, a card number) must still be found, exactly as when each value is scanned alone.
TEST(ColumnScanTest, HitsOfRuledOutDetectorsDoNotStopBatches) {
  for (const auto& policy : {PiiCore(), AllShippedPacks()}) {
    const int person_name = DetectorIndex(*policy, "person-name");
    ASSERT_GE(person_name, 0);
    ASSERT_LT(policy->ColumnHints("city").hint[static_cast<size_t>(person_name)], 0);
    std::vector<std::string> values;
    size_t names = 0;
    for (int row = 0; row < 3000; ++row) {
      const unsigned seed = static_cast<unsigned>(row) * 2654435761u;
      std::string value = Word(seed) + (row % 3 == 0 ? " " + Word(seed + 1) : "");
      if (row % 211 == 7) value = "c" + Digits(seed, 5) + "@example.com";
      if (row % 307 == 11) value = Word(seed) + " 10.0." + std::to_string(row % 200) + ".7";
      if (row % 401 == 17) value = LuhnNumber(seed);
      if (row % 97 == 5) value = "";
      names += !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ';
      });
      values.push_back(value);
    }
    EXPECT_GT(names, 2500u);
    ExpectSameAsAlone(*policy, "city", values);
    ColumnScanState state = ScanInBatches(*policy, "city", values);
    const ColumnScanState::Learnt& learnt = state.learnt();
    EXPECT_TRUE(learnt.lines_known) << "the column took a line set of its own";
    EXPECT_NE(learnt.lines, nullptr);
    EXPECT_TRUE(learnt.hits.RarelyHit());
  }
}

// A column whose header hints a column-only detector (postal-address under "street", whose
// patterns are not in the set every column is matched against): values that are wholly an
// address, hold something else as well, are refused by the validator or hold a line break give
// what they give alone, in batches too.
TEST(ColumnScanTest, ColumnOnlyHintedColumnsGiveWhatEachValueGivesAlone) {
  static const char* const kStreets[] = {"Hauptstraße", "Rue de la Paix", "Calle Mayor",
                                         "Baker Street", "Kerkstraat"};
  for (const auto& policy : {PiiCore(), AllShippedPacks()}) {
    const int postal = DetectorIndex(*policy, "postal-address");
    ASSERT_GE(postal, 0);
    ASSERT_GT(policy->ColumnHints("street").hint[static_cast<size_t>(postal)], 0);
    std::vector<std::string> values;
    for (int row = 0; row < 3000; ++row) {
      const unsigned seed = static_cast<unsigned>(row) * 2654435761u;
      std::string value = std::string(kStreets[row % 5]) + " " + std::to_string(1 + row % 240) +
                          (row % 7 == 0 ? "a" : "");
      switch (row % 61) {
        case 3:
          value += ", c" + Digits(seed, 4) + "@example.com";  // an email beside the address
          break;
        case 9:
          value = "Berlin";  // no number: refused
          break;
        case 15:
          value = Digits(seed, 5);  // a postcode alone: refused
          break;
        case 21:
          value = "c/o " + Word(seed) + "\n" + value;  // a line break of its own
          break;
        case 27:
          value = "";
          break;
        case 33:
          value = "Login 10.0.0." + std::to_string(1 + row % 200);  // no address, an IP
          break;
        default:
          break;
      }
      values.push_back(value);
    }
    ExpectSameAsAlone(*policy, "street", values);
  }
}

// A detector whose pattern is anchored with ^ and $ is confirmed a batch at a time when a
// column predicts it: its anchors hold at each joined value's edges. Values that match only in
// part ("Anna1"), another detector's value and refused look-alikes keep their own results.
TEST(ColumnScanTest, AnchoredPredictionsAreConfirmedInBatches) {
  DetectorSpec name = Detector("name", {"^[A-Z][a-z]+(?: [A-Z][a-z]+)?$"});
  name.column_hints = {"name"};
  DetectorSpec code = Detector("code", {"(?:^|[^0-9])(?P<value>[0-9]{6})(?:$|[^0-9])"});
  const auto policy = TestPolicy({name, code});
  std::vector<std::string> values;
  for (int row = 0; row < 2000; ++row) {
    const unsigned seed = static_cast<unsigned>(row) * 2654435761u;
    std::string value = Word(seed) + (row % 4 == 0 ? " " + Word(seed + 7) : "");
    if (row % 37 == 3) value += "1";                      // not wholly a name
    if (row % 41 == 5) value = "Ref " + Digits(seed, 6);  // a code, no name
    if (row % 43 == 8) value = Digits(seed, 6);           // a code alone
    if (row % 47 == 9) value = "anna";                    // lower case: no name
    values.push_back(value);
  }
  ExpectSameAsAlone(*policy, "name", values);
  EXPECT_EQ(ScanInBatches(*policy, "name", values).learnt().detector, 0);
}

// A pattern whose every match is the whole value is taken whole, with no regex run, once the
// set finds it hitting; a pattern that only looks like one (an alternation between anchored
// branches) keeps the spans its search finds.
TEST(ColumnScanTest, PatternsThatMatchOnlyWholeValuesKeepTheirSpans) {
  // A detector that reports only under its header is not in the set: nobody found its
  // pattern hitting, so the value must still match it.
  DetectorSpec zip = Detector("zip", {"^[0-9]{5}$"});
  zip.requires_column_hint = true;
  zip.column_hints = {"zip"};
  const auto policy = TestPolicy({Detector("branches", {"^AB[0-9]+|[0-9]+CD$"}),
                                  Detector("whole", {"(?i)^ref-[0-9]{4}$"}), zip});
  auto spans = [&](std::string_view value, std::string_view column = "value") {
    std::vector<ValueMatch> matches;
    policy->Scan(value, policy->ColumnHints(column), &matches);
    std::vector<std::tuple<int, size_t, size_t>> found;
    for (const ValueMatch& match : matches)
      found.emplace_back(match.detector, match.begin, match.end);
    return found;
  };
  using Spans = std::vector<std::tuple<int, size_t, size_t>>;
  EXPECT_EQ(spans("xx 12CD"), (Spans{{0, 3, 7}}));
  EXPECT_EQ(spans("AB12 yy"), (Spans{{0, 0, 4}}));
  EXPECT_EQ(spans("Ref-1234"), (Spans{{1, 0, 8}}));
  EXPECT_EQ(spans("Ref-1234 x"), Spans{});
  EXPECT_EQ(spans("a\nRef-1234"), Spans{});
  EXPECT_EQ(spans("12345", "zip"), (Spans{{2, 0, 5}}));
  EXPECT_EQ(spans("1234x", "zip"), Spans{});
  EXPECT_EQ(spans("Ref-1234", "zip"), (Spans{{1, 0, 8}}));
  std::vector<std::string> values;
  for (int i = 0; i < 600; ++i) {
    values.push_back(i % 3 == 0   ? "REF-" + std::to_string(1000 + i)
                     : i % 3 == 1 ? "x " + std::to_string(i) + "CD"
                                  : "AB" + std::to_string(i) + " y");
  }
  ExpectSameAsAlone(*policy, "value", values);
}

// A value whose results no region-reading validator decided (a name, a street) is recalled in
// every region; one whose phone candidate was judged in a region is recalled only there.
TEST(RepeatCacheTest, ResultsFoundWithoutARegionHoldInEveryRegion) {
  const RegionId france = RegionIdOf("FR");
  const RegionId germany = RegionIdOf("DE");
  const ValueMatch name{3, 0, 4, 90};
  RepeatCache cache;
  cache.Remember("Dana", france, /*region_read=*/false, &name, 1);
  std::vector<ValueMatch> out;
  ASSERT_TRUE(cache.Recall("Dana", germany, &out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].detector, 3);
  cache.Remember("06 12 34 56 78", france, /*region_read=*/true, &name, 1);
  out.clear();
  EXPECT_FALSE(cache.Recall("06 12 34 56 78", germany, &out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(cache.Recall("06 12 34 56 78", france, &out));
  // The same value judged again in another region takes the slot over for that region.
  cache.Remember("06 12 34 56 78", germany, /*region_read=*/true, nullptr, 0);
  out.clear();
  EXPECT_FALSE(cache.Recall("06 12 34 56 78", france, &out));
  EXPECT_TRUE(cache.Recall("06 12 34 56 78", germany, &out));
  EXPECT_TRUE(out.empty());
}

// A column checked in batches remembers a batch's values only after the whole batch: lookups
// made before anything was kept do not count as values that never repeat, or the cache of a
// column of eight surnames would switch itself off after its first batch of 4,096.
TEST(RepeatCacheTest, LookupsBeforeAnythingIsKeptDoNotSwitchItOff) {
  const RegionId region = RegionIdOf("DE");
  const ValueMatch name{3, 0, 4, 90};
  const std::vector<std::string> surnames = {"Test", "Sample", "Demo", "Muster"};
  RepeatCache cache;
  std::vector<ValueMatch> out;
  for (int i = 0; i < 5000; ++i) {  // one batch: looked up first ...
    EXPECT_FALSE(cache.Recall(surnames[static_cast<size_t>(i) % 4], region, &out));
  }
  for (const std::string& surname : surnames) {  // ... remembered after it
    cache.Remember(surname, region, /*region_read=*/false, &name, 1);
  }
  for (int i = 0; i < 5000; ++i) {  // the next batch finds every value
    out.clear();
    ASSERT_TRUE(cache.Recall(surnames[static_cast<size_t>(i) % 4], region, &out)) << i;
    EXPECT_EQ(out.size(), 1u);
  }
}

// Free text whose phone numbers are valid in one region and not in another, beside names and
// other entities, from records of several countries: learning and batches give what each value
// read alone in its own region gives, although names and cleared values are now recalled across
// regions.
TEST(ColumnScanTest, NotesFromRecordsOfSeveralCountriesGiveWhatEachGivesAlone) {
  CompileOptions options;
  options.regions = std::make_shared<const RegionRules>(
      LoadShippedRegionData({fs::path(CRMAUDIT_SOURCE_DIR) / "policies"}));
  const auto policy = CompiledPolicy::Compile(
      {LoadPolicyPack(fs::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json")}, options);
  const char* const kNotes[] = {"call 06 12 34 56 78",
                                "Dana Sample",
                                "tel 0170 2348589 evenings",
                                "No answer, try again Monday",
                                "mail jo@example.com",
                                "Femi Test",
                                "020 7185 0022",
                                "06 12 34 56 78"};
  const char* const kRegions[] = {"FR", "DE", "GB", "NL", "", "US"};
  std::vector<std::string> values;
  std::vector<RegionId> regions;
  for (int row = 0; row < 3000; ++row) {
    values.push_back(kNotes[(row * 7 + row / 50) % 8]);
    regions.push_back(RegionIdOf(kRegions[(row / 3 + row % 5) % 6]));
  }
  for (const char* column : {"notes", "Name", "Phone"}) {
    SCOPED_TRACE(column);
    const ColumnContext context = policy->ColumnHints(column);
    std::vector<Found> alone;
    size_t phones_found = 0;
    size_t phones_refused = 0;
    for (size_t i = 0; i < values.size(); ++i) {
      std::vector<ValueMatch> matches;
      policy->Scan(values[i], context, nullptr, &matches, regions[i]);
      alone.push_back(AsTuples(matches.data(), matches.size()));
      if (values[i] == std::string("06 12 34 56 78")) {
        (matches.empty() ? phones_refused : phones_found) += 1;
      }
    }
    if (column != std::string("Name")) {
      EXPECT_GT(phones_found, 10u);    // read in France
      EXPECT_GT(phones_refused, 10u);  // read elsewhere
    }
    ExpectStateAndBatchesGiveAlone(*policy, context, values, regions, alone);
  }
}

TEST(HitRateTest, HitsOfRuledOutDetectorsCountApart) {
  HitRate rate;
  EXPECT_TRUE(rate.RarelyHit());  // presumed clean
  for (int i = 0; i < 256; ++i) rate.Note(true, i % 100 == 0);
  EXPECT_TRUE(rate.MostlyHit());
  EXPECT_TRUE(rate.RarelyHit());  // 3 of 256 could report: 1.2 %
  EXPECT_TRUE(rate.RuledOutHitsCommon());
  for (int i = 0; i < 256; ++i) rate.Note(i % 10 == 0, i % 10 == 0);
  EXPECT_FALSE(rate.MostlyHit());
  EXPECT_FALSE(rate.RarelyHit());
  EXPECT_FALSE(rate.RuledOutHitsCommon());
}

}  // namespace
}  // namespace crmaudit
