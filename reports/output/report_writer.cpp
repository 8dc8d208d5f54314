#include "reports/output/report_writer.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <set>
#include <utility>

#include "reports/html/html_report.h"
#include "reports/json/json_report.h"
#include "reports/records/records_of_processing.h"
#include "reports/sarif/sarif_report.h"
#include "reports/signing/crypto_util.h"
#include "reports/signing/report_signer.h"
#include "reports/signing/signing_error.h"

namespace crmaudit {

namespace fs = std::filesystem;

namespace {

// Each format's file, in the order they are written (report.json first).
struct FormatFile {
  const char* format;
  const char* file_name;
};
constexpr FormatFile kFormatFiles[] = {{"json", "report.json"},
                                       {"html", "report.html"},
                                       {"sarif", "report.sarif"},
                                       {"records-csv", "records-of-processing.csv"}};

constexpr const char* kStagingPrefix = ".crmaudit-staging-";

// The signer's atomic write (temporary file + rename), reporting failures as this room's error.
void WriteFileAtomically(const fs::path& path, const std::string& bytes) {
  try {
    crypto::WriteFileAtomically(path, bytes);
  } catch (const SigningError& e) {
    throw ReportWriteError(e.what());
  }
}

std::string ErrnoText() { return std::strerror(errno); }

// Renames `from` to `to` unless `to` exists. RENAME_NOREPLACE where the file system has it;
// elsewhere a plain rename, which still refuses a non-empty folder.
bool RenameNoReplace(const fs::path& from, const fs::path& to, int* error) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EINVAL || errno == ENOSYS) {
    if (::access(to.c_str(), F_OK) != 0 && ::rename(from.c_str(), to.c_str()) == 0) return true;
    if (errno == ENOTEMPTY) errno = EEXIST;
  }
  *error = errno;
  return false;
}

}  // namespace

std::vector<std::string> SupportedFormats() {
  std::vector<std::string> formats;
  for (const FormatFile& f : kFormatFiles) formats.push_back(f.format);
  return formats;
}

std::vector<std::string> DefaultFormats() { return {"json", "html", "sarif"}; }

std::vector<std::string> ReportArtifactNames() {
  std::vector<std::string> names;
  for (const FormatFile& f : kFormatFiles) {
    names.push_back(f.file_name);
    names.push_back(std::string(f.file_name) + std::string(kSignatureSuffix));
  }
  names.push_back(std::string(kEnvelopeFileName));
  return names;
}

ReportOutput ReportOutput::Prepare(const fs::path& out_dir,
                                   std::optional<std::string> run_folder_name) {
  ReportOutput output;
  output.root_ = out_dir;
  output.run_folder_name_ = std::move(run_folder_name);
  output.final_dir_ = output.run_folder_name_ ? out_dir / *output.run_folder_name_ : out_dir;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec || !fs::is_directory(out_dir, ec)) {
    throw ReportWriteError("cannot create output folder " + out_dir.string() + ": " +
                           (ec ? ec.message() : std::string("not a folder")));
  }
  // The staging folder proves the folder is writable now, before the scan, and lies on the same
  // file system as the reports' final place, so that renaming into place is atomic.
  std::string pattern = (out_dir / (std::string(kStagingPrefix) + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw ReportWriteError("cannot write to output folder " + out_dir.string() + ": " +
                           ErrnoText());
  }
  output.staging_ = pattern;
  if (output.run_folder_name_) {
    // A run folder is readable like the folder it sits in (mkdtemp made it 0700).
    struct stat st;
    if (::stat(out_dir.c_str(), &st) == 0) ::chmod(output.staging_.c_str(), st.st_mode & 07777);
  }
  return output;
}

ReportOutput::ReportOutput(ReportOutput&& other) noexcept
    : root_(std::move(other.root_)),
      final_dir_(std::move(other.final_dir_)),
      staging_(std::exchange(other.staging_, {})),
      run_folder_name_(std::move(other.run_folder_name_)) {}

ReportOutput::~ReportOutput() {
  if (staging_.empty()) return;
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
}

