// trend.html: an archive of chained audits over time (`crmaudit trend ARCHIVE_DIR`).
//
// One self-contained page, like report.html: its stylesheet is inline and allowed by hash, it
// has no script at all, its charts are inline SVG, and it names no remote resource (the CSP is
// default-src 'none'). It shows, per run in chain order, the open findings by severity and the
// personal-data columns of the inventory, as two line charts and a table whose rows link to
// each run's report.html (relative links, so the archive can be moved or copied whole). Above
// them it states what the chain verification found; a page of an archive that does not verify
// says so first. Everything comes from the runs' report.json, rendered, never re-derived.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace crmaudit {

struct TrendRun {
  std::string name;         // the run folder's name, e.g. "2026-11-24T020000Z"
  std::string link;         // relative link to its report.html ("" when it has none)
  std::string finished_at;  // scan.finished_at
  std::string verdict;      // summary.verdict
  std::map<std::string, uint64_t> by_severity;  // open findings
  uint64_t personal_data_columns = 0;           // inventory entries
};

struct TrendOptions {
  std::string language = "en";
  bool chain_verified = false;
  std::string chain_detail;  // what verification said (the first break, or the key id)
};

std::string RenderTrendPage(const std::vector<TrendRun>& runs, const TrendOptions& options);

}  // namespace crmaudit
