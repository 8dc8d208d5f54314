// Column classification: thresholds, hints, free text, masked samples, and bounded memory.
#include "scanner/detect/column_profiler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "tests/unit/detect/profile_expectations.h"

namespace crmaudit {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::filesystem::path kPiiCore =
    std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-core.json";

std::shared_ptr<const CompiledPolicy> PiiCore() {
  static const auto policy = CompiledPolicy::Compile({LoadPolicyPack(kPiiCore)});
  return policy;
}

std::string DetectorId(const ColumnEntityProfile& entity) {
  return PiiCore()->detectors().at(static_cast<size_t>(entity.detector))->id;
}

// Feeds one column of `rows` values: `matching` of them from `make_match`, the rest filler.
std::vector<ColumnProfile> ProfileColumn(const std::string& column, int rows, int matching,
                                         const std::function<std::string(int)>& make_match,
                                         const std::string& filler = "n/a") {
  ColumnProfiler profiler(PiiCore());
  const size_t index = profiler.DeclareColumn(column);
  for (int row = 0; row < rows; ++row) {
    profiler.Field(index, row < matching ? make_match(row) : filler);
    profiler.EndRecord();
  }
  return profiler.Finish();
}

std::string Email(int i) { return "user" + std::to_string(i) + "@example.com"; }

TEST(ColumnProfilerTest, ColumnThatIsMostlyEmailsIsClassified) {
  const auto profiles = ProfileColumn("contact", 100, 95, Email);
  ASSERT_EQ(profiles.size(), 1u);
  const ColumnProfile& profile = profiles[0];
  EXPECT_EQ(profile.column, "contact");
  EXPECT_EQ(profile.non_empty, 100u);
  EXPECT_FALSE(profile.free_text);
  ASSERT_EQ(profile.entities.size(), 1u);
  const ColumnEntityProfile& email = profile.entities[0];
  EXPECT_EQ(DetectorId(email), "email-address");
  EXPECT_EQ(email.matched, 95u);
  EXPECT_EQ(email.first_row, 1u);
  EXPECT_GE(email.confidence, 90);
  EXPECT_THAT(email.masked_samples, ElementsAre("u***@e***.com"));  // distinct masks only
}

TEST(ColumnProfilerTest, SamplesAreAtMostThreeDistinctMasks) {
  const auto profiles = ProfileColumn("email", 50, 50, [](int i) {
    return std::string(1, static_cast<char>('a' + i % 26)) + "x@example.com";
  });
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_THAT(profiles[0].entities[0].masked_samples,
              ElementsAre("a***@e***.com", "b***@e***.com", "c***@e***.com"));
}

TEST(ColumnProfilerTest, FewPhoneLikeValuesInAStructuredColumnAreNotClassified) {
  // 2% of a "reference" column look like phone numbers: coincidence, not a phone column.
  const auto profiles = ProfileColumn(
      "reference", 100, 2, [](int) { return std::string("+1 650-253-0000"); }, "REF-0001");
  EXPECT_THAT(profiles, IsEmpty());
}

TEST(ColumnProfilerTest, HintedColumnNeedsFewerMatches) {
  // 15% valid values: below the 30% bar, above the 10% bar for a column named "phone".
  auto make_phone = [](int) { return std::string("+44 20 7946 0958"); };
  EXPECT_THAT(ProfileColumn("reference", 100, 15, make_phone, "unknown"), IsEmpty());
  const auto hinted = ProfileColumn("phone", 100, 15, make_phone, "unknown");
  ASSERT_EQ(hinted.size(), 1u);
  EXPECT_EQ(DetectorId(hinted[0].entities[0]), "phone-number");
  EXPECT_EQ(hinted[0].entities[0].matched, 15u);
  EXPECT_THAT(hinted[0].entities[0].masked_samples, ElementsAre("+44 ******0958"));
  // A sparse column is reported with less confidence than a full one.
  const auto full = ProfileColumn("phone", 100, 100, make_phone);
  EXPECT_LT(hinted[0].entities[0].confidence, full[0].entities[0].confidence);
}

TEST(ColumnProfilerTest, MostlyEmptyColumnsAreJudgedOnTheirValues) {
  ColumnProfiler profiler(PiiCore());
  const size_t index = profiler.DeclareColumn("secondary_contact");
  for (int row = 0; row < 1000; ++row) {
    if (row % 100 == 7) profiler.Field(index, Email(row));
    if (row % 100 == 9) profiler.Field(index, "   ");  // blank is empty
    profiler.EndRecord();
  }
  const auto profiles = profiler.Finish();
  EXPECT_EQ(profiler.records(), 1000u);
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_EQ(profiles[0].non_empty, 10u);
  EXPECT_EQ(profiles[0].entities[0].matched, 10u);
  EXPECT_EQ(profiles[0].entities[0].first_row, 8u);
}

TEST(ColumnProfilerTest, FreeTextColumnReportsEveryConfirmedEntity) {
  ColumnProfiler profiler(PiiCore());
  const size_t notes = profiler.DeclareColumn("备注");
  for (int row = 0; row < 200; ++row) {
    if (row == 150) {
      profiler.Field(notes, "客户说卡号是 4111 1111 1111 1111，请尽快处理");
    } else {
      profiler.Field(notes, "客户要求下周回访，并确认合同条款");
    }
    profiler.EndRecord();
  }
  const auto profiles = profiler.Finish();
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_TRUE(profiles[0].free_text);
  ASSERT_EQ(profiles[0].entities.size(), 1u);
  const auto& card = profiles[0].entities[0];
  EXPECT_EQ(DetectorId(card), "credit-card-number");
  EXPECT_EQ(card.matched, 1u);
  EXPECT_EQ(card.first_row, 151u);
  // Only the candidate is masked: no other word of the note appears in the sample.
  EXPECT_THAT(card.masked_samples, ElementsAre("**** **** **** 1111"));
}

TEST(ColumnProfilerTest, ProseValuesMakeAColumnFreeTextWhateverItsName) {
  ColumnProfiler profiler(PiiCore());
  const size_t column = profiler.DeclareColumn("field_17");
  for (int row = 0; row < 100; ++row) {
    profiler.Field(column, row == 3 ? "Customer asked us to write to jane.doe@example.com instead"
                                    : "Customer called about the renewal and wants a quote");
    profiler.EndRecord();
  }
  const auto profiles = profiler.Finish();
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_TRUE(profiles[0].free_text);
  EXPECT_EQ(DetectorId(profiles[0].entities[0]), "email-address");
  EXPECT_THAT(profiles[0].entities[0].masked_samples, ElementsAre("j***@e***.com"));
}

TEST(ColumnProfilerTest, AValueCountsOncePerDetectorHoweverManyCandidatesItHolds) {
  ColumnProfiler profiler(PiiCore());
  const size_t notes = profiler.DeclareColumn("notes");
  profiler.Field(notes, "cc alice@example.com and bob@example.org, call +44 20 7946 0958");
  profiler.EndRecord();
  profiler.Field(notes, "nothing personal here");
  profiler.EndRecord();
  const auto profiles = profiler.Finish();
  ASSERT_EQ(profiles.size(), 1u);
  ASSERT_EQ(profiles[0].entities.size(), 2u);
  EXPECT_EQ(DetectorId(profiles[0].entities[0]), "email-address");
  EXPECT_EQ(profiles[0].entities[0].matched, 1u);
  EXPECT_THAT(profiles[0].entities[0].masked_samples, ElementsAre("a***@e***.com"));
  EXPECT_EQ(DetectorId(profiles[0].entities[1]), "phone-number");
  EXPECT_EQ(profiles[0].entities[1].matched, 1u);
  EXPECT_EQ(profiles[0].non_empty, 2u);
}

TEST(ColumnProfilerTest, NegativeHintsVetoTheColumn) {
  const auto profiles =
      ProfileColumn("order_no", 100, 100, [](int) { return std::string("4111111111111111"); });
  EXPECT_THAT(profiles, IsEmpty());
}

TEST(ColumnProfilerTest, ColumnsAreReportedInDeclarationOrderAndRedeclarationIsIdempotent) {
  ColumnProfiler profiler(PiiCore());
  const size_t iban = profiler.DeclareColumn("iban");
  const size_t filler = profiler.DeclareColumn("status");
  const size_t email = profiler.DeclareColumn("email");
  EXPECT_EQ(profiler.DeclareColumn("iban"), iban);
  for (int row = 0; row < 10; ++row) {
    profiler.Field(email, Email(row));
    profiler.Field(filler, "active");
    profiler.Field(iban, "DE89370400440532013000");
    profiler.Field(99, "out of range column is ignored");
    profiler.EndRecord();
  }
  const auto profiles = profiler.Finish();
  ASSERT_EQ(profiles.size(), 2u);
  EXPECT_EQ(profiles[0].column, "iban");
  EXPECT_EQ(profiles[1].column, "email");
  EXPECT_THAT(profiles[0].entities[0].masked_samples, ElementsAre("DE****************3000"));
}

TEST(ColumnProfilerTest, PackThresholdsAreApplied) {
  PolicyPack strict = LoadPolicyPack(kPiiCore);
  strict.column_min_ratio_permille = 990;
  const auto policy = CompiledPolicy::Compile({strict});
  ColumnProfiler profiler(policy);
  const size_t column = profiler.DeclareColumn("contact");
  for (int row = 0; row < 100; ++row) {
    profiler.Field(column, row < 95 ? Email(row) : "none");
    profiler.EndRecord();
  }
  EXPECT_THAT(profiler.Finish(), IsEmpty());  // 95% < 99%
}

// The parallel file scan matches on worker threads and records in order with FieldMatched():
// the report must not depend on which thread matched.
TEST(ColumnProfilerTest, MatchingElsewhereGivesTheSameProfileAsField) {
  const std::vector<std::string> columns = {"email", "phone", "notes", "ref"};
  auto value = [](size_t column, int row) -> std::string {
    switch (column) {
      case 0:
        return row % 4 == 0 ? "" : Email(row % 7);
      case 1:
        return row % 3 == 0 ? "n/a" : "+44 20 7946 09" + std::to_string(10 + row % 5);
      case 2:
        return "Call back on +1 201 234 56" + std::to_string(10 + row % 9) + " or mail " +
               Email(row);
      default:
        return "A-" + std::to_string(row);
    }
  };
  ColumnProfiler direct(PiiCore());
  ColumnProfiler split(PiiCore());
  std::vector<ColumnContext> contexts;
  for (const auto& column : columns) {
    direct.DeclareColumn(column);
    split.DeclareColumn(column);
    contexts.push_back(PiiCore()->ColumnHints(column));
  }
  std::vector<ValueMatch> matches;
  for (int row = 0; row < 200; ++row) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string cell = value(c, row);
      direct.Field(c, cell);
      matches.clear();
      std::thread matcher([&] { PiiCore()->Scan(cell, contexts[c], &matches); });
      matcher.join();
      split.FieldMatched(c, cell, matches.data(), matches.size());
    }
    direct.EndRecord();
    split.EndRecord();
  }
  const auto expected = direct.Finish();
  const auto actual = split.Finish();
  ASSERT_EQ(expected.size(), 3u);  // email, phone, notes
  testing::ExpectSameProfiles(expected, actual);
}

}  // namespace
}  // namespace crmaudit