std::vector<fs::path> ReportOutput::Write(const ScanResult& result,
                                          const ReportOutputOptions& options) {
  if (staging_.empty()) throw ReportWriteError("the output folder was already written");
  auto wants = [&](const std::string& format) {
    return std::find(options.formats.begin(), options.formats.end(), format) !=
           options.formats.end();
  };
  std::vector<std::string> names;
  for (const FormatFile& f : kFormatFiles) {
    if (!wants(f.format)) continue;
    const fs::path path = staging_ / f.file_name;
    if (std::string(f.format) == "json") {
      WriteFileAtomically(path,
                          RenderJsonReport(result, options.changes ? &*options.changes : nullptr));
    } else if (std::string(f.format) == "html") {
      HtmlReportOptions html;
      html.signed_report = options.sign_key.has_value() || options.loaded_key != nullptr;
      html.key_hint = "crmaudit verify " + final_dir_.string() + " --key PUBLIC-KEY.pub";
      html.previous_summary = options.previous_summary;
      html.changes = options.changes;
      html.language = options.language;
      html.rule_texts = options.rule_texts.get();
      if (options.loaded_key) {
        html.signing_key_id = options.loaded_key->Public().ShortKeyId();
        html.signing_algorithm = options.loaded_key->TypeName();
      }
      WriteFileAtomically(path, RenderHtmlReport(result, html));
    } else if (std::string(f.format) == "records-csv") {
      WriteFileAtomically(path,
                          RenderRecordsCsv(result, options.language, options.rule_texts.get()));
    } else {
      WriteFileAtomically(
          path, RenderSarifReport(result, SarifOptions{.include_passes = options.sarif_passes}));
    }
    names.push_back(f.file_name);
  }
  std::vector<std::string> all_names = names;
  if (options.sign_key || options.loaded_key) {
    try {
      SigningOutcome outcome =
          options.loaded_key
              ? SignArtifacts(staging_, names, *options.loaded_key, RenderSummaryJson(result))
              : SignArtifacts(staging_, names, *options.sign_key, RenderSummaryJson(result));
      for (const fs::path& file : outcome.files_written) {
        all_names.push_back(file.filename().string());
      }
    } catch (const SigningError& e) {
      throw ReportWriteError(e.what());
    }
  }

  if (run_folder_name_) {
    PlaceAsRunFolder();
  } else {
    PlaceInPlainFolder(all_names);
  }
  std::vector<fs::path> written;
  for (const std::string& name : all_names) written.push_back(final_dir_ / name);
  return written;
}

void ReportOutput::PlaceInPlainFolder(const std::vector<std::string>& names) {
  const std::set<std::string> fresh(names.begin(), names.end());
  for (const std::string& name : names) {
    if (::rename((staging_ / name).c_str(), (final_dir_ / name).c_str()) != 0) {
      throw ReportWriteError("cannot write " + (final_dir_ / name).string() + ": " + ErrnoText());
    }
  }
  // What an earlier run left and this one did not write would sit beside the new report and
  // be taken for part of it.
  for (const std::string& name : ReportArtifactNames()) {
    if (fresh.count(name)) continue;
    fs::path stale = final_dir_ / name;
    if (::unlink(stale.c_str()) != 0 && errno != ENOENT) {
      throw ReportWriteError("cannot remove stale " + stale.string() + ": " + ErrnoText());
    }
  }
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
  staging_.clear();
}

void ReportOutput::PlaceAsRunFolder() {
  // Two runs started in the same second get "...Z", then "...Z-02", "...Z-03": names that
  // still sort in run order, which `verify --chain` and the chain's "newest earlier run" use.
  for (int attempt = 1; attempt < 100; ++attempt) {
    std::string name = *run_folder_name_;
    if (attempt > 1) {
      char suffix[8];
      std::snprintf(suffix, sizeof suffix, "-%02d", attempt);
      name += suffix;
    }
    fs::path target = root_ / name;
    int error = 0;
    if (RenameNoReplace(staging_, target, &error)) {
      final_dir_ = target;
      staging_.clear();
      return;
    }
    if (error != EEXIST && error != ENOTEMPTY) {
      throw ReportWriteError("cannot create run folder " + target.string() + ": " +
                             std::strerror(error));
    }
  }
  throw ReportWriteError("cannot create a run folder in " + root_.string() +
                         ": 99 runs already started in the same second");
}

}  // namespace crmaudit
