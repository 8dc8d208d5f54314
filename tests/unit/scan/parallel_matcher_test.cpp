// The parallel matcher batches records column by column, matches them on worker threads and
// hands the profiler counts and matched values per column: the profiles must be exactly those
// of ColumnProfiler::Field on every value in record order, for one thread or several.
#include "scanner/scan/parallel_matcher.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/unit/detect/profile_expectations.h"

namespace crmaudit {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<const CompiledPolicy> Policy() {
  static const auto policy = [] {
    std::vector<PolicyPack> packs;
    for (const char* name : {"pii-core", "pii-eu", "secrets"}) {
      packs.push_back(LoadPolicyPack(fs::path(CRMAUDIT_SOURCE_DIR) / "policies" /
                                     (std::string(name) + ".json")));
    }
    return CompiledPolicy::Compile(std::move(packs));
  }();
  return policy;
}

// Records whose columns vary: blanks, cells left out, a column first seen half way (as JSON
// key paths are), matches that start late in a column, prose, repeats, line breaks.
void Feed(RecordSink& sink, int records) {
  const size_t email = sink.DeclareColumn("email");
  const size_t phone = sink.DeclareColumn("phone");
  const size_t notes = sink.DeclareColumn("notes");
  size_t late = 0;
  for (int r = 0; r < records; ++r) {
    const std::string n = std::to_string(r);
    if (r % 5 != 0) sink.Field(email, r % 11 == 0 ? "  " : "user" + n + "@example.com");
    if (r % 3 != 0) sink.Field(phone, r < 2000 ? "ref " + n : "+44 20 7946 0" + n.substr(0, 3));
    sink.Field(notes, r % 7 == 0 ? "Spoke to the client on the phone about renewal terms.\n"
                                   "Mail them at c" +
                                       n + "@example.org"
                                 : "ok");
    if (r == 1500) late = sink.DeclareColumn("payload.iban");
    if (r >= 1500 && r % 2 == 0) sink.Field(late, r % 4 == 0 ? "DE89370400440532013000" : "n/a");
    sink.EndRecord();
  }
}

TEST(ParallelMatcherTest, ProfilesAreThoseOfFieldWhateverTheThreads) {
  constexpr int kRecords = 20000;  // several batches
  ColumnProfiler direct(Policy());
  Feed(direct, kRecords);
  const std::vector<ColumnProfile> expected = direct.Finish();
  ASSERT_EQ(expected.size(), 4u);  // email, phone, notes, payload.iban
  EXPECT_EQ(expected[1].entities.at(0).first_row, 2001u);

  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE(threads);
    ColumnProfiler profiler(Policy());
    ParallelMatcher matcher(Policy(), profiler, threads);
    Feed(matcher, kRecords);
    matcher.Finish();
    EXPECT_EQ(profiler.records(), static_cast<uint64_t>(kRecords));
    testing::ExpectSameProfiles(expected, profiler.Finish());
  }
}

// The dataset's name reaches the parallel path too: in a company dataset the street column
// is a company's address on both paths, in a contact dataset a person's on both.
TEST(ParallelMatcherTest, DatasetHintsApplyAsInField) {
  auto feed = [](RecordSink& sink) {
    const size_t street = sink.DeclareColumn("BillingStreet");
    for (int r = 0; r < 5000; ++r) {
      sink.Field(street, std::to_string(r % 300 + 1) + " Market Street");
      sink.EndRecord();
    }
  };
  for (const char* dataset : {"Account.csv", "Contact.csv"}) {
    SCOPED_TRACE(dataset);
    ColumnProfiler direct(Policy(), dataset);
    feed(direct);
    const std::vector<ColumnProfile> expected = direct.Finish();
    EXPECT_EQ(expected.empty(), std::string(dataset) == "Account.csv");
    ColumnProfiler profiler(Policy(), dataset);
    ParallelMatcher matcher(Policy(), profiler, 2);
    feed(matcher);
    matcher.Finish();
    testing::ExpectSameProfiles(expected, profiler.Finish());
  }
}

}  // namespace
}  // namespace crmaudit
