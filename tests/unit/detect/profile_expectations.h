// Test helper: two column profiles lists are the same in everything a report shows (columns,
// counts, free-text flag, per-entity counts, confidence, first row and masked samples). Used
// wherever a second way of profiling (another thread, batches) must not change the result.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "scanner/detect/column_profiler.h"

namespace crmaudit::testing {

inline void ExpectSameProfiles(const std::vector<ColumnProfile>& expected,
                               const std::vector<ColumnProfile>& actual) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].column);
    EXPECT_EQ(actual[i].column, expected[i].column);
    EXPECT_EQ(actual[i].non_empty, expected[i].non_empty);
    EXPECT_EQ(actual[i].free_text, expected[i].free_text);
    EXPECT_EQ(actual[i].values_by_entity, expected[i].values_by_entity);
    ASSERT_EQ(actual[i].entities.size(), expected[i].entities.size());
    for (size_t e = 0; e < expected[i].entities.size(); ++e) {
      EXPECT_EQ(actual[i].entities[e].detector, expected[i].entities[e].detector);
      EXPECT_EQ(actual[i].entities[e].matched, expected[i].entities[e].matched);
      EXPECT_EQ(actual[i].entities[e].first_row, expected[i].entities[e].first_row);
      EXPECT_EQ(actual[i].entities[e].confidence, expected[i].entities[e].confidence);
      EXPECT_EQ(actual[i].entities[e].masked_samples, expected[i].entities[e].masked_samples);
    }
  }
}

}  // namespace crmaudit::testing
