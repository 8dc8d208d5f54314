// ExpectNear: an estimate checked against the true count within a relative tolerance, with both
// numbers in the failure message (the age-estimate tests of PostgreSQL and MySQL/MariaDB).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace crmaudit::testing {

inline void ExpectNear(uint64_t estimate, uint64_t truth, double tolerance, const char* what) {
  EXPECT_LE(std::fabs(static_cast<double>(estimate) - static_cast<double>(truth)),
            tolerance * static_cast<double>(truth))
      << what << ": estimated " << estimate << ", true " << truth;
}

}  // namespace crmaudit::testing
