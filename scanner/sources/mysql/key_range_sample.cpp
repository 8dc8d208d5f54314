#include "scanner/sources/mysql/key_range_sample.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <vector>

#include "scanner/model/sql_identifier.h"

namespace crmaudit {
namespace {

// The samples' seed (the table reader's RAND(20261) and PostgreSQL's REPEATABLE (20261)).
constexpr uint64_t kSeed = 20261;

// SplitMix64: a fixed sequence on every platform (std::uniform_int_distribution is not).
uint64_t NextRandom(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::optional<int64_t> ParseKey(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text->c_str(), &end, 10);
  if (errno != 0 || end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(value);
}

}  // namespace

bool UsesKeyRanges(const MysqlTable& table) {
  return !table.view && !table.integer_key.empty() &&
         table.estimated_rows >= kKeyRangeSampleFromRows;
}

std::optional<KeySpan> ReadKeySpan(SqlQuery& query, const MysqlTable& table) {
  if (table.integer_key.empty()) return std::nullopt;
  const std::string key = QuoteMysqlIdent(table.integer_key);
  const SqlRows rows =
      query.Run("SELECT MIN(" + key + "), MAX(" + key + ") FROM " + table.QualifiedName());
  if (!rows.ok || rows.rows.empty() || rows.rows[0].size() < 2) return std::nullopt;
  const std::optional<int64_t> min = ParseKey(rows.rows[0][0]);
  const std::optional<int64_t> max = ParseKey(rows.rows[0][1]);
  if (!min || !max || *max < *min) return std::nullopt;
  return KeySpan{*min, *max};
}

std::string KeyRangeSampleSql(const MysqlTable& table, const std::string& select_list,
                              const KeySpan& span, int ranges, uint64_t rows_per_range) {
  // Start points uniform over [min, max], sorted, each once; a range ends where the next
  // begins, so no row is read twice.
  const uint64_t width = static_cast<uint64_t>(span.max) - static_cast<uint64_t>(span.min) + 1;
  uint64_t state = kSeed;
  std::vector<int64_t> starts;
  for (int i = 0; i < std::max(1, ranges); ++i) {
    const uint64_t offset = width == 0 ? NextRandom(&state) : NextRandom(&state) % width;
    starts.push_back(static_cast<int64_t>(static_cast<uint64_t>(span.min) + offset));
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  const std::string key = QuoteMysqlIdent(table.integer_key);
  const std::string limit = " ORDER BY " + key + " LIMIT " + std::to_string(rows_per_range) + ")";
  std::string sql;
  for (size_t i = 0; i < starts.size(); ++i) {
    if (!sql.empty()) sql += " UNION ALL ";
    sql += "(SELECT " + select_list + " FROM " + table.QualifiedName() + " WHERE " + key +
           " >= " + std::to_string(starts[i]);
    if (i + 1 < starts.size()) sql += " AND " + key + " < " + std::to_string(starts[i + 1]);
    sql += limit;
  }
  return sql;
}

}  // namespace crmaudit
