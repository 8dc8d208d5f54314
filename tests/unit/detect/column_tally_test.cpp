// ColumnTally: tallies of consecutive runs, merged in record order, are the tally of all their
// values, masked samples included, whatever the cut points; the matching threads' shortcut
// (no masking once the merged tally takes no more samples) changes nothing.
#include "scanner/detect/column_tally.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace crmaudit {
namespace {

std::shared_ptr<const CompiledPolicy> PiiCore() {
  static const auto policy = CompiledPolicy::Compile(
      {LoadPolicyPack(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json")});
  return policy;
}

// Detector indices of `entity` in pii-core, in pack order.
std::vector<int> DetectorsOf(const std::string& entity) {
  std::vector<int> found;
  const auto& detectors = PiiCore()->detectors();
  for (size_t d = 0; d < detectors.size(); ++d) {
    if (detectors[d]->entity == entity) found.push_back(static_cast<int>(d));
  }
  return found;
}

// One value of a generated column and what a scan would have confirmed in it.
struct Cell {
  std::string value;
  std::vector<ValueMatch> matches;
};

// E-mail addresses mask as `a***@b***.tld`: `kind` picks the letters, so that runs of one mask
// (look-alike values) and new masks can be placed at will. Some cells also hold a phone number,
// some nothing at all, some are long prose.
std::vector<Cell> GeneratedColumn(unsigned seed, size_t rows) {
  std::mt19937 random(seed);
  const int email = DetectorsOf("EMAIL_ADDRESS").at(0);
  const int phone = DetectorsOf("PHONE_NUMBER").at(0);
  std::vector<Cell> cells;
  for (size_t row = 0; row < rows; ++row) {
    Cell cell;
    const unsigned roll = random() % 100;
    if (roll < 10) {
      cell.value = "nothing to see in this remark of several words at all";
    } else if (roll < 15) {
      cell.value = "x";
    } else {
      // Mostly one mask; now and then one of a few others, so that samples fill up late.
      const char local = roll < 85 ? 'a' : static_cast<char>('b' + random() % 5);
      cell.value = std::string(1, local) + "nne@example.org";
      const size_t end = cell.value.size();
      cell.matches.push_back(ValueMatch{email, 0, end, static_cast<int>(60 + random() % 40)});
      if (random() % 4 == 0) {  // a second candidate of the same detector: counted once
        cell.matches.push_back(ValueMatch{email, 0, end, static_cast<int>(random() % 100)});
      }
      if (random() % 3 == 0) {
        cell.value += " +1 202 555 0" + std::to_string(100 + random() % 900);
        cell.matches.push_back(
            ValueMatch{phone, end + 1, cell.value.size(), static_cast<int>(random() % 100)});
      }
    }
    cells.push_back(std::move(cell));
  }
  return cells;
}

void Add(ColumnTally& tally, const ColumnTally::Layout& layout, uint64_t record, const Cell& cell,
         const std::atomic<bool>* closed = nullptr) {
  if (cell.matches.empty()) {
    tally.AddUnmatched(cell.value);
  } else {
    tally.AddMatched(layout, record, cell.value, cell.matches.data(), cell.matches.size(), closed);
  }
}

void ExpectSame(const ColumnTally& expected, const ColumnTally& actual, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(expected.non_empty(), actual.non_empty());
  EXPECT_EQ(expected.prose(), actual.prose());
  EXPECT_EQ(expected.entity_values(), actual.entity_values());
  EXPECT_EQ(expected.matched_detectors(), actual.matched_detectors());
  ASSERT_EQ(expected.detectors().size(), actual.detectors().size());
  for (size_t d = 0; d < expected.detectors().size(); ++d) {
    const ColumnTally::Detector& a = expected.detectors()[d];
    const ColumnTally::Detector& b = actual.detectors()[d];
    EXPECT_EQ(a.matched, b.matched) << d;
    EXPECT_EQ(a.confidence_sum, b.confidence_sum) << d;
    if (a.matched > 0) {
      EXPECT_EQ(a.first_record, b.first_record) << d;
    }
    EXPECT_EQ(a.sample_attempts, b.sample_attempts) << d;
    EXPECT_EQ(a.samples, b.samples) << d;
  }
}

TEST(ColumnTallyTest, RunsMergedInOrderAreTheTallyOfAllTheirValues) {
  const ColumnTally::Layout layout(*PiiCore());
  const size_t detectors = layout.entity_of.size();
  for (unsigned seed = 1; seed <= 40; ++seed) {
    const std::vector<Cell> cells = GeneratedColumn(seed, 700);
    ColumnTally whole;
    for (size_t row = 0; row < cells.size(); ++row) Add(whole, layout, row, cells[row]);
    // Samples must come late for the test to mean anything: the first mask repeats.
    ASSERT_GE(
        whole.detectors()[static_cast<size_t>(DetectorsOf("EMAIL_ADDRESS").at(0))].samples.size(),
        2u);

    std::mt19937 random(seed * 7919);
    ColumnTally merged;
    ColumnTally run;
    auto closed = std::make_unique<std::atomic<bool>[]>(detectors);
    size_t row = 0;
    while (row < cells.size()) {
      // Runs of 1 to 120 records, as batches of a parallel scan would cut them.
      const size_t length = 1 + random() % 120;
      // The matching thread sees what the merged tally took before this run (or less).
      for (size_t d = 0; d < detectors; ++d) {
        closed[d] = random() % 2 == 0 && merged.SamplingClosed(static_cast<int>(d));
      }
      run.Clear();
      const size_t first = row;
      for (; row < cells.size() && row - first < length; ++row) {
        Add(run, layout, row - first, cells[row], closed.get());
      }
      merged.Merge(first, run);
    }
    ExpectSame(whole, merged, "seed " + std::to_string(seed));
  }
}

TEST(ColumnTallyTest, SamplesAreTheFirstThreeDistinctMasksOfTheFirst256Values) {
  const ColumnTally::Layout layout(*PiiCore());
  const int email = DetectorsOf("EMAIL_ADDRESS").at(0);
  auto cell = [&](char local) {
    Cell made{std::string(1, local) + "nne@example.org", {}};
    made.matches.push_back(ValueMatch{email, 0, made.value.size(), 90});
    return made;
  };
  // 300 look-alike values with new masks at the given values (0-based): the 257th value is
  // never sampled, however the runs are cut.
  struct Case {
    std::vector<std::pair<int, char>> new_masks;
    std::vector<std::string> samples;
    uint64_t attempts;
  };
  const std::vector<Case> cases = {
      {{{100, 'b'}, {255, 'c'}, {256, 'd'}},
       {"a***@e***.org", "b***@e***.org", "c***@e***.org"},
       256},
      {{{100, 'b'}, {256, 'c'}, {299, 'd'}}, {"a***@e***.org", "b***@e***.org"}, 256},
      {{{3, 'b'}, {4, 'b'}, {7, 'c'}, {8, 'd'}},
       {"a***@e***.org", "b***@e***.org", "c***@e***.org"},
       8},
  };
  for (const Case& test : cases) {
    std::vector<Cell> cells;
    for (int i = 0; i < 300; ++i) {
      char local = 'a';
      for (const auto& [at, mask] : test.new_masks) {
        if (at == i) local = mask;
      }
      cells.push_back(cell(local));
    }
    for (size_t cut : {size_t{1}, size_t{7}, size_t{100}, size_t{101}, size_t{255}, size_t{256},
                       size_t{299}, size_t{300}}) {
      ColumnTally merged;
      for (size_t start = 0; start < cells.size(); start += cut) {
        ColumnTally run;
        for (size_t row = start; row < std::min(cells.size(), start + cut); ++row) {
          Add(run, layout, row - start, cells[row]);
        }
        merged.Merge(start, run);
      }
      const ColumnTally::Detector& found = merged.detectors()[static_cast<size_t>(email)];
      EXPECT_EQ(found.samples, test.samples) << "runs of " << cut;
      EXPECT_EQ(found.sample_attempts, test.attempts) << "runs of " << cut;
      EXPECT_EQ(found.matched, 300u);
      EXPECT_EQ(found.first_record, 0u);
    }
  }
}

// A value is prose when it has four words and 30 bytes, or ten ideographs (a Chinese remark has
// no spaces). Cells are read eight bytes at a time before word by word, so the cases put the
// telling bytes both in whole words and in the last bytes of the cell.
TEST(ColumnTallyTest, ProseIsFourWordsOrTenIdeographs) {
  struct Case {
    std::string value;
    bool prose;
  };
  const std::vector<Case> cases = {
      {"Customer asked us to call back next week", true},
      {"Customer\tasked\tus\tto call back", true},              // tabs separate words too
      {"Customerasked_to_call_back_next_week ok fine", false},  // three words
      {"Customerasked_to_call_back_next_weekabc a b c", true},  // the fourth word in the tail
      {"5c90a958-4cbd-43f9-acb5-b2f12e05319a", false},          // a UUID: one long word
      {"user.name.with.dots@example-company.com", false},
      {"   leading   spaces   are   not   words", true},
      {"w x y z", false},                                     // four words need 30 bytes
      {"客户要求下周再联系我们谢谢", true},                   // twelve ideographs, no space
      {"客户要求下周再联系abcdefghijklm", false},             // nine ideographs
      {"abcdefghijklmnopqrstu客户要求下周再联系我们", true},  // the tenth ideograph in the tail
      {"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80"
       "\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80",
       false},  // 32 bytes of emoji: lead bytes, but no ideographs
  };
  for (const Case& test : cases) {
    ColumnTally tally;
    tally.AddUnmatched(test.value);
    EXPECT_EQ(tally.non_empty(), 1u);
    EXPECT_EQ(tally.prose(), test.prose ? 1u : 0u) << test.value;
  }
}

}  // namespace
}  // namespace crmaudit
