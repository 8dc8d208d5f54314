// The parallel matcher batches records column by column, matches them on worker threads and
// hands the profiler counts and matched values per column: the profiles must be exactly those
// of ColumnProfiler::Field on every value in record order, for one thread or several.
#include "scanner/scan/parallel_matcher.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "scanner/policy/region_data.h"
#include "scanner/sources/files/csv_reader.h"
#include "scanner/sources/files/split_csv_reader.h"
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

// Threads that share a compiled copy of the policy (beyond eight threads, or when asked) match
// exactly as threads with copies of their own.
TEST(ParallelMatcherTest, ThreadsSharingPolicyCopiesGiveTheSameProfiles) {
  constexpr int kRecords = 20000;
  ColumnProfiler direct(Policy());
  Feed(direct, kRecords);
  const std::vector<ColumnProfile> expected = direct.Finish();
  for (const auto& [threads, per_copy] : {std::pair{16, 0}, {5, 2}, {4, 4}, {3, 1}}) {
    SCOPED_TRACE(std::to_string(threads) + " threads, " + std::to_string(per_copy) + " per copy");
    ColumnProfiler profiler(Policy());
    ParallelMatcher matcher(Policy(), profiler, threads, per_copy);
    Feed(matcher, kRecords);
    matcher.Finish();
    testing::ExpectSameProfiles(expected, profiler.Finish());
  }
}

std::shared_ptr<const CompiledPolicy> RegionalPolicy() {
  static const auto policy = [] {
    std::vector<PolicyPack> packs;
    for (const char* name : {"pii-core", "pii-eu", "pii-cn"}) {
      packs.push_back(LoadPolicyPack(fs::path(CRMAUDIT_SOURCE_DIR) / "policies" /
                                     (std::string(name) + ".json")));
    }
    CompileOptions options;
    options.default_region = "US";
    options.regions = std::make_shared<const RegionRules>(
        LoadShippedRegionData({fs::path(CRMAUDIT_SOURCE_DIR) / "policies"}));
    return CompiledPolicy::Compile(std::move(packs), options);
  }();
  return policy;
}

// A contact export of several countries written nationally, the country after the phone
// columns; a 手机 column; a "+33" column that makes France the dataset majority from the fourth
// record on; a country key first met in the middle of a record (as JSON readers declare them).
struct CountryRecord {
  const char* country;
  const char* phone;
  const char* mobile;
};
const CountryRecord kCountryRecords[] = {
    {"Germany", "030 901820", "0170 2348589"},
    {"UK", "020 7185 0022", "07400 123456"},
    {"中国", "010-6552 1234", "138 1234 5678"},
    {"FR", "01 42 68 53 00", "06 12 34 56 78"},
    {"España", "912 345 678", "612 345 678"},
    {"Nederland", "020 123 4567", "06-12345678"},
    {"Brasil", "(11) 3456-7890", "(11) 91234-5678"},
    {"", "(415) 555-0132", "n/a"},  // no country: read in the majority, France: not a number
    {"Deutschland", "", "0151 23456789"},
    {"Atlantis", "0170 2348589", ""},  // no known country: France again, not a number there
};

const CountryRecord& RecordAt(int r) { return kCountryRecords[(r / 3 + r) % 10]; }

void FeedCountries(RecordSink& sink, int records) {
  const size_t first = sink.DeclareColumn("FirstName");
  const size_t phone = sink.DeclareColumn("Phone");
  const size_t mobile = sink.DeclareColumn("MobilePhone");
  const size_t country = sink.DeclareColumn("MailingCountry");
  const size_t cn_mobile = sink.DeclareColumn("手机");
  const size_t other = sink.DeclareColumn("OtherPhone");
  size_t late = 0;
  for (int r = 0; r < records; ++r) {
    const CountryRecord& record = RecordAt(r);
    sink.Field(first, "Ann");
    sink.Field(phone, record.phone);
    if (r % 4 != 0) sink.Field(mobile, record.mobile);
    // The late country column names Germany for some "Atlantis" records.
    const bool atlantis = std::string(record.country) == "Atlantis";
    if (r > 700 && r % 6 == 0 && atlantis) sink.Field(late, "DE");
    if (r == 700) {
      late = sink.DeclareColumn("address.country");
      sink.Field(late, "DE");  // counts from the next record only, on every path
    }
    sink.Field(country, record.country);
    if (*record.country == '\0' && r % 2 == 0) sink.Field(cn_mobile, "0512 6523 1234");
    // "+33" numbers until record 5000, then national ones read in the majority (France).
    sink.Field(other,
               r < 5000 ? "+33 1 42 68 53 00" : "01 42 68 53 " + std::to_string(10 + r % 90));
    sink.EndRecord();
  }
}

