#include "reports/output/report_writer.h"

#include "reports/html/html_report.h"
#include "reports/json/json_report.h"
#include "reports/sarif/sarif_report.h"
#include "reports/signing/crypto_util.h"
#include "reports/signing/report_signer.h"
#include "reports/signing/signing_error.h"

namespace crmaudit {

std::vector<std::string> SupportedFormats() { return {"json", "html", "sarif"}; }

namespace {

// The signer's atomic write (temporary file + rename), reporting failures as this room's error.
void WriteFileAtomically(const std::filesystem::path& path, const std::string& bytes) {
  try {
    crypto::WriteFileAtomically(path, bytes);
  } catch (const SigningError& e) {
    throw ReportWriteError(e.what());
  }
}

}  // namespace

std::vector<std::filesystem::path> WriteReports(const ScanResult& result,
                                                const ReportOutputOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) {
    throw ReportWriteError("cannot create output folder " + options.out_dir.string() + ": " +
                           ec.message());
  }
  std::vector<std::filesystem::path> written;
  auto wants = [&](const std::string& format) {
    for (const auto& f : options.formats)
      if (f == format) return true;
    return false;
  };
  if (wants("json")) {
    auto path = options.out_dir / "report.json";
    WriteFileAtomically(path, RenderJsonReport(result));
    written.push_back(path);
  }
  if (wants("html")) {
    HtmlReportOptions html;
    html.signed_report = options.sign_key.has_value();
    html.key_hint = "crmaudit verify " + options.out_dir.string() + " --key PUBLIC-KEY.pub";
    html.previous_summary = options.previous_summary;
    auto path = options.out_dir / "report.html";
    WriteFileAtomically(path, RenderHtmlReport(result, html));
    written.push_back(path);
  }
  if (wants("sarif")) {
    auto path = options.out_dir / "report.sarif";
    WriteFileAtomically(path, RenderSarifReport(result));
    written.push_back(path);
  }
  if (options.sign_key || options.loaded_key) {
    std::vector<std::string> names;
    for (const auto& path : written) names.push_back(path.filename().string());
    try {
      SigningOutcome outcome =
          options.loaded_key
              ? SignArtifacts(options.out_dir, names, *options.loaded_key,
                              RenderSummaryJson(result))
              : SignArtifacts(options.out_dir, names, *options.sign_key, RenderSummaryJson(result));
      written.insert(written.end(), outcome.files_written.begin(), outcome.files_written.end());
    } catch (const SigningError& e) {
      throw ReportWriteError(e.what());
    }
  }
  return written;
}

}  // namespace crmaudit
