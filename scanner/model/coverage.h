// Coverage: what the scan really read, one entry per dataset (a file, a table, a catalog pass).
//
// The report must never claim coverage it did not get: every dataset a target contains appears
// here, either with what was read or with why it was not. `reason` is a human sentence that
// names the problem but never quotes scanned data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace crmaudit {

enum class CoverageStatus { kScanned, kPartial, kSkipped, kError };

std::string_view CoverageStatusName(CoverageStatus status);

struct CoverageEntry {
  std::string target;   // report.targets[].id
  std::string dataset;  // file path relative to target root, or "db.schema.table"
  CoverageStatus status = CoverageStatus::kScanned;
  uint64_t rows = 0;   // data rows (records) read
  uint64_t bytes = 0;  // input bytes read (compressed bytes for compressed files)
  bool sampled = false;
  std::string reason;  // empty when fully scanned without remarks
  // Details a reader of the coverage table wants; all counts, no data.
  std::string format;              // "csv", "tsv", "json", "ndjson", "postgres-table"...
  std::string encoding;            // detected or forced source encoding, e.g. "GB18030"
  uint64_t ragged_rows = 0;        // CSV rows whose field count differs from the header
  uint64_t invalid_bytes = 0;      // bytes replaced by U+FFFD while decoding
  uint64_t malformed_records = 0;  // NDJSON lines that failed to parse, etc.
  // A deliberate skip that loses nothing the user asked for (an encrypted container, whose
  // contents are protected by design): reported, but it does not make the scan incomplete.
  bool deliberate = false;
};

// True when the entry means "this dataset was not read completely".
inline bool IsIncomplete(const CoverageEntry& entry) {
  return entry.status == CoverageStatus::kPartial || entry.status == CoverageStatus::kError ||
         (entry.status == CoverageStatus::kSkipped && !entry.deliberate);
}

}  // namespace crmaudit
