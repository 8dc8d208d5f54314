// Writing a scan's outputs into `--out DIR`: report.json, report.html, report.sarif, then
// (with a signing key) FILE.sig beside each and report.dsse.json.
//
// Files are written to a temporary name and renamed into place, so an interrupted run never
// leaves a half-written report that could be mistaken for a complete one. Throws
// ReportWriteError (message names the file) when the folder or a file cannot be written or the
// key cannot be used.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "reports/signing/signing_keys.h"
#include "scanner/model/scan_result.h"

namespace crmaudit {

class ReportWriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ReportOutputOptions {
  std::filesystem::path out_dir = "out";
  std::vector<std::string> formats = {"json", "html", "sarif"};
  std::optional<std::filesystem::path> sign_key;
  // The key loaded before the scan (so a bad key fails fast, exit 2); used instead of loading
  // `sign_key` again when set.
  std::shared_ptr<const PrivateKey> loaded_key;
  // The previous audit's summary (from --chain-from) for the HTML "since the last audit" box.
  std::optional<Summary> previous_summary;
};

// Returns the paths written, report.json first.
std::vector<std::filesystem::path> WriteReports(const ScanResult& result,
                                                const ReportOutputOptions& options);

// Formats this build can write; anything else passed to --format is a usage error.
std::vector<std::string> SupportedFormats();

}  // namespace crmaudit