namespace crmaudit {
namespace {

TEST(ColumnProfilerTest, EntityCountIsTheUnionOfItsDetectors) {
  const auto policy = CompiledPolicy::Compile(
      {LoadPolicyPack(kPiiCore),
       LoadPolicyPack(std::filesystem::path(CRMAUDIT_SOURCE_DIR) / "policies" / "pii-cn.json")});
  ColumnProfiler profiler(policy);
  const size_t notes = profiler.DeclareColumn("notes");
  // One value only the international phone detector confirms, one only the Chinese-mobile one,
  // one both do.
  for (const char* value :
       {"Called back on +44 20 7946 0018, prefers email", "客户手机13812345678已确认",
        "Mobile +86 138 1234 5678 confirmed by the client"}) {
    profiler.Field(notes, value);
    profiler.EndRecord();
  }
  const auto profiles = profiler.Finish();
  ASSERT_EQ(profiles.size(), 1u);
  uint64_t largest_single_detector = 0;
  for (const auto& entity : profiles[0].entities) {
    if (policy->detectors()[static_cast<size_t>(entity.detector)]->entity == "PHONE_NUMBER") {
      largest_single_detector = std::max(largest_single_detector, entity.matched);
    }
  }
  EXPECT_EQ(largest_single_detector, 2u);
  ASSERT_TRUE(profiles[0].values_by_entity.count("PHONE_NUMBER"));
  EXPECT_EQ(profiles[0].values_by_entity.at("PHONE_NUMBER"), 3u);
}

}  // namespace
}  // namespace crmaudit
