// Writing a scan's outputs into `--out DIR`: report.json, report.html, report.sarif (and, when
// asked for, records-of-processing.csv), then
// (with a signing key) FILE.sig beside each and report.dsse.json.
//
// Every run leaves exactly its own artifacts. The folder is prepared before the scan
// (ReportOutput::Prepare: created, writable, a private staging folder made inside it), so an
// unwritable --out is a usage error found before any target is read. The reports are written
// and signed in the staging folder, then:
//   - in a plain folder, each file is renamed over its old version (rename(2) is atomic per
//     file) and the crmaudit artifacts of an earlier run that this run did not write (an old
//     report.html.sig beside an unsigned run, an old report.sarif...) are removed, so `verify`
//     never meets a stale signature; files that are not crmaudit artifacts are never touched;
//   - for a dated run folder (audit files), the staging folder itself is renamed to
//     OUT/2026-11-24T020000Z (or ...Z-02, -03 for runs started in the same second), with
//     RENAME_NOREPLACE: a run folder appears complete or not at all, and is never overwritten,
//     so a chain link always points at the report it hashed.
// An interrupted run leaves a hidden `.crmaudit-staging-*` folder and nothing else.
// Failures raise ReportWriteError naming the folder or file.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "reports/diff/report_diff.h"
#include "reports/i18n/rule_texts.h"
#include "reports/signing/signing_keys.h"
#include "scanner/model/scan_result.h"

namespace crmaudit {

class ReportWriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ReportOutputOptions {
  std::vector<std::string> formats = {"json", "html", "sarif"};
  std::optional<std::filesystem::path> sign_key;
  // The key loaded before the scan (so a bad key fails fast, exit 2); used instead of loading
  // `sign_key` again when set.
  std::shared_ptr<const PrivateKey> loaded_key;
  // The previous audit's summary (from --chain-from) for the HTML "since the last audit" box.
  std::optional<Summary> previous_summary;
  // Passed control checks as SARIF results of kind "pass" (SarifOptions::include_passes).
  bool sarif_passes = false;
  // What changed since the chained earlier report (report.json `changes`, the HTML section).
  std::optional<ReportDiff> changes;
  // The language of report.html (report.json and SARIF have none), and the rule words in it.
  std::string language = "en";
  std::shared_ptr<const RuleTexts> rule_texts;
};

class ReportOutput {
 public:
  // `out_dir` is created if needed. With `run_folder_name` ("2026-11-24T020000Z"), the reports
  // go into a new folder of that name (suffixed if taken) under `out_dir`.
  static ReportOutput Prepare(const std::filesystem::path& out_dir,
                              std::optional<std::string> run_folder_name);

  ReportOutput(ReportOutput&& other) noexcept;
  ReportOutput& operator=(ReportOutput&&) = delete;
  ~ReportOutput();  // removes the staging folder when Write did not finish

  // The folder that holds (or, for a dated run, is expected to hold) the reports.
  const std::filesystem::path& dir() const { return final_dir_; }
  // The folder given as --out (the parent of dated run folders).
  const std::filesystem::path& root() const { return root_; }

  // Writes, signs and puts the reports in place. Returns the paths written, report.json first,
  // then the other reports, then the signatures and the DSSE envelope.
  std::vector<std::filesystem::path> Write(const ScanResult& result,
                                           const ReportOutputOptions& options);

 private:
  ReportOutput() = default;
  void PlaceInPlainFolder(const std::vector<std::string>& names);
  void PlaceAsRunFolder();

  std::filesystem::path root_;
  std::filesystem::path final_dir_;
  std::filesystem::path staging_;
  std::optional<std::string> run_folder_name_;
};

// Formats this build can write; anything else passed to --format is a usage error.
// "records-csv" writes records-of-processing.csv (reports/records/records_of_processing.h).
std::vector<std::string> SupportedFormats();

// What a scan writes without --format: json, html, sarif.
std::vector<std::string> DefaultFormats();

// Every file name a run may write (reports, their signatures, the envelope).
std::vector<std::string> ReportArtifactNames();

}  // namespace crmaudit