TEST(ParallelMatcherTest, RecordsOfManyCountriesGiveTheProfilesOfFieldWhateverTheThreads) {
  constexpr int kRecords = 12000;
  ColumnProfiler direct(RegionalPolicy());
  FeedCountries(direct, kRecords);
  const std::vector<ColumnProfile> expected = direct.Finish();
  // What the regions are for: national numbers of eight countries, landlines and mobiles,
  // found in their record's region; 手机 read as Chinese; the "+33" majority applied.
  auto phones_in = [&](const std::string& column) -> uint64_t {
    for (const ColumnProfile& profile : expected) {
      if (profile.column != column) continue;
      for (const auto& entity : profile.entities) {
        if (RegionalPolicy()->detectors()[entity.detector]->id == "phone-number") {
          return entity.matched;
        }
      }
    }
    return 0;
  };
  uint64_t phones = 0, mobiles = 0, chinese = 0, other = 0;
  for (int r = 0; r < kRecords; ++r) {
    const CountryRecord& record = RecordAt(r);
    const std::string country = record.country;
    const bool late_germany = country == "Atlantis" && r > 700 && r % 6 == 0;
    const bool known = (!country.empty() && country != "Atlantis") || late_germany;
    if (known && *record.phone != '\0') ++phones;
    if (known && r % 4 != 0 && *record.mobile != '\0') ++mobiles;
    if (country.empty() && r % 2 == 0) ++chinese;
    // The national French numbers are found where the record is French, or has no known
    // country and so is read in the majority (France).
    if (r < 5000 || country == "FR" || (!known && r >= 3)) ++other;
  }
  EXPECT_EQ(phones_in("Phone"), phones);
  EXPECT_EQ(phones_in("MobilePhone"), mobiles);
  EXPECT_EQ(phones_in("手机"), chinese);
  EXPECT_EQ(phones_in("OtherPhone"), other);
  EXPECT_LT(other, static_cast<uint64_t>(kRecords));

  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE(threads);
    ColumnProfiler profiler(RegionalPolicy());
    ParallelMatcher matcher(RegionalPolicy(), profiler, threads);
    FeedCountries(matcher, kRecords);
    matcher.Finish();
    EXPECT_EQ(profiler.records(), static_cast<uint64_t>(kRecords));
    testing::ExpectSameProfiles(expected, profiler.Finish());
  }
}

// A big CSV file parsed in pieces hands the matcher whole runs of records (Records), whose
// cells the matching threads spread over the columns: the profiles, regions included, are
// those of one CsvReader feeding the profiler cell by cell.
TEST(ParallelMatcherTest, RunsOfRecordsFromTheSplitReaderGiveTheProfilesOfField) {
  std::string text = "FirstName,Phone,MobilePhone,MailingCountry,手机,OtherPhone\n";
  for (int r = 0; r < 9000; ++r) {
    const CountryRecord& record = RecordAt(r);
    text += r % 9 == 0 ? "\"Ann\nMarie\"" : "Ann";
    text += std::string(",") + record.phone + "," + (r % 4 != 0 ? record.mobile : "") + "," +
            record.country + "," + (*record.country == '\0' && r % 2 == 0 ? "0512 6523 1234" : "") +
            "," + (r < 5000 ? "+33 1 42 68 53 00" : "01 42 68 53 " + std::to_string(10 + r % 90));
    if (r % 1000 == 999) text += ",an extra cell,+49 30 901820";  // ragged, wider than the header
    text += r % 5 == 0 ? "\r\n" : "\n";
  }
  ColumnProfiler direct(RegionalPolicy(), "contacts.csv");
  CsvReader whole(direct, ',', 1 << 20, 0);
  whole.Feed(text);
  whole.Finish(true);
  const std::vector<ColumnProfile> expected = direct.Finish();
  ASSERT_GE(expected.size(), 4u);

  for (int threads : {1, 2, 3}) {
    for (size_t piece : {3000ul, 64ul << 10}) {
      SCOPED_TRACE(std::to_string(threads) + " threads, pieces of " + std::to_string(piece));
      ColumnProfiler profiler(RegionalPolicy(), "contacts.csv");
      ParallelMatcher matcher(RegionalPolicy(), profiler, threads);
      SplitCsvReader split(matcher, ',', 1 << 20, std::max(threads, 2), piece);
      for (size_t at = 0; at < text.size(); at += 4096) split.Feed(text.substr(at, 4096));
      split.Finish(true);
      matcher.Finish();
      EXPECT_GT(split.pieces(), 2u);
      EXPECT_EQ(split.rows(), whole.rows());
      EXPECT_EQ(split.ragged_rows(), whole.ragged_rows());
      EXPECT_EQ(profiler.records(), whole.rows());
      testing::ExpectSameProfiles(expected, profiler.Finish());
    }
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
